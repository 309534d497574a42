//! `completions` and `man`: generated from the parser's own definition, printed fast, and
//! usable by a real bash and by man.

use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_runway-assets");

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(BIN).args(args).env("HOME", "/nonexistent").output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_shell_gets_a_script_naming_the_subcommands_and_flags() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let (code, out, err) = run(&["completions", shell]);
        assert_eq!(code, Some(0), "{shell}: {err}");
        for word in ["accounts", "list", "doctor", "base-url", "max-history", "color", "log"] {
            assert!(out.contains(word), "{shell} lacks {word}");
        }
    }
    let (code, _, err) = run(&["completions", "tcsh"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("possible values"), "{err}");
}

#[test]
fn a_real_bash_completes_subcommands_and_flags() {
    if Command::new("bash").arg("--version").output().is_err() {
        return; // no bash here
    }
    let script = format!(
        r#"source <("{BIN}" completions bash)
COMP_WORDS=(runway-assets a); COMP_CWORD=1; COMP_LINE="runway-assets a"; COMP_POINT=${{#COMP_LINE}}
_runway__assets runway-assets a runway-assets; echo "sub: ${{COMPREPLY[*]}}"
COMP_WORDS=(runway-assets list --ty); COMP_CWORD=2; COMP_LINE="runway-assets list --ty"; COMP_POINT=${{#COMP_LINE}}
_runway__assets runway-assets --ty list; echo "flag: ${{COMPREPLY[*]}}""#
    );
    let out = Command::new("bash").arg("-c").arg(script).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("sub: accounts"), "{text} {}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("flag: --type"), "{text}");
}

#[test]
fn the_man_page_is_roff_with_every_subcommand_and_prints_fast() {
    let started = Instant::now();
    let (code, out, err) = run(&["man"]);
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains(".TH runway-assets 1"), "{out}");
    for word in [
        "get",
        "list",
        "accounts",
        "doctor",
        "completions",
        "USEAPI_TOKEN",
        "NO_COLOR",
        "RUNWAY_ASSETS_LOG",
        "config.toml",
        "download_dir",
    ] {
        assert!(out.contains(word), "man page lacks {word}");
    }
}
