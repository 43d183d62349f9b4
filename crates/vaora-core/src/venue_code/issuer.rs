//! The signing side. Only the server (and tests) compile this: the app has
//! no private key and no way to make a code.

use ed25519_dalek::{Signer, SigningKey};

use super::SIGNING_CONTEXT;
use super::content::VenueCodeContent;
use super::error::VenueCodeError;
use super::gate_code::{CERTIFICATE_CONTEXT, GateCertificate};
use super::keyring::{IssuerKey, KeyId, KeyRing};
use super::text::SignedVenueCode;

pub struct VenueIssuer {
    key_id: KeyId,
    signing: SigningKey,
}

impl VenueIssuer {
    /// `seed` is the 32-byte Ed25519 private key; keep it out of logs.
    pub fn from_seed(key_id: KeyId, seed: &[u8; 32]) -> VenueIssuer {
        VenueIssuer {
            key_id,
            signing: SigningKey::from_bytes(seed),
        }
    }

    pub fn key_id(&self) -> KeyId {
        self.key_id
    }

    /// Certifies a gate device's key for the entrance in `content`: the
    /// gate can then show rotating codes for it (`gate_code`).
    pub fn certify_gate(
        &self,
        content: VenueCodeContent,
        gate_key: [u8; 32],
    ) -> Result<GateCertificate, VenueCodeError> {
        let content = VenueCodeContent {
            key_id: self.key_id,
            ..content
        }
        .normalized()?;
        let bytes = content.to_bytes()?;
        let signed = GateCertificate::signed_bytes(&bytes, &gate_key);
        let mut message = Vec::with_capacity(CERTIFICATE_CONTEXT.len() + signed.len());
        message.extend_from_slice(CERTIFICATE_CONTEXT);
        message.extend_from_slice(&signed);
        let signature = self.signing.sign(&message).to_bytes();
        Ok(GateCertificate::new(content, bytes, gate_key, signature))
    }

    /// Signs `context` ‖ `bytes` with this issuer's key, for other signed
    /// formats in the crate (risky venues) that keep their own context so
    /// their signatures can never pass for a venue code's.
    pub(crate) fn sign_with_context(&self, context: &[u8], bytes: &[u8]) -> [u8; 64] {
        let mut message = Vec::with_capacity(context.len() + bytes.len());
        message.extend_from_slice(context);
        message.extend_from_slice(bytes);
        self.signing.sign(&message).to_bytes()
    }

    pub fn public_key(&self) -> [u8; 32] {
        self.signing.verifying_key().to_bytes()
    }

    /// This issuer's public key, trusted from `not_before` to `not_after`.
    pub fn trusted_key(&self, not_before: time::Date, not_after: time::Date) -> IssuerKey {
        IssuerKey {
            id: self.key_id,
            public_key: self.public_key(),
            not_before,
            not_after,
            retired_on: None,
        }
    }

    /// A key ring that trusts only this issuer (tests, demos, first set-up).
    pub fn key_ring(&self, not_before: time::Date, not_after: time::Date) -> KeyRing {
        KeyRing {
            keys: vec![self.trusted_key(not_before, not_after)],
            ..KeyRing::default()
        }
    }

    /// Signs `content` (its key id is set to this issuer's).
    pub fn issue(&self, content: VenueCodeContent) -> Result<SignedVenueCode, VenueCodeError> {
        let content = VenueCodeContent {
            key_id: self.key_id,
            ..content
        }
        .normalized()?;
        let bytes = content.to_bytes()?;
        let mut message = Vec::with_capacity(SIGNING_CONTEXT.len() + bytes.len());
        message.extend_from_slice(SIGNING_CONTEXT);
        message.extend_from_slice(&bytes);
        let signature = self.signing.sign(&message).to_bytes();
        Ok(SignedVenueCode {
            content,
            bytes,
            signature,
        })
    }
}

impl std::fmt::Debug for VenueIssuer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VenueIssuer")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}
