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

/// `value` to three significant figures, without trailing zeros: 115.74 →
/// `116`, 57.87 → `57.9`, 5.0 → `5`.
fn significant(value: f64) -> String {
    let magnitude = value.abs();
    // Digits after the point that leave three significant ones (none past
    // the hundreds; at most twelve for tiny values).
    let decimals = if magnitude == 0.0 || magnitude >= 100.0 {
        0
    } else {
        (2.0 - magnitude.log10().floor()).clamp(0.0, 12.0) as usize
    };
    let text = format!("{value:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

/// `value` scaled by the largest step it reaches, as three significant
/// figures and that step's suffix; `steps` run from the largest down.
fn scaled(value: f64, steps: &[(f64, &str)], base: &str) -> String {
    if !value.is_finite() || value.abs() >= SCIENTIFIC_FROM * 1e3 {
        return format!("{}{base}", number(value, 0));
    }
    for (size, suffix) in steps {
        if value.abs() >= *size * 0.9995 {
            return format!("{}{suffix}", significant(value / size));
        }
    }
    format!("{}{base}", significant(value))
}

/// A count as a whiteboard writes it: `116K`, `5B`, `1.5M`, `417`.
pub fn si(value: f64) -> String {
    scaled(
        value,
        &[(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")],
        "",
    )
}

/// Bytes in decimal units: `384 GB`, `1.02 TB`, `500 B`.
pub fn bytes(value: f64) -> String {
    scaled(
        value,
        &[
            (1e15, " PB"),
            (1e12, " TB"),
            (1e9, " GB"),
            (1e6, " MB"),
            (1e3, " KB"),
        ],
        " B",
    )
}

/// Floating-point operations: `255 TFLOP`, `11 MFLOP`.
pub fn flop(value: f64) -> String {
    scaled(
        value,
        &[
            (1e18, " EFLOP"),
            (1e15, " PFLOP"),
            (1e12, " TFLOP"),
            (1e9, " GFLOP"),
            (1e6, " MFLOP"),
            (1e3, " KFLOP"),
        ],
        " FLOP",
    )
}

/// US dollars: `$25K`, `$0.805`.
pub fn usd(value: f64) -> String {
    let sign = if value < 0.0 { "-" } else { "" };
    format!("{sign}${}", si(value.abs()))
}

/// Milliseconds: `12.5 ms`.
pub fn ms(value: f64) -> String {
    format!("{} ms", significant(value))
}

/// Reads a number as a whiteboard writes it: `200M`, `1.5B`, `86,400`,
/// `2e9`, `0.3`. `None` when it is not one.
pub fn parse_si(text: &str) -> Option<f64> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '_')
        .collect();
    let (digits, scale) = match cleaned.chars().last()? {
        'k' | 'K' => (&cleaned[..cleaned.len() - 1], 1e3),
        'm' | 'M' => (&cleaned[..cleaned.len() - 1], 1e6),
        'b' | 'B' | 'g' | 'G' => (&cleaned[..cleaned.len() - 1], 1e9),
        't' | 'T' => (&cleaned[..cleaned.len() - 1], 1e12),
        _ => (cleaned.as_str(), 1.0),
    };
    digits.trim().parse::<f64>().ok().map(|v| v * scale)
}

/// The first `max` characters of `text` (all of it when shorter).
pub fn first_chars(text: &str, max: usize) -> &str {
    text.char_indices()
        .nth(max)
        .map_or(text, |(i, _)| &text[..i])
}

/// `text` with its first letter in upper case.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
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
    #[test]
    fn whiteboard_numbers_carry_their_unit() {
        assert_eq!(si(115_740.7), "116K");
        assert_eq!(si(57_870.4), "57.9K");
        assert_eq!(si(5e9), "5B");
        assert_eq!(si(200e6), "200M");
        assert_eq!(si(416.7), "417");
        assert_eq!(si(2.5), "2.5");
        assert_eq!(si(999_900.0), "1M");
        assert_eq!(si(0.011), "0.011");
        assert_eq!(si(0.0), "0");
        assert_eq!(si(57.87), "57.9");
        assert_eq!(bytes(1.024e12), "1.02 TB");
        assert_eq!(bytes(384e9), "384 GB");
        assert_eq!(bytes(500.0), "500 B");
        assert_eq!(flop(2.55e14), "255 TFLOP");
        assert_eq!(flop(11e6), "11 MFLOP");
        assert_eq!(usd(25_018.0), "$25K");
        assert_eq!(usd(0.805), "$0.805");
        assert_eq!(ms(12.5), "12.5 ms");
        assert_eq!(si(f64::NAN), "NaN");
        assert_eq!(bytes(1e300), "1.00e300 B");
    }
    #[test]
    fn whiteboard_numbers_read_back() {
        assert_eq!(parse_si("200M"), Some(200e6));
        assert_eq!(parse_si(" 1.5b "), Some(1.5e9));
        assert_eq!(parse_si("86,400"), Some(86_400.0));
        assert_eq!(parse_si("2e9"), Some(2e9));
        assert_eq!(parse_si("-5"), Some(-5.0));
        assert_eq!(parse_si(&si(115_740.7)), Some(116e3));
        assert_eq!(parse_si("abc"), None);
        assert_eq!(parse_si(""), None);
        assert_eq!(parse_si("M"), None);
    }
}
