//! Numbers and durations as the user reads them.

/// Formats seconds as `m:ss` (or `h:mm:ss` past an hour); negative and
/// unknown times as `0:00`.
pub fn format_duration(seconds: f64) -> String {
    // `max` also turns NaN into 0.
    format_clock(seconds.max(0.0))
}

/// Formats seconds as `m:ss` or `h:mm:ss`, with a sign when negative; an
/// absurd time from a hand-edited file as `1.00e308 s`.
pub fn format_clock(secs: f64) -> String {
    if secs.is_finite() && secs.abs() >= SCIENTIFIC_FROM {
        return format!("{} s", number(secs, 0));
    }
    let sign = if secs < 0.0 { "-" } else { "" };
    let whole = if secs.is_finite() {
        secs.abs().floor() as u64
    } else {
        0
    };
    let (h, m, s) = (whole / 3600, whole / 60 % 60, whole % 60);
    if h > 0 {
        format!("{sign}{h}:{m:02}:{s:02}")
    } else {
        format!("{sign}{m}:{s:02}")
    }
}

/// Numbers from this size on are shown in scientific notation: as digits,
/// 1e308 would be 309 of them.
const SCIENTIFIC_FROM: f64 = 1e15;

/// `value` with `decimals` places, or as `1.00e308` once it is too large to
/// read as digits.
pub fn number(value: f64, decimals: usize) -> String {
    if value.is_finite() && value.abs() >= SCIENTIFIC_FROM {
        format!("{value:.2e}")
    } else {
        format!("{value:.decimals$}")
    }
}

/// A count with thousands separators: `116000.0` → `116,000`. Fractions
/// are kept to one decimal below 10.
pub fn thousands(value: f64) -> String {
    if !value.is_finite() || value.abs() >= SCIENTIFIC_FROM {
        return number(value, 0);
    }
    if value.abs() < 10.0 && value.fract() != 0.0 {
        return format!("{value:.1}");
    }
    let rounded = value.round() as i64;
    let digits = rounded.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if rounded < 0 {
        out.insert(0, '-');
    }
    out
}

/// The first `max` characters of `text` (all of it when shorter).
pub fn first_chars(text: &str, max: usize) -> &str {
    text.char_indices()
        .nth(max)
        .map_or(text, |(i, _)| &text[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_format_as_clock_times() {
        assert_eq!(format_duration(0.0), "0:00");
        assert_eq!(format_duration(65.9), "1:05");
        assert_eq!(format_duration(3725.0), "1:02:05");
        assert_eq!(format_duration(f64::NAN), "0:00");
        assert_eq!(format_duration(1e308), "1.00e308 s");
        assert_eq!(format_duration(-5.0), "0:00");
        assert_eq!(format_clock(-65.0), "-1:05");
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(116000.0), "116,000");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(thousands(1234567.4), "1,234,567");
        assert_eq!(thousands(-4500.0), "-4,500");
        assert_eq!(thousands(2.5), "2.5");
        assert_eq!(thousands(0.0), "0");
        assert_eq!(thousands(1e308), "1.00e308");
    }

    #[test]
    fn huge_numbers_are_short() {
        assert_eq!(number(1e308, 1), "1.00e308");
        assert_eq!(number(-2.5e20, 2), "-2.50e20");
        assert_eq!(number(1234.567, 1), "1234.6");
        assert_eq!(number(f64::INFINITY, 1), "inf");
    }
}
