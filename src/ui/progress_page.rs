//! The progress page: rubric scores across mock interviews, per step and per
//! case study, with the weakest steps and what to practise next.

use eframe::egui::{self, RichText};
use egui_plot::{Bar, BarChart, Legend, Line, Plot, PlotPoints};

use crate::app::{Command, Commands};
use crate::content::CaseLibrary;
use crate::framework::{STEPS, Step};
use crate::progress::{
    ProgressEntry, case_series, practise_next, step_averages, step_series, weakest_steps,
};

/// Days since the first entry, for the x axis.
fn days(first: u64, t: u64) -> f64 {
    t.saturating_sub(first) as f64 / 86_400.0
}

pub fn progress_page_ui(
    ui: &mut egui::Ui,
    entries: &[ProgressEntry],
    notice: Option<&str>,
    library: &CaseLibrary,
    commands: &mut Commands,
) {
    egui::CentralPanel::default_margins().show(ui, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading("Progress");
                if ui.button("⬅ All case studies").clicked() {
                    commands.send(Command::GoHome);
                }
            });
            if let Some(notice) = notice {
                ui.colored_label(ui.visuals().warn_fg_color, notice);
            }
            ui.label(RichText::new(format!("{} mock interviews recorded.", entries.len())).weak());
            if entries.is_empty() {
                ui.label("Finish a mock interview to see your scores here.");
                return;
            }
            ui.add_space(8.0);
            ui.columns(2, |cols| {
                let ui = &mut cols[0];
                ui.label(RichText::new("Average score per step (1 to 4)").strong());
                let bars: Vec<Bar> = step_averages(entries)
                    .iter()
                    .enumerate()
                    .filter_map(|(i, avg)| {
                        avg.map(|v| Bar::new(i as f64 + 1.0, v).name(STEPS[i].name).width(0.6))
                    })
                    .collect();
                Plot::new("step_averages")
                    .height(220.0)
                    .include_y(0.0)
                    .include_y(4.0)
                    .x_axis_label("step")
                    .show(ui, |plot| plot.bar_chart(BarChart::new("average", bars)));
                let ui = &mut cols[1];
                ui.label(RichText::new("Weakest steps").strong());
                for (step, score) in weakest_steps(entries, 3) {
                    ui.label(format!(
                        "{}. {}: {score:.1}",
                        step,
                        STEPS[Step::clamped(step).index()].name
                    ));
                }
                ui.add_space(6.0);
                ui.label(RichText::new("Practise next").strong());
                let ids = library.studies.iter().map(|s| s.id.as_str());
                for id in practise_next(entries, ids, 3) {
                    let title = library.get(&id).map_or(id.clone(), |s| s.title.clone());
                    if ui.link(title).clicked() {
                        commands.send(Command::SetUpMock(id));
                    }
                }
            });
            ui.add_space(10.0);
            let first = entries
                .iter()
                .map(|e| e.finished_unix_secs)
                .min()
                .unwrap_or(0);
            ui.label(RichText::new("Score per step over time").strong());
            Plot::new("step_series")
                .height(240.0)
                .include_y(1.0)
                .include_y(4.0)
                .x_axis_label("days since the first mock")
                .y_axis_label("score")
                .legend(Legend::default())
                .show(ui, |plot| {
                    for fs in &STEPS {
                        let pts: Vec<[f64; 2]> = step_series(entries, fs.number)
                            .into_iter()
                            .map(|(t, v)| [days(first, t), v])
                            .collect();
                        if !pts.is_empty() {
                            plot.line(Line::new(
                                format!("{}. {}", fs.number, fs.name),
                                PlotPoints::from(pts),
                            ));
                        }
                    }
                });
            ui.add_space(10.0);
            ui.label(RichText::new("Score per case study over time").strong());
            Plot::new("case_series")
                .height(240.0)
                .include_y(1.0)
                .include_y(4.0)
                .x_axis_label("days since the first mock")
                .y_axis_label("mean score")
                .legend(Legend::default())
                .show(ui, |plot| {
                    for study in &library.studies {
                        let pts: Vec<[f64; 2]> = case_series(entries, &study.id)
                            .into_iter()
                            .map(|(t, v)| [days(first, t), v])
                            .collect();
                        if !pts.is_empty() {
                            plot.line(Line::new(study.title.clone(), PlotPoints::from(pts)));
                        }
                    }
                });
        });
    });
}
