//! What both sides share: binding an iroh endpoint, the background thread
//! that runs it, and reading and writing frames on a QUIC stream.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use iroh::endpoint::{QuicTransportConfig, RecvStream, SendStream, presets};
use iroh::{Endpoint, RelayMode};
use serde::{Deserialize, Serialize};

use super::protocol::{self, ALPN, ProtocolError};

/// Called from the network thread when there is news for the app.
pub type Wake = Arc<dyn Fn() + Send + Sync>;

/// How long a connection attempt or the first message may take.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// A silent link is declared lost after this long; pings keep a live one open.
const IDLE_TIMEOUT: Duration = Duration::from_secs(6);
const KEEP_ALIVE: Duration = Duration::from_secs(1);

/// How the endpoint reaches the other side.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkOptions {
    /// Use iroh's public relays for hole punching and as a fallback. Off,
    /// only direct addresses are tried (a local network, or loopback).
    pub relay: bool,
    /// The local address to bind; `None` binds every interface on a free port.
    pub bind: Option<SocketAddr>,
}

/// Why sharing or joining could not start or went on no longer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LinkError {
    #[error("the network could not be opened: {0}")]
    Bind(String),
    #[error("the background network thread could not start: {0}")]
    Thread(String),
    #[error("{0}")]
    Protocol(#[from] ProtocolError),
    #[error("the connection was lost: {0}")]
    Lost(String),
    #[error("no answer within {} seconds", HANDSHAKE_TIMEOUT.as_secs())]
    Timeout,
}

/// Binds an endpoint for the mock-interview protocol.
pub async fn bind(options: &LinkOptions) -> Result<Endpoint, LinkError> {
    let bind_error = |e: &dyn std::fmt::Display| LinkError::Bind(e.to_string());
    let transport = QuicTransportConfig::builder()
        .keep_alive_interval(KEEP_ALIVE)
        .max_idle_timeout(Some(
            IDLE_TIMEOUT
                .try_into()
                .map_err(|e| bind_error(&format!("{e:?}")))?,
        ))
        .build();
    let builder = if options.relay {
        Endpoint::builder(presets::N0)
    } else {
        Endpoint::builder(presets::Minimal).relay_mode(RelayMode::Disabled)
    };
    let mut builder = builder
        .alpns(vec![ALPN.to_vec()])
        .transport_config(transport);
    if let Some(addr) = options.bind {
        builder = builder
            .clear_ip_transports()
            .bind_addr(addr)
            .map_err(|e| bind_error(&e))?;
    }
    builder.bind().await.map_err(|e| bind_error(&e))
}

/// A runtime for one background network thread.
pub fn runtime() -> Result<tokio::runtime::Runtime, LinkError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| LinkError::Thread(e.to_string()))
}

/// Starts the thread `name` with its own runtime, binds an endpoint there
/// and runs `work` on it. Returns once the endpoint is bound (or could not
/// be), with its addresses then, so the caller knows at once whether the
/// network opened and how to reach it.
pub fn spawn<F, Fut>(
    name: &str,
    options: &LinkOptions,
    work: F,
) -> Result<(std::thread::JoinHandle<()>, iroh::EndpointAddr), LinkError>
where
    F: FnOnce(Endpoint) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()>,
{
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let options = options.clone();
    let thread = std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            let runtime = match runtime() {
                Ok(r) => r,
                Err(e) => {
                    ready_tx.send(Err(e)).ok();
                    return;
                }
            };
            runtime.block_on(async move {
                match bind(&options).await {
                    Ok(endpoint) => {
                        ready_tx.send(Ok(endpoint.addr())).ok();
                        work(endpoint).await;
                    }
                    Err(e) => {
                        ready_tx.send(Err(e)).ok();
                    }
                }
            });
        })
        .map_err(|e| LinkError::Thread(e.to_string()))?;
    let addr = ready_rx
        .recv()
        .map_err(|e| LinkError::Thread(e.to_string()))??;
    Ok((thread, addr))
}

/// Reads frames from `recv` on a task of its own, so a connection's loop
/// can wait on them beside its other news. The channel ends after the
/// stream ends or fails (that last item says which).
pub fn spawn_reader<T>(
    mut recv: RecvStream,
) -> (
    tokio::sync::mpsc::Receiver<Result<Option<T>, LinkError>>,
    tokio::task::JoinHandle<()>,
)
where
    T: for<'de> Deserialize<'de> + Send + 'static,
{
    let (frames_tx, frames) = tokio::sync::mpsc::channel(64);
    let reader = tokio::spawn(async move {
        loop {
            let frame = read::<T>(&mut recv).await;
            let end = !matches!(frame, Ok(Some(_)));
            if frames_tx.send(frame).await.is_err() || end {
                break;
            }
        }
    });
    (frames, reader)
}

/// Sends `message` as the last one on `send` and waits (a while) for the
/// peer to close, so that it arrives before the connection goes.
pub async fn say_last<T: Serialize>(
    connection: &iroh::endpoint::Connection,
    send: &mut SendStream,
    message: &T,
) {
    write(send, message).await.ok();
    send.finish().ok();
    tokio::time::timeout(HANDSHAKE_TIMEOUT, connection.closed())
        .await
        .ok();
}

/// Writes one message as a frame.
pub async fn write<T: Serialize>(send: &mut SendStream, message: &T) -> Result<(), LinkError> {
    let frame = protocol::encode(message)?;
    send.write_all(&frame)
        .await
        .map_err(|e| LinkError::Lost(e.to_string()))
}

/// Reads one frame. `Ok(None)` when the peer finished the stream cleanly.
pub async fn read<T: for<'de> Deserialize<'de>>(
    recv: &mut RecvStream,
) -> Result<Option<T>, LinkError> {
    let mut header = [0u8; 4];
    match recv.read_exact(&mut header).await {
        Ok(()) => {}
        Err(iroh::endpoint::ReadExactError::FinishedEarly(0)) => return Ok(None),
        Err(e) => return Err(LinkError::Lost(e.to_string())),
    }
    let len = protocol::frame_len(header)?;
    let mut body = vec![0u8; len];
    recv.read_exact(&mut body)
        .await
        .map_err(|e| LinkError::Lost(e.to_string()))?;
    Ok(Some(protocol::decode_body(&body)?))
}

/// A short form of a peer's key, for messages.
pub fn short_id(id: &iroh::EndpointId) -> String {
    id.fmt_short().to_string()
}

/// Random bytes from the operating system's generator (through a fresh
/// key, which iroh draws from it).
pub fn random_16() -> [u8; 16] {
    let key = iroh::SecretKey::generate();
    let bytes = key.to_bytes();
    let mut out = [0u8; 16];
    out.copy_from_slice(&bytes[..16]);
    out
}
