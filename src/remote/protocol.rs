//! The messages the candidate's app and the interviewer's app exchange, and
//! how they are framed on the wire.
//!
//! A frame is a 4-byte big-endian length, then a 2-byte protocol version,
//! then the message in postcard. The length is checked against
//! [`MAX_FRAME_BYTES`] before anything is allocated, and the version before
//! the message is decoded, so a peer on a newer version gets a clear refusal
//! instead of a decode error.
//!
//! Sessions and diagrams travel as their RON file text and are read back
//! through the same checks as a file opened from disk: a hostile peer gets
//! no further than a hostile file would.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::mock::{Competency, MockConfig, Note};

/// The QUIC application protocol, with its version.
pub const ALPN: &[u8] = b"mlsd-studio/mock-interview/1";
/// The version written in every frame; a peer with another one is refused.
pub const PROTOCOL_VERSION: u16 = 1;
/// The largest frame either side accepts: a session file's own limit is
/// larger, but a session without its replay history fits easily.
pub const MAX_FRAME_BYTES: usize = 16 * 1024 * 1024;
/// The longest display name a peer may give.
pub const MAX_NAME_CHARS: usize = 64;
/// Bytes before the message: its length and the protocol version.
pub const HEADER_BYTES: usize = 6;

/// What went wrong reading a frame.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProtocolError {
    #[error("the peer sent a frame of {0} bytes; the limit is {MAX_FRAME_BYTES}")]
    TooLarge(usize),
    #[error("the peer sent a frame too short to hold a message")]
    Truncated,
    #[error(
        "the peer speaks protocol version {found}; this app speaks version {PROTOCOL_VERSION}. Both need the same version of mlsd-studio"
    )]
    Version { found: u16 },
    #[error("the peer sent a message this app cannot read: {0}")]
    Malformed(String),
}

/// Where the interviewer left off, so a reconnect sends only what is new.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resume {
    /// The candidate's sharing run the interviewer last heard from.
    pub epoch: u64,
    /// The last change applied.
    pub seq: u64,
}

/// The interviewer's messages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToHost {
    /// The first message: the invitation's secret and who is joining.
    Hello {
        secret: [u8; 16],
        name: String,
        resume: Option<Resume>,
    },
    /// A numbered request; the candidate applies each number once.
    Control { seq: u64, control: Control },
    /// The interviewer is leaving on purpose.
    Bye,
}

/// What the interviewer can ask of the candidate's app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Control {
    NextStep,
    Pause,
    Resume,
    End,
    /// The interviewer's scores and the notes they chose to share.
    SendScores(InterviewerScores),
}

impl Control {
    /// The words the candidate's status bar shows.
    pub fn describe(&self) -> &'static str {
        match self {
            Control::NextStep => "moved to the next step",
            Control::Pause => "paused the clock",
            Control::Resume => "resumed the clock",
            Control::End => "ended the interview",
            Control::SendScores(_) => "sent their scores",
        }
    }
}

impl Control {
    /// The request in words, after "asked to".
    pub fn request(&self) -> &'static str {
        match self {
            Control::NextStep => "move to the next step",
            Control::Pause => "pause the clock",
            Control::Resume => "resume the clock",
            Control::End => "end the interview",
            Control::SendScores(_) => "take the scores",
        }
    }
}

/// What the interviewer sends back at the end.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InterviewerScores {
    /// Scores by criterion id, 1 to 4.
    pub scores: BTreeMap<String, u8>,
    /// Overall signal per competency, 1 to 4.
    pub signals: BTreeMap<Competency, u8>,
    /// The notes the interviewer chose to share.
    pub notes: Vec<Note>,
}

/// The candidate's messages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToGuest {
    /// The invitation was accepted. `controls_applied` is the last control
    /// number the candidate applied, so the interviewer resends only later
    /// ones.
    Welcome {
        epoch: u64,
        candidate: String,
        controls_applied: u64,
    },
    /// The invitation was refused; the connection closes after this.
    Refused { reason: String },
    /// The whole session (without its replay history) as of change `seq`.
    Snapshot { seq: u64, session: String },
    /// One change after the previous one.
    Change { seq: u64, change: Change },
    /// The candidate's clock, which is the mock's one clock.
    Clock(ClockState),
    /// Controls up to this number are applied.
    Applied { through: u64 },
    /// The candidate ended the sharing.
    Bye { reason: String },
}

/// A change to the shared session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Change {
    Answer {
        step: u8,
        text: String,
    },
    /// A diagram as RON text, added or replaced whole.
    Diagram {
        name: String,
        diagram: String,
    },
    RemoveDiagram {
        name: String,
    },
    CurrentStep(u8),
}

/// The mock's clock as the candidate's app keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClockState {
    pub config: MockConfig,
    pub started: bool,
    pub paused: bool,
    pub finished: bool,
    pub clock_step: u8,
    pub step_elapsed_secs: [f64; 7],
    pub total_elapsed_secs: f64,
}

/// `message` as one frame.
pub fn encode<T: Serialize>(message: &T) -> Result<Vec<u8>, ProtocolError> {
    let body = postcard::to_stdvec(message).map_err(|e| ProtocolError::Malformed(e.to_string()))?;
    let len = body.len() + 2;
    if len > MAX_FRAME_BYTES {
        return Err(ProtocolError::TooLarge(len));
    }
    let mut frame = Vec::with_capacity(4 + len);
    frame.extend_from_slice(&(len as u32).to_be_bytes());
    frame.extend_from_slice(&PROTOCOL_VERSION.to_be_bytes());
    frame.extend_from_slice(&body);
    Ok(frame)
}

/// The length a frame's 4-byte header announces (version and message),
/// refused above the limit before anything is read.
pub fn frame_len(header: [u8; 4]) -> Result<usize, ProtocolError> {
    let len = u32::from_be_bytes(header) as usize;
    if len > MAX_FRAME_BYTES {
        return Err(ProtocolError::TooLarge(len));
    }
    if len < 2 {
        return Err(ProtocolError::Truncated);
    }
    Ok(len)
}

/// Reads the version and message after a frame's length.
pub fn decode_body<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, ProtocolError> {
    let [a, b, rest @ ..] = body else {
        return Err(ProtocolError::Truncated);
    };
    let version = u16::from_be_bytes([*a, *b]);
    if version != PROTOCOL_VERSION {
        return Err(ProtocolError::Version { found: version });
    }
    let (message, left) =
        postcard::take_from_bytes(rest).map_err(|e| ProtocolError::Malformed(e.to_string()))?;
    if !left.is_empty() {
        return Err(ProtocolError::Malformed(format!(
            "{} bytes follow the message",
            left.len()
        )));
    }
    Ok(message)
}

/// Reads one whole frame from `bytes`, which must hold exactly one.
pub fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, ProtocolError> {
    let Some((header, body)) = bytes.split_first_chunk::<4>() else {
        return Err(ProtocolError::Truncated);
    };
    let len = frame_len(*header)?;
    if body.len() != len {
        return Err(ProtocolError::Truncated);
    }
    decode_body(body)
}

/// A display name cut to the limit, with control characters removed.
pub fn clean_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME_CHARS)
        .collect();
    let trimmed = cleaned.trim();
    if trimmed.is_empty() {
        "someone".to_owned()
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hello() -> ToHost {
        ToHost::Hello {
            secret: [7; 16],
            name: "Ada".into(),
            resume: Some(Resume { epoch: 3, seq: 9 }),
        }
    }

    #[test]
    fn a_frame_reads_back_as_the_message_sent() {
        let frame = encode(&hello()).expect("encodes");
        assert_eq!(decode::<ToHost>(&frame), Ok(hello()));
        let change = ToGuest::Change {
            seq: 4,
            change: Change::Answer {
                step: 2,
                text: "Ranking with a two-tower model".into(),
            },
        };
        assert_eq!(
            decode::<ToGuest>(&encode(&change).expect("encodes")),
            Ok(change)
        );
    }

    #[test]
    fn a_newer_version_is_named_not_misread() {
        let mut frame = encode(&hello()).expect("encodes");
        frame[4..6].copy_from_slice(&(PROTOCOL_VERSION + 1).to_be_bytes());
        let err = decode::<ToHost>(&frame).expect_err("refused");
        assert_eq!(err, ProtocolError::Version { found: 2 });
        assert!(err.to_string().contains("version 2"), "{err}");
    }

    #[test]
    fn an_oversized_length_is_refused_before_reading() {
        let header = ((MAX_FRAME_BYTES + 1) as u32).to_be_bytes();
        assert_eq!(
            frame_len(header),
            Err(ProtocolError::TooLarge(MAX_FRAME_BYTES + 1))
        );
        assert_eq!(frame_len([0, 0, 0, 1]), Err(ProtocolError::Truncated));
    }

    #[test]
    fn trailing_bytes_and_truncation_are_refused() {
        let mut frame = encode(&hello()).expect("encodes");
        frame.push(0);
        let len = (frame.len() - 4) as u32;
        frame[..4].copy_from_slice(&len.to_be_bytes());
        assert!(matches!(
            decode::<ToHost>(&frame),
            Err(ProtocolError::Malformed(_))
        ));
        let frame = encode(&hello()).expect("encodes");
        assert_eq!(
            decode::<ToHost>(&frame[..frame.len() - 1]),
            Err(ProtocolError::Truncated)
        );
    }

    #[test]
    fn names_are_cleaned() {
        assert_eq!(clean_name("  Grace\u{7}  "), "Grace");
        assert_eq!(clean_name("\n"), "someone");
        assert_eq!(clean_name(&"x".repeat(500)).chars().count(), MAX_NAME_CHARS);
    }

    proptest::proptest! {
        /// Whatever a peer sends, decoding answers without panicking.
        #[test]
        fn any_bytes_decode_or_fail_cleanly(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            decode::<ToHost>(&bytes).ok();
            decode::<ToGuest>(&bytes).ok();
        }

        /// Corrupting one byte of a real frame never panics either.
        #[test]
        fn corrupted_frames_fail_cleanly(at in 0usize..64, value in proptest::num::u8::ANY) {
            let mut frame = encode(&hello()).expect("encodes");
            let i = at % frame.len();
            frame[i] = value;
            decode::<ToHost>(&frame).ok();
        }
    }
}
