//! Venue code v1: the signed QR text on every entrance poster.
//! The format is specified in `docs/venue-code.md`; the test vectors there are
//! checked by `tests/venue_code_vectors.rs`.
//!
//! `content` holds the fields and their compact binary layout, `text` the URL
//! form, `keyring` the issuer keys and revocations that verification trusts,
//! and `issuer` (feature `issuer`) the signing side, which only the server has.

mod content;
mod error;
mod gate_code;
#[cfg(any(test, feature = "issuer"))]
mod issuer;
mod keyring;
mod text;

pub use content::{MAX_SHORT_NAME_BYTES, VenueCodeContent, fit_short_name};
pub use error::VenueCodeError;
pub use gate_code::{
    GATE_CODE_PREFIX, GateCertificate, GateCode, GateSigner, SLOT_SECONDS, SLOT_TOLERANCE, slot_of,
};
#[cfg(any(test, feature = "issuer"))]
pub use issuer::VenueIssuer;
pub(crate) use keyring::iso_date;
pub use keyring::{
    AuthorityKey, IssuerKey, KeyId, KeyRing, KeyRingError, PosterRevocation, SignedCheck,
};
pub use text::{DEFAULT_HOST, SignedVenueCode, VerifiedVenue};

/// Domain separation: a signature over a venue code can never be replayed as
/// a signature over anything else the same key might sign.
pub(crate) const SIGNING_CONTEXT: &[u8] = b"VaoRa venue code v1\0";
