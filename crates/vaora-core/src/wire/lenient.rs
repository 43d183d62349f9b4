//! Integers as JSON senders write them: `79` and also `79.0` (JSON has one
//! number type; some clients and generators write whole numbers with a
//! fraction part). Anything not a whole number in range is refused.

use serde::{Deserialize, Deserializer, de::Error};

fn whole<'de, D: Deserializer<'de>>(n: serde_json::Number) -> Result<i128, D::Error> {
    if let Some(i) = n.as_i64() {
        return Ok(i128::from(i));
    }
    if let Some(u) = n.as_u64() {
        return Ok(i128::from(u));
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 9.0e18 => Ok(f as i128),
        _ => Err(D::Error::custom("expected a whole number")),
    }
}

/// `#[serde(deserialize_with = "lenient::integer")]`
pub fn integer<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i128>,
{
    let n = serde_json::Number::deserialize(d)?;
    T::try_from(whole::<D>(n)?).map_err(|_| D::Error::custom("number out of range"))
}

/// The same for an optional field (`null` or absent is `None`; pair with
/// `#[serde(default)]`).
pub fn optional_integer<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i128>,
{
    match Option::<serde_json::Number>::deserialize(d)? {
        None => Ok(None),
        Some(n) => T::try_from(whole::<D>(n)?)
            .map(Some)
            .map_err(|_| D::Error::custom("number out of range")),
    }
}

/// An id no record has: what [`optional_id`] reads text that is not a
/// UUID as, so the item's own check refuses it.
pub const UNREADABLE_ID: uuid::Uuid = uuid::Uuid::max();

/// An optional reference to another record's id. Text that is not a UUID
/// (`""`) reads as [`UNREADABLE_ID`]: the one item is refused with a reason
/// instead of the whole batch failing to parse.
pub fn optional_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<uuid::Uuid>, D::Error> {
    Ok(Option::<String>::deserialize(d)?
        .map(|text| uuid::Uuid::parse_str(&text).unwrap_or(UNREADABLE_ID)))
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct T {
        #[serde(deserialize_with = "super::integer")]
        a: u16,
        #[serde(default, deserialize_with = "super::optional_integer")]
        b: Option<i64>,
    }

    #[test]
    fn whole_numbers_in_any_spelling_and_nothing_else() {
        let t: T = serde_json::from_str(r#"{"a": 79.0, "b": 1795593600000}"#).unwrap();
        assert_eq!(
            t,
            T {
                a: 79,
                b: Some(1_795_593_600_000)
            }
        );
        let t: T = serde_json::from_str(r#"{"a": 1}"#).unwrap();
        assert_eq!(t.b, None);
        assert!(serde_json::from_str::<T>(r#"{"a": 1.5}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"a": 70000}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"a": -1}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"a": "1"}"#).is_err());
    }
}
