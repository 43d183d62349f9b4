//! A gate device's records: its binding, and one entry per person through
//! the gate, with check-out at an exit. Each entry is saved with its
//! outbox item in one transaction; its item carries the entry's latest
//! state (a check-out or a correction before sync costs nothing extra).

use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::outbox::enqueue_latest;
use super::{Journal, from_unix_ms, unix_ms};
use crate::declaration::Declaration;
use crate::error::{Error, Result};
use crate::gate::{DUPLICATE_WINDOW, GateBinding, GateSubject, SubjectKey};
use crate::venue::{EntranceNo, VenueId};
use crate::venue_code::{GateCertificate, GateSigner};
use crate::wire::GateEntryRecord;

const BINDING: &str = "gate.binding";
/// The gate's own Ed25519 private key (hex) and its certificate: in the
/// encrypted journal, never sent anywhere.
const SIGNING_KEY: &str = "gate.signing_key";
const CERTIFICATE: &str = "gate.certificate";

/// One person through the gate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GateEntry {
    pub id: Uuid,
    pub venue: VenueId,
    pub entrance: EntranceNo,
    pub given_name: String,
    pub needs_attention: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub checked_in_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub checked_out_at: Option<OffsetDateTime>,
    /// Entered by mistake; kept (and synced) as void rather than deleted,
    /// since the server may already have it.
    pub voided: bool,
    #[serde(skip)]
    pub declaration: Option<Declaration>,
    #[serde(skip)]
    pub pass: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", content = "entry", rename_all = "snake_case")]
pub enum GateOutcome {
    /// A new entry, durable when this returns.
    Entered(GateEntry),
    /// The same person entered moments ago: nothing saved twice.
    AlreadyEntered(GateEntry),
}

/// Today's numbers at the gate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GateCounters {
    pub entered: u64,
    pub left: u64,
    /// On the premises now: entered and not checked out.
    pub inside: u64,
}

impl Journal {
    pub fn bind_gate(&self, binding: &GateBinding) -> Result<()> {
        // Serialising our own type cannot fail.
        self.set_setting(BINDING, &serde_json::to_string(binding).unwrap_or_default())
    }

    /// Keeps the key this gate signs its rotating code with, and the
    /// server's certificate for it.
    pub fn set_gate_signer(&self, seed: &[u8; 32], certificate: &GateCertificate) -> Result<()> {
        self.set_setting(SIGNING_KEY, &crate::hex::encode(seed))?;
        self.set_setting(CERTIFICATE, &certificate.to_text())
    }

    /// What this gate signs its rotating code with; `None` until a server
    /// certified its key (or if what is kept no longer matches).
    pub fn gate_signer(&self) -> Result<Option<GateSigner>> {
        let (Some(hex), Some(text)) = (self.setting(SIGNING_KEY)?, self.setting(CERTIFICATE)?)
        else {
            return Ok(None);
        };
        let seed = crate::hex::decode_array::<32>(&hex);
        Ok(seed.and_then(|seed| {
            let certificate = GateCertificate::from_text(&text).ok()?;
            GateSigner::new(&seed, certificate).ok()
        }))
    }

    /// The entrance this device serves, if it is a gate.
    pub fn gate_binding(&self) -> Result<Option<GateBinding>> {
        Ok(self
            .setting(BINDING)?
            .and_then(|json| serde_json::from_str(&json).ok()))
    }

    /// Records `subject` entering at `at` through this device's gate.
    pub fn gate_enter(&mut self, subject: &GateSubject, at: OffsetDateTime) -> Result<GateOutcome> {
        let binding = self.gate_binding()?.ok_or(Error::NotAGate)?;
        let key = subject.key();
        let tx = self.conn.transaction()?;
        if let Some(recent) = latest_of(&tx, &key)?
            && !recent.voided
            && (at - recent.checked_in_at).abs() < DUPLICATE_WINDOW
        {
            return Ok(GateOutcome::AlreadyEntered(recent));
        }
        // Nobody is inside twice: an earlier entry still open left unseen.
        let open: Vec<Uuid> = {
            let mut stmt = tx.prepare_cached(
                "SELECT id FROM gate_entry
                 WHERE subject_key = ?1 AND checked_out_at IS NULL AND voided = 0
                   AND checked_in_at <= ?2",
            )?;
            let rows = stmt.query_map(params![key.0, unix_ms(at)], |r| r.get::<_, Vec<u8>>(0))?;
            rows.map(|r| r.map(|b| Uuid::from_slice(&b).unwrap_or_default()))
                .collect::<rusqlite::Result<_>>()?
        };
        for id in open {
            tx.execute(
                "UPDATE gate_entry SET checked_out_at = ?2 WHERE id = ?1",
                params![id.as_bytes(), unix_ms(at)],
            )?;
            enqueue_latest(&tx, "gate_entry", id, at)?;
        }
        let (declaration, pass) = match subject {
            // Serialising our own type cannot fail.
            GateSubject::Declared(d) => (Some(serde_json::to_string(d).unwrap_or_default()), None),
            GateSubject::Pass { text, .. } => (None, Some(text.trim().to_owned())),
        };
        let id = Uuid::now_v7();
        tx.execute(
            "INSERT INTO gate_entry (id, venue_id, entrance, subject_key, given_name,
                                     needs_attention, declaration, pass, checked_in_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                id.as_bytes(),
                binding.venue.0 as i64,
                binding.entrance.0,
                key.0,
                subject.given_name(),
                subject.needs_attention(),
                declaration,
                pass,
                unix_ms(at)
            ],
        )?;
        enqueue_latest(&tx, "gate_entry", id, at)?;
        let entry = load_gate_entry(&tx, id)?.ok_or(Error::NoSuchGateEntry)?;
        tx.commit()?;
        Ok(GateOutcome::Entered(entry))
    }

    /// Checks out, at an exit gate, the latest open entry of the person
    /// with this key (their card or pass scanned again).
    pub fn gate_exit(&mut self, key: &SubjectKey, at: OffsetDateTime) -> Result<GateEntry> {
        let tx = self.conn.transaction()?;
        let entry = latest_of(&tx, key)?
            .filter(|e| e.checked_out_at.is_none() && !e.voided && e.checked_in_at <= at)
            .ok_or(Error::NotInside)?;
        let entry = check_out_in(&tx, entry, at)?;
        tx.commit()?;
        Ok(entry)
    }

    /// Checks out one entry from the gate's list.
    pub fn gate_check_out(&mut self, id: Uuid, at: OffsetDateTime) -> Result<GateEntry> {
        let tx = self.conn.transaction()?;
        let entry = load_gate_entry(&tx, id)?.ok_or(Error::NoSuchGateEntry)?;
        if entry.checked_out_at.is_some() || entry.voided {
            return Ok(entry);
        }
        if at < entry.checked_in_at {
            return Err(Error::ImpossibleTime);
        }
        let entry = check_out_in(&tx, entry, at)?;
        tx.commit()?;
        Ok(entry)
    }

    /// Marks an entry made by mistake void (kept and synced as such).
    pub fn void_gate_entry(&mut self, id: Uuid, at: OffsetDateTime) -> Result<GateEntry> {
        let tx = self.conn.transaction()?;
        let changed = tx.execute(
            "UPDATE gate_entry SET voided = 1 WHERE id = ?1",
            [id.as_bytes()],
        )?;
        if changed == 0 {
            return Err(Error::NoSuchGateEntry);
        }
        enqueue_latest(&tx, "gate_entry", id, at)?;
        let entry = load_gate_entry(&tx, id)?.ok_or(Error::NoSuchGateEntry)?;
        tx.commit()?;
        Ok(entry)
    }

    /// Entries since `since` (the start of the gate's day), newest first.
    pub fn gate_entries_since(
        &self,
        since: OffsetDateTime,
        limit: usize,
    ) -> Result<Vec<GateEntry>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM gate_entry WHERE checked_in_at >= ?1
             ORDER BY checked_in_at DESC, id DESC LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![unix_ms(since), limit as i64], entry_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// In and out since `since` (the start of the gate's day), and on the
    /// premises now: entered since the day before and not checked out.
    /// Only those two days are read (the time index), so the counters cost
    /// the same on day 21 of the retention period as on day 1; someone who
    /// entered earlier and never left through an exit gate has left by now.
    pub fn gate_counters(&self, since: OffsetDateTime) -> Result<GateCounters> {
        let lookback = unix_ms(since - time::Duration::days(1));
        let since = unix_ms(since);
        Ok(self.conn.query_row(
            "SELECT
                 count(*) FILTER (WHERE checked_in_at >= ?1),
                 count(*) FILTER (WHERE checked_out_at >= ?1),
                 count(*) FILTER (WHERE checked_out_at IS NULL)
             FROM gate_entry WHERE checked_in_at >= ?2 AND voided = 0",
            params![since, lookback],
            |r| {
                Ok(GateCounters {
                    entered: r.get::<_, i64>(0)?.max(0) as u64,
                    left: r.get::<_, i64>(1)?.max(0) as u64,
                    inside: r.get::<_, i64>(2)?.max(0) as u64,
                })
            },
        )?)
    }
}

fn check_out_in(tx: &Transaction<'_>, entry: GateEntry, at: OffsetDateTime) -> Result<GateEntry> {
    tx.execute(
        "UPDATE gate_entry SET checked_out_at = ?2 WHERE id = ?1",
        params![entry.id.as_bytes(), unix_ms(at)],
    )?;
    enqueue_latest(tx, "gate_entry", entry.id, at)?;
    Ok(GateEntry {
        checked_out_at: Some(at),
        ..entry
    })
}

const COLUMNS: &str = "id, venue_id, entrance, given_name, needs_attention, checked_in_at,
     checked_out_at, voided, declaration, pass";

fn entry_from_row(r: &Row<'_>) -> rusqlite::Result<GateEntry> {
    let declaration: Option<String> = r.get(8)?;
    Ok(GateEntry {
        id: Uuid::from_slice(&r.get::<_, Vec<u8>>(0)?).unwrap_or_default(),
        venue: VenueId(r.get::<_, i64>(1)? as u64),
        entrance: EntranceNo(r.get(2)?),
        given_name: r.get(3)?,
        needs_attention: r.get(4)?,
        checked_in_at: from_unix_ms(r.get(5)?),
        checked_out_at: r.get::<_, Option<i64>>(6)?.map(from_unix_ms),
        voided: r.get(7)?,
        declaration: declaration.and_then(|json| serde_json::from_str(&json).ok()),
        pass: r.get(9)?,
    })
}

fn latest_of(conn: &Connection, key: &SubjectKey) -> Result<Option<GateEntry>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {COLUMNS} FROM gate_entry WHERE subject_key = ?1
                 ORDER BY checked_in_at DESC, id DESC LIMIT 1"
            ),
            [&key.0],
            entry_from_row,
        )
        .optional()?)
}

pub(super) fn load_gate_entry(conn: &Connection, id: Uuid) -> Result<Option<GateEntry>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM gate_entry WHERE id = ?1"),
            [id.as_bytes()],
            entry_from_row,
        )
        .optional()?)
}

/// The outbox body of a gate entry: the entry as it is now.
pub(super) fn gate_entry_record_json(e: &GateEntry) -> String {
    // Serialising this struct cannot fail.
    serde_json::to_string(&GateEntryRecord::from(e)).unwrap_or_default()
}

impl From<&GateEntry> for GateEntryRecord {
    fn from(e: &GateEntry) -> Self {
        GateEntryRecord {
            id: e.id,
            venue: e.venue.0,
            entrance: e.entrance.0,
            checked_in_at: unix_ms(e.checked_in_at),
            checked_out_at: e.checked_out_at.map(unix_ms),
            voided: e.voided,
            declaration: e.declaration.clone(),
            pass: e.pass.clone(),
        }
    }
}
