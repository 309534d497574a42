//! Server text made safe for a terminal. Every string that came from the network or the disk
//! passes through here before it can reach the screen: control characters (C0, DEL, C1) and
//! Unicode format/bidi characters become a visible placeholder, so no server can send escape
//! sequences (window title, clipboard, hyperlinks, cursor moves) or reorder text.

use std::borrow::Cow;

/// What replaces a character that must not reach the terminal.
pub const PLACEHOLDER: char = '\u{FFFD}';

/// True for characters that could act on a terminal or reorder text instead of printing.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}'                  // soft hyphen (invisible)
            | '\u{061C}'                // arabic letter mark
            | '\u{115F}' | '\u{1160}'   // hangul fillers (invisible)
            | '\u{180E}'                // mongolian vowel separator
            | '\u{200B}'..='\u{200F}'   // zero-width chars, LRM/RLM
            | '\u{2028}'..='\u{202E}'   // line/paragraph separators, bidi embeddings and overrides
            | '\u{2060}'..='\u{206F}'   // word joiner, invisible operators, bidi isolates
            | '\u{3164}'                // hangul filler
            | '\u{FE00}'..='\u{FE0F}'   // variation selectors
            | '\u{FEFF}'                // byte-order mark
            | '\u{FFF9}'..='\u{FFFB}'   // interlinear annotations
            | '\u{E0000}'..='\u{E007F}' // tags
        )
}

/// True when no character of `s` is unsafe. Printable ASCII, most text, is settled a byte at a
/// time (every unsafe character is a control or outside ASCII): a task's thousand artifacts are
/// checked this way when they are read.
pub fn is_clean(s: &str) -> bool {
    s.bytes().all(|b| matches!(b, 0x20..=0x7e)) || !s.chars().any(is_unsafe)
}

/// The text with every unsafe character replaced by [`PLACEHOLDER`].
pub fn clean(s: &str) -> Cow<'_, str> {
    if is_clean(s) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().map(|c| if is_unsafe(c) { PLACEHOLDER } else { c }).collect())
}

/// Like [`clean`], for text shown on one line: runs of whitespace (newlines and tabs included)
/// become one space, the ends are trimmed, and the result is cut to `max_chars` with an ellipsis.
pub fn one_line(s: &str, max_chars: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    for word in s.split_whitespace() {
        if count > 0 {
            if count >= max_chars {
                out.push('…');
                return out;
            }
            out.push(' ');
            count += 1;
        }
        for c in word.chars() {
            if count >= max_chars {
                out.push('…');
                return out;
            }
            out.push(if is_unsafe(c) { PLACEHOLDER } else { c });
            count += 1;
        }
    }
    out
}

/// JSON text with every unsafe character written as a `\uXXXX` escape: still valid JSON with the
/// same meaning, but safe to print to a terminal.
pub fn escape_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if is_unsafe(c) && !matches!(c, '\n' | '\t') {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn escape_sequences_are_neutralised() {
        let evil = "a\u{1b}]0;title\u{7}b\u{1b}]52;c;aGk=\u{7}\u{1b}[2J\u{9b}31m\u{202e}cba\u{7f}";
        let out = clean(evil);
        assert!(!out.chars().any(is_unsafe));
        assert!(out.starts_with("a\u{FFFD}]0;title\u{FFFD}b"));
        assert!(out.contains("\u{FFFD}cba\u{FFFD}"));
    }

    #[test]
    fn ordinary_text_is_borrowed_unchanged() {
        assert!(matches!(clean("Race car.jpg — 東京 🚗"), Cow::Borrowed(_)));
    }

    #[test]
    fn one_line_collapses_whitespace_and_truncates() {
        assert_eq!(one_line("  a\n\tb  c\u{1b} ", 100), "a b c\u{FFFD}");
        assert_eq!(one_line("abcdef", 3), "abc…");
    }

    #[test]
    fn escaped_json_keeps_its_meaning() {
        let v = serde_json::json!({"name": "x\u{1b}[31m\u{202e}\u{9b}y"});
        let text = escape_json(&serde_json::to_string(&v).unwrap());
        assert!(!text.chars().any(is_unsafe));
        assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), v);
    }

    proptest! {
        #[test]
        fn clean_never_emits_unsafe_chars(s in any::<String>()) {
            prop_assert!(!clean(&s).chars().any(is_unsafe));
            prop_assert_eq!(clean(&s).chars().count(), s.chars().count());
        }

        #[test]
        fn one_line_never_emits_unsafe_chars(s in any::<String>(), max in 0usize..50) {
            let out = one_line(&s, max);
            prop_assert!(!out.chars().any(is_unsafe));
            prop_assert!(out.chars().count() <= max + 1);
        }

        #[test]
        fn escape_json_round_trips(s in any::<String>()) {
            let text = escape_json(&serde_json::to_string(&s).unwrap());
            prop_assert!(!text.chars().any(is_unsafe));
            prop_assert_eq!(serde_json::from_str::<String>(&text).unwrap(), s);
        }
    }
}
