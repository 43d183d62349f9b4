//! Health declarations made on this phone, for its owner and dependents.
//! Saved with their outbox item in one transaction; the answers are kept
//! (encrypted with the rest of the journal) so the next declaration starts
//! from the last one instead of an empty form.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::outbox::enqueue;
use super::{Journal, from_unix_ms, unix_ms};
use crate::declaration::{Declaration, DeclarationForm};

/// What a first declaration's nationality starts as.
const DEFAULT_NATIONALITY: &str = "Việt Nam";
use crate::error::{Error, Result};
use crate::person::PersonId;
use crate::visit::VisitId;
use crate::wire::DeclarationRecord;

/// A declaration as the journal holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredDeclaration {
    pub id: Uuid,
    pub person: PersonId,
    pub visit: Option<VisitId>,
    #[serde(with = "time::serde::rfc3339")]
    pub declared_at: OffsetDateTime,
    pub declaration: Declaration,
}

impl Journal {
    /// Saves `declaration` for `person`, optionally for one of their
    /// visits, and queues it for sync.
    pub fn save_declaration(
        &mut self,
        person: PersonId,
        visit: Option<VisitId>,
        declaration: &Declaration,
        at: OffsetDateTime,
    ) -> Result<StoredDeclaration> {
        self.require_person(person)?;
        if let Some(visit) = visit {
            // Only the person's own visit: a declaration attached to
            // someone else's would be traced to the wrong person.
            if self.visit(visit)?.person != person {
                return Err(Error::NoSuchVisit);
            }
        }
        let stored = StoredDeclaration {
            id: Uuid::now_v7(),
            person,
            visit,
            declared_at: at,
            declaration: declaration.clone(),
        };
        // Serialising our own types cannot fail.
        let answers = serde_json::to_string(declaration).unwrap_or_default();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO declaration (id, person_id, visit_id, answers, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                stored.id.as_bytes(),
                person.0,
                visit.map(|v| v.0.as_bytes().to_vec()),
                answers,
                unix_ms(at)
            ],
        )?;
        enqueue(
            &tx,
            "declaration",
            stored.id,
            &DeclarationRecord::from(&stored),
            at,
        )?;
        tx.commit()?;
        Ok(stored)
    }

    /// The person's latest declaration, to prefill the next one.
    pub fn last_declaration(&self, person: PersonId) -> Result<Option<StoredDeclaration>> {
        Ok(self
            .conn
            .query_row(
                &format!("{SELECT} WHERE person_id = ?1 ORDER BY created_at DESC, id DESC LIMIT 1"),
                [person.0],
                stored_from_row,
            )
            .optional()?
            .flatten())
    }

    /// The form to start `person`'s next declaration from: their last
    /// one; for someone who never declared, the household's address and
    /// phone from the owner's last declaration (a child or grandparent
    /// usually lives with them); otherwise an empty form.
    pub fn declaration_draft(&self, person: PersonId) -> Result<DeclarationForm> {
        self.require_person(person)?;
        if let Some(last) = self.last_declaration(person)? {
            return Ok(DeclarationForm::from_declaration(&last.declaration));
        }
        let mut draft = DeclarationForm {
            nationality: DEFAULT_NATIONALITY.to_owned(),
            ..DeclarationForm::default()
        };
        if let Some(owner) = self.last_declaration(self.me()?.id)? {
            let household = owner.declaration;
            draft.nationality = household.nationality;
            draft.province = Some(household.province);
            draft.commune = Some(household.commune);
            draft.street = household.street;
            draft.phone = household.phone;
        }
        Ok(draft)
    }

    /// Declarations, newest first.
    pub fn declarations(&self, limit: usize) -> Result<Vec<StoredDeclaration>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT} ORDER BY created_at DESC, id DESC LIMIT ?1"
        ))?;
        let rows = stmt.query_map([limit as i64], stored_from_row)?;
        let mut out = Vec::new();
        for row in rows {
            out.extend(row?);
        }
        Ok(out)
    }

    /// The declaration made for `visit`, if any.
    pub fn declaration_for_visit(&self, visit: VisitId) -> Result<Option<StoredDeclaration>> {
        Ok(self
            .conn
            .query_row(
                &format!("{SELECT} WHERE visit_id = ?1 ORDER BY created_at DESC LIMIT 1"),
                [visit.0.as_bytes()],
                stored_from_row,
            )
            .optional()?
            .flatten())
    }
}

const SELECT: &str = "SELECT id, person_id, visit_id, answers, created_at FROM declaration";

/// `None` for answers this build cannot read (written by a newer one):
/// they are skipped, never a reason to fail the whole list.
fn stored_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Option<StoredDeclaration>> {
    let uuid = |v: Vec<u8>| Uuid::from_slice(&v).unwrap_or_default();
    let answers: String = r.get(3)?;
    let Ok(declaration) = serde_json::from_str(&answers) else {
        return Ok(None);
    };
    Ok(Some(StoredDeclaration {
        id: uuid(r.get(0)?),
        person: PersonId(r.get(1)?),
        visit: r.get::<_, Option<Vec<u8>>>(2)?.map(|v| VisitId(uuid(v))),
        declared_at: from_unix_ms(r.get(4)?),
        declaration,
    }))
}

impl From<&StoredDeclaration> for DeclarationRecord {
    fn from(d: &StoredDeclaration) -> Self {
        DeclarationRecord {
            id: d.id,
            person: Some(d.person.0),
            visit: d.visit.map(|v| v.0),
            declared_at: unix_ms(d.declared_at),
            declaration: d.declaration.clone(),
        }
    }
}
