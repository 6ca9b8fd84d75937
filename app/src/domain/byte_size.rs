//! Sizes of files written for people, in binary units, the same in the browser and in the
//! server's messages.

use std::fmt;

/// Formats a size in bytes for people: `512 bytes`, `64 KiB`, `5 MiB`, `1.5 GiB`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteSize(pub u64);

impl fmt::Display for ByteSize {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];

        for (unit, size) in UNITS {
            if self.0 >= size {
                let value = self.0 as f64 / size as f64;
                return if self.0.is_multiple_of(size) {
                    write!(formatter, "{value} {unit}")
                } else {
                    write!(formatter, "{value:.1} {unit}")
                };
            }
        }
        write!(formatter, "{} bytes", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::ByteSize;

    #[test]
    fn byte_sizes_read_in_binary_units() {
        assert_eq!(ByteSize(512).to_string(), "512 bytes");
        assert_eq!(ByteSize(64 << 10).to_string(), "64 KiB");
        assert_eq!(ByteSize(5 << 20).to_string(), "5 MiB");
        assert_eq!(ByteSize(3 << 29).to_string(), "1.5 GiB");
    }
}
