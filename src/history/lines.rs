//! The line format of history.jsonl: one JSON object a line with `assetId`, `lookedUpAt` and
//! the `asset` as received. Reading a row parses only what the list shows; the asset is parsed
//! in full only when its snapshot is opened. Nothing here touches a file except through the
//! reader it is given.

use std::borrow::Cow;
use std::collections::HashSet;
use std::io::{self, BufRead, Read};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::{HistoryEntry, HistoryRow, MAX_LINE_BYTES};
use crate::sanitize::clean;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct LineOut<'a> {
    pub asset_id: &'a str,
    pub looked_up_at: String,
    pub asset: &'a serde_json::Value,
}

/// The parts of a line every read needs; the asset stays unparsed.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LineHead<'a> {
    #[serde(borrow)]
    asset_id: Cow<'a, str>,
    #[serde(borrow)]
    looked_up_at: Cow<'a, str>,
    #[serde(borrow)]
    asset: &'a RawValue,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AssetHead<'a> {
    #[serde(borrow, default)]
    name: Option<&'a RawValue>,
    #[serde(borrow, default)]
    media_type: Option<&'a RawValue>,
}

/// Checks a line: an object with a non-empty assetId, an RFC 3339 lookedUpAt, an object asset.
fn check(line: &[u8]) -> Option<(LineHead<'_>, Timestamp)> {
    let head: LineHead = serde_json::from_str(std::str::from_utf8(line).ok()?).ok()?;
    let looked_up_at = head.looked_up_at.parse::<Timestamp>().ok()?;
    let valid = !head.asset_id.is_empty() && head.asset.get().starts_with('{');
    valid.then_some((head, looked_up_at))
}

/// The newest `want` distinct rows among the complete lines of `buf`, which starts at byte
/// `start` of the file (a partial first line is skipped unless `start` is 0).
pub(super) fn newest_rows(buf: &[u8], start: u64, want: usize) -> Vec<HistoryRow> {
    let skip = if start == 0 { 0 } else { buf.iter().position(|&b| b == b'\n').map_or(buf.len(), |i| i + 1) };
    let mut rows = Vec::new();
    let mut seen = HashSet::new();
    let mut end = buf.len();
    while end > skip && rows.len() < want {
        let line_start = buf[skip..end - 1].iter().rposition(|&b| b == b'\n').map_or(skip, |i| skip + i + 1);
        let line = &buf[line_start..end];
        let text = line.strip_suffix(b"\n").unwrap_or(line);
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        // A last line without its newline may still be being written: not a row yet.
        if (end < buf.len() || line.ends_with(b"\n"))
            && let Some(row) = parse_head(text, start + line_start as u64)
            && seen.insert(row.asset_id.clone())
        {
            rows.push(row);
        }
        end = line_start;
    }
    rows
}

pub(super) fn to_the_second(t: Timestamp) -> Timestamp {
    Timestamp::from_second(t.as_second()).unwrap_or(t)
}

/// A row from one line, or None when the line is not a readable entry.
pub(super) fn parse_head(line: &[u8], offset: u64) -> Option<HistoryRow> {
    let (head, looked_up_at) = check(line)?;
    let asset: AssetHead = serde_json::from_str(head.asset.get()).ok()?;
    let text = |raw: Option<&RawValue>| {
        let s: String = serde_json::from_str(raw?.get()).ok()?;
        Some(clean(&s).into_owned())
    };
    let (name, media_type) = (text(asset.name), text(asset.media_type));
    let asset_id = clean(&head.asset_id).into_owned();
    Some(HistoryRow { asset_id, name, media_type, looked_up_at: to_the_second(looked_up_at), offset })
}

/// The full entry from one line, under the same rules as [`parse_head`].
pub(super) fn parse_entry(line: &[u8]) -> Option<HistoryEntry> {
    let (head, looked_up_at) = check(line)?;
    let asset = serde_json::from_str(head.asset.get()).ok()?;
    Some(HistoryEntry { asset_id: head.asset_id.into_owned(), looked_up_at, asset })
}

pub(super) struct Line<'b> {
    /// Bytes consumed, terminator included.
    pub used: u64,
    /// Without '\n' or a trailing '\r'; None when longer than [`MAX_LINE_BYTES`].
    pub text: Option<&'b [u8]>,
    pub newline: bool,
}

/// The next '\n'-separated line; a line too long to keep is skipped without being buffered.
pub(super) fn next_line<'b>(reader: &mut impl BufRead, buf: &'b mut Vec<u8>) -> io::Result<Option<Line<'b>>> {
    buf.clear();
    let mut used = reader.take(MAX_LINE_BYTES).read_until(b'\n', buf)? as u64;
    let mut newline = buf.last() == Some(&b'\n');
    let whole = newline || used < MAX_LINE_BYTES;
    if !whole {
        let skipped = reader.skip_until(b'\n')? as u64;
        used += skipped;
        newline = skipped > 0;
    }
    if used == 0 {
        return Ok(None);
    }
    let text = buf.strip_suffix(b"\n").unwrap_or(buf);
    let text = text.strip_suffix(b"\r").unwrap_or(text);
    Ok(Some(Line { used, text: whole.then_some(text), newline }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_tolerate_crlf_a_missing_final_newline_and_overlong_lines() {
        let mut input = b"{}\r\n\n".to_vec();
        input.extend(std::iter::repeat_n(b'a', MAX_LINE_BYTES as usize + 5));
        input.extend_from_slice(b"\nlast");
        let (mut reader, mut buf, mut seen) = (io::Cursor::new(input), Vec::new(), Vec::new());
        while let Some(line) = next_line(&mut reader, &mut buf).unwrap() {
            seen.push((line.used, line.text.map(<[u8]>::to_vec), line.newline));
        }
        let long = MAX_LINE_BYTES + 6;
        let expected = [
            (4, Some(b"{}".to_vec()), true),
            (1, Some(vec![]), true),
            (long, None, true),
            (4, Some(b"last".to_vec()), false),
        ];
        assert_eq!(seen, expected);
    }

    #[test]
    fn a_row_needs_a_string_id_an_rfc3339_time_and_an_object_asset() {
        let row = |line: &str| parse_head(line.as_bytes(), 7);
        let good = row(r#"{"asset":{"name":"a\u001b","mediaType":3,"x":[{}]},"assetId":"i\n","lookedUpAt":"2026-11-27T06:11:51.123Z","more":null}"#).unwrap();
        assert_eq!((good.asset_id.as_str(), good.offset), ("i\u{FFFD}", 7));
        assert_eq!((good.name.as_deref(), good.media_type), (Some("a\u{FFFD}"), None));
        for bad in [
            r#"{"assetId":"","lookedUpAt":"2026-11-27T06:11:51Z","asset":{}}"#,
            r#"{"assetId":"i","lookedUpAt":"2026-11-27","asset":{}}"#,
            r#"{"assetId":"i","lookedUpAt":"2026-11-27T06:11:51Z","asset":"{}"}"#,
            r#"{"assetId":"i","lookedUpAt":"2026-11-27T06:11:51Z"}"#,
            r#"{"assetId":"i","assetId":"j","lookedUpAt":"2026-11-27T06:11:51Z","asset":{}}"#,
            r#"{"assetId":"i","lookedUpAt":"2026-11-27T06:11:51Z","asset":{}} trailing"#,
        ] {
            assert!(row(bad).is_none(), "{bad}");
            assert!(parse_entry(bad.as_bytes()).is_none(), "{bad}");
        }
    }
}
