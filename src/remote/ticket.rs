//! The invitation: a text the candidate passes to the interviewer that
//! carries how to reach the candidate's app and a one-time secret.
//!
//! It is `mlsd1` followed by the base32 (lowercase, no padding) of the
//! postcard-encoded address and secret: letters and digits only, so it
//! survives chat apps, e-mail and QR codes.

use data_encoding::BASE32_NOPAD;
use iroh::EndpointAddr;
use qrcode::{EcLevel, QrCode};
use serde::{Deserialize, Serialize};

const PREFIX: &str = "mlsd1";
/// Longer texts are refused before decoding: a real ticket is well under 1 KB.
const MAX_TICKET_CHARS: usize = 4096;

/// Where to reach the candidate's app and the secret that lets one
/// interviewer in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    pub addr: EndpointAddr,
    pub secret: [u8; 16],
}

/// Why a pasted invitation could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TicketError {
    #[error("an invitation starts with \"{PREFIX}\"; this text does not")]
    Prefix,
    #[error("the invitation is longer than any real one ({0} characters)")]
    TooLong(usize),
    #[error("the invitation is damaged (character {0} is not part of one); copy it again")]
    BadCharacter(usize),
    #[error("the invitation is damaged or cut short; copy it again")]
    Damaged,
}

impl Ticket {
    /// The invitation as text.
    pub fn to_text(&self) -> String {
        // A ticket is plain data; serialising it cannot fail.
        let bytes = postcard::to_stdvec(self).unwrap_or_default();
        format!("{PREFIX}{}", BASE32_NOPAD.encode(&bytes).to_lowercase())
    }

    /// Reads an invitation, ignoring spaces and line breaks a chat app added.
    pub fn parse(text: &str) -> Result<Ticket, TicketError> {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.len() > MAX_TICKET_CHARS {
            return Err(TicketError::TooLong(compact.chars().count()));
        }
        let lower = compact.to_lowercase();
        let body = lower.strip_prefix(PREFIX).ok_or(TicketError::Prefix)?;
        if let Some(i) = body.find(|c: char| !c.is_ascii_alphanumeric()) {
            return Err(TicketError::BadCharacter(PREFIX.len() + i + 1));
        }
        let bytes = BASE32_NOPAD
            .decode(body.to_uppercase().as_bytes())
            .map_err(|_| TicketError::Damaged)?;
        let (ticket, rest) =
            postcard::take_from_bytes::<Ticket>(&bytes).map_err(|_| TicketError::Damaged)?;
        if !rest.is_empty() {
            return Err(TicketError::Damaged);
        }
        Ok(ticket)
    }
}

/// The invitation as a QR code: rows of dark (true) and light modules,
/// without the quiet zone. `None` only for a text too long for any code.
pub fn qr_modules(text: &str) -> Option<Vec<Vec<bool>>> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::L).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    Some(
        colors
            .chunks(width)
            .map(|row| row.iter().map(|c| *c == qrcode::Color::Dark).collect())
            .collect(),
    )
}

/// The QR code drawn with half-block characters, two rows per line, with a
/// quiet zone: a terminal shows it scannable.
pub fn qr_text(text: &str) -> Option<String> {
    let modules = qr_modules(text)?;
    let width = modules.first().map_or(0, Vec::len);
    let quiet = 2;
    let dark = |row: isize, col: isize| -> bool {
        row >= 0
            && col >= 0
            && modules
                .get(row as usize)
                .and_then(|r| r.get(col as usize))
                .copied()
                .unwrap_or(false)
    };
    let mut out = String::new();
    let span = width as isize + quiet;
    let mut row = -quiet;
    while row < span {
        for col in -quiet..span {
            out.push(match (dark(row, col), dark(row + 1, col)) {
                (true, true) => ' ',
                (true, false) => '▄',
                (false, true) => '▀',
                (false, false) => '█',
            });
        }
        out.push('\n');
        row += 2;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use iroh::{SecretKey, TransportAddr};

    fn ticket() -> Ticket {
        let id = SecretKey::from_bytes(&[5; 32]).public();
        let addr = EndpointAddr::from_parts(
            id,
            [TransportAddr::Ip(
                "192.168.1.20:50123".parse().expect("an address"),
            )],
        );
        Ticket {
            addr,
            secret: [9; 16],
        }
    }

    #[test]
    fn a_ticket_survives_text_with_spaces_and_case() {
        let text = ticket().to_text();
        assert!(text.starts_with("mlsd1"));
        assert!(text.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_eq!(Ticket::parse(&text), Ok(ticket()));
        let mangled = format!("  {}\n{} ", &text[..20].to_uppercase(), &text[20..]);
        assert_eq!(Ticket::parse(&mangled), Ok(ticket()));
    }

    #[test]
    fn broken_tickets_say_what_is_wrong() {
        let text = ticket().to_text();
        assert_eq!(Ticket::parse("hello"), Err(TicketError::Prefix));
        assert_eq!(
            Ticket::parse(&format!("{}-x", &text[..10])),
            Err(TicketError::BadCharacter(11))
        );
        assert_eq!(
            Ticket::parse(&text[..text.len() - 8]),
            Err(TicketError::Damaged)
        );
        let long = format!("mlsd1{}", "a".repeat(5000));
        assert!(matches!(Ticket::parse(&long), Err(TicketError::TooLong(_))));
    }

    #[test]
    fn the_qr_code_reads_back_as_the_invitation() {
        let text = ticket().to_text();
        let modules = qr_modules(&text).expect("fits a code");
        assert!(modules.len() >= 21);
        assert!(modules.iter().all(|row| row.len() == modules.len()));
        // Finder patterns: the top-left corner module is dark.
        assert!(modules[0][0]);
        // A QR reader gets the invitation back from the modules.
        let scale = 4;
        let side = (modules.len() + 8) * scale;
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
            let (r, c) = ((y / scale) as isize - 4, (x / scale) as isize - 4);
            let dark = r >= 0
                && c >= 0
                && modules
                    .get(r as usize)
                    .and_then(|row| row.get(c as usize))
                    .copied()
                    .unwrap_or(false);
            if dark { 0 } else { 255 }
        });
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1);
        let (_, content) = grids[0].decode().expect("the code reads");
        assert_eq!(content, text);
        let drawn = qr_text(&text).expect("drawn");
        assert_eq!(drawn.lines().count(), (modules.len() + 4).div_ceil(2));
    }
}
