//! The interviewer's side: joins the candidate's session with an
//! invitation, keeps a live copy of it, and sends requests back.
//!
//! The link reconnects by itself, waiting a little longer after each
//! failure, and resumes where it left off; requests wait in the outbox
//! until the candidate says they are applied.

use std::sync::mpsc;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use iroh::Endpoint;
use iroh::endpoint::{Connection, SendStream};
use tokio::sync::watch;

use super::link::{self, HANDSHAKE_TIMEOUT, LinkError, LinkOptions, Wake};
use super::protocol::{ALPN, Control, ToGuest, ToHost};
use super::sync::{Applied, Mirror, Outbox};
use super::ticket::Ticket;
use crate::session::Session;

/// The first wait before reconnecting, doubled after each failure.
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// What happened on the interviewer's side of the link.
#[derive(Debug, Clone, PartialEq)]
pub enum GuestEvent {
    /// Connected (again) to the candidate's app.
    Connected { candidate: String },
    /// The copy of the session changed.
    Updated,
    /// The link dropped; it is being retried.
    Disconnected(String),
    /// The link is over for good: refused, ended by the candidate, or the
    /// candidate's app misbehaved. Nothing more will come.
    Ended(String),
}

struct Shared {
    mirror: Mirror,
    outbox: Outbox,
    /// A test's way to cut the current connection, as a network would.
    cut: u64,
}

fn lock(shared: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    shared.lock().unwrap_or_else(|e| e.into_inner())
}

/// A joined mock interview.
pub struct Guest {
    shared: Arc<Mutex<Shared>>,
    outbox_changed: watch::Sender<u64>,
    stop: watch::Sender<bool>,
    events: mpsc::Receiver<GuestEvent>,
    thread: Option<JoinHandle<()>>,
}

#[derive(Clone)]
struct Context {
    shared: Arc<Mutex<Shared>>,
    outbox_changed: watch::Receiver<u64>,
    stop: watch::Receiver<bool>,
    events: mpsc::Sender<GuestEvent>,
    wake: Wake,
    ticket: Ticket,
    name: String,
}

impl Context {
    fn emit(&self, event: GuestEvent) {
        if self.events.send(event).is_ok() {
            (self.wake)();
        }
    }
}

impl Guest {
    /// Starts joining the interview `ticket` invites to, as `name`. Returns
    /// once the local endpoint is bound; connecting goes on in the background.
    pub fn start(
        ticket: Ticket,
        name: &str,
        options: &LinkOptions,
        wake: Wake,
    ) -> Result<Guest, LinkError> {
        let shared = Arc::new(Mutex::new(Shared {
            mirror: Mirror::default(),
            outbox: Outbox::default(),
            cut: 0,
        }));
        let (outbox_changed, outbox_rx) = watch::channel(0);
        let (stop, stop_rx) = watch::channel(false);
        let (events_tx, events) = mpsc::channel();
        let context = Context {
            shared: shared.clone(),
            outbox_changed: outbox_rx,
            stop: stop_rx,
            events: events_tx,
            wake,
            ticket,
            name: name.to_owned(),
        };
        let (thread, _) = link::spawn("mock-join", options, move |endpoint| async move {
            follow(&endpoint, context).await;
            endpoint.close().await;
        })?;
        Ok(Guest {
            shared,
            outbox_changed,
            stop,
            events,
            thread: Some(thread),
        })
    }

    /// The candidate's session as last heard, once it arrived.
    pub fn session(&self) -> Option<Session> {
        lock(&self.shared).mirror.session().cloned()
    }

    /// Sends `control` to the candidate; it is resent after a reconnect
    /// until the candidate has applied it.
    pub fn send(&self, control: Control) {
        lock(&self.shared).outbox.push(control);
        self.outbox_changed.send_modify(|v| *v += 1);
    }

    /// Requests not yet applied by the candidate.
    pub fn unapplied(&self) -> usize {
        lock(&self.shared).outbox.pending().count()
    }

    /// What happened since the last call.
    pub fn poll(&self) -> Vec<GuestEvent> {
        self.events.try_iter().collect()
    }

    /// Drops the current connection as a failing network would; the link
    /// then reconnects by itself.
    pub fn cut_connection(&self) {
        lock(&self.shared).cut += 1;
        self.outbox_changed.send_modify(|v| *v += 1);
    }

    /// Leaves the interview, telling the candidate.
    pub fn stop(mut self) {
        self.finish();
    }

    fn finish(&mut self) {
        self.stop.send(true).ok();
        if let Some(thread) = self.thread.take() {
            thread.join().ok();
        }
    }
}

impl Drop for Guest {
    fn drop(&mut self) {
        self.finish();
    }
}

/// How one connection ended.
enum Ending {
    /// Over for good, with the reason to show.
    Final(String),
    /// The app asked to leave.
    Stopped,
}

/// Connects, follows the candidate, and reconnects with backoff until the
/// link is over.
async fn follow(endpoint: &Endpoint, context: Context) {
    let mut backoff = FIRST_BACKOFF;
    let mut stop = context.stop.clone();
    loop {
        let (result, welcomed) = converse(endpoint, &context).await;
        match result {
            Ok(Ending::Stopped) => return,
            Ok(Ending::Final(reason)) => {
                context.emit(GuestEvent::Ended(reason));
                return;
            }
            Err(e) => context.emit(GuestEvent::Disconnected(e.to_string())),
        }
        if welcomed {
            backoff = FIRST_BACKOFF;
        }
        tokio::select! {
            _ = tokio::time::sleep(backoff) => {}
            _ = stop.wait_for(|s| *s) => return,
        }
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

/// One connection. Also says whether the candidate welcomed it, which
/// resets the backoff.
async fn converse(endpoint: &Endpoint, context: &Context) -> (Result<Ending, LinkError>, bool) {
    let mut stop = context.stop.clone();
    let connecting = tokio::time::timeout(
        HANDSHAKE_TIMEOUT,
        endpoint.connect(context.ticket.addr.clone(), ALPN),
    );
    let connection = tokio::select! {
        c = connecting => match c {
            Ok(Ok(c)) => c,
            Ok(Err(e)) => return (Err(LinkError::Lost(e.to_string())), false),
            Err(_) => return (Err(LinkError::Timeout), false),
        },
        _ = stop.wait_for(|s| *s) => return (Ok(Ending::Stopped), false),
    };
    let mut welcomed = false;
    let result = talk(&connection, context, &mut welcomed).await;
    connection.close(0u32.into(), b"bye");
    (result, welcomed)
}

async fn talk(
    connection: &Connection,
    context: &Context,
    welcomed: &mut bool,
) -> Result<Ending, LinkError> {
    let (mut send, mut recv) = connection
        .open_bi()
        .await
        .map_err(|e| LinkError::Lost(e.to_string()))?;
    let (resume, cut) = {
        let shared = lock(&context.shared);
        (shared.mirror.resume(), shared.cut)
    };
    let hello = ToHost::Hello {
        secret: context.ticket.secret,
        name: context.name.clone(),
        resume,
    };
    link::write(&mut send, &hello).await?;
    let first = tokio::time::timeout(HANDSHAKE_TIMEOUT, link::read::<ToGuest>(&mut recv))
        .await
        .map_err(|_| LinkError::Timeout)?;
    match first {
        Ok(Some(ToGuest::Welcome {
            epoch,
            candidate,
            controls_applied,
        })) => {
            let mut shared = lock(&context.shared);
            shared.mirror.welcome(epoch);
            shared.outbox.applied(controls_applied);
            drop(shared);
            *welcomed = true;
            context.emit(GuestEvent::Connected { candidate });
        }
        Ok(Some(ToGuest::Refused { reason })) => {
            return Ok(Ending::Final(format!(
                "The candidate's app refused to let you in: {reason}."
            )));
        }
        Ok(_) => {
            return Ok(Ending::Final(
                "The candidate's app did not answer as expected.".into(),
            ));
        }
        Err(LinkError::Protocol(e)) => return Ok(Ending::Final(e.to_string())),
        Err(e) => return Err(e),
    }
    let mut sent_through = 0;
    send_pending(&mut send, &context.shared, &mut sent_through).await?;
    let (mut frames, reader) = link::spawn_reader::<ToGuest>(recv);
    let mut outbox_changed = context.outbox_changed.clone();
    let mut stop = context.stop.clone();
    let ending = loop {
        tokio::select! {
            _ = outbox_changed.changed() => {
                if lock(&context.shared).cut != cut {
                    break Err(LinkError::Lost("cut on purpose".into()));
                }
                if let Err(e) = send_pending(&mut send, &context.shared, &mut sent_through).await {
                    break Err(e);
                }
            }
            frame = frames.recv() => match frame {
                Some(Ok(Some(message))) => match receive(&message, context) {
                    Ok(None) => {}
                    Ok(Some(ending)) => break Ok(ending),
                    Err(e) => break Err(e),
                },
                Some(Ok(None)) | None => break Err(LinkError::Lost("the candidate's app closed the stream".into())),
                Some(Err(LinkError::Protocol(e))) => {
                    break Ok(Ending::Final(format!("The candidate's app sent something this app cannot read, so the link was closed: {e}")));
                }
                Some(Err(e)) => break Err(e),
            },
            _ = stop.wait_for(|s| *s) => {
                link::write(&mut send, &ToHost::Bye).await.ok();
                send.finish().ok();
                tokio::time::timeout(Duration::from_secs(2), connection.closed()).await.ok();
                break Ok(Ending::Stopped);
            }
        }
    };
    reader.abort();
    ending
}

/// Applies one message from the candidate; `Some` when it ends the link.
fn receive(message: &ToGuest, context: &Context) -> Result<Option<Ending>, LinkError> {
    match message {
        ToGuest::Applied { through } => {
            lock(&context.shared).outbox.applied(*through);
            Ok(None)
        }
        ToGuest::Bye { reason } => Ok(Some(Ending::Final(format!(
            "The candidate ended the sharing: {reason}."
        )))),
        ToGuest::Refused { reason } => Ok(Some(Ending::Final(format!(
            "The candidate's app closed the link: {reason}."
        )))),
        ToGuest::Welcome { .. } => Err(LinkError::Lost(
            "the candidate's app welcomed this app twice".into(),
        )),
        _ => {
            let applied = lock(&context.shared).mirror.apply(message);
            match applied {
                Ok(Applied::Updated) => {
                    context.emit(GuestEvent::Updated);
                    Ok(None)
                }
                Ok(Applied::Duplicate) => Ok(None),
                // Reconnecting resumes from the last change applied.
                Ok(Applied::Gap { have, got }) => Err(LinkError::Lost(format!(
                    "change {got} arrived after change {have}; resynchronising"
                ))),
                Err(e) => Ok(Some(Ending::Final(format!(
                    "The candidate's app sent something this app cannot use, so the link was closed: {e}"
                )))),
            }
        }
    }
}

/// Sends the outbox's requests not yet sent on this connection.
async fn send_pending(
    send: &mut SendStream,
    shared: &Mutex<Shared>,
    sent_through: &mut u64,
) -> Result<(), LinkError> {
    let pending: Vec<(u64, Control)> = lock(shared)
        .outbox
        .pending()
        .filter(|(s, _)| *s > *sent_through)
        .cloned()
        .collect();
    for (seq, control) in pending {
        link::write(send, &ToHost::Control { seq, control }).await?;
        *sent_through = seq;
    }
    Ok(())
}
