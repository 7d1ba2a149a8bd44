//! The remote mock interview: the interviewer runs the interviewer's view in
//! their own copy of the app, connected live and peer to peer to the
//! candidate's session over iroh (QUIC, end-to-end encrypted by its TLS).
//!
//! [`protocol`] is the versioned wire format, [`ticket`] the invitation,
//! [`sync`] how the two copies stay in step without the network, and
//! [`Host`] and [`Guest`] the two ends of the link, each on a background
//! thread the app polls.

mod guest;
mod host;
mod link;
pub mod protocol;
pub mod sync;
pub mod ticket;

pub use guest::{Guest, GuestEvent};
pub use host::{Host, HostEvent};
pub use link::{LinkError, LinkOptions, Wake};
pub use protocol::{Control, InterviewerScores};
pub use ticket::{Ticket, TicketError, qr_modules, qr_text};
