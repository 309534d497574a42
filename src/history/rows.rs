//! The history list as held in memory: one fixed-size record of 32 bytes a row, plus the row's
//! display name (at most [`NAME_BYTES`]) in a shared text arena. Asset IDs of the usual form
//! `…-asset:<uuid>` cost 16 bytes: the part before the UUID is stored once per account. This
//! keeps 100,000 rows within a few MiB; full snapshots stay on disk until opened.

use std::collections::HashMap;

use jiff::Timestamp;

use super::HistoryRow;

/// A row keeps at most this much of an asset's name: what the list's name column shows (the
/// detail pane shows the whole name, from the snapshot).
pub const NAME_BYTES: usize = 32;

const TEXT_ID: u8 = u8::MAX;
const NO_NAME: u8 = u8::MAX;

#[derive(Debug, Clone, Copy)]
struct Packed {
    /// A UUID's bytes, or (when `prefix` is TEXT_ID) the start and length of the id in `text`.
    id: [u8; 16],
    /// The line's byte offset: 40 bits, files up to 1 TiB.
    offset_low: u32,
    offset_high: u8,
    /// Seconds since 1970 (until 2106): the list shows ages, not instants.
    at_secs: u32,
    prefix: u8,
    name_start: u32,
    name_len: u8,
    /// 0 when absent, else an index + 1 into `media`.
    media: u8,
}

impl Packed {
    fn offset(&self) -> u64 {
        (self.offset_high as u64) << 32 | self.offset_low as u64
    }
}

/// What two rows are compared by: the same asset has the same key.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Key<'a> {
    Uuid(u8, [u8; 16]),
    Text(&'a str),
}

/// Rows oldest first inside; every accessor counts from the newest (index 0).
#[derive(Default, Clone)]
pub struct RowList {
    rows: Vec<Packed>,
    text: String,
    prefixes: Vec<Box<str>>,
    prefix_index: HashMap<Box<str>, u8>,
    media: Vec<Box<str>>,
}

impl RowList {
    pub fn new() -> RowList {
        RowList::default()
    }

    /// Rows given newest first, each asset once (as `HistoryStore::load` returns them).
    pub fn from_newest_first(rows: impl IntoIterator<Item = HistoryRow>) -> RowList {
        let mut list = RowList::new();
        let rows: Vec<HistoryRow> = rows.into_iter().collect();
        for row in rows.iter().rev() {
            list.push_newest(row);
        }
        list
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Row `index`, counting from the newest.
    pub fn get(&self, index: usize) -> Option<HistoryRow> {
        let packed = self.rows.get(self.rows.len().checked_sub(index + 1)?)?;
        Some(self.unpack(packed))
    }

    /// Every row, newest first.
    pub fn iter(&self) -> impl Iterator<Item = HistoryRow> + '_ {
        self.rows.iter().rev().map(|p| self.unpack(p))
    }

    /// The name as stored for row `index` (cut to [`NAME_BYTES`]), without allocating.
    pub fn name(&self, index: usize) -> Option<&str> {
        let packed = self.rows.get(self.rows.len().checked_sub(index + 1)?)?;
        self.name_of(packed)
    }

    /// Where the newest row for `asset_id` is, counting from the newest.
    pub fn position(&self, asset_id: &str) -> Option<usize> {
        let key = self.key_for(asset_id);
        let at = self.rows.iter().rposition(|p| self.key(p) == key)?;
        Some(self.rows.len() - 1 - at)
    }

    /// Indices (newest first) of the rows of these assets: one pass over the rows, whatever
    /// the number of IDs (the prompt search finds assets by ID).
    pub fn with_ids<'a>(&self, ids: impl IntoIterator<Item = &'a str>) -> Vec<u32> {
        let keys: std::collections::HashSet<Key<'a>> = ids.into_iter().map(|id| self.key_for(id)).collect();
        if keys.is_empty() {
            return Vec::new();
        }
        let last = self.rows.len();
        (0..last).filter(|&i| keys.contains(&self.key(&self.rows[last - 1 - i]))).map(|i| i as u32).collect()
    }

    /// Indices (newest first) of the rows whose name or asset ID contains `query`, ignoring
    /// case. Allocation-free per row, so 100,000 rows take a few milliseconds.
    pub fn matching(&self, query: &str) -> Vec<u32> {
        self.matching_among(0..self.rows.len() as u32, query)
    }

    /// Like [`Self::matching`], among the given indices only (a narrower query within the
    /// matches of a shorter one).
    pub fn matching_among(&self, indices: impl IntoIterator<Item = u32>, query: &str) -> Vec<u32> {
        let needle = query.to_lowercase();
        let matcher = Matcher::new(&self.prefixes, &needle);
        let n = self.rows.len();
        indices
            .into_iter()
            .filter(|&index| {
                let Some(p) =
                    (index as usize).checked_add(1).and_then(|i| n.checked_sub(i)).and_then(|i| self.rows.get(i))
                else {
                    return false;
                };
                matcher.matches(self.name_of(p), self.key(p))
            })
            .collect()
    }

    /// Adds `row` as the newest, replacing an older row of the same asset.
    pub fn push_newest(&mut self, row: &HistoryRow) {
        if let Some(index) = self.position(&row.asset_id) {
            let at = self.rows.len() - 1 - index;
            self.rows.remove(at);
        }
        self.push_unchecked(row);
    }

    /// Adds `row` as the newest without looking for an older copy; see [`Self::dedupe`].
    pub(super) fn push_unchecked(&mut self, row: &HistoryRow) {
        let packed = self.pack(row);
        self.rows.push(packed);
    }

    /// Keeps only the newest row of each asset, in order.
    pub(super) fn dedupe(&mut self) {
        let mut order: Vec<u32> = (0..self.rows.len() as u32).collect();
        order.sort_by(|&a, &b| self.key(&self.rows[a as usize]).cmp(&self.key(&self.rows[b as usize])).then(a.cmp(&b)));
        let mut keep = vec![true; self.rows.len()];
        for pair in order.windows(2) {
            if self.key(&self.rows[pair[0] as usize]) == self.key(&self.rows[pair[1] as usize]) {
                keep[pair[0] as usize] = false; // a newer line of the same asset follows
            }
        }
        let mut flags = keep.into_iter();
        self.rows.retain(|_| flags.next().unwrap_or(true));
        self.rows.shrink_to_fit();
        self.text.shrink_to_fit();
    }

    /// Byte offsets of the newest `max` rows' lines, in file order.
    pub(super) fn offsets_of_newest(&self, max: usize) -> Vec<u64> {
        let mut offsets: Vec<u64> =
            self.rows[self.rows.len().saturating_sub(max)..].iter().map(Packed::offset).collect();
        offsets.sort_unstable();
        offsets
    }

    /// Bytes held, for benchmarks and tests of the memory bound.
    pub fn heap_bytes(&self) -> usize {
        self.rows.capacity() * std::mem::size_of::<Packed>()
            + self.text.capacity()
            + self.prefixes.iter().map(|p| p.len() * 2 + 48).sum::<usize>()
    }

    fn pack(&mut self, row: &HistoryRow) -> Packed {
        let (id, prefix) = match self.split_uuid(&row.asset_id) {
            Some((prefix, uuid)) => (uuid, prefix),
            None => (self.text_coords(&row.asset_id), TEXT_ID),
        };
        let (name_start, name_len) = match &row.name {
            Some(name) => {
                let cut = cut_to(name, NAME_BYTES);
                match u32::try_from(self.text.len()) {
                    Ok(start) => {
                        self.text.push_str(cut);
                        (start, cut.len() as u8)
                    }
                    Err(_) => (0, NO_NAME),
                }
            }
            None => (0, NO_NAME),
        };
        let media = match &row.media_type {
            Some(m) => match self.media.iter().position(|known| **known == **m) {
                Some(i) => (i + 1) as u8,
                None if self.media.len() < 254 => {
                    self.media.push(cut_to(m, 32).into());
                    self.media.len() as u8
                }
                None => 0,
            },
            None => 0,
        };
        let at_secs = u32::try_from(row.looked_up_at.as_second().max(0)).unwrap_or(u32::MAX);
        // Offsets past 1 TiB cannot be kept; such a row reads its snapshot by scanning instead.
        let offset = if row.offset < 1 << 40 { row.offset } else { u64::MAX >> 24 };
        let (offset_low, offset_high) = (offset as u32, (offset >> 32) as u8);
        Packed { id, offset_low, offset_high, at_secs, prefix, name_start, name_len, media }
    }

    fn unpack(&self, p: &Packed) -> HistoryRow {
        let asset_id = match self.key(p) {
            Key::Uuid(prefix, uuid) => {
                let base = self.prefixes.get(prefix as usize).map(|s| &**s).unwrap_or("");
                format!("{base}{}", format_uuid(&uuid))
            }
            Key::Text(text) => text.to_string(),
        };
        HistoryRow {
            asset_id,
            name: self.name_of(p).map(str::to_string),
            media_type: self.media.get((p.media as usize).wrapping_sub(1)).map(|m| m.to_string()),
            looked_up_at: Timestamp::from_second(p.at_secs as i64).unwrap_or(Timestamp::UNIX_EPOCH),
            offset: p.offset(),
        }
    }

    fn name_of(&self, p: &Packed) -> Option<&str> {
        if p.name_len == NO_NAME {
            return None;
        }
        let start = p.name_start as usize;
        self.text.get(start..start + p.name_len as usize)
    }

    fn key(&self, p: &Packed) -> Key<'_> {
        if p.prefix == TEXT_ID {
            let start = u32::from_le_bytes([p.id[0], p.id[1], p.id[2], p.id[3]]) as usize;
            let len = u32::from_le_bytes([p.id[4], p.id[5], p.id[6], p.id[7]]) as usize;
            Key::Text(self.text.get(start..start + len).unwrap_or(""))
        } else {
            Key::Uuid(p.prefix, p.id)
        }
    }

    /// The key `asset_id` would have, without storing anything.
    fn key_for<'a>(&self, asset_id: &'a str) -> Key<'a> {
        if let Some((prefix, uuid)) = uuid_suffix(asset_id)
            && let Some(&index) = self.prefix_index.get(prefix)
        {
            return Key::Uuid(index, uuid);
        }
        Key::Text(asset_id)
    }

    fn split_uuid(&mut self, asset_id: &str) -> Option<(u8, [u8; 16])> {
        let (prefix, uuid) = uuid_suffix(asset_id)?;
        let index = match self.prefix_index.get(prefix) {
            Some(&i) => i,
            None => {
                let i = u8::try_from(self.prefixes.len()).ok().filter(|&i| i != TEXT_ID)?;
                self.prefixes.push(prefix.into());
                self.prefix_index.insert(prefix.into(), i);
                i
            }
        };
        Some((index, uuid))
    }

    fn text_coords(&mut self, id: &str) -> [u8; 16] {
        let start = self.text.len() as u32;
        self.text.push_str(id);
        let mut out = [0u8; 16];
        out[..4].copy_from_slice(&start.to_le_bytes());
        out[4..8].copy_from_slice(&(id.len() as u32).to_le_bytes());
        out
    }
}

impl PartialEq for RowList {
    fn eq(&self, other: &RowList) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl std::fmt::Debug for RowList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter().take(20)).finish()
    }
}

/// Splits `…asset:<uuid>` into the part before the UUID and its 16 bytes, when the UUID is in
/// canonical lowercase form (so that it prints back exactly as it was).
fn uuid_suffix(asset_id: &str) -> Option<(&str, [u8; 16])> {
    let split = asset_id.len().checked_sub(36)?;
    let (prefix, uuid) = (asset_id.get(..split)?, asset_id.get(split..)?);
    if !prefix.ends_with("asset:") {
        return None;
    }
    let mut bytes = [0u8; 16];
    let mut hex = uuid.bytes().filter(|&b| b != b'-');
    for byte in &mut bytes {
        let hi = hex_value(hex.next()?)?;
        let lo = hex_value(hex.next()?)?;
        *byte = hi << 4 | lo;
    }
    (format_uuid(&bytes) == uuid).then_some((prefix, bytes))
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    }
}

fn format_uuid(b: &[u8; 16]) -> String {
    let mut buf = [0u8; 36];
    write_uuid(b, &mut buf).to_string()
}

fn write_uuid<'a>(b: &[u8; 16], out: &'a mut [u8; 36]) -> &'a str {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut at = 0;
    for (i, byte) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out[at] = b'-';
            at += 1;
        }
        out[at] = HEX[(byte >> 4) as usize];
        out[at + 1] = HEX[(byte & 15) as usize];
        at += 2;
    }
    std::str::from_utf8(out).unwrap_or("")
}

/// A filter query, with what can be worked out once rather than per row.
struct Matcher<'a> {
    needle: &'a str,
    /// Names are kept to NAME_BYTES: a longer needle cannot be in one.
    check_names: bool,
    /// Per account prefix: does it contain the needle?
    in_prefix: Vec<bool>,
    /// Per account prefix: where the needle could run on from it into the UUID.
    spans: Vec<Vec<usize>>,
    /// Only hex digits and dashes could be inside a UUID.
    could_be_in_uuid: bool,
}

impl<'a> Matcher<'a> {
    fn new(prefixes: &[Box<str>], needle: &'a str) -> Matcher<'a> {
        Matcher {
            needle,
            check_names: needle.len() <= NAME_BYTES,
            in_prefix: prefixes.iter().map(|p| contains_ignoring_case(p, needle)).collect(),
            spans: prefixes.iter().map(|p| span_points(p, needle)).collect(),
            could_be_in_uuid: needle.len() <= 36 && needle.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-'),
        }
    }

    fn matches(&self, name: Option<&str>, key: Key<'_>) -> bool {
        if self.check_names && name.is_some_and(|name| contains_ignoring_case(name, self.needle)) {
            return true;
        }
        match key {
            Key::Text(id) => contains_ignoring_case(id, self.needle),
            Key::Uuid(prefix, uuid) => {
                let prefix = prefix as usize;
                if self.in_prefix.get(prefix).copied().unwrap_or(false) {
                    return true;
                }
                let spans = self.spans.get(prefix).map(Vec::as_slice).unwrap_or(&[]);
                // A UUID's text starts with the hex digit of its first byte's high half: most
                // rows fail that test, and need no formatting.
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let first_digit = HEX[(uuid[0] >> 4) as usize];
                let span_may_match =
                    spans.iter().any(|&k| self.needle.as_bytes().get(k).is_none_or(|&c| c == first_digit));
                if !self.could_be_in_uuid && !span_may_match {
                    return false;
                }
                let mut buf = [0u8; 36];
                let text = write_uuid(&uuid, &mut buf);
                (self.could_be_in_uuid && text.contains(self.needle))
                    || spans.iter().any(|&k| self.needle.get(k..).is_some_and(|rest| text.starts_with(rest)))
            }
        }
    }
}

/// The positions `k` where `needle[..k]` ends `prefix` (ignoring case) and the rest could begin
/// a UUID: a needle that spans an account prefix and the UUID after it, such as a pasted ID.
fn span_points(prefix: &str, needle_lower: &str) -> Vec<usize> {
    (1..needle_lower.len())
        .filter(|&k| needle_lower.is_char_boundary(k) && needle_lower.len() - k <= 36)
        .filter(|&k| prefix.len() >= k && prefix.is_char_boundary(prefix.len() - k))
        .filter(|&k| prefix[prefix.len() - k..].eq_ignore_ascii_case(&needle_lower[..k]))
        .collect()
}

/// Whether `hay` contains `needle_lower` (already lower-cased), ignoring case. For an ASCII
/// needle, memchr finds the candidate starts (its first letter in either case) and only those
/// are compared, so most rows cost one vectorised scan.
fn contains_ignoring_case(hay: &str, needle_lower: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle_lower.as_bytes());
    let Some((&first, rest)) = n.split_first() else { return true };
    if n.len() > h.len() {
        return false;
    }
    if !needle_lower.is_ascii() {
        return hay.to_lowercase().contains(needle_lower);
    }
    let last_start = h.len() - n.len();
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), &h[..=last_start])
        .any(|i| h[i + 1..i + n.len()].eq_ignore_ascii_case(rest))
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
fn cut_to(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, name: Option<&str>, offset: u64) -> HistoryRow {
        HistoryRow {
            asset_id: id.to_string(),
            name: name.map(str::to_string),
            media_type: Some("video".into()),
            looked_up_at: Timestamp::from_second(1_790_000_000 + offset as i64).unwrap(),
            offset,
        }
    }

    const REAL: &str = "user:1-runwayml:me@example.com-asset:3f6c2a9e-8b1d-4c7a-9e52-1d0b7a4f6e21";

    #[test]
    fn rows_round_trip_exactly() {
        let rows = [
            row(REAL, Some("Race car.jpg"), 0),
            row("demo-slow", None, 10),
            row("…asset:3F6C2A9E-8B1D-4C7A-9E52-1D0B7A4F6E21", Some("東京"), 20),
        ];
        let mut list = RowList::new();
        for r in &rows {
            list.push_newest(r);
        }
        assert_eq!(list.len(), 3);
        assert_eq!(list.get(0).unwrap(), rows[2]);
        assert_eq!(list.get(1).unwrap(), rows[1]);
        assert_eq!(list.get(2).unwrap(), rows[0]);
        assert_eq!(list.get(3), None);
        assert_eq!(list.position("demo-slow"), Some(1));
        assert_eq!(list.name(2), Some("Race car.jpg"));
    }

    #[test]
    fn the_same_asset_is_one_row_and_the_newest_wins() {
        let mut list = RowList::new();
        list.push_newest(&row(REAL, Some("old"), 0));
        list.push_newest(&row("x", Some("x"), 5));
        list.push_newest(&row(REAL, Some("new"), 9));
        assert_eq!(list.len(), 2);
        assert_eq!(list.get(0).unwrap().name.as_deref(), Some("new"));
        let mut loaded = RowList::new();
        for (i, id) in [REAL, "x", REAL, "y", "x"].iter().enumerate() {
            loaded.push_unchecked(&row(id, Some(&format!("n{i}")), i as u64));
        }
        loaded.dedupe();
        let names: Vec<_> = loaded.iter().map(|r| r.name.unwrap()).collect();
        assert_eq!(names, ["n4", "n3", "n2"]);
        assert_eq!(loaded.offsets_of_newest(2), vec![3, 4]);
    }

    #[test]
    fn filtering_matches_names_and_ids_ignoring_case() {
        let mut list = RowList::new();
        list.push_newest(&row(REAL, Some("Race car.jpg"), 0));
        list.push_newest(&row("demo-slow", Some("Timelapse"), 1));
        list.push_newest(&row("other", Some("Ünïcode name"), 2));
        assert_eq!(list.matching("RACE"), vec![2]);
        assert_eq!(list.matching("3f6c2a9e"), vec![2]);
        assert_eq!(list.matching("me@example.com"), vec![2]);
        assert_eq!(list.matching(REAL), vec![2]);
        assert_eq!(list.matching("slow"), vec![1]);
        assert_eq!(list.matching("ünï"), vec![0]);
        assert_eq!(list.matching("nothing like it"), Vec::<u32>::new());
    }

    #[test]
    fn narrowing_within_earlier_matches_finds_what_a_full_search_finds() {
        let mut list = RowList::new();
        for i in 0..300u64 {
            let id = format!(
                "user:{}-runwayml:me@example.com-asset:{}",
                i % 3,
                format_uuid(&(i as u128 * 7919).to_be_bytes())
            );
            list.push_newest(&row(&id, Some(&format!("clip {i}")), i));
        }
        for (short, long) in
            [("clip 1", "clip 12"), ("user:1", "user:1-runwayml:me@example.com-asset:0000"), ("00", "000000")]
        {
            let narrowed = list.matching_among(list.matching(short), long);
            assert_eq!(narrowed, list.matching(long), "{short} then {long}");
        }
    }

    #[test]
    fn long_names_are_cut_on_a_character_boundary() {
        let mut list = RowList::new();
        list.push_newest(&row("a", Some(&"é".repeat(100)), 0));
        let name = list.get(0).unwrap().name.unwrap();
        assert!(name.len() <= NAME_BYTES && name.chars().all(|c| c == 'é'));
    }

    #[test]
    fn a_row_costs_thirty_two_bytes_plus_its_name() {
        assert_eq!(std::mem::size_of::<Packed>(), 32);
        let mut list = RowList::new();
        for i in 0..10_000u64 {
            let id = format!("user:1-runwayml:me@example.com-asset:{}", format_uuid(&(i as u128).to_be_bytes()));
            list.push_unchecked(&row(&id, Some("A typical asset name.mp4"), i));
        }
        list.dedupe();
        assert_eq!(list.len(), 10_000);
        assert!(list.heap_bytes() < 10_000 * 60, "{} bytes", list.heap_bytes());
    }
}
