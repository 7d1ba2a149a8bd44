//! The practice page: step navigator, the step's guidance and prompt, the
//! answer editor, and the self-assessment column.

use eframe::egui::{self, RichText};
use egui_commonmark::{CommonMarkCache, CommonMarkViewer};

use super::canvas::{
    DiagramMode, DiagramPanel, EditorInput, SimSlot, UndoState, diagram_editor_ui,
};
use super::estimator::{EstimatorView, estimator_window_ui};
use super::mock::{RubricView, mock_bar_ui, rubric_panel_ui};
use super::replay::{ReplayView, replay_ui};
use super::sim_panel::SimView;
use super::style;
use crate::app::EstimateAction;
use crate::app::{Command, Commands, OpenSession, REFERENCE_PREFIX, SimJobs};
use crate::content::{CaseStudy, EstimateInputs, StepContent};
use crate::diagram::{PIPELINE_DIAGRAM, SERVING_DIAGRAM};
use crate::format::format_duration;
use crate::framework::{FrameworkStep, STEP_COUNT, STEPS, Step};
use crate::review::{Finding, PointCoverage, step_coverage};
use crate::session::{Session, SessionEdit};

/// The steps whose page offers the estimator: clarifying the scale, sizing
/// the data, and sizing the serving fleet.
const ESTIMATOR_STEPS: [u8; 3] = [1, 3, 6];

/// The practice page's view state.
#[derive(Default)]
pub struct PracticeState {
    /// The answer being edited, and the step it belongs to.
    draft: String,
    draft_step: Option<u8>,
    preview: bool,
    /// The diagram beside or instead of the step.
    pub diagrams: DiagramPanel,
    /// The simulator's view under the diagram, made when first needed.
    pub sim: Option<SimView>,
    /// A note being typed in the self-assessment panel.
    note_draft: String,
    /// The back-of-envelope estimator's typed figures.
    estimator: EstimatorView,
    /// Where the replay of the session stands.
    replay: ReplayView,
}

/// Draws the practice page for the open session.
/// What the practice page shows, from the app.
pub struct PracticeInput<'a> {
    pub study: &'a CaseStudy,
    pub open: &'a OpenSession,
    /// The interviewer's window is showing.
    pub interviewer_open: bool,
    /// The mock is shared with an interviewer on another computer.
    pub sharing: Option<&'a crate::app::Sharing>,
    pub undo: UndoState,
    pub sims: &'a SimJobs,
    /// The design review's findings; `None` while a mock hides coaching.
    pub findings: Option<&'a [Finding]>,
    /// The case's reference design; `None` while a mock hides coaching.
    pub reference: Option<&'a Session>,
    /// The estimator's inputs while its window is open.
    pub estimator: Option<&'a EstimateInputs>,
    /// The replay is on instead of the page's content.
    pub replay: bool,
}

pub fn practice_ui(
    ui: &mut egui::Ui,
    state: &mut PracticeState,
    input: &PracticeInput<'_>,
    markdown: &mut CommonMarkCache,
    commands: &mut Commands,
) {
    let PracticeInput {
        study,
        open,
        interviewer_open,
        sharing,
        undo,
        sims,
        findings,
        reference,
        estimator,
        replay,
    } = *input;
    let session = &open.session;
    if replay {
        replay_ui(ui, &mut state.replay, session, markdown, commands);
        return;
    }
    let step = session.current_step;
    let index = Step::clamped(step).index();
    let (Some(framework), Some(content)) = (STEPS.get(index), study.steps.get(index)) else {
        return;
    };
    if state.draft_step != Some(step) {
        state.draft = session.step(step).answer.clone();
        state.draft_step = Some(step);
    }
    if let Some(mock) = &session.mock {
        mock_bar_ui(ui, mock, step, interviewer_open, sharing, commands);
    }
    state.diagrams.apply_step_defaults(step);
    let names: Vec<String> = session.diagrams.iter().map(|d| d.name.clone()).collect();
    if !names.contains(&state.diagrams.name) {
        state.diagrams.name = names.first().cloned().unwrap_or_default();
    }
    if let Some(inputs) = estimator {
        // The pipeline has no serving traffic: the serving design takes it.
        let traffic_for = if state.diagrams.name == PIPELINE_DIAGRAM {
            SERVING_DIAGRAM
        } else {
            state.diagrams.name.as_str()
        };
        estimator_window_ui(
            ui.ctx(),
            &mut state.estimator,
            inputs,
            traffic_for,
            commands,
        );
    }
    let diagram = session.diagram(&state.diagrams.name);
    let sim_view = state
        .sim
        .get_or_insert_with(|| SimView::new(&study.scenario));
    let diagram_sim = sims.get(&state.diagrams.name);
    let reference_diagram = reference.and_then(|r| r.diagram(&state.diagrams.name));
    let reference_sim = sims.get(&format!("{REFERENCE_PREFIX}{}", state.diagrams.name));
    let editor_input = |diagram| EditorInput {
        diagram_names: &names,
        diagram,
        undo,
        findings,
        reference: reference_diagram,
        reference_sim,
    };
    if let (DiagramMode::FullScreen, Some(diagram)) = (state.diagrams.mode, diagram) {
        diagram_editor_ui(
            ui,
            &mut state.diagrams,
            &editor_input(diagram),
            Some(SimSlot {
                view: sim_view,
                sim: diagram_sim,
            }),
            commands,
        );
        return;
    }
    let side_by_side = state.diagrams.mode == DiagramMode::SideBySide && diagram.is_some();
    if side_by_side {
        egui::Panel::left("step_navigator_compact")
            .resizable(false)
            .exact_size(64.0)
            .show(ui, |ui| compact_navigator_ui(ui, session, commands));
    } else {
        egui::Panel::left("step_navigator")
            .resizable(false)
            .exact_size(260.0)
            .show(ui, |ui| navigator_ui(ui, study, session, commands));
    }
    let assessment =
        |ui: &mut egui::Ui, markdown: &mut CommonMarkCache, commands: &mut Commands| {
            if session.coaching_hidden() {
                hidden_during_mock_ui(ui);
                return;
            }
            checklist_ui(ui, step, content, session, commands);
            ui.add_space(10.0);
            hints_ui(ui, step, content, session, markdown, commands);
            ui.add_space(10.0);
            reference_ui(ui, step, content, session, markdown, commands);
        };
    let solo_debrief = session
        .mock
        .as_ref()
        .is_some_and(|m| m.is_finished() && m.config.mode == crate::mock::MockMode::Solo);
    if let (true, Some(diagram)) = (side_by_side, diagram) {
        let width = (ui.available_width() * 0.62).max(420.0);
        egui::Panel::right("diagram_side")
            .resizable(true)
            .default_size(width)
            .min_size(380.0)
            .frame(egui::Frame::NONE)
            .show(ui, |ui| {
                diagram_editor_ui(
                    ui,
                    &mut state.diagrams,
                    &editor_input(diagram),
                    Some(SimSlot {
                        view: sim_view,
                        sim: diagram_sim,
                    }),
                    commands,
                );
            });
    } else if let Some(mock) = session
        .mock
        .as_ref()
        .filter(|m| m.is_finished() && m.config.mode == crate::mock::MockMode::Solo)
    {
        // After a solo mock the candidate scores themselves on the rubric.
        egui::Panel::right("self_score")
            .resizable(true)
            .default_size(420.0)
            .show(ui, |ui| {
                ui.label(RichText::new("Score yourself").strong());
                let view = RubricView {
                    study,
                    session,
                    mock,
                    step,
                    solo: true,
                };
                rubric_panel_ui(ui, &view, &mut state.note_draft, markdown, commands);
            });
    } else {
        egui::Panel::right("self_assessment")
            .resizable(true)
            .default_size(340.0)
            .min_size(280.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("assessment_scroll")
                    .show(ui, |ui| {
                        ui.add_space(10.0);
                        assessment(ui, markdown, commands);
                        ui.add_space(10.0);
                    });
            });
    }
    egui::CentralPanel::default_margins().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("step_scroll")
            .show(ui, |ui| {
                step_header_ui(ui, framework, session);
                if ESTIMATOR_STEPS.contains(&step) {
                    ui.add_space(4.0);
                    if ui
                        .button("Back-of-envelope estimator")
                        .on_hover_text(
                            "QPS, storage, index memory, accelerators and cost, with the formulas",
                        )
                        .clicked()
                    {
                        commands.send(EstimateAction::SetOpen(true));
                    }
                }
                ui.add_space(8.0);
                if step == 1 {
                    titled_card(ui, "The problem", |ui| {
                        CommonMarkViewer::new().show(ui, markdown, &study.problem);
                    });
                    ui.add_space(8.0);
                }
                titled_card(ui, "The interviewer asks", |ui| {
                    CommonMarkViewer::new().show(ui, markdown, &content.prompt);
                });
                ui.add_space(8.0);
                egui::CollapsingHeader::new("How to approach this step")
                    .default_open(true)
                    .show(ui, |ui| {
                        CommonMarkViewer::new().show(ui, markdown, framework.guidance);
                        ui.add_space(4.0);
                        ui.label(RichText::new("For this case").strong());
                        CommonMarkViewer::new().show(ui, markdown, &content.guidance);
                    });
                ui.add_space(8.0);
                if step == 1 {
                    questions_ui(ui, study, session, markdown, commands);
                    ui.add_space(8.0);
                }
                answer_ui(ui, state, step, markdown, commands);
                ui.add_space(10.0);
                if side_by_side || solo_debrief {
                    // The checklist, hints and reference move under the
                    // answer while the diagram or the self-scoring takes
                    // the right-hand side.
                    assessment(ui, markdown, commands);
                    ui.add_space(10.0);
                }
                step_footer_ui(ui, session, commands);
                ui.add_space(16.0);
            });
    });
}

/// What stands in for the checklist, hints and reference during a mock.
fn hidden_during_mock_ui(ui: &mut egui::Ui) {
    titled_card(ui, "Mock interview in progress", |ui| {
        ui.label(
            "The checklist, the hints and the reference answer are hidden until the \
             interview ends, as they would be in a real one. They come back with \
             your debrief.",
        );
    });
}

fn titled_card(ui: &mut egui::Ui, title: &str, body: impl FnOnce(&mut egui::Ui)) {
    style::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(RichText::new(title).strong());
        ui.add_space(2.0);
        body(ui);
    });
}

/// The label of a step in the navigator, also used to find it in tests.
pub fn step_label(number: u8, name: &str) -> String {
    format!("{number}. {name}")
}

fn navigator_ui(ui: &mut egui::Ui, study: &CaseStudy, session: &Session, commands: &mut Commands) {
    ui.add_space(10.0);
    ui.label(RichText::new(&study.title).heading().strong());
    ui.horizontal(|ui| {
        style::chip(
            ui,
            study.difficulty.label(),
            style::difficulty_color(study.difficulty),
        );
        ui.label(RichText::new(format!("{} of {STEP_COUNT} done", session.done_count())).small());
    });
    ui.add_space(8.0);
    let dark = ui.visuals().dark_mode;
    for fs in &STEPS {
        let status = session.status(fs.number);
        let current = fs.number == session.current_step;
        let spent = session.step(fs.number).seconds_spent;
        let color = style::status_color(status, dark);
        let row = ui.horizontal(|ui| {
            // A fixed cell, so step names line up whatever the icon's width.
            ui.add_sized(
                [18.0, 20.0],
                egui::Label::new(RichText::new(style::status_icon(status)).color(color)),
            )
            .on_hover_text(status.label());
            ui.vertical(|ui| {
                let label = RichText::new(step_label(fs.number, fs.name));
                let label = if current { label.strong() } else { label };
                let clicked = ui
                    .add(egui::Button::selectable(current, label).frame_when_inactive(false))
                    .clicked();
                ui.label(
                    RichText::new(format!(
                        "{} · {} min suggested · {} spent",
                        status.label(),
                        fs.default_minutes,
                        format_duration(spent)
                    ))
                    .small()
                    .weak(),
                );
                clicked
            })
            .inner
        });
        if row.inner {
            commands.send(SessionEdit::GoToStep(fs.number));
        }
        ui.add_space(2.0);
    }
    ui.add_space(10.0);
    ui.separator();
    ui.label(
        RichText::new(format!(
            "Total time {}",
            format_duration(session.total_seconds())
        ))
        .small(),
    );
    if ui.button("⬅ All case studies").clicked() {
        commands.send(Command::GoHome);
    }
}

/// The navigator as a narrow column of numbered steps, used while a
/// diagram shares the screen.
fn compact_navigator_ui(ui: &mut egui::Ui, session: &Session, commands: &mut Commands) {
    ui.add_space(10.0);
    let dark = ui.visuals().dark_mode;
    for fs in &STEPS {
        let status = session.status(fs.number);
        let current = fs.number == session.current_step;
        let text = RichText::new(format!("{} {}", style::status_icon(status), fs.number))
            .color(style::status_color(status, dark));
        let name = step_label(fs.number, fs.name);
        let response =
            ui.add(egui::Button::selectable(current, text).min_size(egui::vec2(48.0, 30.0)));
        // The button shows only a number; it is announced by the step's name.
        response.widget_info(|| {
            egui::WidgetInfo::selected(egui::accesskit::Role::Button, true, current, &name)
        });
        let response = response.on_hover_text(format!("{name} ({})", status.label()));
        if response.clicked() {
            commands.send(SessionEdit::GoToStep(fs.number));
        }
    }
    ui.add_space(10.0);
    let back = ui.button("⬅");
    back.widget_info(|| {
        egui::WidgetInfo::labeled(egui::accesskit::Role::Button, true, "⬅ All case studies")
    });
    if back.on_hover_text("All case studies").clicked() {
        commands.send(Command::GoHome);
    }
}

fn step_header_ui(ui: &mut egui::Ui, framework: &FrameworkStep, session: &Session) {
    ui.add_space(8.0);
    ui.heading(format!(
        "Step {} of {STEP_COUNT} · {}",
        framework.number, framework.name
    ));
    let spent = session.step(framework.number).seconds_spent;
    let budget = f64::from(framework.default_minutes) * 60.0;
    let over = spent > budget;
    let text = format!(
        "{} spent of {} min suggested{}",
        format_duration(spent),
        framework.default_minutes,
        if over {
            " — over time, consider moving on"
        } else {
            ""
        }
    );
    let text = RichText::new(text).small();
    ui.label(if over {
        text.color(ui.visuals().warn_fg_color)
    } else {
        text.weak()
    });
    ui.label(
        RichText::new(format!("Covers: {}", framework.covers.join(", ")))
            .small()
            .weak(),
    );
}

fn questions_ui(
    ui: &mut egui::Ui,
    study: &CaseStudy,
    session: &Session,
    markdown: &mut CommonMarkCache,
    commands: &mut Commands,
) {
    titled_card(ui, "Ask the interviewer", |ui| {
        if session.scripted_answers_hidden() {
            ui.label(
                "Your interviewer is here: ask them your clarifying questions. \
                 The scripted answers come back when the interview ends.",
            );
            return;
        }
        ui.label(
            RichText::new(format!(
                "Choose the questions you would ask. {} of {} asked.",
                session.questions_asked.len(),
                study.questions.len()
            ))
            .small()
            .weak(),
        );
        ui.add_space(4.0);
        // Asked questions first, in the order asked, with their answers.
        for id in &session.questions_asked {
            let Some(q) = study.questions.iter().find(|q| &q.id == id) else {
                continue;
            };
            ui.label(RichText::new(format!("{}: {}", q.topic, q.question)).strong());
            egui::Frame::new()
                .inner_margin(egui::Margin {
                    left: 14,
                    ..Default::default()
                })
                .show(ui, |ui| {
                    CommonMarkViewer::new().show(ui, markdown, &q.answer);
                });
            ui.add_space(4.0);
        }
        let unasked: Vec<_> = study
            .questions
            .iter()
            .filter(|q| !session.asked(&q.id))
            .collect();
        if !unasked.is_empty() {
            ui.separator();
            for q in unasked {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(&q.topic).small().weak());
                    if ui
                        .button(&q.question)
                        .on_hover_text("Ask this question")
                        .clicked()
                    {
                        commands.send(SessionEdit::AskQuestion(q.id.clone()));
                    }
                });
            }
        }
    });
}

fn answer_ui(
    ui: &mut egui::Ui,
    state: &mut PracticeState,
    step: u8,
    markdown: &mut CommonMarkCache,
    commands: &mut Commands,
) {
    let label = ui
        .horizontal(|ui| {
            let label = ui.label(RichText::new("Your answer").strong());
            ui.add_space(12.0);
            if ui.selectable_label(!state.preview, "Write").clicked() {
                state.preview = false;
            }
            if ui.selectable_label(state.preview, "Preview").clicked() {
                state.preview = true;
            }
            ui.label(
                RichText::new(format!(
                    "{} words · markdown",
                    crate::content::word_count(&state.draft)
                ))
                .small()
                .weak(),
            );
            if state.diagrams.mode == DiagramMode::Hidden {
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui
                        .button("Open diagram")
                        .on_hover_text("Show a diagram beside the answer")
                        .clicked()
                    {
                        state.diagrams.mode = DiagramMode::SideBySide;
                    }
                });
            }
            label
        })
        .inner;
    if state.preview {
        style::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.set_min_height(200.0);
            if state.draft.trim().is_empty() {
                ui.label(RichText::new("Nothing written yet.").weak());
            } else {
                CommonMarkViewer::new().show(ui, markdown, &state.draft);
            }
        });
    } else {
        let response = ui.add(
            egui::TextEdit::multiline(&mut state.draft)
                .id_salt(("answer", step))
                .hint_text("Write your answer here. Markdown works: # headings, - lists, **bold**, `code`, tables.")
                .desired_rows(14)
                .desired_width(f32::INFINITY)
                .lock_focus(true),
        )
        .labelled_by(label.id);
        if response.changed() {
            commands.send(SessionEdit::SetAnswer {
                step,
                text: state.draft.clone(),
            });
        }
    }
}

fn step_footer_ui(ui: &mut egui::Ui, session: &Session, commands: &mut Commands) {
    let step = session.current_step;
    ui.horizontal(|ui| {
        if ui
            .add_enabled(step > 1, egui::Button::new("◀ Previous step"))
            .clicked()
        {
            commands.send(SessionEdit::GoToStep(step - 1));
        }
        let mut done = session.step(step).done;
        if ui.checkbox(&mut done, "Step done").changed() {
            commands.send(SessionEdit::SetDone { step, done });
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let last = usize::from(step) == STEP_COUNT;
            let label = if last {
                "Finish"
            } else {
                "Done, next step ▶"
            };
            if ui.button(label).clicked() {
                commands.send(SessionEdit::CompleteStep { step });
            }
        });
    });
}

fn checklist_ui(
    ui: &mut egui::Ui,
    step: u8,
    content: &StepContent,
    session: &Session,
    commands: &mut Commands,
) {
    let progress = session.step(step);
    let ticked = &progress.ticked;
    let asked_id = egui::Id::unique(("coverage_asked", step));
    let asked = ui.data(|d| d.get_temp::<bool>(asked_id).unwrap_or(false));
    // A step marked done shows what its answer covers without being asked.
    let coverage = (asked || progress.done).then(|| step_coverage(&progress.answer, content));
    titled_card(ui, "Checklist", |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(format!(
                    "Tick what your answer covers: {} of {}",
                    ticked.len(),
                    content.checklist.len()
                ))
                .small()
                .weak(),
            );
            if coverage.is_none()
                && ui
                    .small_button("Check my answer")
                    .on_hover_text("Suggest which points your answer appears to cover")
                    .clicked()
            {
                ui.data_mut(|d| d.insert_temp(asked_id, true));
            }
        });
        for (i, point) in content.checklist.iter().enumerate() {
            let mut checked = ticked.contains(&i);
            if ui.checkbox(&mut checked, point).changed() {
                commands.send(SessionEdit::ToggleCheck { step, index: i });
            }
            if let Some(p) = coverage.as_ref().and_then(|c| c.points.get(i)) {
                coverage_hint_ui(ui, step, p, checked, commands);
            }
        }
        if let Some(c) = &coverage {
            let suggested: Vec<usize> = c
                .covered()
                .map(|p| p.index)
                .filter(|i| !ticked.contains(i))
                .collect();
            ui.add_space(4.0);
            ui.label(
                RichText::new(format!(
                    "Your answer appears to cover {} of {} points. These are suggestions from the words you used: tick only what you really covered.",
                    c.covered().count(),
                    c.points.len()
                ))
                .small()
                .weak(),
            );
            if !suggested.is_empty()
                && ui
                    .button(format!("Tick the {} suggested", suggested.len()))
                    .clicked()
            {
                for index in suggested {
                    commands.send(SessionEdit::ToggleCheck { step, index });
                }
            }
        }
    });
}

/// Under a checklist point: the phrase that suggests the answer covers it,
/// or that nothing in the answer does yet.
fn coverage_hint_ui(
    ui: &mut egui::Ui,
    step: u8,
    point: &PointCoverage,
    ticked: bool,
    commands: &mut Commands,
) {
    ui.horizontal_wrapped(|ui| {
        ui.add_space(24.0);
        match &point.matched {
            Some(phrase) => {
                ui.label(
                    RichText::new(format!("appears covered: you wrote “{phrase}”"))
                        .small()
                        .color(ui.visuals().widgets.active.fg_stroke.color),
                );
                if !ticked && ui.small_button("Tick").clicked() {
                    commands.send(SessionEdit::ToggleCheck {
                        step,
                        index: point.index,
                    });
                }
            }
            None => {
                ui.label(RichText::new("not found in your answer yet").small().weak());
            }
        }
    });
}

fn hints_ui(
    ui: &mut egui::Ui,
    step: u8,
    content: &StepContent,
    session: &Session,
    markdown: &mut CommonMarkCache,
    commands: &mut Commands,
) {
    let revealed = session.step(step).hints_revealed.min(content.hints.len());
    titled_card(ui, "Hints", |ui| {
        for (i, hint) in content.hints.iter().take(revealed).enumerate() {
            ui.label(RichText::new(format!("Hint {}", i + 1)).small().strong());
            CommonMarkViewer::new().show(ui, markdown, hint);
        }
        if revealed < content.hints.len() {
            let text = format!(
                "Reveal next hint ({} of {})",
                revealed + 1,
                content.hints.len()
            );
            if ui.button(text).clicked() {
                commands.send(SessionEdit::RevealNextHint { step });
            }
        } else {
            ui.label(RichText::new("All hints shown.").small().weak());
        }
    });
}

fn reference_ui(
    ui: &mut egui::Ui,
    step: u8,
    content: &StepContent,
    session: &Session,
    markdown: &mut CommonMarkCache,
    commands: &mut Commands,
) {
    titled_card(ui, "Reference answer", |ui| {
        if !session.step(step).reference_revealed {
            ui.label(
                RichText::new("Try the step yourself first; the reference is one strong answer, not the only one.")
                    .small()
                    .weak(),
            );
            if ui.button("Reveal reference answer").clicked() {
                commands.send(SessionEdit::RevealReference { step });
            }
            return;
        }
        CommonMarkViewer::new().show(ui, markdown, &content.reference);
        ui.add_space(6.0);
        ui.label(RichText::new("Follow-ups an interviewer may ask").strong());
        for f in &content.follow_ups {
            ui.label(format!("• {f}"));
        }
        ui.add_space(6.0);
        ui.label(RichText::new("Common pitfalls").strong());
        for p in &content.pitfalls {
            ui.label(format!("• {p}"));
        }
    });
}
