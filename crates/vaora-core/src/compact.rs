//! Byte-level helpers shared by the compact QR formats (venue code, personal
//! pass): minimal LEB128 integers, day counts, short UTF-8 strings. Every
//! reader is bounds-checked and returns an error instead of panicking.

use time::{Date, Duration, Month};

/// Day 0 of every day-count field.
pub(crate) const EPOCH: Date = match Date::from_calendar_date(2020, Month::January, 1) {
    Ok(d) => d,
    Err(_) => panic!("valid constant date"),
};

/// Days since 2020-01-01, if the date fits in a u16 (2020 to 2199).
pub(crate) fn days_since_epoch(date: Date) -> Option<u16> {
    u16::try_from((date - EPOCH).whole_days()).ok()
}

pub(crate) fn date_from_days(days: u16) -> Date {
    // 2020-01-01 + 65535 days is in 2199, far inside `Date`'s range.
    EPOCH + Duration::days(i64::from(days))
}

#[cfg(any(test, feature = "issuer"))]
pub(crate) fn put_leb128(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Appends a length byte and the text. The caller has checked the length.
pub(crate) fn put_short_text(out: &mut Vec<u8>, text: &str) {
    out.push(text.len() as u8);
    out.extend_from_slice(text.as_bytes());
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReadError {
    /// The first byte names a format version this build does not know.
    Version(u8),
    Malformed(&'static str),
}

pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, pos: 0 }
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], ReadError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len())
            .ok_or(ReadError::Malformed("truncated"))?;
        let slice = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(slice)
    }

    pub(crate) fn u8(&mut self) -> Result<u8, ReadError> {
        Ok(self.take(1)?[0])
    }

    pub(crate) fn u16_be(&mut self) -> Result<u16, ReadError> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    /// Unsigned LEB128, at most 10 bytes, rejecting non-minimal encodings so
    /// that one value has exactly one byte form (and one signature).
    pub(crate) fn leb128(&mut self) -> Result<u64, ReadError> {
        let mut value: u64 = 0;
        for i in 0..10 {
            let byte = self.u8()?;
            let bits = u64::from(byte & 0x7f);
            if i == 9 && bits > 1 {
                return Err(ReadError::Malformed("integer overflow"));
            }
            value |= bits << (7 * i);
            if byte & 0x80 == 0 {
                if i > 0 && byte == 0 {
                    return Err(ReadError::Malformed("non-minimal integer"));
                }
                return Ok(value);
            }
        }
        Err(ReadError::Malformed("integer too long"))
    }

    /// A length byte (at most `max`) and that many bytes of UTF-8.
    pub(crate) fn short_text(&mut self, max: usize) -> Result<&'a str, ReadError> {
        let len = usize::from(self.u8()?);
        if len > max {
            return Err(ReadError::Malformed("text too long"));
        }
        std::str::from_utf8(self.take(len)?).map_err(|_| ReadError::Malformed("text is not UTF-8"))
    }

    /// Everything not read yet.
    pub(crate) fn rest(&mut self) -> &'a [u8] {
        let rest = &self.bytes[self.pos..];
        self.pos = self.bytes.len();
        rest
    }

    pub(crate) fn finish(&self) -> Result<(), ReadError> {
        if self.pos == self.bytes.len() {
            Ok(())
        } else {
            Err(ReadError::Malformed("trailing bytes"))
        }
    }
}
