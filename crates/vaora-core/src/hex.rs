//! Fixed-size keys and signatures as hex text: in key rings, risky-venue
//! entries, the gate's stored key, and requests to the server.

use data_encoding::HEXLOWER_PERMISSIVE;

pub fn encode(bytes: &[u8]) -> String {
    HEXLOWER_PERMISSIVE.encode(bytes)
}

/// Exactly `N` bytes of hex (either case), or `None`.
pub fn decode_array<const N: usize>(text: &str) -> Option<[u8; N]> {
    HEXLOWER_PERMISSIVE
        .decode(text.trim().as_bytes())
        .ok()?
        .try_into()
        .ok()
}

/// `#[serde(with = "crate::hex::array")]` for `[u8; N]` fields.
pub mod array {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer, const N: usize>(
        bytes: &[u8; N],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>, const N: usize>(
        d: D,
    ) -> Result<[u8; N], D::Error> {
        let text = String::deserialize(d)?;
        super::decode_array(&text)
            .ok_or_else(|| D::Error::custom(format!("expected {N} bytes of hex")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_round_trip_and_wrong_lengths_are_refused() {
        let key = [0xab_u8; 32];
        assert_eq!(decode_array::<32>(&encode(&key)), Some(key));
        assert_eq!(decode_array::<32>(&encode(&key).to_uppercase()), Some(key));
        assert_eq!(decode_array::<64>(&encode(&key)), None);
        assert_eq!(decode_array::<32>("zz"), None);
    }
}
