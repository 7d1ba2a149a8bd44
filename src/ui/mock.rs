//! Mock interviews on screen: the start dialog, the timer bar, and the
//! rubric panel used both in the interviewer's window and for solo
//! self-scoring.

use eframe::egui::{self, RichText};
use egui_commonmark::{CommonMarkCache, CommonMarkViewer};

use crate::app::{Command, Commands, MockAction, MockSetup, RemoteAction, Sharing};
use crate::content::CaseStudy;
use crate::framework::{STEP_COUNT, STEPS, Step};
use crate::mock::{
    Competency, LEVEL_NAMES, MockMode, MockState, format_clock, rubric, score_index,
};
use crate::session::Session;

/// The start dialog: edits a copy of the choices and sends the changes.
pub fn mock_setup_ui(
    ctx: &egui::Context,
    current: &MockSetup,
    title: &str,
    commands: &mut Commands,
) {
    let mut setup = current.clone();
    let mut keep = true;
    egui::Modal::new(egui::Id::unique("mock-setup")).show(ctx, |ui| {
        ui.set_max_width(460.0);
        ui.heading(format!("Mock interview: {title}"));
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            ui.label("Length");
            for minutes in [45, 60] {
                if ui
                    .radio(
                        setup.config.length_minutes == minutes,
                        format!("{minutes} minutes"),
                    )
                    .clicked()
                {
                    // Both choices are valid lengths.
                    setup.config.set_length(minutes).ok();
                }
            }
        });
        ui.horizontal_top(|ui| {
            ui.label("Mode");
            ui.vertical(|ui| {
                let solo = setup.config.mode == MockMode::Solo;
                if ui.radio(solo, "Solo practice").clicked() {
                    setup.config.mode = MockMode::Solo;
                    setup.remote = false;
                }
                let here = !solo && !setup.remote;
                if ui
                    .radio(here, "With an interviewer at this computer")
                    .on_hover_text("The interviewer's view opens in a second window.")
                    .clicked()
                {
                    setup.config.mode = MockMode::WithInterviewer;
                    setup.remote = false;
                }
                if ui
                    .radio(setup.remote, "With an interviewer on another computer")
                    .on_hover_text(
                        "You get an invitation to send them; they follow your work live \
                         from their own copy of the app.",
                    )
                    .clicked()
                {
                    setup.config.mode = MockMode::WithInterviewer;
                    setup.remote = true;
                }
            });
        });
        ui.add_space(4.0);
        ui.label(RichText::new("Minutes per step").strong());
        egui::Grid::new("budgets")
            .num_columns(2)
            .striped(true)
            .show(ui, |ui| {
                for fs in &STEPS {
                    let label = ui.label(format!("{}. {}", fs.number, fs.name));
                    let mut minutes = setup.config.budget_secs(fs.number) / 60.0;
                    let r = ui.add(
                        egui::DragValue::new(&mut minutes)
                            .range(0.0..=60.0)
                            .speed(0.25)
                            .suffix(" min"),
                    );
                    if r.labelled_by(label.id).changed() {
                        // The control's range keeps the budget valid.
                        setup.config.set_budget(fs.number, minutes * 60.0).ok();
                    }
                    ui.end_row();
                }
            });
        let total: f64 = (1..=STEP_COUNT as u8)
            .map(|s| setup.config.budget_secs(s))
            .sum();
        ui.label(
            RichText::new(format!("Steps add up to {}", format_clock(total)))
                .small()
                .weak(),
        );
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Start the interview").clicked() {
                let (case_id, config) = (setup.case_id.clone(), setup.config.clone());
                if setup.remote {
                    commands.send(RemoteAction::StartMock { case_id, config });
                } else {
                    commands.send(MockAction::Start { case_id, config });
                }
            }
            if ui.button("Cancel").clicked() {
                keep = false;
            }
        });
    });
    if !keep {
        commands.send(Command::CancelMockSetup);
    } else if setup != *current {
        if setup.remote != current.remote {
            commands.send(RemoteAction::ChooseRemote(setup.remote));
        }
        commands.send(Command::EditMockSetup(setup.config));
    }
}

/// The strip above the practice page while a mock runs: clocks, warnings
/// and controls.
pub fn mock_bar_ui(
    ui: &mut egui::Ui,
    mock: &MockState,
    current_step: u8,
    window_open: bool,
    sharing: Option<&Sharing>,
    commands: &mut Commands,
) {
    egui::Panel::top("mock_bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("Mock · {}", mock.config.mode.label())).strong());
            ui.separator();
            if mock.is_finished() {
                ui.label("Interview finished");
            } else {
                let step_left = mock.remaining_step_secs();
                ui.label(format!(
                    "Step {current_step}: {} left",
                    format_clock(step_left.max(0.0))
                ));
                ui.separator();
                ui.label(format!(
                    "Interview: {} left",
                    format_clock(mock.remaining_total_secs().max(0.0))
                ));
                if mock.overrun(current_step) {
                    ui.separator();
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        format!(
                            "Over this step's budget by {}: consider moving on",
                            format_clock(mock.overrun_secs(current_step))
                        ),
                    );
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if let Some(sharing) = sharing {
                    if ui.button("End sharing").clicked() {
                        commands.send(RemoteAction::StopSharing);
                    }
                    if ui.button("Invitation").clicked() {
                        commands.send(RemoteAction::ShowInvitation(!sharing.invitation_open));
                    }
                }
                if mock.is_finished() {
                    return;
                }
                if ui.button("End interview").clicked() {
                    commands.send(MockAction::End);
                }
                if usize::from(current_step) < STEP_COUNT && ui.button("Next step").clicked() {
                    commands.send(MockAction::NextStep);
                }
                if mock.paused {
                    if ui.button("Resume").clicked() {
                        commands.send(MockAction::Resume);
                    }
                } else if ui.button("Pause").clicked() {
                    commands.send(MockAction::Pause);
                }
                if mock.config.mode == MockMode::WithInterviewer && sharing.is_none() {
                    let label = if window_open {
                        "Hide interviewer window"
                    } else {
                        "Interviewer window"
                    };
                    if ui.button(label).clicked() {
                        commands.send(MockAction::ShowInterviewerWindow(!window_open));
                    }
                }
            });
        });
        if mock.paused {
            ui.label(
                RichText::new("Paused: the clock is stopped.")
                    .small()
                    .weak(),
            );
        }
    });
}

/// Everything the interviewer sees for the current step; with `solo`, the
/// same rubric for the candidate's self-assessment after the interview.
pub struct RubricView<'a> {
    pub study: &'a CaseStudy,
    pub session: &'a Session,
    pub mock: &'a MockState,
    pub step: u8,
    pub solo: bool,
}

/// The interviewer's panel (also the solo self-score panel).
pub fn rubric_panel_ui(
    ui: &mut egui::Ui,
    view: &RubricView<'_>,
    note_draft: &mut String,
    markdown: &mut CommonMarkCache,
    commands: &mut Commands,
) {
    let step = view.step;
    let index = Step::clamped(step).index();
    let (Some(fs), Some(content)) = (STEPS.get(index), view.study.steps.get(index)) else {
        return;
    };
    egui::ScrollArea::vertical()
        .id_salt("rubric_scroll")
        .show(ui, |ui| {
            ui.heading(format!("Step {step}: {}", fs.name));
            ui.label(
                RichText::new(format!(
                    "Interview clock {} · step {} of {} budgeted",
                    format_clock(view.mock.total_elapsed_secs),
                    format_clock(view.mock.elapsed_secs(step)),
                    format_clock(view.mock.config.budget_secs(step))
                ))
                .small()
                .weak(),
            );
            if !view.solo && !view.mock.is_finished() {
                ui.horizontal(|ui| {
                    if usize::from(step) < STEP_COUNT
                        && ui.button("Move candidate to next step").clicked()
                    {
                        commands.send(MockAction::NextStep);
                    }
                    if ui.button("End interview").clicked() {
                        commands.send(MockAction::End);
                    }
                });
            }
            ui.separator();
            ui.label(RichText::new("Rubric").strong());
            for c in rubric(step) {
                let current = view.mock.score(step, c.id);
                ui.label(RichText::new(c.name).strong());
                ui.horizontal(|ui| {
                    for (i, level) in LEVEL_NAMES.iter().enumerate() {
                        let score = i as u8 + 1;
                        let selected = current == Some(score);
                        let r = ui
                            .selectable_label(selected, format!("{score} {level}"))
                            .on_hover_text(c.levels[i]);
                        r.widget_info(|| {
                            egui::WidgetInfo::selected(
                                egui::accesskit::Role::Button,
                                true,
                                selected,
                                format!("{}: {score} {level}", c.name),
                            )
                        });
                        if r.clicked() {
                            let score = if selected { None } else { Some(score) };
                            commands.send(MockAction::SetScore {
                                step,
                                id: c.id.to_owned(),
                                score,
                            });
                        }
                    }
                });
                if let Some(s) = current {
                    ui.label(RichText::new(c.levels[score_index(s)]).small().italics());
                }
            }
            ui.separator();
            if view.solo {
                let missed = view.session.missed_checklist(view.study, step);
                ui.label(
                    RichText::new(format!("Checklist points you missed ({})", missed.len()))
                        .strong(),
                );
                for point in missed {
                    ui.label(format!("• {point}"));
                }
            } else {
                ui.label(RichText::new("Follow-up questions").strong());
                for (i, q) in content.follow_ups.iter().enumerate() {
                    let mut asked = view.mock.follow_up_asked(step, i);
                    if ui.checkbox(&mut asked, q).changed() {
                        commands.send(MockAction::ToggleFollowUp { step, index: i });
                    }
                }
            }
            ui.separator();
            egui::CollapsingHeader::new("Reference answer")
                .default_open(view.solo)
                .show(ui, |ui| {
                    CommonMarkViewer::new().show(ui, markdown, &content.reference);
                });
            egui::CollapsingHeader::new("The candidate's answer")
                .default_open(true)
                .show(ui, |ui| {
                    let answer = &view.session.step(step).answer;
                    if answer.trim().is_empty() {
                        ui.label(RichText::new("Nothing written yet.").weak());
                    } else {
                        CommonMarkViewer::new().show(ui, markdown, answer);
                    }
                });
            ui.separator();
            ui.label(RichText::new("Notes").strong());
            for note in &view.mock.notes {
                ui.label(format!(
                    "[{}] step {}: {}",
                    format_clock(note.at_secs),
                    note.step,
                    note.text
                ));
            }
            ui.horizontal(|ui| {
                let label = ui.label("Note");
                ui.add(
                    egui::TextEdit::singleline(note_draft)
                        .desired_width(260.0)
                        .hint_text("stamped with the clock"),
                )
                .labelled_by(label.id);
                if ui.button("Add note").clicked() && !note_draft.trim().is_empty() {
                    commands.send(MockAction::AddNote(std::mem::take(note_draft)));
                }
            });
            ui.separator();
            ui.label(RichText::new("Overall signal per competency").strong());
            egui::Grid::new("signals").num_columns(2).show(ui, |ui| {
                for c in Competency::ALL {
                    ui.label(c.label()).on_hover_text(c.description());
                    ui.horizontal(|ui| {
                        let current = view.mock.signal(c);
                        for v in 1..=4u8 {
                            let selected = current == Some(v);
                            let r = ui.selectable_label(selected, v.to_string());
                            r.widget_info(|| {
                                egui::WidgetInfo::selected(
                                    egui::accesskit::Role::Button,
                                    true,
                                    selected,
                                    format!("{}: {v}", c.label()),
                                )
                            });
                            if r.on_hover_text(LEVEL_NAMES[score_index(v)]).clicked() {
                                let value = if selected { None } else { Some(v) };
                                commands.send(MockAction::SetSignal {
                                    competency: c,
                                    value,
                                });
                            }
                        }
                    });
                    ui.end_row();
                }
            });
            if view.solo && view.mock.is_finished() {
                ui.add_space(8.0);
                if ui.button("Record in progress history").clicked() {
                    commands.send(MockAction::RecordInProgress);
                }
            }
        });
}
