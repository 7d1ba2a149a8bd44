//! The remote mock interview on screen: the candidate's invitation window,
//! the interviewer's join dialog, and the interviewer's page with the
//! candidate's live work beside the rubric.

use std::collections::BTreeSet;

use eframe::egui::{self, RichText};
use egui_commonmark::{CommonMarkCache, CommonMarkViewer};

use super::canvas::FollowingCanvas;
use super::mock::{RubricView, rubric_panel_ui};
use super::style;
use crate::app::{
    Command, Commands, JoinDialog, Joined, LinkState, MockAction, OpenSession, RemoteAction,
    Sharing,
};
use crate::content::CaseStudy;
use crate::format::capitalised;
use crate::framework::{STEP_COUNT, STEPS, Step};
use crate::mock::format_clock;
use crate::remote::qr_modules;

/// What the interviewer typed in the join dialog.
#[derive(Debug, Clone, PartialEq)]
pub struct JoinDraft {
    pub ticket: String,
    pub name: String,
}

impl Default for JoinDraft {
    fn default() -> JoinDraft {
        JoinDraft {
            ticket: String::new(),
            name: "the interviewer".to_owned(),
        }
    }
}

/// Whether relays may be used: the saved setting, and whether this run
/// turned them off whatever it says.
#[derive(Debug, Clone, Copy)]
pub struct Relays {
    pub setting: bool,
    pub forced_off: bool,
}

/// The dialog that joins a mock with an invitation.
pub fn join_dialog_ui(
    ctx: &egui::Context,
    dialog: &JoinDialog,
    draft: &mut JoinDraft,
    relays: Relays,
    commands: &mut Commands,
) {
    egui::Modal::new(egui::Id::unique("join-mock")).show(ctx, |ui| {
        ui.set_width(520.0);
        ui.heading("Join a mock interview");
        ui.label(
            "Paste the invitation the candidate gave you. You will follow their answers and \
             diagrams live, next to the rubric, the follow-ups and the reference answer, \
             which they do not see.",
        );
        ui.add_space(6.0);
        let label = ui.label(RichText::new("Invitation").strong());
        ui.add(
            egui::TextEdit::multiline(&mut draft.ticket)
                .desired_rows(3)
                .desired_width(f32::INFINITY)
                .font(egui::TextStyle::Monospace)
                .hint_text("mlsd1…"),
        )
        .labelled_by(label.id);
        ui.horizontal(|ui| {
            let label = ui.label("Your name");
            ui.add(egui::TextEdit::singleline(&mut draft.name).desired_width(220.0))
                .labelled_by(label.id)
                .on_hover_text("The candidate sees this name.");
        });
        let mut relay = relays.setting && !relays.forced_off;
        let hover = if relays.forced_off {
            "Off for this run: the app was started with --no-relay."
        } else {
            "Relays help across home routers and firewalls. They pass encrypted \
             traffic on and cannot read it. Off, only direct connections are tried."
        };
        let checkbox =
            egui::Checkbox::new(&mut relay, "Use iroh's relays when no direct path exists");
        if ui
            .add_enabled(!relays.forced_off, checkbox)
            .on_hover_text(hover)
            .on_disabled_hover_text(hover)
            .changed()
        {
            commands.send(RemoteAction::SetRelays(relay));
        }
        if let Some(error) = &dialog.error {
            ui.colored_label(ui.visuals().error_fg_color, capitalised(error));
        }
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let ready = !draft.ticket.trim().is_empty();
            if ui.add_enabled(ready, egui::Button::new("Join")).clicked() {
                commands.send(RemoteAction::Join {
                    ticket: draft.ticket.clone(),
                    name: draft.name.clone(),
                });
            }
            if ui.button("Cancel").clicked() {
                commands.send(RemoteAction::ShowJoinDialog(false));
            }
        });
    });
}

/// The candidate's window with the invitation, who joined, and the way to
/// end the sharing.
pub fn invitation_window_ui(ctx: &egui::Context, sharing: &Sharing, commands: &mut Commands) {
    let mut open = true;
    egui::Window::new("Invite your interviewer")
        .open(&mut open)
        .default_width(440.0)
        .resizable(false)
        .collapsible(false)
        .show(ctx, |ui| {
            ui.label(
                "Send this invitation to your interviewer, in the call's chat for example. \
                 It lets one person in: whoever uses it first.",
            );
            ui.add_space(4.0);
            let mut text = sharing.invitation.as_str();
            ui.add(
                egui::TextEdit::multiline(&mut text)
                    .desired_rows(2)
                    .desired_width(f32::INFINITY)
                    .font(egui::TextStyle::Monospace),
            );
            ui.horizontal(|ui| {
                if ui.button("Copy invitation").clicked() {
                    ui.ctx().copy_text(sharing.invitation.clone());
                }
                ui.label(RichText::new("or scan the code:").weak());
            });
            qr_ui(ui, &sharing.invitation, 180.0);
            ui.add_space(4.0);
            let (line, good) = match (&sharing.interviewer, sharing.connected) {
                (Some(name), true) => (format!("{name} joined and is connected."), true),
                (Some(name), false) => (
                    format!("{name} is disconnected; they reconnect with the same invitation."),
                    false,
                ),
                (None, _) => ("Waiting for the interviewer to join…".to_owned(), false),
            };
            let color = if good {
                style::good_color(ui)
            } else {
                ui.visuals().weak_text_color()
            };
            ui.colored_label(color, line);
            ui.label(
                RichText::new(
                    "Shared: your answers, diagrams, current step and the mock's clock. \
                     The link is end-to-end encrypted (QUIC with TLS 1.3), straight to the \
                     interviewer's computer or through a relay that cannot read it.",
                )
                .small()
                .weak(),
            );
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                if ui.button("End sharing").clicked() {
                    commands.send(RemoteAction::StopSharing);
                }
                if ui.button("Hide").clicked() {
                    commands.send(RemoteAction::ShowInvitation(false));
                }
            });
        });
    if !open {
        commands.send(RemoteAction::ShowInvitation(false));
    }
}

/// The invitation as a QR code, dark on white whatever the theme (as a
/// scanner expects), `side` points wide.
fn qr_ui(ui: &mut egui::Ui, text: &str, side: f32) {
    let Some(modules) = qr_modules(text) else {
        ui.label("The invitation is too long for a QR code; copy the text instead.");
        return;
    };
    let count = modules.len() as f32 + 8.0;
    let (rect, response) = ui.allocate_exact_size(egui::vec2(side, side), egui::Sense::hover());
    response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Image, true, "Invitation as a QR code")
    });
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 2.0, egui::Color32::WHITE);
    let cell = side / count;
    for (r, row) in modules.iter().enumerate() {
        for (c, dark) in row.iter().enumerate() {
            if *dark {
                let min = rect.min + egui::vec2((c as f32 + 4.0) * cell, (r as f32 + 4.0) * cell);
                painter.rect_filled(
                    egui::Rect::from_min_size(min, egui::vec2(cell, cell)),
                    0.0,
                    egui::Color32::BLACK,
                );
            }
        }
    }
}

/// The interviewer page's own view state.
#[derive(Default)]
pub struct InterviewingState {
    canvas: FollowingCanvas,
    diagram: String,
    /// Notes ticked to share with the candidate, by index.
    shared_notes: BTreeSet<usize>,
    note_draft: String,
}

/// What the interviewer page shows, from the app.
pub struct InterviewingInput<'a> {
    pub joined: &'a Joined,
    pub open: Option<&'a OpenSession>,
    pub study: Option<&'a CaseStudy>,
}

/// The interviewer's page: the link, the clock, the candidate's live work,
/// and the rubric beside it.
pub fn interviewing_ui(
    ui: &mut egui::Ui,
    state: &mut InterviewingState,
    input: &InterviewingInput<'_>,
    markdown: &mut CommonMarkCache,
    commands: &mut Commands,
) {
    let joined = input.joined;
    link_bar_ui(ui, joined, input.open.is_some(), commands);
    let (Some(open), Some(study)) = (input.open, input.study) else {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.add_space(40.0);
            ui.vertical_centered(|ui| match &joined.link {
                LinkState::Closed(reason) => {
                    ui.colored_label(ui.visuals().error_fg_color, reason);
                    if ui.button("Back home").clicked() {
                        commands.send(RemoteAction::Leave);
                    }
                }
                _ => {
                    ui.spinner();
                    ui.label("Connecting to the candidate's app…");
                }
            });
        });
        return;
    };
    let session = &open.session;
    let Some(mock) = &session.mock else { return };
    let step = Step::clamped(mock.clock_step).number();
    egui::Panel::right("remote_rubric")
        .resizable(true)
        .default_size(430.0)
        .min_size(340.0)
        .show(ui, |ui| {
            let view = RubricView {
                study,
                session,
                mock,
                step,
                solo: false,
            };
            rubric_panel_ui(ui, &view, &mut state.note_draft, markdown, commands);
        });
    egui::CentralPanel::default().show(ui, |ui| {
        clock_ui(ui, mock, commands);
        ui.separator();
        if mock.is_finished() {
            send_scores_ui(ui, state, joined, mock, commands);
            ui.separator();
        }
        let index = Step::clamped(step).index();
        let name = STEPS.get(index).map_or("", |s| s.name);
        ui.label(RichText::new(format!("The candidate's answer · step {step}: {name}")).strong());
        let answer_height = (ui.available_height() * 0.4).max(120.0);
        egui::ScrollArea::vertical()
            .id_salt("remote_answer")
            .max_height(answer_height)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                let answer = &session.step(step).answer;
                if answer.trim().is_empty() {
                    ui.label(RichText::new("Nothing written yet.").weak());
                } else {
                    CommonMarkViewer::new().show(ui, markdown, answer);
                }
            });
        ui.separator();
        diagram_ui(ui, state, open);
    });
}

/// The strip along the top: the link's state, the shared clock and its
/// controls, saving and leaving.
fn link_bar_ui(ui: &mut egui::Ui, joined: &Joined, has_copy: bool, commands: &mut Commands) {
    egui::Panel::top("remote_bar").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            let who = joined.candidate.as_deref().unwrap_or("the candidate");
            match &joined.link {
                LinkState::Connecting => {
                    ui.spinner();
                    ui.label("Connecting…");
                }
                LinkState::Live => {
                    ui.colored_label(style::good_color(ui), "● Live");
                    ui.label(format!("Following {who}'s mock interview"));
                }
                LinkState::Reconnecting(reason) => {
                    ui.spinner();
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        format!("Reconnecting ({reason}). Keep scoring: nothing is lost."),
                    );
                }
                LinkState::Closed(reason) => {
                    ui.colored_label(
                        ui.visuals().error_fg_color,
                        format!("Link closed: {reason}"),
                    );
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Leave").clicked() {
                    commands.send(RemoteAction::Leave);
                }
                if has_copy && ui.button("Save your copy…").clicked() {
                    commands.send(Command::SaveAs);
                }
            });
        });
    });
}

/// Pause, resume, next step and end go to the candidate's app, which owns
/// the one clock; this shows its countdown.
fn clock_ui(ui: &mut egui::Ui, mock: &crate::mock::MockState, commands: &mut Commands) {
    ui.horizontal_wrapped(|ui| {
        let step = mock.clock_step;
        if mock.is_finished() {
            ui.label(RichText::new("Interview finished").strong());
            return;
        }
        ui.label(
            RichText::new(format!(
                "Step {step}: {} left",
                format_clock(mock.remaining_step_secs().max(0.0))
            ))
            .strong(),
        );
        ui.separator();
        ui.label(format!(
            "Interview: {} left",
            format_clock(mock.remaining_total_secs().max(0.0))
        ));
        if mock.paused {
            ui.separator();
            ui.colored_label(ui.visuals().warn_fg_color, "Paused");
            if ui.button("Resume").clicked() {
                commands.send(MockAction::Resume);
            }
        } else if ui.button("Pause").clicked() {
            commands.send(MockAction::Pause);
        }
        if usize::from(step) < STEP_COUNT && ui.button("Next step").clicked() {
            commands.send(MockAction::NextStep);
        }
        if ui.button("End interview").clicked() {
            commands.send(MockAction::End);
        }
    });
}

/// After the interview: choose the notes to share and send the scores.
fn send_scores_ui(
    ui: &mut egui::Ui,
    state: &mut InterviewingState,
    joined: &Joined,
    mock: &crate::mock::MockState,
    commands: &mut Commands,
) {
    style::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(RichText::new("Send your scores to the candidate").strong());
        ui.label(
            "They land in the candidate's session, report and progress history, marked as \
             yours. Your notes stay private unless you tick them.",
        );
        for (i, note) in mock.notes.iter().enumerate() {
            let mut shared = state.shared_notes.contains(&i);
            let text = format!("Share: [{}] {}", format_clock(note.at_secs), note.text);
            if ui.checkbox(&mut shared, text).changed() {
                if shared {
                    state.shared_notes.insert(i);
                } else {
                    state.shared_notes.remove(&i);
                }
            }
        }
        ui.horizontal(|ui| {
            let count = state.shared_notes.len();
            let label = format!(
                "Send scores and {count} note{}",
                if count == 1 { "" } else { "s" }
            );
            if ui.button(label).clicked() {
                commands.send(RemoteAction::SendScores {
                    shared_notes: state.shared_notes.iter().copied().collect(),
                });
            }
            if joined.scores_sent {
                if joined.delivered() {
                    ui.colored_label(style::good_color(ui), "✔ The candidate's app has them.");
                } else {
                    ui.spinner();
                    ui.label("Sending; they go as soon as the link is up.");
                }
            }
        });
    });
}

/// The candidate's diagrams, read-only: pan and zoom as on any canvas.
fn diagram_ui(ui: &mut egui::Ui, state: &mut InterviewingState, open: &OpenSession) {
    let session = &open.session;
    if !session.diagrams.iter().any(|d| d.name == state.diagram) {
        state.diagram = session
            .diagrams
            .iter()
            .find(|d| !d.diagram.is_empty())
            .or(session.diagrams.first())
            .map(|d| d.name.clone())
            .unwrap_or_default();
    }
    ui.horizontal(|ui| {
        let label = ui.label(RichText::new("The candidate's diagram").strong());
        egui::ComboBox::from_id_salt("remote_diagram")
            .selected_text(state.diagram.clone())
            .show_ui(ui, |ui| {
                for d in &session.diagrams {
                    ui.selectable_value(&mut state.diagram, d.name.clone(), &d.name);
                }
            })
            .response
            .labelled_by(label.id);
        if ui.button("Fit").clicked() {
            state.canvas.fit();
        }
    });
    match session.diagram(&state.diagram) {
        Some(diagram) if !diagram.is_empty() => state.canvas.show(ui, &state.diagram, diagram),
        _ => {
            ui.add_space(24.0);
            ui.label(RichText::new("Nothing drawn yet.").weak());
        }
    }
}
