//! A venue is a registered checkpoint (điểm kiểm dịch); each entrance has its
//! own poster, so a visit records the entrance too.

use serde::{Deserialize, Serialize};

/// Server-assigned venue number. 64 bits keep the venue code compact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct VenueId(pub u64);

/// Entrance number within a venue (1-based; 0 means "unspecified").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EntranceNo(pub u16);

/// Commune code of the 2025 administrative units (34 provinces, communes,
/// no districts). Stored as the official 5-digit code.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CommuneCode(pub u32);

/// What sort of place a checkpoint is; drives the default stay for automatic
/// check-out and the activity statistics.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VenueKind {
    Office,
    Shop,
    School,
    Hospital,
    Transport,
    Market,
    Factory,
    Other,
}

impl VenueKind {
    pub const ALL: [VenueKind; 8] = [
        VenueKind::Office,
        VenueKind::Shop,
        VenueKind::School,
        VenueKind::Hospital,
        VenueKind::Transport,
        VenueKind::Market,
        VenueKind::Factory,
        VenueKind::Other,
    ];

    /// Stable on-disk and on-wire code.
    pub fn code(self) -> u8 {
        match self {
            VenueKind::Office => 0,
            VenueKind::Shop => 1,
            VenueKind::School => 2,
            VenueKind::Hospital => 3,
            VenueKind::Transport => 4,
            VenueKind::Market => 5,
            VenueKind::Factory => 6,
            VenueKind::Other => 7,
        }
    }

    /// Unknown codes from a newer issuer degrade to `Other` rather than failing.
    pub fn from_code(code: u8) -> VenueKind {
        VenueKind::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .unwrap_or(VenueKind::Other)
    }

    /// Typical length of a stay, used when nobody checks out by hand.
    pub fn default_stay_minutes(self) -> u16 {
        match self {
            VenueKind::Office | VenueKind::School | VenueKind::Factory => 8 * 60,
            VenueKind::Hospital => 3 * 60,
            VenueKind::Shop | VenueKind::Market => 60,
            VenueKind::Transport => 30,
            VenueKind::Other => 2 * 60,
        }
    }
}

/// A venue as the device knows it: from a scanned code (short name) or a
/// manual entry. Full names and addresses arrive later from the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Venue {
    pub id: VenueId,
    pub short_name: String,
    pub commune: Option<CommuneCode>,
    pub kind: VenueKind,
    pub default_stay_minutes: u16,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn venue_kind_codes_round_trip_and_unknown_codes_become_other() {
        for kind in VenueKind::ALL {
            assert_eq!(VenueKind::from_code(kind.code()), kind);
        }
        assert_eq!(VenueKind::from_code(200), VenueKind::Other);
    }
}
