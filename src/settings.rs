//! Preferences remembered between runs (stored by the UI's persistence).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Environment variable that moves the app's data folder (autosaves).
pub const DATA_DIR_ENV: &str = "MLSD_STUDIO_DATA_DIR";

/// The folder for the app's own files: `$MLSD_STUDIO_DATA_DIR` when set,
/// else the platform's data folder, else a folder in the temp directory.
pub fn data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV) {
        return PathBuf::from(dir);
    }
    directories::ProjectDirs::from("dev", "mlsd-studio", "mlsd-studio").map_or_else(
        || std::env::temp_dir().join("mlsd-studio"),
        |d| d.data_dir().to_path_buf(),
    )
}

/// How many recent sessions the home page offers.
pub const MAX_RECENT: usize = 8;

/// The colour theme the user chose.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
    /// White on black with strong borders, for low vision or glare.
    HighContrast,
}

/// The UI scales the user can step through, smallest first.
pub const UI_ZOOM_STEPS: [f32; 9] = [0.8, 0.9, 1.0, 1.1, 1.25, 1.4, 1.6, 1.8, 2.0];

/// A step of the whole UI's scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoomStep {
    In,
    Out,
    Reset,
}

/// The scale after `step` from `current`: the next step up or down the
/// list, or 1.0 for a reset.
pub fn stepped_zoom(current: f32, step: ZoomStep) -> f32 {
    let current = sane_zoom(current);
    match step {
        ZoomStep::Reset => 1.0,
        ZoomStep::In => UI_ZOOM_STEPS
            .into_iter()
            .find(|z| *z > current + 0.01)
            .unwrap_or(UI_ZOOM_STEPS[UI_ZOOM_STEPS.len() - 1]),
        ZoomStep::Out => UI_ZOOM_STEPS
            .into_iter()
            .rev()
            .find(|z| *z < current - 0.01)
            .unwrap_or(UI_ZOOM_STEPS[0]),
    }
}

/// A remembered scale kept inside the steps' range; a broken value
/// (NaN, from a hand-edited file) falls back to 1.0.
pub fn sane_zoom(zoom: f32) -> f32 {
    if zoom.is_finite() {
        zoom.clamp(UI_ZOOM_STEPS[0], UI_ZOOM_STEPS[UI_ZOOM_STEPS.len() - 1])
    } else {
        1.0
    }
}

/// User preferences.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub theme: ThemeChoice,
    /// Most recent first.
    pub recent: Vec<PathBuf>,
    /// The whole UI's scale (1.0 is egui's own size).
    pub ui_zoom: f32,
    /// Remote mock interviews may go through iroh's public relays (hole
    /// punching, and a fallback when no direct path exists). Off, only
    /// direct connections are tried.
    pub relays: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            theme: ThemeChoice::default(),
            recent: Vec::new(),
            ui_zoom: 1.0,
            relays: true,
        }
    }
}

impl Settings {
    /// Puts `path` first in the recent list, without repeats.
    pub fn remember(&mut self, path: &Path) {
        self.recent.retain(|p| p != path);
        self.recent.insert(0, path.to_path_buf());
        self.recent.truncate(MAX_RECENT);
    }

    /// Drops `path` from the recent list (e.g. when it no longer opens).
    pub fn forget(&mut self, path: &Path) {
        self.recent.retain(|p| p != path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoom_steps_up_and_down_and_stops_at_the_ends() {
        assert_eq!(stepped_zoom(1.0, ZoomStep::In), 1.1);
        assert_eq!(stepped_zoom(1.1, ZoomStep::Out), 1.0);
        assert_eq!(stepped_zoom(2.0, ZoomStep::In), 2.0);
        assert_eq!(stepped_zoom(0.8, ZoomStep::Out), 0.8);
        assert_eq!(stepped_zoom(1.6, ZoomStep::Reset), 1.0);
        // A value between steps moves to the neighbouring step.
        assert_eq!(stepped_zoom(1.2, ZoomStep::In), 1.25);
        assert_eq!(stepped_zoom(f32::NAN, ZoomStep::In), 1.1);
        assert_eq!(sane_zoom(9.0), 2.0);
    }

    #[test]
    fn recent_list_is_most_recent_first_without_repeats_and_bounded() {
        let mut s = Settings::default();
        for i in 0..10 {
            s.remember(Path::new(&format!("{i}.mlsd")));
        }
        s.remember(Path::new("5.mlsd"));
        assert_eq!(s.recent.len(), MAX_RECENT);
        assert_eq!(s.recent[0], PathBuf::from("5.mlsd"));
        assert_eq!(
            s.recent
                .iter()
                .filter(|p| p.as_path() == Path::new("5.mlsd"))
                .count(),
            1
        );
        s.forget(Path::new("5.mlsd"));
        assert_eq!(s.recent[0], PathBuf::from("9.mlsd"));
    }
}
