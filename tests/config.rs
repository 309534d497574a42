//! config.toml that is wrong in each way the issue lists: one clear warning each, and the
//! settings fall back to their defaults (the app still starts).

use std::path::Path;

use runway_assets::config::{ColorChoice, DEFAULT_BASE_URL, Settings, closest_key, config_file};

fn resolve(dir: &Path) -> Settings {
    Settings::resolve(None, None, None, None, Some(dir.to_path_buf()))
}

fn with_file(contents: &[u8]) -> (tempfile::TempDir, Settings) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(config_file(dir.path()), contents).unwrap();
    let s = resolve(dir.path());
    (dir, s)
}

fn defaults(s: &Settings) {
    assert!(s.token.is_none());
    assert_eq!(s.base_url, DEFAULT_BASE_URL);
    assert!(s.account.is_none());
}

#[test]
fn every_documented_key_is_accepted_without_a_warning() {
    let (_d, s) = with_file(
        b"token = \"user:1-abc\"\nbase_url = \"http://127.0.0.1:9\"\naccount = \"a@example.com\"\n\
          download_dir = \"~/Downloads\"\npreview = true\ncolor = \"never\"\n",
    );
    assert!(s.warnings.iter().all(|w| w.contains("chmod 600")), "{:?}", s.warnings);
    assert_eq!(s.color, Some(ColorChoice::Never));
    assert_eq!(s.account.as_deref(), Some("a@example.com"));
}

#[test]
fn an_empty_file_is_fine() {
    let (_d, s) = with_file(b"");
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    defaults(&s);
}

#[test]
fn unknown_keys_name_the_closest_known_key() {
    let (_d, s) = with_file(b"acount = \"a@example.com\"\nbaseurl = \"x\"\ncolour = \"never\"\nzzzzzzzzz = 1\n");
    let all = s.warnings.join("\n");
    assert!(all.contains("unknown key `acount` — did you mean `account`?"), "{all}");
    assert!(all.contains("unknown key `baseurl` — did you mean `base_url`?"), "{all}");
    assert!(all.contains("unknown key `colour` — did you mean `color`?"), "{all}");
    assert!(all.contains("unknown key `zzzzzzzzz` (known keys: token, base_url"), "{all}");
    assert_eq!(s.warnings.len(), 4);
    // Unknown keys do not stop the known ones from being read.
    let (_d, s) = with_file(b"acount = 1\naccount = \"b@example.com\"\n");
    assert_eq!(s.account.as_deref(), Some("b@example.com"));
    assert_eq!(closest_key("TOKEN"), Some("token"));
    assert_eq!(closest_key("preveiw"), Some("preview"));
    assert_eq!(closest_key("something"), None);
}

#[test]
fn malformed_toml_says_line_and_column_and_keeps_defaults() {
    let (_d, s) = with_file(b"account = \"a@example.com\"\nbase_url = = \"x\"\n");
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    let w = &s.warnings[0];
    assert!(w.contains("not valid TOML at line 2, column 12"), "{w}");
    assert!(w.contains("config.toml") && w.ends_with("it was ignored."), "{w}");
    defaults(&s);
    // A value of the wrong type is located too.
    let (_d, s) = with_file(b"\naccount = 5\n");
    assert!(s.warnings[0].contains("line 2"), "{:?}", s.warnings);
    // A broken token line never has its text quoted.
    let (_d, s) = with_file(b"token = user:1-s3cretvalue\n");
    assert!(s.warnings[0].contains("line 1") && !s.warnings[0].contains("s3cret"), "{:?}", s.warnings);
}

#[test]
fn a_bad_color_value_warns() {
    let (_d, s) = with_file(b"color = \"sometimes\"\n");
    assert_eq!(s.color, None);
    assert!(s.warnings[0].contains("not auto, always or never"), "{:?}", s.warnings);
}

#[test]
fn a_binary_file_is_not_text() {
    let (_d, s) = with_file(&[0xff, 0xfe, 0x00, 0x01, b'=', 0x80]);
    assert_eq!(s.warnings.len(), 1);
    assert!(s.warnings[0].contains("is not text"), "{:?}", s.warnings);
    defaults(&s);
}

#[test]
fn a_huge_file_is_not_read() {
    let mut big = b"account = \"a@example.com\"\n".to_vec();
    big.resize(10 * 1024 * 1024, b'#');
    let (_d, s) = with_file(&big);
    assert!(s.warnings[0].contains("far larger than any config file"), "{:?}", s.warnings);
    defaults(&s);
}

#[test]
fn a_directory_in_its_place_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(config_file(dir.path())).unwrap();
    let s = resolve(dir.path());
    assert!(s.warnings[0].contains("is a directory, not a file"), "{:?}", s.warnings);
    defaults(&s);
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_says_so() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, _) = with_file(b"account = \"a@example.com\"\n");
    let path = config_file(dir.path());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        return; // running as root: every file is readable
    }
    let s = resolve(dir.path());
    assert!(s.warnings[0].contains("could not be read (permission denied"), "{:?}", s.warnings);
    defaults(&s);
}

#[test]
fn colour_follows_flag_then_file_then_no_color_then_the_terminal() {
    use ColorChoice::*;
    assert!(ColorChoice::colour(None, None, None, true));
    assert!(!ColorChoice::colour(None, None, None, false));
    assert!(!ColorChoice::colour(None, None, Some("1"), true));
    assert!(ColorChoice::colour(None, None, Some(""), true), "NO_COLOR= (empty) keeps colour");
    assert!(!ColorChoice::colour(None, Some(Never), None, true));
    assert!(ColorChoice::colour(Some(Always), Some(Never), Some("1"), false));
    assert!(!ColorChoice::colour(Some(Never), Some(Always), None, true));
    assert!(ColorChoice::colour(Some(Auto), Some(Never), None, true), "the flag wins over the file");
}

const BIN: &str = env!("CARGO_BIN_EXE_runway-assets");

#[test]
fn a_bad_color_flag_is_a_usage_error() {
    let out = std::process::Command::new(BIN).args(["--color", "sometimes", "accounts"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("possible values: auto, always, never"), "{err}");
}

#[test]
fn the_command_line_prints_config_warnings_on_stderr_and_goes_on() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join(".config").join("runway-assets");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), "acount = \"x\"\n[broken\n").unwrap();
    let out = std::process::Command::new(BIN)
        .args(["--base-url", "http://127.0.0.1:9", "accounts"])
        .env_remove("USEAPI_TOKEN")
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join(".config"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("runway-assets: warning:") && err.contains("not valid TOML at line 2, column"), "{err}");
    // It went on, on its defaults, to the next problem: no token.
    assert!(err.contains("No API token is set"), "{err}");
    assert_eq!(out.status.code(), Some(2));
}

mod common;

/// The app starts on its defaults and its status line carries the TOML error's place.
#[test]
fn the_tui_status_line_shows_a_malformed_config() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join(".config").join("runway-assets");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), "account = \"a@example.com\"\n= oops\n").unwrap();
    for args in [&[][..], &["--demo"][..]] {
        let mut tui = common::Tui::start(args, &[], home.path());
        tui.wait_for_text("not valid TOML at line 2, column 1");
        tui.send("\x03");
        assert!(tui.wait_exit(), "{args:?}");
    }
}
