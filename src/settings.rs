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
}

/// User preferences.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub theme: ThemeChoice,
    /// Most recent first.
    pub recent: Vec<PathBuf>,
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
