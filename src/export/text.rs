//! Text helpers shared by the exports: wrapping labels and escaping.

use crate::format::first_chars;

/// Average glyph width as a fraction of the font size, for wrapping without
/// a font at hand.
pub const CHAR_WIDTH_EM: f32 = 0.55;

/// Splits `text` into lines of at most `max_chars` characters, breaking at
/// spaces where it can. Explicit newlines are kept.
pub fn wrap(text: &str, max_chars: usize) -> Vec<String> {
    wrap_lines(text, max_chars, usize::MAX)
}

/// [`wrap`], stopping after `max_lines` lines; when text is left over the
/// last line ends with "…". The work is linear in the text it keeps.
pub fn wrap_lines(text: &str, max_chars: usize, max_lines: usize) -> Vec<String> {
    let max_chars = max_chars.max(4);
    let max_lines = max_lines.max(1);
    let mut lines = Lines {
        done: Vec::new(),
        line: String::new(),
        chars: 0,
    };
    'text: for paragraph in text.lines() {
        if lines.done.len() >= max_lines {
            break;
        }
        for mut word in paragraph.split_whitespace() {
            if lines.done.len() >= max_lines {
                break 'text;
            }
            let mut word_chars = word.chars().count();
            // A word longer than a line is cut into line-long pieces, each
            // found by walking only its own characters.
            while word_chars > max_chars && lines.done.len() < max_lines {
                lines.end_line();
                let head = first_chars(word, max_chars);
                lines.done.push(head.to_owned());
                word = &word[head.len()..];
                word_chars -= max_chars;
            }
            if lines.chars > 0 && lines.chars + 1 + word_chars > max_chars {
                lines.end_line();
            }
            lines.push_word(word, word_chars);
        }
        lines.end_paragraph();
    }
    let cut_short = lines.done.len() > max_lines
        || (lines.done.len() == max_lines && text_left(text, &lines.done));
    let mut done = lines.done;
    done.truncate(max_lines);
    if cut_short && let Some(last) = done.last_mut() {
        last.push('…');
    }
    if done.is_empty() {
        done.push(String::new());
    }
    done
}

/// Lines finished so far and the one being filled.
struct Lines {
    done: Vec<String>,
    line: String,
    chars: usize,
}

impl Lines {
    fn end_line(&mut self) {
        if self.chars > 0 {
            self.done.push(std::mem::take(&mut self.line));
            self.chars = 0;
        }
    }

    fn end_paragraph(&mut self) {
        self.done.push(std::mem::take(&mut self.line));
        self.chars = 0;
    }

    fn push_word(&mut self, word: &str, chars: usize) {
        if chars == 0 {
            return;
        }
        if self.chars > 0 {
            self.line.push(' ');
            self.chars += 1;
        }
        self.line.push_str(word);
        self.chars += chars;
    }
}

/// True when the kept lines do not hold every word of `text`.
fn text_left(text: &str, kept: &[String]) -> bool {
    let kept_chars: usize = kept
        .iter()
        .flat_map(|l| l.split_whitespace())
        .map(str::len)
        .sum();
    let all_chars: usize = text.split_whitespace().map(str::len).sum();
    kept_chars < all_chars
}

/// Escapes text for XML content and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces_and_cuts_long_words() {
        assert_eq!(
            wrap("Online feature store", 10),
            vec!["Online", "feature", "store"]
        );
        assert_eq!(wrap("a b c", 10), vec!["a b c"]);
        assert_eq!(wrap("abcdefghijkl", 5), vec!["abcde", "fghij", "kl"]);
        assert_eq!(wrap("", 5), vec![""]);
        assert_eq!(wrap("one\ntwo", 20), vec!["one", "two"]);
        assert_eq!(
            wrap("ab cdefghijkl m", 5),
            vec!["ab", "cdefg", "hijkl", "m"]
        );
    }

    #[test]
    fn stops_after_the_last_line_it_may_draw() {
        assert_eq!(wrap_lines("aaaa bbbb cccc", 4, 2), vec!["aaaa", "bbbb…"]);
        assert_eq!(wrap_lines("aaaa bbbb", 4, 2), vec!["aaaa", "bbbb"]);
        assert_eq!(wrap_lines("one\ntwo\nthree", 20, 2), vec!["one", "two…"]);
        let long = "x".repeat(1_000_000);
        let lines = wrap_lines(&long, 40, 10);
        assert_eq!(lines.len(), 10);
        assert!(lines[9].ends_with('…'));
        // Quadratic wrapping took minutes here.
        assert_eq!(wrap(&long, 40).len(), 25_000);
        let blank = "\n".repeat(1_000_000);
        assert_eq!(wrap_lines(&blank, 40, 3), vec!["", "", ""]);
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            xml_escape("a<b & \"c\"\u{1}"),
            "a&lt;b &amp; &quot;c&quot; "
        );
    }
}
