//! The visit lifecycle: check-in (alone or as a group), the rescan window,
//! check-out by hand, automatic check-out, manual entries, listing, delete.

use rusqlite::{OptionalExtension, Row, Transaction, params};
use serde::Serialize;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::outbox::{enqueue, enqueue_visit};
use super::{Journal, from_unix_ms, unix_ms};
use crate::error::{Error, Result};
use crate::person::PersonId;
use crate::venue::{CommuneCode, EntranceNo, Venue, VenueId};
use crate::visit::{CheckoutKind, Verification, Visit, VisitId, VisitSource};

/// Scanning the same venue again within this window is the same visit
/// (people scan twice when unsure it worked).
pub const RESCAN_WINDOW: Duration = Duration::minutes(10);
const MAX_PLACE_CHARS: usize = 200;
/// A manual entry may be back-dated, not dated ahead (clock drift aside).
const FUTURE_TOLERANCE: Duration = Duration::minutes(5);

/// Where a check-in happens.
#[derive(Debug, Clone)]
pub enum Place {
    /// A checkpoint from a venue code (or a gate).
    Venue { venue: Venue, entrance: EntranceNo },
    /// A place without a code, typed by hand (rural check-in).
    Manual {
        name: String,
        commune: Option<CommuneCode>,
    },
}

#[derive(Debug, Clone)]
pub struct CheckIn {
    pub people: Vec<PersonId>,
    pub place: Place,
    pub source: VisitSource,
    pub verification: Verification,
    pub at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", content = "visits", rename_all = "snake_case")]
pub enum CheckInOutcome {
    /// New visits, durable when this returns.
    CheckedIn(Vec<Visit>),
    /// Everyone was already checked in here within the rescan window.
    AlreadyCheckedIn(Vec<Visit>),
}

/// Keyset position for paging the journal newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct VisitCursor {
    pub checked_in_ms: i64,
    pub id: Uuid,
}

/// The outbox body of a visit item: the visit as it is now.
pub(super) fn visit_record_json(v: &Visit) -> String {
    // Serialising this struct cannot fail.
    serde_json::to_string(&crate::wire::VisitRecord::from(v)).unwrap_or_default()
}

const VISIT_COLUMNS: &str = "id, person_id, venue_id, entrance, place_name, commune, checked_in_at,
     planned_checkout_at, checked_out_at, checkout_kind, source, verified, unverified_reason, group_id";

fn visit_from_row(r: &Row<'_>) -> rusqlite::Result<Visit> {
    let uuid = |v: Vec<u8>| Uuid::from_slice(&v).unwrap_or_default();
    Ok(Visit {
        id: VisitId(uuid(r.get(0)?)),
        person: PersonId(r.get(1)?),
        venue: r.get::<_, Option<i64>>(2)?.map(|v| VenueId(v as u64)),
        entrance: EntranceNo(r.get(3)?),
        place_name: r.get(4)?,
        commune: r.get::<_, Option<u32>>(5)?.map(CommuneCode),
        checked_in_at: from_unix_ms(r.get(6)?),
        planned_checkout_at: r.get::<_, Option<i64>>(7)?.map(from_unix_ms),
        checked_out_at: r.get::<_, Option<i64>>(8)?.map(from_unix_ms),
        checkout: r
            .get::<_, Option<String>>(9)?
            .as_deref()
            .and_then(CheckoutKind::from_code),
        source: VisitSource::from_code(&r.get::<_, String>(10)?).unwrap_or(VisitSource::Manual),
        verified: r.get(11)?,
        unverified_reason: r.get(12)?,
        group: r.get::<_, Option<Vec<u8>>>(13)?.map(uuid),
    })
}

impl Journal {
    /// Records a check-in for everyone in `req.people` in one transaction.
    /// Returns only when the visits and their outbox items are durable.
    pub fn check_in(&mut self, req: CheckIn) -> Result<CheckInOutcome> {
        if req.people.is_empty() {
            return Err(Error::NobodyChosen);
        }
        for p in &req.people {
            self.require_person(*p)?;
        }
        let (venue, entrance, place_name, commune, stay) = match &req.place {
            Place::Venue { venue, entrance } => (
                Some(venue.id),
                *entrance,
                venue.short_name.clone(),
                venue.commune,
                Some(Duration::minutes(i64::from(venue.default_stay_minutes))),
            ),
            Place::Manual { name, commune } => {
                let name = name.trim();
                if name.is_empty() || name.chars().count() > MAX_PLACE_CHARS {
                    return Err(Error::PlaceName);
                }
                (None, EntranceNo(0), name.to_owned(), *commune, None)
            }
        };
        let tx = self.conn.transaction()?;
        close_overdue_in(&tx, req.at)?;
        if let Place::Venue { venue: v, .. } = &req.place {
            remember_venue_in(&tx, v)?;
        }
        let mut already = Vec::new();
        let mut people = Vec::new();
        for person in &req.people {
            match venue.map(|v| recent_open_visit(&tx, *person, v, req.at)) {
                Some(r) => match r? {
                    Some(existing) => already.push(existing),
                    None => people.push(*person),
                },
                None => people.push(*person),
            }
        }
        if people.is_empty() {
            tx.commit()?;
            return Ok(CheckInOutcome::AlreadyCheckedIn(already));
        }
        let group = (people.len() > 1).then(Uuid::now_v7);
        let (verified, reason) = match req.verification {
            Verification::Verified => (true, None),
            Verification::Unverified(key) => (false, Some(key.to_owned())),
        };
        let mut visits = Vec::with_capacity(people.len());
        for person in people {
            close_open_visits_of(&tx, person, req.at)?;
            let visit = Visit {
                id: VisitId::new(),
                person,
                venue,
                entrance,
                place_name: place_name.clone(),
                commune,
                checked_in_at: req.at,
                planned_checkout_at: stay.map(|s| req.at + s),
                checked_out_at: None,
                checkout: None,
                source: req.source,
                verified,
                unverified_reason: reason.clone(),
                group,
            };
            insert_visit(&tx, &visit)?;
            enqueue_visit(&tx, visit.id.0, req.at)?;
            visits.push(visit);
        }
        tx.commit()?;
        Ok(CheckInOutcome::CheckedIn(visits))
    }

    /// Checks a visit out by hand (the app or the reminder's action).
    /// Checking out a closed visit again changes nothing.
    pub fn check_out(&mut self, id: VisitId, at: OffsetDateTime) -> Result<Visit> {
        let tx = self.conn.transaction()?;
        let visit = load_visit(&tx, id)?.ok_or(Error::NoSuchVisit)?;
        if !visit.is_open() {
            return Ok(visit);
        }
        if at < visit.checked_in_at {
            return Err(Error::ImpossibleTime);
        }
        set_checked_out(&tx, &visit, at, CheckoutKind::Manual)?;
        let visit = load_visit(&tx, id)?.ok_or(Error::NoSuchVisit)?;
        tx.commit()?;
        Ok(visit)
    }

    /// Closes every visit whose planned check-out has passed. Run on start,
    /// daily, and before every check-in.
    pub fn close_overdue(&mut self, now: OffsetDateTime) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let n = close_overdue_in(&tx, now)?;
        tx.commit()?;
        Ok(n)
    }

    /// Adds a past visit typed by hand (a place without a code).
    pub fn add_manual_visit(
        &mut self,
        person: PersonId,
        name: &str,
        commune: Option<CommuneCode>,
        checked_in_at: OffsetDateTime,
        checked_out_at: Option<OffsetDateTime>,
        now: OffsetDateTime,
    ) -> Result<Visit> {
        if checked_in_at > now + FUTURE_TOLERANCE
            || checked_out_at.is_some_and(|out| out < checked_in_at || out > now + FUTURE_TOLERANCE)
        {
            return Err(Error::ImpossibleTime);
        }
        let outcome = self.check_in(CheckIn {
            people: vec![person],
            place: Place::Manual {
                name: name.to_owned(),
                commune,
            },
            source: VisitSource::Manual,
            verification: Verification::Verified,
            at: checked_in_at,
        })?;
        let visit = match outcome {
            CheckInOutcome::CheckedIn(mut v) | CheckInOutcome::AlreadyCheckedIn(mut v) => {
                v.pop().ok_or(Error::NoSuchVisit)?
            }
        };
        match checked_out_at {
            Some(out) => self.check_out(visit.id, out),
            None => Ok(visit),
        }
    }

    pub fn visit(&self, id: VisitId) -> Result<Visit> {
        let tx = self.conn.unchecked_transaction()?;
        load_visit(&tx, id)?.ok_or(Error::NoSuchVisit)
    }

    /// One page of the journal, newest first, after `cursor` (keyset paging:
    /// as fast on page 1,000 as on page 1).
    pub fn visits_page(&self, cursor: Option<VisitCursor>, limit: usize) -> Result<Vec<Visit>> {
        let (ms, id) = cursor.map_or((i64::MAX, vec![0xff; 16]), |c| {
            (c.checked_in_ms, c.id.as_bytes().to_vec())
        });
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {VISIT_COLUMNS} FROM visit
             WHERE (checked_in_at, id) < (?1, ?2)
             ORDER BY checked_in_at DESC, id DESC LIMIT ?3"
        ))?;
        let rows = stmt.query_map(params![ms, id, limit as i64], visit_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Open visits whose check-out reminder is due at `now` and has not
    /// been raised, oldest first. A visit past its automatic check-out
    /// needs no reminder: it is closed instead.
    pub fn reminders_due(&self, now: OffsetDateTime) -> Result<Vec<Visit>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {VISIT_COLUMNS} FROM visit
             WHERE checked_out_at IS NULL AND reminded = 0 AND planned_checkout_at > ?1
             ORDER BY checked_in_at, id"
        ))?;
        let rows = stmt.query_map([unix_ms(now)], visit_from_row)?;
        let open: Vec<Visit> = rows.collect::<Result<_, _>>()?;
        Ok(open.into_iter().filter(|v| v.reminder_due(now)).collect())
    }

    /// Every visit not checked out yet, oldest first.
    pub fn open_visits(&self) -> Result<Vec<Visit>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {VISIT_COLUMNS} FROM visit WHERE checked_out_at IS NULL
             ORDER BY checked_in_at, id"
        ))?;
        let rows = stmt.query_map([], visit_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records that these visits' reminder was raised, so it never repeats.
    pub fn mark_reminded(&mut self, ids: &[VisitId]) -> Result<()> {
        let tx = self.conn.transaction()?;
        for id in ids {
            tx.execute(
                "UPDATE visit SET reminded = 1 WHERE id = ?1",
                [id.0.as_bytes()],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Visits that started in `[from, to)`, oldest first (export, tracing
    /// interview, exposure matching).
    pub fn visits_between(&self, from: OffsetDateTime, to: OffsetDateTime) -> Result<Vec<Visit>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {VISIT_COLUMNS} FROM visit
             WHERE checked_in_at >= ?1 AND checked_in_at < ?2
             ORDER BY checked_in_at, id"
        ))?;
        let rows = stmt.query_map(params![unix_ms(from), unix_ms(to)], visit_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Deletes a visit at the user's request. Items not yet sent go with
    /// it; if some were already sent, the server is asked to forget it.
    pub fn delete_visit(&mut self, id: VisitId, now: OffsetDateTime) -> Result<()> {
        let tx = self.conn.transaction()?;
        let n = tx.execute("DELETE FROM visit WHERE id = ?1", [id.0.as_bytes()])?;
        if n == 0 {
            return Err(Error::NoSuchVisit);
        }
        tx.execute(
            "DELETE FROM outbox WHERE subject = ?1 AND state != 'sent'",
            [id.0.as_bytes()],
        )?;
        let sent: i64 = tx.query_row(
            "SELECT count(*) FROM outbox WHERE subject = ?1 AND state = 'sent'",
            [id.0.as_bytes()],
            |r| r.get(0),
        )?;
        if sent > 0 {
            enqueue(
                &tx,
                "visit.delete",
                id.0,
                &serde_json::json!({ "id": id.0 }),
                now,
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}

fn remember_venue_in(tx: &Transaction<'_>, venue: &Venue) -> Result<()> {
    tx.execute(
        "INSERT INTO venue (id, short_name, commune, kind, default_stay_minutes)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(id) DO UPDATE SET short_name = excluded.short_name,
             commune = excluded.commune, kind = excluded.kind,
             default_stay_minutes = excluded.default_stay_minutes",
        params![
            // u64 ids keep their bit pattern in SQLite's i64.
            venue.id.0 as i64,
            venue.short_name,
            venue.commune.map(|c| c.0),
            venue.kind.code(),
            venue.default_stay_minutes,
        ],
    )?;
    Ok(())
}

fn insert_visit(tx: &Transaction<'_>, v: &Visit) -> Result<()> {
    tx.execute(
        "INSERT INTO visit (id, person_id, venue_id, entrance, place_name, commune,
             checked_in_at, planned_checkout_at, source, verified, unverified_reason, group_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            v.id.0.as_bytes(),
            v.person.0,
            v.venue.map(|id| id.0 as i64),
            v.entrance.0,
            v.place_name,
            v.commune.map(|c| c.0),
            unix_ms(v.checked_in_at),
            v.planned_checkout_at.map(unix_ms),
            v.source.code(),
            v.verified,
            v.unverified_reason,
            v.group.map(|g| g.as_bytes().to_vec()),
        ],
    )?;
    Ok(())
}

pub(super) fn load_visit(conn: &rusqlite::Connection, id: VisitId) -> Result<Option<Visit>> {
    Ok(conn
        .query_row(
            &format!("SELECT {VISIT_COLUMNS} FROM visit WHERE id = ?1"),
            [id.0.as_bytes()],
            visit_from_row,
        )
        .optional()?)
}

fn recent_open_visit(
    tx: &Transaction<'_>,
    person: PersonId,
    venue: VenueId,
    at: OffsetDateTime,
) -> Result<Option<Visit>> {
    Ok(tx
        .query_row(
            &format!(
                "SELECT {VISIT_COLUMNS} FROM visit
                 WHERE person_id = ?1 AND venue_id = ?2 AND checked_out_at IS NULL
                   AND checked_in_at BETWEEN ?3 AND ?4
                 ORDER BY checked_in_at DESC LIMIT 1"
            ),
            params![
                person.0,
                venue.0 as i64,
                unix_ms(at - RESCAN_WINDOW),
                unix_ms(at + RESCAN_WINDOW)
            ],
            visit_from_row,
        )
        .optional()?)
}

fn set_checked_out(
    tx: &Transaction<'_>,
    visit: &Visit,
    at: OffsetDateTime,
    kind: CheckoutKind,
) -> Result<()> {
    tx.execute(
        "UPDATE visit SET checked_out_at = ?2, checkout_kind = ?3 WHERE id = ?1",
        params![visit.id.0.as_bytes(), unix_ms(at), kind.code()],
    )?;
    enqueue_visit(tx, visit.id.0, at)
}

/// Closes `person`'s open visits at `at`: they cannot be in two places.
fn close_open_visits_of(tx: &Transaction<'_>, person: PersonId, at: OffsetDateTime) -> Result<()> {
    let open: Vec<Visit> = {
        let mut stmt = tx.prepare_cached(&format!(
            "SELECT {VISIT_COLUMNS} FROM visit
             WHERE person_id = ?1 AND checked_out_at IS NULL AND checked_in_at <= ?2"
        ))?;
        let rows = stmt.query_map(params![person.0, unix_ms(at)], visit_from_row)?;
        rows.collect::<Result<_, _>>()?
    };
    for v in open {
        set_checked_out(tx, &v, at, CheckoutKind::NextCheckIn)?;
    }
    Ok(())
}

fn close_overdue_in(tx: &Transaction<'_>, now: OffsetDateTime) -> Result<usize> {
    let overdue: Vec<Visit> = {
        let mut stmt = tx.prepare_cached(&format!(
            "SELECT {VISIT_COLUMNS} FROM visit
             WHERE checked_out_at IS NULL AND planned_checkout_at <= ?1"
        ))?;
        let rows = stmt.query_map([unix_ms(now)], visit_from_row)?;
        rows.collect::<Result<_, _>>()?
    };
    for v in &overdue {
        // `planned_checkout_at` is set on every row this query returns.
        let at = v.planned_checkout_at.unwrap_or(now);
        set_checked_out(tx, v, at, CheckoutKind::StayOver)?;
    }
    Ok(overdue.len())
}

/// Every visit that ended (or, open, started) at or after `since`: what
/// exposure matching looks at.
pub(super) fn visits_since(
    conn: &rusqlite::Connection,
    since: OffsetDateTime,
) -> Result<Vec<Visit>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {VISIT_COLUMNS} FROM visit WHERE coalesce(checked_out_at, checked_in_at) >= ?1"
    ))?;
    let rows = stmt.query_map([unix_ms(since)], visit_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
