//! The task cache on disk: round trips, private files, damaged files ignored, hostile IDs kept
//! inside the directory.

use runway_assets::api::Task;
use runway_assets::cache::{CacheError, TASK_FORMAT, TaskCache};
use serde_json::{Value, json};

const ID: &str = "user:1000000001-runwayml:demo@example.com-task:0a1b2c3d-0000-4000-8000-000000000001";

fn task(id: &str, prompt: &str) -> Value {
    json!({"taskId": id, "status": "SUCCEEDED", "options": {"text_prompt": prompt, "seed": 7}, "artifacts": []})
}

#[test]
fn round_trip_and_private_files() {
    let dir = tempfile::tempdir().unwrap();
    let cache = TaskCache::new(dir.path().join("tasks"));
    assert!(cache.load(ID).unwrap().is_none());
    assert!(cache.load_task(ID).unwrap().is_none());
    assert!(cache.load_all().is_empty(), "no directory yet is no tasks");
    let raw = task(ID, "a red fox \u{1b}[31m");
    cache.store(ID, &raw.to_string()).unwrap();
    assert_eq!(cache.load(ID).unwrap().map(|f| f.raw.to_value()), Some(raw.clone()));
    assert_eq!(
        cache.load(&format!(" {ID}\n")).unwrap().map(|f| f.raw.to_value()),
        Some(raw.clone()),
        "IDs are trimmed"
    );
    assert_eq!(cache.load_task(ID).unwrap(), Task::from_value(raw.clone()).ok());
    assert_eq!(cache.load_task(&format!(" {ID}\n")).unwrap(), Task::from_value(raw.clone()).ok());
    let replaced = task(ID, "another");
    cache.store(ID, &serde_json::to_string_pretty(&replaced).unwrap()).unwrap();
    assert_eq!(cache.load(ID).unwrap().map(|f| f.raw.to_value()), Some(replaced.clone()));
    assert_eq!(cache.load_all(), vec![replaced]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&cache.file_path(ID)), 0o600);
        assert_eq!(mode(cache.dir()), 0o700);
    }
    let files: Vec<_> = std::fs::read_dir(cache.dir()).unwrap().collect();
    assert_eq!(files.len(), 1, "no temp files left behind");
    assert!(matches!(cache.store(ID, "[1]"), Err(CacheError::Invalid(_))));
    assert!(matches!(cache.store("  ", &task("", "x").to_string()), Err(CacheError::Invalid(_))));
}

#[test]
fn damaged_and_foreign_files_are_errors_for_load_and_skipped_by_load_all() {
    let dir = tempfile::tempdir().unwrap();
    let cache = TaskCache::new(dir.path().to_owned());
    let ids: Vec<String> = (0..5).map(|i| format!("{ID}{i}")).collect();
    for id in &ids {
        cache.store(id, &task(id, id).to_string()).unwrap();
    }
    std::fs::write(cache.file_path(&ids[0]), b"{\"format\":\"runway-assets/task/1\",\"taskId\":").unwrap();
    std::fs::write(cache.file_path(&ids[1]), b"\xff\xfe not json").unwrap();
    std::fs::write(cache.file_path(&ids[2]), json!({"format": "other/1", "taskId": ids[2], "task": {}}).to_string())
        .unwrap();
    let moved = json!({"format": TASK_FORMAT, "taskId": ids[4], "task": task(&ids[4], "x")}).to_string();
    std::fs::write(cache.file_path(&ids[3]), moved).unwrap();
    std::fs::write(dir.path().join("task-stray.json"), "[]").unwrap();
    std::fs::write(dir.path().join("unrelated.txt"), "hello").unwrap();
    assert!(matches!(cache.load(&ids[0]), Err(CacheError::Damaged(_))));
    assert!(matches!(cache.load(&ids[1]), Err(CacheError::Damaged(_))));
    assert!(matches!(cache.load(&ids[2]), Err(CacheError::Foreign(_))));
    assert!(matches!(cache.load(&ids[3]), Err(CacheError::Foreign(_))), "a file holding another task is not used");
    assert_eq!(cache.load(&ids[4]).unwrap().map(|f| f.raw.to_value()), Some(task(&ids[4], &ids[4])));
    // The reader the app uses on the UI's thread says the same, without a `Value` of the file.
    assert!(matches!(cache.load_task(&ids[0]), Err(CacheError::Damaged(_))));
    assert!(matches!(cache.load_task(&ids[1]), Err(CacheError::Damaged(_))));
    assert!(matches!(cache.load_task(&ids[2]), Err(CacheError::Foreign(_))));
    assert!(matches!(cache.load_task(&ids[3]), Err(CacheError::Foreign(_))));
    assert_eq!(cache.load_task(&ids[4]).unwrap(), Task::from_value(task(&ids[4], &ids[4])).ok());
    let not_an_object = json!({"format": TASK_FORMAT, "taskId": ids[0], "task": [1]}).to_string();
    std::fs::write(cache.file_path(&ids[0]), not_an_object).unwrap();
    assert!(matches!(cache.load_task(&ids[0]), Err(CacheError::Damaged(_))));
    assert!(matches!(cache.load(&ids[0]), Err(CacheError::Damaged(_))));
    let all = cache.load_all();
    assert_eq!(all, vec![task(&ids[4], &ids[4])]);
}

#[test]
fn hostile_ids_stay_inside_the_directory() {
    let root = tempfile::tempdir().unwrap();
    let cache = TaskCache::new(root.path().join("tasks"));
    let long = "x".repeat(5_000);
    for id in ["../../escape-task:x", "/etc/passwd", "..", ".", "a\\b", "a\0b", "\u{202e}", long.as_str()] {
        let path = cache.file_path(id);
        assert_eq!(path.parent(), Some(cache.dir()), "{id:?}");
        cache.store(id, &task(id, "p").to_string()).unwrap();
        assert_eq!(cache.load(id).unwrap().map(|f| f.raw.to_value()), Some(task(id, "p")), "{id:?}");
    }
    let outside: Vec<_> =
        std::fs::read_dir(root.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert_eq!(outside, ["tasks"]);
    assert_eq!(cache.load_all().len(), 8);
}
