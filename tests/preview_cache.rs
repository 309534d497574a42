//! The preview cache's rules: filed by asset ID and `updatedAt` (a new version is a miss),
//! written 0600 in a 0700 folder, a damaged or foreign file removed and reported, an unwritable
//! folder an error (the picture is still shown, just not kept), and the folder trimmed to its
//! budget, least recently used first.

use std::time::{Duration, SystemTime};

use runway_assets::cache::{CacheError, PreviewCache};

const ID: &str = "user:1-runwayml:me@example.com-asset:aaaa";
const V1: &str = "2026-11-25T09:03:00.000Z";

fn cache(dir: &std::path::Path, budget: u64) -> PreviewCache {
    PreviewCache::new(dir.join("previews"), budget)
}

#[test]
fn a_stored_picture_comes_back_for_its_key_only() {
    let dir = tempfile::tempdir().unwrap();
    let cache = cache(dir.path(), 1 << 20);
    assert_eq!(cache.load(ID, V1).unwrap(), None, "nothing yet");
    cache.store(ID, V1, b"\xff\xd8jpeg bytes").unwrap();
    assert_eq!(cache.load(ID, V1).unwrap().as_deref(), Some(&b"\xff\xd8jpeg bytes"[..]));
    assert_eq!(cache.load(ID, "2026-12-01T00:00:00Z").unwrap(), None, "a newer version is a miss");
    assert_eq!(cache.load("user:1-runwayml:me@example.com-asset:bbbb", V1).unwrap(), None);
    // Directly in the folder, whatever the ID holds.
    let odd = "../../etc/passwd\n\u{1b}[2J";
    cache.store(odd, V1, b"x").unwrap();
    assert_eq!(cache.file_path(odd, V1).parent().unwrap(), cache.dir());
    assert_eq!(cache.load(odd, V1).unwrap().as_deref(), Some(&b"x"[..]));
}

#[cfg(unix)]
#[test]
fn files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let cache = cache(dir.path(), 1 << 20);
    cache.store(ID, V1, b"picture").unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&cache.file_path(ID, V1)), 0o600);
    assert_eq!(mode(cache.dir()), 0o700);
    let leftovers: Vec<_> = std::fs::read_dir(cache.dir()).unwrap().filter_map(Result::ok).collect();
    assert_eq!(leftovers.len(), 1, "no temp file left behind");
}

#[test]
fn a_damaged_or_foreign_file_is_removed_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let cache = cache(dir.path(), 1 << 20);
    cache.store(ID, V1, b"picture").unwrap();
    let path = cache.file_path(ID, V1);
    std::fs::write(&path, b"\x00\x01 garbage").unwrap();
    assert!(matches!(cache.load(ID, V1), Err(CacheError::Foreign(_))));
    assert!(!path.exists(), "removed, so it is fetched afresh");
    assert_eq!(cache.load(ID, V1).unwrap(), None);

    // Another key's file under this key's name (a hash collision, a copied file).
    cache.store("someone else", V1, b"theirs").unwrap();
    std::fs::copy(cache.file_path("someone else", V1), &path).unwrap();
    assert!(cache.load(ID, V1).is_err(), "not ours for this key");
    assert!(!path.exists());

    // A header and nothing after it.
    cache.store(ID, V1, b"p").unwrap();
    let text = std::fs::read(&path).unwrap();
    std::fs::write(&path, &text[..text.len() - 1]).unwrap();
    assert!(cache.load(ID, V1).is_err());
}

#[test]
fn an_unwritable_folder_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    // The folder's place is taken by a file.
    std::fs::write(dir.path().join("previews"), b"not a folder").unwrap();
    let cache = cache(dir.path(), 1 << 20);
    let error = cache.store(ID, V1, b"picture").unwrap_err();
    assert!(error.to_string().contains("preview cache"), "{error}");
    assert_eq!(cache.load(ID, V1).ok().flatten(), None);
}

#[test]
fn the_folder_stays_within_its_budget_least_recently_used_first() {
    let dir = tempfile::tempdir().unwrap();
    let picture = vec![7u8; 10_000];
    // Room for three pictures (each also holds a short header).
    let cache = cache(dir.path(), 3 * 10_200);
    let ids: Vec<String> = (0..5).map(|i| format!("asset-{i}")).collect();
    let base = SystemTime::now() - Duration::from_secs(3600);
    for (i, id) in ids.iter().take(3).enumerate() {
        cache.store(id, V1, &picture).unwrap();
        // Explicit ages, oldest first: no reliance on the clock's resolution.
        let file = std::fs::File::options().write(true).open(cache.file_path(id, V1)).unwrap();
        file.set_modified(base + Duration::from_secs(60 * i as u64)).unwrap();
    }
    // Reading asset-0 makes it the most recently used.
    assert!(cache.load(&ids[0], V1).unwrap().is_some());
    cache.store(&ids[3], V1, &picture).unwrap();
    assert!(cache.total_bytes() <= 3 * 10_200, "{}", cache.total_bytes());
    assert!(cache.load(&ids[1], V1).unwrap().is_none(), "the least recently used went first");
    for id in [&ids[0], &ids[2], &ids[3]] {
        assert!(cache.file_path(id, V1).exists(), "{id} stays");
    }
    // A picture larger than the whole budget is not kept at all.
    let tiny = PreviewCache::new(dir.path().join("tiny"), 100);
    assert!(tiny.store(ID, V1, &picture).is_err());
    assert_eq!(tiny.total_bytes(), 0);
}
