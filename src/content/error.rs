//! Errors in case-study files, each with the file and the position it concerns.

use std::fmt;
use std::path::PathBuf;

/// A 1-based line and column in a text file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub col: usize,
}

impl Position {
    /// The start of a file.
    pub const START: Position = Position { line: 1, col: 1 };

    /// The position of byte offset `offset` in `text`.
    pub fn of_offset(text: &str, offset: usize) -> Position {
        let before = &text[..floor_char_boundary(text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        Position { line, col }
    }
}

fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut i = offset.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One problem in one case-study file, shown as `file:line:col: message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ContentError {
    pub file: PathBuf,
    pub position: Position,
    pub message: String,
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file.display(),
            self.position.line,
            self.position.col,
            self.message
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_one_based_lines_and_columns() {
        let text = "ab\ncdé\nf";
        assert_eq!(Position::of_offset(text, 0), Position { line: 1, col: 1 });
        assert_eq!(Position::of_offset(text, 4), Position { line: 2, col: 2 });
        // The byte after 'é' is column 4 even though 'é' takes two bytes.
        assert_eq!(Position::of_offset(text, 7), Position { line: 2, col: 4 });
        assert_eq!(Position::of_offset(text, 8), Position { line: 3, col: 1 });
        // Offsets past the end or inside a character stay in range.
        assert_eq!(Position::of_offset(text, 6), Position { line: 2, col: 3 });
        assert_eq!(Position::of_offset(text, 99), Position { line: 3, col: 2 });
    }

    #[test]
    fn displays_as_file_line_col_message() {
        let e = ContentError {
            file: PathBuf::from("case_studies/x.ron"),
            position: Position { line: 3, col: 7 },
            message: "bad".into(),
        };
        assert_eq!(e.to_string(), "case_studies/x.ron:3:7: bad");
    }
}
