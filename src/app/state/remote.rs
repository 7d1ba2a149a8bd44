//! The remote mock interview in the app: the candidate shares their mock
//! and applies the interviewer's requests; the interviewer keeps a copy of
//! the candidate's session with their own scores and notes.

use std::path::Path;
use std::time::Duration;

use super::{AppState, Screen};
use crate::app::command::{MockAction, RemoteAction};
use crate::app::effect::Effect;
use crate::mock::{MockConfig, MockMode};
use crate::remote::sync::{interviewer_copy, merge_candidate};
use crate::remote::{
    Control, Guest, GuestEvent, Host, HostEvent, InterviewerScores, LinkOptions, Ticket,
};
use crate::session::check_against_library;

/// How often the candidate's changes and clock go out, at most: well
/// inside the quarter second the interviewer's view may lag.
const PUBLISH_SECS: f64 = 0.1;
/// While a link is up the app looks at it this often even when idle.
const LINK_REPAINT: Duration = Duration::from_millis(250);

/// The candidate's side: their mock, shared.
pub struct Sharing {
    host: Host,
    /// The invitation as text, kept current (a relay's address joins it
    /// once one answers).
    pub invitation: String,
    /// The interviewer who joined, by the name they gave.
    pub interviewer: Option<String>,
    /// The interviewer is connected now.
    pub connected: bool,
    /// The invitation window is on screen.
    pub invitation_open: bool,
    last_publish: f64,
}

/// How the interviewer's link stands.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkState {
    Connecting,
    Live,
    /// Dropped; reconnecting by itself.
    Reconnecting(String),
    /// Over for good, with the reason.
    Closed(String),
}

/// The interviewer's side: the candidate's mock, joined.
pub struct Joined {
    guest: Guest,
    /// The candidate's name, once connected.
    pub candidate: Option<String>,
    pub link: LinkState,
    /// The scores were sent (see [`Joined::delivered`]).
    pub scores_sent: bool,
    /// Times the link came back after a drop.
    pub reconnects: u32,
}

impl Joined {
    /// Everything sent has been applied by the candidate's app.
    pub fn delivered(&self) -> bool {
        self.guest.unapplied() == 0
    }

    /// Drops the connection as a failing network would (for tests of the
    /// reconnect); the link then reconnects by itself.
    pub fn cut_connection(&self) {
        self.guest.cut_connection();
    }
}

/// The join dialog's state: the last error, if joining failed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JoinDialog {
    pub error: Option<String>,
}

impl AppState {
    /// The candidate's sharing, while on.
    pub fn sharing(&self) -> Option<&Sharing> {
        self.sharing.as_ref()
    }

    /// The interviewer's joined mock, while on.
    pub fn joined(&self) -> Option<&Joined> {
        self.joined.as_ref()
    }

    pub fn join_dialog(&self) -> Option<&JoinDialog> {
        self.join_dialog.as_ref()
    }

    /// What the status bar says about a remote mock, while one is on.
    pub fn link_line(&self) -> Option<String> {
        if let Some(s) = &self.sharing {
            return Some(match (&s.interviewer, s.connected) {
                (Some(name), true) => format!("● Sharing with {name}"),
                (Some(name), false) => format!("● Sharing: {name} disconnected"),
                (None, _) => "● Sharing: waiting for the interviewer".to_owned(),
            });
        }
        let j = self.joined.as_ref()?;
        let who = j.candidate.as_deref().unwrap_or("the candidate");
        Some(match &j.link {
            LinkState::Connecting => "● Joining: connecting…".to_owned(),
            LinkState::Live => format!("● Joined {who}'s mock"),
            LinkState::Reconnecting(_) => format!("● Joined {who}'s mock: reconnecting…"),
            LinkState::Closed(_) => "○ Link closed".to_owned(),
        })
    }

    /// Relays are off for this run whatever the setting (`--no-relay`).
    pub fn relays_forced_off(&self) -> bool {
        self.no_relay
    }

    fn link_options(&self) -> LinkOptions {
        LinkOptions {
            relay: self.settings.relays && !self.no_relay,
            bind: None,
        }
    }

    pub(super) fn remote_action(&mut self, action: RemoteAction) {
        match action {
            RemoteAction::StartMock { case_id, config } => {
                let config = MockConfig {
                    mode: MockMode::WithInterviewer,
                    ..config
                };
                self.mock_action(MockAction::Start { case_id, config });
                // The rubric and reference answer stay off this screen.
                self.interviewer_window = false;
                self.start_sharing();
            }
            RemoteAction::ChooseRemote(remote) => {
                if let Some(setup) = &mut self.mock_setup {
                    setup.remote = remote;
                }
            }
            RemoteAction::ShowInvitation(open) => {
                if let Some(s) = &mut self.sharing {
                    s.invitation_open = open;
                }
            }
            RemoteAction::StopSharing => {
                self.stop_sharing("the candidate ended the sharing");
                self.status = Some("Sharing ended. Nothing more is sent.".into());
            }
            RemoteAction::ShowJoinDialog(open) => {
                self.join_dialog = open.then(JoinDialog::default);
            }
            RemoteAction::Join { ticket, name } => self.join(&ticket, &name),
            RemoteAction::SendScores { shared_notes } => self.send_scores(&shared_notes),
            RemoteAction::Leave => {
                self.leave_joined();
                if self.open.is_some() {
                    self.show(Screen::Practice);
                    self.status = Some(
                        "You left the mock. Your copy, with your scores and notes, stays open: save it to keep it."
                            .into(),
                    );
                } else {
                    self.show(Screen::Home);
                }
            }
            RemoteAction::SetRelays(on) => self.settings.relays = on,
        }
    }

    fn start_sharing(&mut self) {
        let Some(open) = &self.open else { return };
        if open.session.mock.is_none() {
            return;
        }
        let options = self.link_options();
        match Host::start(&open.session, "the candidate", &options, self.waker.clone()) {
            Ok(host) => {
                let invitation = host.ticket().to_text();
                self.sharing = Some(Sharing {
                    host,
                    invitation,
                    interviewer: None,
                    connected: false,
                    invitation_open: true,
                    last_publish: self.now,
                });
                self.status = Some(
                    "Sharing is on: pass the invitation to your interviewer. Nothing is sent until they join with it."
                        .into(),
                );
            }
            Err(e) => self.show_error("Could not start sharing", e.to_string()),
        }
    }

    /// Ends the sharing, telling the interviewer's app `reason`.
    pub(super) fn stop_sharing(&mut self, reason: &str) {
        if let Some(s) = self.sharing.take() {
            s.host.stop(reason);
        }
    }

    /// Leaves a joined mock, telling the candidate's app.
    pub(super) fn leave_joined(&mut self) {
        if let Some(j) = self.joined.take() {
            j.guest.stop();
        }
    }

    /// Closes both kinds of link, each telling the other side. Call it
    /// when the app exits.
    pub fn end_links(&mut self) {
        self.stop_sharing("the candidate closed the app");
        self.leave_joined();
    }

    fn join(&mut self, text: &str, name: &str) {
        let ticket = match Ticket::parse(text) {
            Ok(t) => t,
            Err(e) => {
                self.join_dialog = Some(JoinDialog {
                    error: Some(e.to_string()),
                });
                return;
            }
        };
        let name = if name.trim().is_empty() {
            "the interviewer"
        } else {
            name
        };
        self.leave_joined();
        match Guest::start(ticket, name, &self.link_options(), self.waker.clone()) {
            Ok(guest) => {
                self.join_dialog = None;
                self.joined = Some(Joined {
                    guest,
                    candidate: None,
                    link: LinkState::Connecting,
                    scores_sent: false,
                    reconnects: 0,
                });
                // The candidate's session opens when it arrives.
                self.open = None;
                self.show(Screen::Interviewing);
            }
            Err(e) => {
                self.join_dialog = Some(JoinDialog {
                    error: Some(e.to_string()),
                });
            }
        }
    }

    /// The interviewer's clock requests go to the candidate's app, which
    /// owns the clock; `false` when this app joined no mock.
    pub(super) fn forward_to_candidate(&mut self, action: &MockAction) -> bool {
        let Some(j) = &self.joined else { return false };
        let control = match action {
            MockAction::NextStep => Control::NextStep,
            MockAction::Pause => Control::Pause,
            MockAction::Resume => Control::Resume,
            MockAction::End => Control::End,
            _ => return false,
        };
        self.status = Some(format!(
            "Asked the candidate's app to {}.",
            control.request()
        ));
        j.guest.send(control);
        true
    }

    fn send_scores(&mut self, shared_notes: &[usize]) {
        let (Some(j), Some(open)) = (&mut self.joined, &self.open) else {
            return;
        };
        let Some(mock) = &open.session.mock else {
            return;
        };
        let scores = InterviewerScores {
            scores: mock.scores.clone(),
            signals: mock.competency_signals.clone(),
            notes: shared_notes
                .iter()
                .filter_map(|&i| mock.notes.get(i).cloned())
                .collect(),
        };
        let count = scores.notes.len();
        j.guest.send(Control::SendScores(scores));
        j.scores_sent = true;
        self.status = Some(format!(
            "Sent your scores and {count} shared note{} to the candidate.",
            if count == 1 { "" } else { "s" }
        ));
    }

    /// Publishes the candidate's work and applies what came over either
    /// link. Called on every tick.
    pub(super) fn tick_links(&mut self) {
        if self.sharing.is_some() {
            self.tick_sharing();
            self.effects.push(Effect::RepaintAfter(LINK_REPAINT));
        }
        if self.joined.is_some() {
            self.tick_joined();
            self.effects.push(Effect::RepaintAfter(LINK_REPAINT));
        }
    }

    fn tick_sharing(&mut self) {
        let now = self.now;
        let Some(s) = &mut self.sharing else { return };
        if let Some(open) = &self.open
            && now - s.last_publish >= PUBLISH_SECS
        {
            s.host.publish(&open.session);
            s.last_publish = now;
            s.invitation = s.host.ticket().to_text();
        }
        for event in s.host.poll() {
            self.on_host_event(event);
        }
    }

    fn on_host_event(&mut self, event: HostEvent) {
        let Some(s) = &mut self.sharing else { return };
        match event {
            HostEvent::Joined { name, id } => {
                self.status = Some(format!(
                    "{name} joined your mock interview from their computer ({id})."
                ));
                s.interviewer = Some(name);
                s.connected = true;
                // The invitation has done its job; the mock bar brings it back.
                s.invitation_open = false;
            }
            HostEvent::Left { name, reason } => {
                s.connected = false;
                self.status = Some(format!(
                    "{name} is disconnected ({reason}). They can reconnect with the same invitation."
                ));
            }
            HostEvent::Refused { who, reason } => {
                self.status = Some(format!("Turned away a connection from {who}: {reason}."));
            }
            HostEvent::Control(Control::SendScores(scores)) => {
                let name = s.interviewer.clone();
                self.receive_scores(scores, name);
            }
            HostEvent::Control(control) => {
                let action = match control {
                    Control::NextStep => MockAction::NextStep,
                    Control::Pause => MockAction::Pause,
                    Control::Resume => MockAction::Resume,
                    _ => MockAction::End,
                };
                self.mock_action(action);
                let step = self.open.as_ref().map_or(1, |o| o.session.current_step);
                self.status = Some(match control {
                    Control::NextStep => format!("The interviewer moved to step {step}."),
                    other => format!("The interviewer {}.", other.describe()),
                });
            }
        }
    }

    /// The interviewer's scores and shared notes land in the session, the
    /// report and the progress history, marked as theirs.
    fn receive_scores(&mut self, scores: InterviewerScores, interviewer: Option<String>) {
        let Some(open) = &mut self.open else { return };
        let Some(mock) = open.session.mock.as_mut() else {
            return;
        };
        let notes = scores.notes.len();
        mock.scores = scores.scores;
        mock.competency_signals = scores.signals;
        mock.notes.extend(scores.notes);
        mock.scorer = crate::mock::Scorer::Interviewer;
        mock.remote_interviewer = Some(interviewer.unwrap_or_else(|| "the interviewer".into()));
        // Whatever arrived is held to the same limits as a file.
        if let Some(study) = self.library.get(&open.session.case_study) {
            let _ = mock.validate_for(study);
        }
        open.dirty = true;
        self.record_progress();
        let recorded = self.status.take().unwrap_or_default();
        self.status = Some(format!(
            "The interviewer sent their scores and {notes} note{}: they are in your report. {recorded}",
            if notes == 1 { "" } else { "s" }
        ));
    }

    fn tick_joined(&mut self) {
        let Some(j) = &mut self.joined else { return };
        let mut updated = false;
        for event in j.guest.poll() {
            match event {
                GuestEvent::Connected { candidate } => {
                    let again = j.candidate.is_some();
                    if again {
                        j.reconnects += 1;
                    }
                    j.link = LinkState::Live;
                    self.status = Some(if again {
                        format!("Reconnected to {candidate}'s mock interview; nothing was lost.")
                    } else {
                        format!("Connected to {candidate}'s mock interview.")
                    });
                    j.candidate = Some(candidate);
                }
                GuestEvent::Updated => updated = true,
                GuestEvent::Disconnected(reason) => {
                    self.status = Some(format!(
                        "The connection dropped ({reason}); reconnecting. Your scores and notes are safe here."
                    ));
                    j.link = LinkState::Reconnecting(reason);
                }
                GuestEvent::Ended(reason) => {
                    self.status = Some(reason.clone());
                    j.link = LinkState::Closed(reason);
                }
            }
        }
        if updated && let Some(candidate) = j.guest.session() {
            self.take_candidate_session(&candidate);
        }
    }

    fn take_candidate_session(&mut self, candidate: &crate::session::Session) {
        match &mut self.open {
            Some(open) => {
                merge_candidate(&mut open.session, candidate);
                open.dirty = true;
            }
            None => {
                let origin = Path::new("the candidate's session");
                if let Err(e) = check_against_library(candidate, &self.library, origin) {
                    self.leave_joined();
                    self.show(Screen::Home);
                    self.show_error("Could not follow the candidate's session", e.to_string());
                    return;
                }
                // Opening the copy must not end the link it came over.
                let joined = self.joined.take();
                self.set_open(interviewer_copy(candidate), None, true);
                self.joined = joined;
                self.screen = Screen::Interviewing;
            }
        }
    }

    /// The join dialog or the invitation is on top.
    pub fn remote_dialog_open(&self) -> bool {
        self.join_dialog.is_some() || self.sharing.as_ref().is_some_and(|s| s.invitation_open)
    }
}
