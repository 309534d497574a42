//! Breaking text to a width in terminal columns, and lines of text tagged with what they mean
//! (a label, a warning…) rather than how they look: drawing picks the styles, and anything that
//! needs only a line count (scrolling) gets it without drawing.

use unicode_width::UnicodeWidthChar;

/// What a piece of text is, for the theme to style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    Label,
    /// A value the server did not send.
    Absent,
    Good,
    Pending,
    Bad,
    BadTitle,
    Hint,
    /// A section's heading.
    Heading,
    /// The chosen line of a list inside the text.
    Selected,
}

/// One screen line made of tagged pieces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextLine {
    pub spans: Vec<(String, Tone)>,
}

impl TextLine {
    pub fn plain(text: String, tone: Tone) -> TextLine {
        TextLine { spans: vec![(text, tone)] }
    }
}

/// What a missing value shows as: never a made-up zero.
pub const ABSENT: &str = "—";
const LABEL_WIDTH: usize = 13;

/// Appends `text` wrapped to `width`, in one tone.
pub fn push_wrapped(out: &mut Vec<TextLine>, text: &str, width: usize, tone: Tone) {
    out.extend(wrap(text, width).into_iter().map(|chunk| TextLine::plain(chunk, tone)));
}

/// One labelled value; continuation lines are indented under the value. Too narrow for two
/// columns, the label goes above the value.
pub fn push_field(out: &mut Vec<TextLine>, label: &str, value: Option<&str>, width: usize) {
    let (text, tone) = match value {
        Some(v) => (v, Tone::Plain),
        None => (ABSENT, Tone::Absent),
    };
    if width <= LABEL_WIDTH + 4 {
        if !label.is_empty() {
            push_wrapped(out, label, width, Tone::Label);
        }
        push_wrapped(out, text, width, tone);
        return;
    }
    for (i, chunk) in wrap(text, width - LABEL_WIDTH).into_iter().enumerate() {
        let head = if i == 0 { format!("{label:<LABEL_WIDTH$}") } else { " ".repeat(LABEL_WIDTH) };
        out.push(TextLine { spans: vec![(head, Tone::Label), (chunk, tone)] });
    }
}

/// Breaks text into pieces of at most `width` columns, at spaces where possible; words longer
/// than a line (URLs, IDs) are broken where they reach the edge.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_width = 0;
    for word in text.split(' ') {
        let word_width: usize = word.chars().map(|c| c.width().unwrap_or(0)).sum();
        if !line.is_empty() && line_width + 1 + word_width <= width {
            line.push(' ');
            line.push_str(word);
            line_width += 1 + word_width;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            line_width = 0;
        }
        for c in word.chars() {
            let w = c.width().unwrap_or(0);
            if line_width + w > width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_width = 0;
            }
            line.push(c);
            line_width += w;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_and_hard_breaks_long_words() {
        assert_eq!(wrap("hello big world", 9), vec!["hello big", "world"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 5), vec![""]);
        assert_eq!(wrap("東京東京", 5), vec!["東京", "東京"]);
    }

    #[test]
    fn fields_indent_their_continuation_and_stack_when_narrow() {
        let mut out = Vec::new();
        push_field(&mut out, "Name", Some("a b c d e f g h"), 20);
        assert_eq!(out.len(), 2, "{out:?}");
        assert_eq!(out[1].spans[0].0, " ".repeat(LABEL_WIDTH));
        let mut narrow = Vec::new();
        push_field(&mut narrow, "Name", None, 10);
        assert_eq!(
            narrow,
            vec![TextLine::plain("Name".into(), Tone::Label), TextLine::plain(ABSENT.into(), Tone::Absent)]
        );
    }
}
