//! Gate mode: a staff device bound to one venue entrance records people
//! who enter without a smartphone (or without VaoRa): from the QR on their
//! citizen ID card (prefilling a declaration staff confirm), from a paper
//! form typed in, or from the personal pass on someone else's phone.
//!
//! What a gate knows about each person is what the declaration says; it
//! has no `person` table of its own. Spotting the same person twice (a
//! second scan while the queue moves) uses a [`SubjectKey`]: the ID
//! number, or for a child without a document the folded name and birth
//! year, or for a pass its sealed text.

use serde::{Deserialize, Serialize};
use time::Duration;

use crate::admin_units::fold;
use crate::declaration::{Declaration, IdKind};
use crate::personal_pass::PersonalPass;
use crate::venue::{EntranceNo, VenueId};

/// A second entry of the same person within this window is the same entry.
pub const DUPLICATE_WINDOW: Duration = Duration::minutes(10);

/// The venue entrance this device serves, set once when a registrar binds
/// it (online), used offline from then on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GateBinding {
    pub venue: VenueId,
    pub entrance: EntranceNo,
    pub venue_name: String,
}

/// Who came through the gate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GateSubject {
    /// A declaration staff filled (from a card, a paper form).
    Declared(Declaration),
    /// A personal pass: the declaration stays sealed for the authority.
    Pass { pass: PersonalPass, text: String },
}

/// Identifies one person among a gate's entries; kept in the encrypted
/// journal, never sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SubjectKey(pub String);

impl SubjectKey {
    /// The key of whoever holds the card with this ID number (an exit gate
    /// scanning the card again).
    pub fn of_id_number(id_number: &str) -> SubjectKey {
        SubjectKey(format!(
            "id:{}",
            crate::declaration::normalize_id(id_number)
        ))
    }
}

impl GateSubject {
    pub fn key(&self) -> SubjectKey {
        SubjectKey(match self {
            GateSubject::Declared(d) if d.id_kind == IdKind::None => {
                format!("name:{}:{}", fold(&d.full_name), d.birth_year)
            }
            GateSubject::Declared(d) => return SubjectKey::of_id_number(&d.id_number),
            GateSubject::Pass { text, .. } => format!("pass:{}", text.trim().to_ascii_uppercase()),
        })
    }

    /// The name the gate's list shows.
    pub fn given_name(&self) -> &str {
        match self {
            GateSubject::Declared(d) => d.given_name(),
            GateSubject::Pass { pass, .. } => &pass.first_name,
        }
    }

    /// Symptoms or exposure declared: staff send the person to the health
    /// desk. A pass cannot tell (it is sealed), so it never flags.
    pub fn needs_attention(&self) -> bool {
        match self {
            GateSubject::Declared(d) => d.needs_attention(),
            GateSubject::Pass { .. } => false,
        }
    }
}
