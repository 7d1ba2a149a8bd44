//! The candidate's side: shares the session with one interviewer, who needs
//! the invitation's secret, and takes their requests.
//!
//! The network runs on its own thread. The app hands it the session with
//! [`Host::publish`] and reads what happened with [`Host::poll`]; neither
//! waits on the network.

use std::sync::mpsc;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;

use iroh::endpoint::{Connection, Incoming};
use iroh::{Endpoint, EndpointId};
use tokio::sync::watch;

use super::link::{self, HANDSHAKE_TIMEOUT, LinkError, LinkOptions, Wake};
use super::protocol::{Control, ToGuest, ToHost, clean_name};
use super::sync::{Inbox, Publisher};
use super::ticket::Ticket;
use crate::session::Session;

/// What happened on the candidate's side of the link.
#[derive(Debug, Clone, PartialEq)]
pub enum HostEvent {
    /// An interviewer is connected (again, after a drop).
    Joined { name: String, id: String },
    /// The interviewer's connection ended; they may reconnect.
    Left { name: String, reason: String },
    /// Someone without the right invitation was turned away.
    Refused { who: String, reason: String },
    /// The interviewer's request, applied once.
    Control(Control),
}

/// How often the endpoint's addresses are read into the invitation.
const ADDR_CHECK: std::time::Duration = std::time::Duration::from_millis(500);

/// State the app and the connection tasks share.
struct Shared {
    publisher: Publisher,
    /// The interviewer who used the invitation; the secret lets no one else in.
    bound: Option<EndpointId>,
    inbox: Inbox,
    /// Counts connections, so a reconnect retires the one it replaces.
    generation: u64,
}

/// Sharing in progress.
pub struct Host {
    shared: Arc<Mutex<Shared>>,
    changed: watch::Sender<u64>,
    stop: watch::Sender<Option<String>>,
    events: mpsc::Receiver<HostEvent>,
    /// The invitation; its address gains a relay once one answers.
    ticket: Arc<Mutex<Ticket>>,
    thread: Option<JoinHandle<()>>,
}

fn lock(shared: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    // A task that panicked cannot leave the plain data here half-changed in a
    // way that matters more than stopping the share would.
    shared.lock().unwrap_or_else(|e| e.into_inner())
}

/// Everything a connection task needs.
#[derive(Clone)]
struct Context {
    shared: Arc<Mutex<Shared>>,
    changed: watch::Receiver<u64>,
    stop: watch::Receiver<Option<String>>,
    events: mpsc::Sender<HostEvent>,
    wake: Wake,
    secret: [u8; 16],
    candidate: String,
    ticket: Arc<Mutex<Ticket>>,
}

impl Context {
    fn emit(&self, event: HostEvent) {
        if self.events.send(event).is_ok() {
            (self.wake)();
        }
    }
}

impl Host {
    /// Starts sharing `session` as `candidate`. Returns once the endpoint is
    /// bound, with the invitation ready.
    pub fn start(
        session: &Session,
        candidate: &str,
        options: &LinkOptions,
        wake: Wake,
    ) -> Result<Host, LinkError> {
        let secret = link::random_16();
        let epoch = u64::from_le_bytes(link::random_16()[..8].try_into().unwrap_or([1; 8]));
        let shared = Arc::new(Mutex::new(Shared {
            publisher: Publisher::new(session, epoch),
            bound: None,
            inbox: Inbox::default(),
            generation: 0,
        }));
        let (changed, changed_rx) = watch::channel(0);
        let (stop, stop_rx) = watch::channel(None);
        let (events_tx, events) = mpsc::channel();
        let placeholder = Ticket {
            addr: iroh::EndpointAddr::from_parts(iroh::SecretKey::generate().public(), []),
            secret,
        };
        let ticket = Arc::new(Mutex::new(placeholder));
        let context = Context {
            shared: shared.clone(),
            changed: changed_rx,
            stop: stop_rx,
            events: events_tx,
            wake,
            secret,
            candidate: clean_name(candidate),
            ticket: ticket.clone(),
        };
        let (thread, addr) = link::spawn("mock-share", options, move |endpoint| async move {
            serve(endpoint, context).await;
        })?;
        set_addr(&ticket, addr);
        Ok(Host {
            shared,
            changed,
            stop,
            events,
            ticket,
            thread: Some(thread),
        })
    }

    /// The invitation to pass to the interviewer, with the addresses known
    /// now (a relay's is added once it answers).
    pub fn ticket(&self) -> Ticket {
        self.ticket
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The invitation names a relay, so it works across networks.
    pub fn has_relay(&self) -> bool {
        self.ticket()
            .addr
            .addrs
            .iter()
            .any(|a| matches!(a, iroh::TransportAddr::Relay(_)))
    }

    /// Sends what changed in `session` (and the clock) to the interviewer.
    pub fn publish(&self, session: &Session) {
        let mut shared = lock(&self.shared);
        let clock = shared.publisher.clock_version();
        let changed = shared.publisher.publish(session);
        if changed || shared.publisher.clock_version() != clock {
            drop(shared);
            self.changed.send_modify(|v| *v += 1);
        }
    }

    /// What happened since the last call.
    pub fn poll(&self) -> Vec<HostEvent> {
        self.events.try_iter().collect()
    }

    /// Ends the sharing, telling the interviewer why, and waits for the
    /// network thread to close the connection.
    pub fn stop(mut self, reason: &str) {
        self.finish(reason);
    }

    fn finish(&mut self, reason: &str) {
        self.stop.send(Some(reason.to_owned())).ok();
        if let Some(thread) = self.thread.take() {
            thread.join().ok();
        }
    }
}

impl Drop for Host {
    fn drop(&mut self) {
        self.finish("the candidate closed the app");
    }
}

fn set_addr(ticket: &Mutex<Ticket>, addr: iroh::EndpointAddr) {
    ticket.lock().unwrap_or_else(|e| e.into_inner()).addr = addr;
}

/// Accepts connections until told to stop, then closes the endpoint.
async fn serve(endpoint: Endpoint, context: Context) {
    let mut stop = context.stop.clone();
    let mut tasks = tokio::task::JoinSet::new();
    let mut addr_check = tokio::time::interval(ADDR_CHECK);
    loop {
        tokio::select! {
            _ = addr_check.tick() => set_addr(&context.ticket, endpoint.addr()),
            incoming = endpoint.accept() => {
                let Some(incoming) = incoming else { break };
                tasks.spawn(handle(incoming, context.clone()));
            }
            _ = stop.changed() => break,
        }
    }
    // Each task says goodbye on the same stop signal; give them a moment,
    // but not long enough to hold up an app that is closing.
    tokio::time::timeout(std::time::Duration::from_secs(3), async {
        while tasks.join_next().await.is_some() {}
    })
    .await
    .ok();
    endpoint.close().await;
}

/// One connection, from its hello to its end.
async fn handle(incoming: Incoming, context: Context) {
    let Ok(accepting) = incoming.accept() else {
        return;
    };
    let Ok(Ok(connection)) = tokio::time::timeout(HANDSHAKE_TIMEOUT, accepting).await else {
        return;
    };
    let id = connection.remote_id();
    let who = link::short_id(&id);
    match converse(&connection, id, &context).await {
        Ok(Ending::Left { name, reason }) => context.emit(HostEvent::Left { name, reason }),
        Ok(Ending::Refused(reason)) => context.emit(HostEvent::Refused { who, reason }),
        Ok(Ending::Quiet) => {}
        Err((name, e)) => context.emit(HostEvent::Left {
            name,
            reason: e.to_string(),
        }),
    }
    connection.close(0u32.into(), b"done");
}

enum Ending {
    Left {
        name: String,
        reason: String,
    },
    Refused(String),
    /// Stopped by the app or replaced by a newer connection.
    Quiet,
}

async fn converse(
    connection: &Connection,
    id: EndpointId,
    context: &Context,
) -> Result<Ending, (String, LinkError)> {
    let unknown = |e| ("someone".to_owned(), e);
    let (mut send, mut recv) = tokio::time::timeout(HANDSHAKE_TIMEOUT, connection.accept_bi())
        .await
        .map_err(|_| unknown(LinkError::Timeout))?
        .map_err(|e| unknown(LinkError::Lost(e.to_string())))?;
    let hello = tokio::time::timeout(HANDSHAKE_TIMEOUT, link::read::<ToHost>(&mut recv)).await;
    let hello = match hello {
        Err(_) => return Err(unknown(LinkError::Timeout)),
        Ok(Err(e)) => {
            // A newer app, or garbage: say why before closing.
            let reason = e.to_string();
            let refusal = ToGuest::Refused {
                reason: reason.clone(),
            };
            link::say_last(connection, &mut send, &refusal).await;
            return Ok(Ending::Refused(reason));
        }
        Ok(Ok(message)) => message,
    };
    let Some(ToHost::Hello {
        secret,
        name,
        resume,
    }) = hello
    else {
        return Ok(Ending::Refused("it did not introduce itself".into()));
    };
    let name = clean_name(&name);
    let admitted = {
        let mut shared = lock(&context.shared);
        if secret != context.secret {
            Err("the invitation's secret is wrong")
        } else if shared.bound.is_some_and(|b| b != id) {
            Err("the invitation was already used by another interviewer")
        } else {
            shared.bound = Some(id);
            shared.generation += 1;
            let publisher = &shared.publisher;
            Ok((
                shared.generation,
                ToGuest::Welcome {
                    epoch: publisher.epoch(),
                    candidate: context.candidate.clone(),
                    controls_applied: shared.inbox.applied(),
                },
                publisher.catch_up(resume),
                publisher.clock().cloned(),
                Sent {
                    seq: publisher.seq(),
                    clock: publisher.clock_version(),
                },
            ))
        }
    };
    let (generation, welcome, catch_up, clock, mut sent) = match admitted {
        Ok(admitted) => admitted,
        Err(reason) => {
            let refusal = ToGuest::Refused {
                reason: reason.into(),
            };
            link::say_last(connection, &mut send, &refusal).await;
            return Ok(Ending::Refused(format!(
                "{reason} (they gave the name \"{name}\")"
            )));
        }
    };
    let lost = |e: LinkError| (name.clone(), e);
    link::write(&mut send, &welcome).await.map_err(lost)?;
    for message in &catch_up {
        link::write(&mut send, message).await.map_err(lost)?;
    }
    if let Some(clock) = clock {
        link::write(&mut send, &ToGuest::Clock(clock))
            .await
            .map_err(lost)?;
    }
    context.emit(HostEvent::Joined {
        name: name.clone(),
        id: link::short_id(&id),
    });
    let mut changed = context.changed.clone();
    let mut stop = context.stop.clone();
    let (mut frames, reader) = link::spawn_reader::<ToHost>(recv);
    let ending = loop {
        tokio::select! {
            _ = changed.changed() => {
                if lock(&context.shared).generation != generation {
                    break Ok(Ending::Quiet);
                }
                if let Err(e) = send_news(&mut send, &context.shared, &mut sent).await {
                    break Err(lost(e));
                }
            }
            frame = frames.recv() => match frame {
                Some(Ok(Some(ToHost::Control { seq, control }))) => {
                    let (fresh, through) = {
                        let mut shared = lock(&context.shared);
                        (shared.inbox.accept(seq), shared.inbox.applied())
                    };
                    if fresh {
                        context.emit(HostEvent::Control(control));
                    }
                    if let Err(e) = link::write(&mut send, &ToGuest::Applied { through }).await {
                        break Err(lost(e));
                    }
                }
                Some(Ok(Some(ToHost::Bye))) | Some(Ok(None)) | None => {
                    break Ok(Ending::Left { name: name.clone(), reason: "they left the interview".into() });
                }
                Some(Ok(Some(ToHost::Hello { .. }))) => {
                    break Err(lost(LinkError::Lost("the interviewer's app introduced itself twice".into())));
                }
                Some(Err(e)) => {
                    // Garbage or a broken link: say why, then close.
                    link::write(&mut send, &ToGuest::Bye { reason: e.to_string() }).await.ok();
                    break Err(lost(e));
                }
            },
            // The only change ever sent is the reason to stop.
            _ = stop.changed() => {
                let reason = stop.borrow().clone().unwrap_or_default();
                link::write(&mut send, &ToGuest::Bye { reason }).await.ok();
                send.finish().ok();
                tokio::time::timeout(std::time::Duration::from_secs(2), connection.closed()).await.ok();
                break Ok(Ending::Quiet);
            }
        }
    };
    reader.abort();
    // A connection replaced by a reconnect from the same interviewer ends
    // quietly: the interviewer is still there.
    if lock(&context.shared).generation != generation {
        return Ok(Ending::Quiet);
    }
    ending
}

/// What one connection has sent so far.
struct Sent {
    seq: u64,
    clock: u64,
}

/// Sends the changes and clock the interviewer has not had.
async fn send_news(
    send: &mut iroh::endpoint::SendStream,
    shared: &Mutex<Shared>,
    sent: &mut Sent,
) -> Result<(), LinkError> {
    let (messages, seq, clock_version) = {
        let shared = lock(shared);
        let publisher = &shared.publisher;
        let mut messages = match publisher.changes_after(sent.seq) {
            Some(changes) => changes,
            None => vec![publisher.snapshot()],
        };
        if publisher.clock_version() != sent.clock
            && let Some(clock) = publisher.clock()
        {
            messages.push(ToGuest::Clock(clock.clone()));
        }
        (messages, publisher.seq(), publisher.clock_version())
    };
    for message in &messages {
        link::write(send, message).await?;
    }
    sent.seq = seq;
    sent.clock = clock_version;
    Ok(())
}
