//! The history store as the app uses it: real files in a temp directory, real locks, concurrent
//! writers (threads and separate processes), damaged and foreign files, and compaction.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use jiff::Timestamp;
use proptest::prelude::*;
use runway_assets::history::*;
use serde_json::{Value, json};

/// Set in a child process spawned by `separate_processes_appending_concurrently_lose_nothing`.
const CHILD_PATH: &str = "RUNWAY_ASSETS_HISTORY_TEST_CHILD_PATH";
const CHILD_PREFIX: &str = "RUNWAY_ASSETS_HISTORY_TEST_CHILD_PREFIX";
const PER_WRITER: usize = 25;
/// Concurrent writers wait long for each other; the bounded wait is tested separately.
const PATIENT: Duration = Duration::from_secs(60);

fn entry(id: &str, name: &str, second: i64) -> HistoryEntry {
    HistoryEntry {
        asset_id: id.to_string(),
        looked_up_at: Timestamp::from_second(1_790_000_000 + second).unwrap(),
        asset: json!({ "id": id, "name": name, "mediaType": "video", "size": 12345, "nested": { "a": [1, 2, 3] } }),
    }
}

fn history_in(dir: &Path) -> (HistoryStore, PathBuf) {
    let path = dir.join("history.jsonl");
    (HistoryStore::new(path.clone()), path)
}

fn ids(loaded: &Loaded) -> Vec<&'static str> {
    // Leaked so that comparisons read as plain string lists; tests only.
    loaded.rows.iter().map(|r| &*r.asset_id.leak()).collect()
}

/// Every non-blank line of the file is a JSON object with a string assetId.
fn assert_every_line_parses(path: &Path) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.ends_with('\n'), "file does not end with a newline");
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let value: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("bad line {line:?}: {e}"));
        assert!(value["assetId"].is_string(), "no assetId in {line}");
    }
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn append_then_load_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path) = history_in(dir.path());
    let mut sent = entry("user:1-runwayml:asset:3f2a9c1e-aaaa-bbbb", "Sunset\u{1b}[31m", 0);
    sent.looked_up_at = "2026-11-27T06:11:51.123Z".parse().unwrap();

    let row = store.append(&sent).unwrap();
    let loaded = store.load().unwrap();

    assert_eq!(loaded.rows.iter().collect::<Vec<_>>(), vec![row.clone()]);
    assert_eq!(loaded.skipped_lines, 0);
    assert_eq!(loaded.moved_aside, None);
    assert_eq!(row.offset, 0);
    assert_eq!(row.name.as_deref(), Some("Sunset\u{FFFD}[31m"), "names are made safe for the terminal");
    assert_eq!(row.media_type.as_deref(), Some("video"));
    assert_eq!(store.read_snapshot(&row).unwrap(), sent, "the snapshot is the asset as received");
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.starts_with(
        r#"{"assetId":"user:1-runwayml:asset:3f2a9c1e-aaaa-bbbb","lookedUpAt":"2026-11-27T06:11:51.123Z","asset":{"#
    ));
    assert!(text.ends_with("}\n") && text.lines().count() == 1);
}

#[test]
fn load_of_a_missing_file_is_empty_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = HistoryStore::new(dir.path().join("not-yet").join("history.jsonl"));
    assert_eq!(store.load().unwrap(), Loaded::default());
    assert!(!dir.path().join("not-yet").exists());
}

#[test]
fn most_recent_first_and_dedupe_by_asset_id_newest_wins() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = history_in(dir.path());
    store.append(&entry("a", "first a", 1)).unwrap();
    store.append(&entry("b", "b", 2)).unwrap();
    let newest_a = store.append(&entry("a", "second a", 3)).unwrap();
    store.append(&entry("c", "c", 4)).unwrap();

    let loaded = store.load().unwrap();

    assert_eq!(ids(&loaded), ["c", "a", "b"]);
    assert_eq!(loaded.rows.get(1).unwrap(), newest_a);
    assert_eq!(loaded.rows.get(1).unwrap().name.as_deref(), Some("second a"));
}

#[cfg(unix)]
#[test]
fn file_and_directory_created_with_0600_file_mode() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("config").join("runway-assets");
    let store = HistoryStore::new(nested.join("history.jsonl"));

    store.append(&entry("a", "a", 1)).unwrap();

    assert_eq!(mode(&nested.join("history.jsonl")), 0o600);
    assert_eq!(mode(&store.lock_path()), 0o600);
    assert_eq!(mode(&nested), 0o700);
}

#[test]
fn damaged_lines_are_skipped_and_counted_while_good_ones_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path) = history_in(dir.path());
    let mut bytes = Vec::new();
    bytes.extend_from_slice(br#"{"assetId":"a","lookedUpAt":"2026-01-01T00:00:00Z","asset":{"name":"A"}}"#);
    bytes.extend_from_slice(b"\nnot json at all\n\n   \n");
    bytes.extend_from_slice(br#"{"assetId":7,"lookedUpAt":"2026-01-01T00:00:00Z","asset":{}}"#);
    bytes.extend_from_slice(b"\n");
    bytes.extend_from_slice(br#"{"assetId":"x","lookedUpAt":"yesterday","asset":{}}"#);
    bytes.extend_from_slice(b"\n{\"assetId\":\"\xff\xfe\",\"lookedUpAt\":\"2026-01-01T00:00:00Z\",\"asset\":{}}\n");
    bytes.extend_from_slice(br#"{"assetId":"y","lookedUpAt":"2026-01-01T00:00:00Z","asset":[1]}"#);
    bytes.extend_from_slice(b"\n");
    // CRLF, a non-string name, unknown fields: still a good line.
    bytes.extend_from_slice(br#"{"assetId":"b","lookedUpAt":"2026-01-02T00:00:00Z","asset":{"name":5},"extra":1}"#);
    bytes.extend_from_slice(b"\r\n");
    fs::write(&path, &bytes).unwrap();

    let loaded = store.load().unwrap();

    assert_eq!(ids(&loaded), ["b", "a"]);
    assert_eq!(loaded.rows.get(0).unwrap().name, None);
    assert_eq!(loaded.rows.get(1).unwrap().name.as_deref(), Some("A"));
    assert_eq!(loaded.skipped_lines, 5);
    assert_eq!(loaded.moved_aside, None);
    assert_eq!(store.read_snapshot(&loaded.rows.get(0).unwrap()).unwrap().asset, json!({ "name": 5 }));
}

#[test]
fn a_torn_last_line_is_skipped_and_the_next_append_lands_on_its_own_line() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path) = history_in(dir.path());
    store.append(&entry("a", "a", 1)).unwrap();
    let mut file = OpenOptions::new().append(true).open(&path).unwrap();
    file.write_all(br#"{"assetId":"b","lookedUpAt":"2026-"#).unwrap();
    drop(file);

    let before = store.load().unwrap();
    let row = store.append(&entry("c", "c", 3)).unwrap();
    let after = store.load().unwrap();

    assert_eq!((ids(&before), before.skipped_lines), (vec!["a"], 1));
    assert_eq!((ids(&after), after.skipped_lines), (vec!["c", "a"], 1));
    assert_eq!(store.read_snapshot(&row).unwrap(), entry("c", "c", 3));
    let text = fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1], r#"{"assetId":"b","lookedUpAt":"2026-"#);
    assert!(lines[2].starts_with(r#"{"assetId":"c""#));
}

#[test]
fn a_binary_file_is_moved_aside_never_overwritten_and_a_second_gets_another_name() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path) = history_in(dir.path());
    let first: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01";
    let second: &[u8] = b"\0\0\0\0 another binary file";
    fs::write(&path, first).unwrap();

    let loaded = store.load().unwrap();
    fs::write(&path, second).unwrap();
    let again = store.load().unwrap();

    let (one, two) = (loaded.moved_aside.unwrap(), again.moved_aside.unwrap());
    assert_ne!(one, two);
    for (backup, content) in [(&one, first), (&two, second)] {
        let name = backup.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with("history.jsonl.bak-"), "{name}");
        assert_eq!(backup.parent(), Some(dir.path()));
        assert_eq!(fs::read(backup).unwrap(), content);
    }
    assert!(loaded.rows.is_empty() && again.rows.is_empty());
    assert!(!path.exists());
    // The history starts afresh at the old path.
    store.append(&entry("a", "a", 1)).unwrap();
    assert_eq!(ids(&store.load().unwrap()), ["a"]);
}

#[test]
fn a_file_that_is_not_a_history_is_moved_aside_but_a_damaged_tail_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path) = history_in(dir.path());
    let good = r#"{"assetId":"a","lookedUpAt":"2026-01-01T00:00:00Z","asset":{}}"#;

    fs::write(&path, format!("# some notes\n{good}\n")).unwrap();
    assert!(store.load().unwrap().moved_aside.is_some(), "first line is not a JSON object");

    fs::write(&path, "[1, 2]\n{}\n").unwrap();
    assert!(store.load().unwrap().moved_aside.is_some(), "no good line at all");

    // After a crash some filesystems leave zeros at the end of a file: that is damage, not foreign.
    fs::write(&path, format!("{good}\n\0\0\0\0\0")).unwrap();
    let loaded = store.load().unwrap();
    assert_eq!((ids(&loaded), loaded.skipped_lines, &loaded.moved_aside), (vec!["a"], 1, &None));
}

#[test]
fn read_snapshot_returns_the_right_entry_and_still_works_after_compaction() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path) = history_in(dir.path());
    let old_a = store.append(&entry("a", "old a", 1)).unwrap();
    store.append(&entry("b", "b", 2)).unwrap();
    store.append(&entry("a", "new a", 3)).unwrap();
    store.append(&entry("c", "c", 4)).unwrap();
    let rows = store.load().unwrap().rows;
    let b = rows.iter().find(|r| r.asset_id == "b").unwrap().clone();
    assert_eq!(store.read_snapshot(&b).unwrap(), entry("b", "b", 2));

    assert_eq!(store.compact(DEFAULT_MAX_ENTRIES).unwrap(), 1);

    let b_now = store.load().unwrap().rows.iter().find(|r| r.asset_id == "b").unwrap();
    assert_ne!(b_now.offset, b.offset, "the offset went stale");
    assert_eq!(store.read_snapshot(&b).unwrap(), entry("b", "b", 2));
    assert_eq!(store.read_snapshot(&old_a).unwrap(), entry("a", "new a", 3), "the newest line for the id");

    let gone = HistoryRow { asset_id: "zz".into(), ..b.clone() };
    assert!(matches!(store.read_snapshot(&gone), Err(HistoryError::NotFound { .. })));
    let far = HistoryRow { offset: 1 << 40, ..b.clone() };
    assert_eq!(store.read_snapshot(&far).unwrap(), entry("b", "b", 2));
    fs::remove_file(&path).unwrap();
    assert!(matches!(store.read_snapshot(&b), Err(HistoryError::NotFound { .. })));
}

#[test]
fn read_snapshot_of_a_damaged_line_says_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path) = history_in(dir.path());
    let row = store.append(&entry("a", "a", 1)).unwrap();
    fs::write(&path, "{\"assetId\":\"a\",\"lookedUpAt\":\"2026-01-01T00:00:00Z\",\"asset\":{\"name\":\"\0\n").unwrap();

    let result = store.read_snapshot(&row);

    assert!(matches!(result, Err(HistoryError::Damaged { .. })), "{result:?}");
    let message = result.unwrap_err().to_string();
    assert!(message.contains("damaged") && message.contains("history.jsonl"), "{message}");
}

#[test]
fn compact_dedupes_bounds_and_keeps_file_mode_0600() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path) = history_in(dir.path());
    for (i, id) in ["a", "b", "c", "a", "d", "e", "b"].iter().enumerate() {
        store.append(&entry(id, &format!("{id}{i}"), i as i64)).unwrap();
    }
    OpenOptions::new().append(true).open(&path).unwrap().write_all(b"garbage\n").unwrap();
    store.append(&entry("f", "f", 10)).unwrap();

    // 9 lines: 2 duplicates and 1 garbage line go, then the oldest of a, c, d, e, b, f.
    assert_eq!(store.compact(5).unwrap(), 4);

    let loaded = store.load().unwrap();
    assert_eq!(ids(&loaded), ["f", "b", "e", "d", "a"]);
    assert_eq!(loaded.rows.get(1).unwrap().name.as_deref(), Some("b6"));
    assert_eq!(loaded.skipped_lines, 0);
    assert_every_line_parses(&path);
    #[cfg(unix)]
    assert_eq!(mode(&path), 0o600);
    assert_eq!(store.compact(5).unwrap(), 0, "nothing more to drop");
    assert_eq!(store.compact(0).unwrap(), 5);
    assert_eq!(store.load().unwrap(), Loaded::default());
    let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 2, "only the history and its lock file: {leftovers:?}");
}

#[test]
fn compact_leaves_missing_and_foreign_files_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path) = history_in(dir.path());
    assert_eq!(store.compact(10).unwrap(), 0);
    assert!(!path.exists());
    fs::write(&path, b"\0\x01\x02 not a history").unwrap();
    assert_eq!(store.compact(10).unwrap(), 0);
    assert_eq!(fs::read(&path).unwrap(), b"\0\x01\x02 not a history");
}

#[test]
fn threads_appending_concurrently_lose_no_entries() {
    let dir = tempfile::tempdir().unwrap();
    let (_, path) = history_in(dir.path());
    std::thread::scope(|scope| {
        for t in 0..8 {
            let store = HistoryStore::new(path.clone()).with_lock_wait(PATIENT);
            scope.spawn(move || {
                for i in 0..PER_WRITER {
                    store.append(&entry(&format!("t{t}-{i}"), "x", i as i64)).unwrap();
                }
            });
        }
    });

    let loaded = HistoryStore::new(path.clone()).load().unwrap();
    assert_eq!(loaded.rows.len(), 8 * PER_WRITER);
    assert_eq!(loaded.skipped_lines, 0);
    assert_every_line_parses(&path);
}

/// A child role, not a test of its own: appends when spawned by the test below, else does nothing.
/// Not a test on its own: the parent test runs it in a child process (with `--ignored`).
#[test]
#[ignore = "a helper the parent test runs in a child process"]
fn child_appender() {
    let path = std::env::var(CHILD_PATH).expect("run by the parent test, which sets the path");
    let prefix = std::env::var(CHILD_PREFIX).expect("run by the parent test, which sets the prefix");
    let store = HistoryStore::new(PathBuf::from(path)).with_lock_wait(PATIENT);
    for i in 0..PER_WRITER {
        store.append(&entry(&format!("{prefix}-{i}"), "x", i as i64)).unwrap();
    }
}

#[test]
fn separate_processes_appending_concurrently_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path) = history_in(dir.path());
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..4)
        .map(|p| {
            Command::new(&exe)
                .args(["child_appender", "--exact", "--ignored", "--test-threads=1"])
                .env(CHILD_PATH, &path)
                .env(CHILD_PREFIX, format!("p{p}"))
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let report = format!("{stdout}{}", String::from_utf8_lossy(&output.stderr));
        assert!(output.status.success() && stdout.contains("1 passed"), "child failed or did not run:\n{report}");
    }

    let loaded = store.load().unwrap();
    assert_eq!(loaded.rows.len(), 4 * PER_WRITER);
    assert_eq!(loaded.skipped_lines, 0);
    assert_every_line_parses(&path);
}

#[test]
fn a_held_lock_makes_append_return_locked_instead_of_hanging() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path) = history_in(dir.path());
    let store = store.with_lock_wait(Duration::from_millis(50));
    store.append(&entry("a", "a", 1)).unwrap();
    let other = OpenOptions::new().read(true).write(true).open(store.lock_path()).unwrap();
    other.lock().unwrap();

    let append = store.append(&entry("b", "b", 2));
    let load = store.load();
    let compact = store.compact(1);

    assert!(matches!(append, Err(HistoryError::Locked { .. })), "{append:?}");
    assert!(matches!(load, Err(HistoryError::Locked { .. })), "{load:?}");
    assert!(matches!(compact, Err(HistoryError::Locked { .. })), "{compact:?}");
    let message = append.unwrap_err().to_string();
    assert!(message.contains(&path.display().to_string()), "{message}");
    other.unlock().unwrap();
    store.append(&entry("b", "b", 2)).unwrap();
    assert_eq!(ids(&store.load().unwrap()), ["b", "a"]);
}

#[test]
fn entries_that_cannot_be_stored_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path) = history_in(dir.path());
    let empty_id = HistoryEntry { asset_id: String::new(), ..entry("a", "a", 1) };
    let not_object = HistoryEntry { asset: json!([1, 2]), ..entry("a", "a", 1) };
    assert!(matches!(store.append(&empty_id), Err(HistoryError::InvalidEntry { .. })));
    assert!(matches!(store.append(&not_object), Err(HistoryError::InvalidEntry { .. })));
    assert!(!path.exists());
}

/// Pieces a history file might be made of: good lines, damage, binary, line-ending oddities.
fn piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        (0..5u8, 0..3i64).prop_map(|(id, s)| {
            format!(r#"{{"assetId":"{id}","lookedUpAt":"2026-01-0{}T00:00:00Z","asset":{{"name":"n{id}"}}}}"#, s + 1)
                .into_bytes()
        }),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\0".to_vec()),
        Just(br#"{"assetId":"#.to_vec()),
        prop::collection::vec(any::<u8>(), 0..40),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn nothing_panics_on_any_file_content_and_appends_always_land(pieces in prop::collection::vec(piece(), 0..12)) {
        let dir = tempfile::tempdir().unwrap();
        let (store, path) = history_in(dir.path());
        fs::write(&path, pieces.concat()).unwrap();

        let loaded = store.load().unwrap();
        for row in loaded.rows.iter() {
            prop_assert_eq!(&store.read_snapshot(&row).unwrap().asset_id, &row.asset_id);
        }
        let stray = HistoryRow { asset_id: "9".into(), name: None, media_type: None,
            looked_up_at: Timestamp::UNIX_EPOCH, offset: 3 };
        let _ = store.read_snapshot(&stray);
        let row = store.append(&entry("new", "new", 1)).unwrap();
        let after = store.load().unwrap();
        prop_assert_eq!(&after.moved_aside, &None);
        prop_assert_eq!(&after.rows.get(0).unwrap(), &row);
        prop_assert_eq!(after.rows.len(), loaded.rows.len() + 1);
        store.compact(3).unwrap();
        let compacted = store.load().unwrap();
        prop_assert_eq!(compacted.skipped_lines, 0);
        prop_assert_eq!(ids(&compacted), ids(&after).into_iter().take(3).collect::<Vec<_>>());
    }
}

/// Set in a child process that appends until it is killed.
const ENDLESS_CHILD_PATH: &str = "RUNWAY_ASSETS_HISTORY_TEST_ENDLESS_PATH";

/// A child role, not a test of its own: appends large entries until killed.
/// Not a test on its own: the parent test runs it in a child process (with `--ignored`).
#[test]
#[ignore = "a helper the parent test runs in a child process"]
fn child_endless_appender() {
    let path = std::env::var(ENDLESS_CHILD_PATH).expect("run by the parent test, which sets the path");
    let store = HistoryStore::new(PathBuf::from(path)).with_lock_wait(PATIENT);
    let padding = "p".repeat(64 * 1024);
    for i in 0..1_000_000 {
        let mut e = entry(&format!("k{i}"), "x", i);
        e.asset["padding"] = Value::String(padding.clone());
        store.append(&e).unwrap();
    }
}

#[test]
fn a_writer_killed_mid_append_loses_at_most_its_last_line_and_corrupts_nothing_earlier() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path) = history_in(dir.path());
    store.append(&entry("before", "kept", 0)).unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["child_endless_appender", "--exact", "--ignored", "--test-threads=1"])
        .env(ENDLESS_CHILD_PATH, &path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it (SIGKILL) once it is well into writing, at whatever point it has reached.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while fs::metadata(&path).map(|m| m.len()).unwrap_or(0) < 2 * 1024 * 1024 {
        assert!(std::time::Instant::now() < deadline, "the writer never got going");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    let loaded = store.load().unwrap();
    assert!(loaded.skipped_lines <= 1, "only the line in flight may be lost, skipped {}", loaded.skipped_lines);
    assert!(loaded.rows.iter().any(|r| r.asset_id == "before"), "earlier lines survive");
    assert!(loaded.rows.len() >= 20, "the lines written before the kill are kept: {}", loaded.rows.len());
    // The next append lands on a line of its own and everything still loads.
    store.append(&entry("after", "new", 1)).unwrap();
    let again = store.load().unwrap();
    assert_eq!(again.rows.get(0).unwrap().asset_id, "after");
    assert_eq!(again.skipped_lines, loaded.skipped_lines);
}

#[test]
fn a_file_full_of_duplicates_asks_for_compaction_and_compaction_shrinks_it() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path) = history_in(dir.path());
    for i in 0..300 {
        store.append(&entry(&format!("id{}", i % 3), "x", i)).unwrap();
    }
    let loaded = store.load().unwrap();
    assert_eq!(loaded.rows.len(), 3);
    assert_eq!(loaded.lines, 300);
    assert!(loaded.needs_compaction(DEFAULT_MAX_ENTRIES));
    store.compact(DEFAULT_MAX_ENTRIES).unwrap();
    let again = store.load().unwrap();
    assert_eq!((again.rows.len(), again.lines), (3, 3));
    assert!(!again.needs_compaction(DEFAULT_MAX_ENTRIES));
    assert!(again.needs_compaction(2), "more rows than the bound also asks for it");
    assert_every_line_parses(&path);
}

#[test]
fn append_all_writes_every_entry_as_its_own_line_under_one_lock() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path) = history_in(dir.path());
    store.append(&entry("first", "x", 0)).unwrap();
    let batch: Vec<_> = (0..50).map(|i| entry(&format!("b{i}"), "y", i)).collect();
    assert_eq!(store.append_all(&batch).unwrap(), 50);
    let loaded = store.load().unwrap();
    assert_eq!(loaded.rows.len(), 51);
    assert_eq!(loaded.rows.get(0).unwrap().asset_id, "b49");
    assert_eq!(mode(&path), 0o600);
    assert_every_line_parses(&path);
    let bad = HistoryEntry { asset_id: String::new(), ..entry("z", "z", 1) };
    assert!(store.append_all(&[bad, entry("ok", "ok", 2)]).is_err(), "a bad entry is reported");
    assert_eq!(store.load().unwrap().rows.get(0).unwrap().asset_id, "ok", "and the good ones still land");
}

#[test]
fn load_recent_reads_the_newest_rows_from_the_end_of_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path) = history_in(dir.path());
    assert!(store.load_recent(10).unwrap().is_empty(), "no file, no rows");
    let batch: Vec<_> = (0..3000).map(|i| entry(&format!("id{}", i % 2000), "n", i)).collect();
    store.append_all(&batch).unwrap();
    let recent = store.load_recent(5).unwrap();
    let ids: Vec<_> = recent.iter().map(|r| r.asset_id.as_str()).collect();
    assert_eq!(ids, ["id999", "id998", "id997", "id996", "id995"]);
    let full = store.load().unwrap();
    for (i, row) in recent.iter().enumerate() {
        assert_eq!(&full.rows.get(i).unwrap(), row, "the same rows the full load gives");
    }
    // A torn last line (a writer mid-append) is not shown.
    OpenOptions::new().append(true).open(&path).unwrap().write_all(b"{\"assetId\":\"torn\"").unwrap();
    assert_eq!(store.load_recent(1).unwrap()[0].asset_id, "id999");
    // More rows than the first window holds are found by reading further back.
    assert_eq!(store.load_recent(1500).unwrap().len(), 1500);
}

#[test]
fn read_snapshot_in_place_reads_one_line_and_gives_up_when_the_file_moved_on() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = history_in(dir.path());
    store.append(&entry("a", "first", 0)).unwrap();
    let b = store.append(&entry("b", "second", 1)).unwrap();
    store.append(&entry("a", "third", 2)).unwrap();
    assert_eq!(store.read_snapshot_in_place(&b).unwrap().asset["name"], "second");
    store.compact(DEFAULT_MAX_ENTRIES).unwrap(); // b's line moves up
    assert!(store.read_snapshot_in_place(&b).is_none(), "no scan: the caller falls back to the worker");
    assert_eq!(store.read_snapshot(&b).unwrap().asset["name"], "second");
}
