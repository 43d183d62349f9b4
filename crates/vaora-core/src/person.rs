//! The people one phone checks in: its owner and dependents (children, elderly
//! parents without a smartphone).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PersonId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// The phone's owner. Exactly one exists; it is created with the journal.
    Me,
    Dependent,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: PersonId,
    /// What the owner calls this person ("Bà nội", "Minh"). Not an identity.
    pub display_name: String,
    pub relation: Relation,
}
