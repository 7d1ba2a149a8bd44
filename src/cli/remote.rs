//! `host` and `join`: the remote mock interview without a window, for
//! scripts and checks.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use crate::remote::{Guest, GuestEvent, Host, HostEvent, LinkOptions, Ticket, qr_text};
use crate::session::{Session, load_session, save_session};

/// How often the shared file is looked at for changes.
const FILE_POLL: Duration = Duration::from_millis(200);

/// How long `host` waits for a relay before printing a direct-only ticket.
const RELAY_WAIT: Duration = Duration::from_secs(5);

/// Why `host` or `join` stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum RemoteCliError {
    #[error(transparent)]
    Session(#[from] crate::session::SessionFileError),
    #[error(transparent)]
    Link(#[from] crate::remote::LinkError),
    #[error("the invitation cannot be read: {0}")]
    Ticket(#[from] crate::remote::TicketError),
    #[error("{0}")]
    Refused(String),
    #[error("no session came from the candidate's app within {0} seconds")]
    Timeout(u64),
}

/// Shares `file` read-only until the process is interrupted. The ticket is
/// the first line on `out`; what happens goes to `log`. When the file
/// changes on disk, the new version is shared.
pub fn host(
    file: &Path,
    name: &str,
    options: &LinkOptions,
    out: &mut impl Write,
    log: &mut impl Write,
) -> Result<(), RemoteCliError> {
    let session = load_session(file)?;
    let (wake_tx, wake_rx) = mpsc::channel();
    let wake = Arc::new(move || {
        wake_tx.send(()).ok();
    });
    let host = Host::start(&session, name, options, wake)?;
    if options.relay {
        // A ticket with a relay works across networks; wait briefly for one.
        let waited = Instant::now();
        while !host.has_relay() && waited.elapsed() < RELAY_WAIT {
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    let ticket = host.ticket().to_text();
    // Nothing useful can be done when the terminal is gone; keep serving.
    writeln!(out, "{ticket}").ok();
    out.flush().ok();
    if let Some(qr) = qr_text(&ticket) {
        write!(log, "{qr}").ok();
    }
    writeln!(
        log,
        "Sharing {} read-only. The interviewer runs `mlsd-studio join TICKET` or pastes the ticket in Join mock interview. Interrupt to stop.",
        file.display()
    ).ok();
    let mut modified = modified_time(file);
    loop {
        wake_rx.recv_timeout(FILE_POLL).ok();
        for event in host.poll() {
            writeln!(log, "{}", describe_host_event(&event)).ok();
        }
        let now = modified_time(file);
        if now != modified {
            modified = now;
            match load_session(file) {
                Ok(session) => {
                    host.publish(&session);
                    writeln!(log, "Shared the new version of {}.", file.display()).ok();
                }
                // A half-written or broken file is skipped; the last good
                // version stays shared.
                Err(e) => {
                    writeln!(log, "Not shared: {e}").ok();
                }
            }
        }
    }
}

fn modified_time(file: &Path) -> Option<SystemTime> {
    std::fs::metadata(file).and_then(|m| m.modified()).ok()
}

/// The line printed for an event on the candidate's side.
pub fn describe_host_event(event: &HostEvent) -> String {
    let line = match event {
        HostEvent::Joined { name, id } => format!("{name} joined ({id})."),
        HostEvent::Left { name, reason } => format!("{name} is disconnected: {reason}."),
        HostEvent::Refused { who, reason } => format!("Turned away {who}: {reason}."),
        HostEvent::Control(c) => format!(
            "The interviewer {}; a read-only share does not apply it.",
            c.describe()
        ),
    };
    crate::format::capitalised(&line)
}

/// What `join` was asked to do.
pub struct JoinArgs {
    pub ticket: String,
    pub snapshot: PathBuf,
    pub name: String,
    pub follow: bool,
    pub timeout_secs: u64,
    pub options: LinkOptions,
}

/// Joins, writes the candidate's session to the snapshot file atomically,
/// and exits; with `follow`, keeps the file current until the candidate
/// ends the sharing.
pub fn join(args: &JoinArgs, log: &mut impl Write) -> Result<(), RemoteCliError> {
    let ticket = Ticket::parse(&args.ticket)?;
    let (wake_tx, wake_rx) = mpsc::channel();
    let wake = Arc::new(move || {
        wake_tx.send(()).ok();
    });
    let guest = Guest::start(ticket, &args.name, &args.options, wake)?;
    let started = Instant::now();
    let mut written: Option<Session> = None;
    let mut connected = false;
    loop {
        wake_rx.recv_timeout(Duration::from_millis(100)).ok();
        for event in guest.poll() {
            match event {
                GuestEvent::Connected { candidate } => {
                    connected = true;
                    writeln!(log, "Connected to {candidate}'s session.").ok();
                }
                // Said once per drop, not for every attempt while it lasts.
                GuestEvent::Disconnected(reason) if connected => {
                    connected = false;
                    writeln!(log, "Disconnected ({reason}); reconnecting.").ok();
                }
                GuestEvent::Disconnected(_) => {}
                GuestEvent::Updated => {}
                GuestEvent::Ended(reason) => {
                    return match written {
                        Some(_) => {
                            writeln!(log, "{reason}").ok();
                            Ok(())
                        }
                        None => Err(RemoteCliError::Refused(reason)),
                    };
                }
            }
        }
        if let Some(session) = guest.session()
            && written.as_ref() != Some(&session)
        {
            save_session(&args.snapshot, &session)?;
            writeln!(log, "Wrote {}.", args.snapshot.display()).ok();
            if !args.follow {
                guest.stop();
                return Ok(());
            }
            written = Some(session);
        }
        if written.is_none() && started.elapsed() > Duration::from_secs(args.timeout_secs) {
            return Err(RemoteCliError::Timeout(args.timeout_secs));
        }
    }
}
