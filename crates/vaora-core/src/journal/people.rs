//! The owner and dependents on this phone.

use rusqlite::params;

use super::Journal;
use crate::error::{Error, Result};
use crate::person::{Person, PersonId, Relation};

const MAX_NAME_CHARS: usize = 100;

impl Journal {
    pub(super) fn ensure_me(&self) -> Result<()> {
        self.conn.execute(
            "INSERT INTO person (display_name, relation)
             SELECT '', 'me' WHERE NOT EXISTS (SELECT 1 FROM person WHERE relation = 'me')",
            [],
        )?;
        Ok(())
    }

    /// The phone's owner.
    pub fn me(&self) -> Result<Person> {
        Ok(self.conn.query_row(
            "SELECT id, display_name FROM person WHERE relation = 'me'",
            [],
            |r| {
                Ok(Person {
                    id: PersonId(r.get(0)?),
                    display_name: r.get(1)?,
                    relation: Relation::Me,
                })
            },
        )?)
    }

    /// Everyone this phone checks in: the owner first, then dependents in
    /// the order they were added.
    pub fn people(&self) -> Result<Vec<Person>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, display_name, relation FROM person
             ORDER BY relation = 'me' DESC, id",
        )?;
        let rows = stmt.query_map([], |r| {
            let relation: String = r.get(2)?;
            Ok(Person {
                id: PersonId(r.get(0)?),
                display_name: r.get(1)?,
                relation: if relation == "me" {
                    Relation::Me
                } else {
                    Relation::Dependent
                },
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Adds a child or an elderly parent checked in from this phone.
    pub fn add_dependent(&self, display_name: &str) -> Result<Person> {
        let name = clean_name(display_name)?;
        self.conn.execute(
            "INSERT INTO person (display_name, relation) VALUES (?1, 'dependent')",
            params![name],
        )?;
        Ok(Person {
            id: PersonId(self.conn.last_insert_rowid()),
            display_name: name,
            relation: Relation::Dependent,
        })
    }

    pub(super) fn require_person(&self, id: PersonId) -> Result<()> {
        let n: i64 =
            self.conn
                .query_row("SELECT count(*) FROM person WHERE id = ?1", [id.0], |r| {
                    r.get(0)
                })?;
        if n == 0 {
            return Err(Error::NoSuchPerson);
        }
        Ok(())
    }
}

fn clean_name(name: &str) -> Result<String> {
    let name: String = name.trim().chars().filter(|c| !c.is_control()).collect();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(Error::PersonName);
    }
    Ok(name)
}
