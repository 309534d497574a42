//! The known prompts, by asset ID, laid out for the lists' search: every prompt (lower-case) in
//! one buffer, so that a query is one SIMD scan over contiguous memory rather than a hundred
//! thousand small strings scattered on the heap (BENCHMARKS.md: 14 ms → about 2 ms for 100,000).

use std::collections::HashMap;
use std::sync::Arc;

/// Prompts by asset ID, searchable by substring.
#[derive(Debug, Default)]
pub struct PromptIndex {
    /// Every prompt kept, lower-case, each followed by a line break (a prompt holds none: they
    /// are cleaned to one line when read), in the order they came.
    text: String,
    /// Where each prompt sits in `text`, in the same order; replaced ones are no longer live.
    entries: Vec<Entry>,
    /// The live entry of each asset.
    by_id: HashMap<Arc<str>, usize>,
    /// Bytes of `text` held by replaced prompts; the buffer is rebuilt when they are half of it.
    dead_bytes: usize,
}

#[derive(Debug)]
struct Entry {
    start: usize,
    end: usize,
    id: Arc<str>,
    live: bool,
}

impl PromptIndex {
    /// How many assets have a known prompt.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// The prompt known for `asset_id` (lower-case).
    pub fn get(&self, asset_id: &str) -> Option<&str> {
        let entry = self.entries.get(*self.by_id.get(asset_id)?)?;
        self.text.get(entry.start..entry.end)
    }

    /// Keeps `prompt` for `asset_id`, replacing what was known.
    pub fn insert(&mut self, asset_id: &str, prompt: &str) {
        let prompt = one_line_lower(prompt);
        if self.get(asset_id) == Some(prompt.as_str()) {
            return;
        }
        let id: Arc<str> = match self.by_id.get_key_value(asset_id) {
            Some((id, &old)) => {
                let id = Arc::clone(id);
                if let Some(entry) = self.entries.get_mut(old) {
                    entry.live = false;
                    self.dead_bytes += entry.end - entry.start + 1;
                }
                id
            }
            None => Arc::from(asset_id),
        };
        let start = self.text.len();
        self.text.push_str(&prompt);
        self.entries.push(Entry { start, end: self.text.len(), id: Arc::clone(&id), live: true });
        self.text.push('\n');
        self.by_id.insert(id, self.entries.len() - 1);
        if self.dead_bytes > self.text.len() / 2 {
            self.compact();
        }
    }

    /// Keeps `prompt` for `asset_id` unless one is known already.
    pub fn insert_if_absent(&mut self, asset_id: &str, prompt: &str) {
        if !self.by_id.contains_key(asset_id) {
            self.insert(asset_id, prompt);
        }
    }

    /// The asset IDs whose prompt contains `query` (ignoring case), each once.
    pub fn matching(&self, query: &str) -> Vec<&str> {
        let query = one_line_lower(query.trim());
        if query.is_empty() {
            return Vec::new();
        }
        let finder = memchr::memmem::Finder::new(query.as_bytes());
        let mut found = Vec::new();
        let mut last = None;
        for at in finder.find_iter(self.text.as_bytes()) {
            // The entry the match starts in; it must also end there (not run into the next).
            let index = self.entries.partition_point(|e| e.start <= at).saturating_sub(1);
            let Some(entry) = self.entries.get(index) else { continue };
            if last == Some(index) || !entry.live || at + query.len() > entry.end {
                continue;
            }
            last = Some(index);
            found.push(&*entry.id);
        }
        found
    }

    /// Rebuilds the buffer from the live prompts only.
    fn compact(&mut self) {
        let mut fresh = PromptIndex::default();
        for entry in self.entries.iter().filter(|e| e.live) {
            if let Some(prompt) = self.text.get(entry.start..entry.end) {
                fresh.insert(&entry.id, prompt);
            }
        }
        *self = fresh;
    }
}

/// Lower-case, with line breaks as spaces (the buffer's separator cannot be inside a prompt).
fn one_line_lower(text: &str) -> String {
    let lower = text.to_lowercase();
    if lower.contains(['\n', '\r']) { lower.replace(['\n', '\r'], " ") } else { lower }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_asset_once_by_any_part_of_its_prompt() {
        let mut index = PromptIndex::default();
        index.insert("a", "A CAT chasing a cat");
        index.insert("b", "Drone over the coast");
        index.insert("c", "cat\nnap");
        let mut found = index.matching("CAT");
        found.sort_unstable();
        assert_eq!(found, ["a", "c"]);
        assert_eq!(index.matching("cat nap"), ["c"]);
        assert_eq!(index.matching("  coast "), ["b"]);
        assert!(index.matching("").is_empty());
        // A match may not run from one prompt into the next.
        assert!(index.matching("coast\ncat").is_empty());
        assert!(index.matching("cat drone").is_empty());
    }

    #[test]
    fn a_replaced_prompt_is_no_longer_found_and_the_buffer_stays_bounded() {
        let mut index = PromptIndex::default();
        index.insert("a", "first words");
        index.insert("a", "second words");
        assert!(index.matching("first").is_empty());
        assert_eq!(index.matching("second"), ["a"]);
        assert_eq!(index.get("a"), Some("second words"));
        index.insert_if_absent("a", "third");
        assert_eq!(index.get("a"), Some("second words"));
        for i in 0..1_000 {
            index.insert("a", &format!("prompt number {i}"));
        }
        assert_eq!(index.len(), 1);
        assert!(index.text.len() < 200, "replaced prompts are let go: {} bytes", index.text.len());
        assert_eq!(index.matching("number 999"), ["a"]);
    }
}
