//! An asset's JSON as text for people: pretty-printed (two-space indents, as `serde_json`
//! writes it), in the server's key order, with each piece tagged as a key, a string, a number,
//! a literal or punctuation for the theme to colour. Server text is made safe as everywhere
//! else: characters that could act on a terminal are written as `\uXXXX` escapes, so the text
//! stays valid JSON with the same meaning (and is what `y` copies). Also here, because they
//! are pure text work: breaking the lines into screen rows for a width, and finding a search.

use std::ops::Range;

use serde_json::Value;
use unicode_width::UnicodeWidthChar;

use crate::sanitize;

/// What a piece of JSON text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonTone {
    Key,
    String,
    Number,
    /// `true`, `false`, `null`.
    Literal,
    /// Brackets, braces, colons, commas and indentation.
    Punct,
}

/// The pretty text, its lines, and where each tone starts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JsonText {
    /// Lines joined by '\n' (no newline after the last).
    text: String,
    /// Where each line starts in `text`.
    line_starts: Vec<usize>,
    /// (byte offset, tone) at every change of tone, in order; a tone lasts until the next.
    /// Offsets fit in 32 bits: answers are capped far below 4 GiB (`api::client`), and this
    /// halves the biggest table of a large answer.
    runs: Vec<(u32, JsonTone)>,
    /// `text` with ASCII letters lower-cased (same byte offsets), for searches without case.
    folded: String,
}

impl JsonText {
    pub fn new(value: &Value) -> JsonText {
        let mut out = JsonText { line_starts: vec![0], ..JsonText::default() };
        out.value(value, 0);
        out.folded = out.text.to_ascii_lowercase();
        out
    }

    /// The whole text: valid JSON, made safe for a terminal.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Line `index`'s byte range in the text (without its newline).
    pub fn line_range(&self, index: usize) -> Range<usize> {
        let start = self.line_starts.get(index).copied().unwrap_or(self.text.len());
        let end = self.line_starts.get(index + 1).map_or(self.text.len(), |next| next - 1);
        start..end.max(start)
    }

    /// The pieces of `range`, each with its tone, in order.
    pub fn pieces(&self, range: Range<usize>) -> Vec<(Range<usize>, JsonTone)> {
        let mut out = Vec::new();
        // The run in force at `range.start`.
        let mut i = self.runs.partition_point(|(at, _)| *at as usize <= range.start).saturating_sub(1);
        let mut at = range.start;
        while at < range.end {
            let Some(&(_, tone)) = self.runs.get(i) else { break };
            let end = self.runs.get(i + 1).map_or(range.end, |(next, _)| (*next as usize).min(range.end));
            if end > at {
                out.push((at..end, tone));
                at = end;
            }
            i += 1;
        }
        out
    }

    /// The screen rows for a width in columns: each line as one row when it fits, else cut
    /// into rows of at most `width` columns (a JSON line is mostly one long string, a URL say,
    /// with no good place to break).
    pub fn rows(&self, width: usize) -> Vec<Range<usize>> {
        let width = width.max(1);
        let mut rows = Vec::with_capacity(self.line_count());
        for index in 0..self.line_count() {
            let range = self.line_range(index);
            let line = &self.text[range.clone()];
            if line.is_ascii() {
                // One column a byte: rows are slices of `width` bytes.
                if line.len() <= width {
                    rows.push(range);
                } else {
                    let mut start = range.start;
                    while start < range.end {
                        let end = (start + width).min(range.end);
                        rows.push(start..end);
                        start = end;
                    }
                }
                continue;
            }
            let (mut start, mut columns) = (range.start, 0);
            for (offset, c) in line.char_indices() {
                let w = c.width().unwrap_or(0);
                if columns + w > width && columns > 0 {
                    rows.push(start..range.start + offset);
                    start = range.start + offset;
                    columns = 0;
                }
                columns += w;
            }
            rows.push(start..range.end);
        }
        rows
    }

    /// Where `query` occurs (byte offsets of each start, in order, not overlapping; 32 bits, as
    /// a one-letter search of a large answer can find a million). Without
    /// capitals in the query, case is ignored (ASCII letters); with capitals, it counts.
    pub fn find(&self, query: &str) -> Vec<u32> {
        let haystack = if query.chars().any(|c| c.is_ascii_uppercase()) { &self.text } else { &self.folded };
        let at = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
        match query.as_bytes() {
            [] => Vec::new(),
            // One letter (the first key of every search) can match a good part of the text.
            [byte] => positions_of(*byte, haystack.as_bytes()),
            needle => memchr::memmem::find_iter(haystack.as_bytes(), needle).map(at).collect(),
        }
    }

    /// Marks where `tone` starts, unless it is already in force.
    fn tone(&mut self, tone: JsonTone) {
        if self.runs.last().map(|(_, t)| *t) != Some(tone) {
            self.runs.push((u32::try_from(self.text.len()).unwrap_or(u32::MAX), tone));
        }
    }

    fn push(&mut self, text: &str, tone: JsonTone) {
        if !text.is_empty() {
            self.tone(tone);
            self.text.push_str(text);
        }
    }

    fn newline(&mut self, depth: usize) {
        const SPACES: &str = "                                                                ";
        self.text.push('\n');
        self.line_starts.push(self.text.len());
        let mut indent = depth * 2;
        while indent > 0 {
            let piece = indent.min(SPACES.len());
            self.push(&SPACES[..piece], JsonTone::Punct);
            indent -= piece;
        }
    }

    fn string(&mut self, s: &str, tone: JsonTone) {
        self.tone(tone);
        // Most strings need no escape at all: printable ASCII without quotes or backslashes.
        if s.bytes().all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\') {
            self.text.push('"');
            self.text.push_str(s);
            self.text.push('"');
            return;
        }
        // JSON escapes (quotes, backslashes, C0 controls), then the terminal's: C1 controls,
        // bidi and invisible characters become `\uXXXX` too.
        let quoted = serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string());
        self.text.push_str(&sanitize::escape_json(&quoted));
    }

    fn number(&mut self, n: &serde_json::Number) {
        use std::fmt::Write;
        self.tone(JsonTone::Number);
        let _ = write!(self.text, "{n}");
    }

    // Depth is bounded: serde_json refuses to read JSON nested more than 128 deep.
    fn value(&mut self, value: &Value, depth: usize) {
        match value {
            Value::Null => self.push("null", JsonTone::Literal),
            Value::Bool(b) => self.push(if *b { "true" } else { "false" }, JsonTone::Literal),
            Value::Number(n) => self.number(n),
            Value::String(s) => self.string(s, JsonTone::String),
            Value::Array(items) if items.is_empty() => self.push("[]", JsonTone::Punct),
            Value::Object(map) if map.is_empty() => self.push("{}", JsonTone::Punct),
            Value::Array(items) => {
                self.push("[", JsonTone::Punct);
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.push(",", JsonTone::Punct);
                    }
                    self.newline(depth + 1);
                    self.value(item, depth + 1);
                }
                self.newline(depth);
                self.push("]", JsonTone::Punct);
            }
            Value::Object(map) => {
                self.push("{", JsonTone::Punct);
                for (i, (key, item)) in map.iter().enumerate() {
                    if i > 0 {
                        self.push(",", JsonTone::Punct);
                    }
                    self.newline(depth + 1);
                    self.string(key, JsonTone::Key);
                    self.push(": ", JsonTone::Punct);
                    self.value(item, depth + 1);
                }
                self.newline(depth);
                self.push("}", JsonTone::Punct);
            }
        }
    }
}

/// Every position of `byte`, found eight bytes at a time: where matches are dense, calling a
/// search again for each one costs several times more (measured in benches/json_view.rs).
fn positions_of(byte: u8, haystack: &[u8]) -> Vec<u32> {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let pattern = u64::from_le_bytes([byte; 8]);
    let at = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
    let mut out = Vec::new();
    let mut chunks = haystack.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut chunks {
        let Ok(bytes) = <[u8; 8]>::try_from(chunk) else { break };
        // Zero bytes where the byte is; then the top bit of exactly those bytes (no carry
        // crosses a byte: each sum is at most 0xfe).
        let word = u64::from_le_bytes(bytes) ^ pattern;
        let mut zeros = !(((word & LOW7) + LOW7) | word | LOW7);
        while zeros != 0 {
            out.push(at(base + zeros.trailing_zeros() as usize / 8));
            zeros &= zeros - 1;
        }
        base += 8;
    }
    out.extend(chunks.remainder().iter().enumerate().filter(|(_, b)| **b == byte).map(|(i, _)| at(base + i)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_text_is_what_serde_json_pretty_prints() {
        let value: Value =
            serde_json::from_str(r#"{"b":1,"a":[true,null,"x",{}],"c":{"d":[]},"e":-2.5,"f":"say \"hi\"\n"}"#).unwrap();
        let text = JsonText::new(&value);
        assert_eq!(text.text(), serde_json::to_string_pretty(&value).unwrap());
        assert_eq!(text.line_count(), text.text().lines().count());
    }

    #[test]
    fn keys_come_in_the_servers_order() {
        let value: Value = serde_json::from_str(r#"{"zeta":1,"alpha":2}"#).unwrap();
        let text = JsonText::new(&value);
        assert!(text.text().find("zeta").unwrap() < text.text().find("alpha").unwrap(), "{}", text.text());
    }

    #[test]
    fn each_piece_has_its_tone() {
        let text = JsonText::new(&json!({"k": "v", "n": 3, "t": true}));
        let line = text.line_range(1);
        let pieces: Vec<(&str, JsonTone)> =
            text.pieces(line).into_iter().map(|(r, tone)| (&text.text()[r], tone)).collect();
        assert_eq!(
            pieces,
            vec![
                ("  ", JsonTone::Punct),
                ("\"k\"", JsonTone::Key),
                (": ", JsonTone::Punct),
                ("\"v\"", JsonTone::String),
                (",", JsonTone::Punct)
            ]
        );
        let n = text.pieces(text.line_range(2));
        assert_eq!(&text.text()[n[3].0.clone()], "3");
        assert_eq!(n[3].1, JsonTone::Number);
        assert_eq!(text.pieces(text.line_range(3))[3].1, JsonTone::Literal);
    }

    #[test]
    fn terminal_control_and_bidi_characters_are_escaped_and_the_json_means_the_same() {
        let hostile = "a\u{1b}]0;owned\u{7}b\u{202e}c\u{85}d";
        let value = json!({ "name": hostile });
        let text = JsonText::new(&value);
        assert!(!text.text().chars().any(|c| sanitize::is_unsafe(c) && c != '\n'), "{:?}", text.text());
        assert!(text.text().contains("\\u202e") && text.text().contains("\\u0085"), "{}", text.text());
        let back: Value = serde_json::from_str(text.text()).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn long_lines_are_cut_into_rows_of_the_width() {
        let text =
            JsonText::new(&json!({"url": "https://example.com/".to_string() + &"x".repeat(50), "é": "é".repeat(30)}));
        let rows = text.rows(20);
        assert!(rows.len() > 3);
        for row in &rows {
            assert!(text.text()[row.clone()].chars().count() <= 20);
        }
        let joined: String = rows.iter().map(|r| &text.text()[r.clone()]).collect::<Vec<_>>().join("");
        assert_eq!(joined, text.text().replace('\n', ""));
        let wide = JsonText::new(&json!(["東京東京"]));
        for row in wide.rows(5) {
            assert!(unicode_width::UnicodeWidthStr::width(&wide.text()[row]) <= 5);
        }
    }

    #[test]
    fn one_byte_positions_are_exactly_memchrs() {
        let texts: [&[u8]; 5] =
            [b"", b"a", b"aaaaaaaaaaaaaaaaa", b"\x00\x01a\x80\xffa\x7fa\x00", b"banana bandana cabana!"];
        for text in texts {
            for byte in [b'a', 0, 0x80, 0xff, 0x7f, b'!'] {
                let expected: Vec<u32> = memchr::memchr_iter(byte, text).map(|i| i as u32).collect();
                assert_eq!(positions_of(byte, text), expected, "{byte:#x} in {text:?}");
            }
        }
        // Every byte value next to every other, at every offset within a word.
        let all: Vec<u8> = (0..=255u8).flat_map(|a| [a, a.wrapping_add(1), 0, 0x80]).collect();
        for byte in 0..=255u8 {
            let expected: Vec<u32> = memchr::memchr_iter(byte, &all).map(|i| i as u32).collect();
            assert_eq!(positions_of(byte, &all), expected, "{byte:#x}");
        }
    }

    #[test]
    fn search_ignores_case_until_the_query_has_capitals() {
        let text = JsonText::new(&json!({"name": "Cat cat CAT", "other": "concat"}));
        assert_eq!(text.find("cat").len(), 4);
        assert_eq!(text.find("Cat").len(), 1);
        assert_eq!(text.find("").len(), 0);
        assert_eq!(text.find("aa").len(), 0);
        let overlapping = JsonText::new(&json!("aaaa"));
        assert_eq!(overlapping.find("aa").len(), 2, "matches do not overlap");
        let at = text.find("concat")[0] as usize;
        assert_eq!(&text.text()[at..at + 6], "concat");
    }
}
