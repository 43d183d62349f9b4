use thiserror::Error;

use super::keyring::KeyId;

/// Why a scanned venue code is not trusted. Each has a message key that the
/// UI turns into a sentence in the user's language (`ui/src/i18n/`).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VenueCodeError {
    /// Looks like a VaoRa code but the bytes do not parse.
    #[error("malformed venue code: {0}")]
    Malformed(&'static str),
    /// Made by a newer VaoRa issuer than this app understands.
    #[error("unsupported venue code version {0}")]
    UnsupportedVersion(u8),
    /// Signed by a key this device does not trust (yet: sync may bring it).
    #[error("venue code signed by unknown key {0:?}")]
    UnknownKey(KeyId),
    /// The signature does not match: the poster was altered or forged.
    #[error("venue code signature is not valid")]
    BadSignature,
    /// The signing key is outside its validity period or was retired before
    /// the poster was issued.
    #[error("venue code has expired")]
    Expired,
    /// This single poster was withdrawn (lost, copied online).
    #[error("this venue poster has been revoked")]
    Revoked,
    /// A gate's rotating code from outside the clock-drift tolerance: a
    /// photo of an earlier code, or a phone whose clock is far off.
    #[error("this gate code is not current")]
    NotCurrent,
    /// Creating a code: the short name does not fit (issuer side only).
    #[error("short name is {0} bytes, at most 32 fit")]
    NameTooLong(usize),
    /// Creating a code: a field is outside what the format can carry.
    #[error("field out of range: {0}")]
    OutOfRange(&'static str),
}

impl VenueCodeError {
    pub fn message_key(&self) -> &'static str {
        match self {
            VenueCodeError::Malformed(_) => "scan.venue.malformed",
            VenueCodeError::NotCurrent => "scan.venue.notCurrent",
            VenueCodeError::UnsupportedVersion(_) => "scan.venue.unsupportedVersion",
            VenueCodeError::UnknownKey(_) => "scan.venue.unknownKey",
            VenueCodeError::BadSignature => "scan.venue.badSignature",
            VenueCodeError::Expired => "scan.venue.expired",
            VenueCodeError::Revoked => "scan.venue.revoked",
            VenueCodeError::NameTooLong(_) => "venue.nameTooLong",
            VenueCodeError::OutOfRange(_) => "venue.outOfRange",
        }
    }
}
