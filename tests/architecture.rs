//! The dependency rules of `src/lib.rs`, checked against the sources: each module may import
//! only what the rules allow. A broken rule fails with the file and line.

use std::path::{Path, PathBuf};

const LEAVES: &[&str] =
    &["api", "history", "present", "sanitize", "config", "cache", "logfile", "private_files", "download", "preview"];
const EVERYTHING_ABOVE_LEAVES: &[&str] = &["app", "ui", "workers", "terminal", "event_loop", "cli", "demo"];

/// The modules a top-level module must not import.
fn forbidden(module: &str) -> Vec<&'static str> {
    match module {
        m if LEAVES.contains(&m) => EVERYTHING_ABOVE_LEAVES.to_vec(),
        "app" => vec!["ui", "workers", "terminal", "event_loop", "cli", "demo"],
        "ui" => {
            vec!["api", "history", "sanitize", "config", "cache", "workers", "terminal", "event_loop", "cli", "demo"]
        }
        "workers" => vec!["app", "ui", "terminal", "event_loop", "cli", "demo"],
        _ => vec![],
    }
}

/// The crate modules a line of source refers to: `crate::x`, and each item of `crate::{x, y}`.
fn referenced(line: &str) -> Vec<String> {
    let code = line.split("//").next().unwrap_or("");
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = group.split('}').next().unwrap_or("");
            for item in inner.split(',') {
                let name: String = item.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !name.is_empty() && name != "self" {
                    found.push(name);
                }
            }
        } else {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                found.push(name);
            }
        }
    }
    found
}

/// Every broken rule in one file's text, as "path:line: module imports other".
fn violations(module: &str, path: &str, source: &str) -> Vec<String> {
    let banned = forbidden(module);
    let mut out = Vec::new();
    for (i, line) in source.lines().enumerate() {
        for name in referenced(line) {
            if banned.contains(&name.as_str()) {
                out.push(format!("{path}:{}: `{module}` must not import `{name}`: {}", i + 1, line.trim()));
            }
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_module_imports_only_what_the_rules_allow() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 20, "the sources were found");
    let mut broken = Vec::new();
    for file in files {
        let relative = file.strip_prefix(&src).unwrap();
        // The top-level module a file belongs to: its first folder, or its own name.
        let first = relative.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
        let module = first.trim_end_matches(".rs").to_string();
        let text = std::fs::read_to_string(&file).unwrap();
        broken.extend(violations(&module, &relative.display().to_string(), &text));
    }
    assert!(broken.is_empty(), "dependency rules broken:\n{}", broken.join("\n"));
}

#[test]
fn a_planted_violation_is_caught_with_its_file_and_line() {
    let source = "//! docs\nuse crate::api::Asset;\nuse crate::{present, ui::draw};\n";
    assert_eq!(
        violations("app", "app/x.rs", source),
        vec!["app/x.rs:3: `app` must not import `ui`: use crate::{present, ui::draw};".to_string()]
    );
    let worker = "    let _ = crate::app::Msg::Tick; // crate::ui in a comment is fine\n";
    assert_eq!(violations("workers", "workers/x.rs", worker).len(), 1);
    assert!(violations("history", "history/x.rs", "use crate::event_loop::run;").len() == 1);
    assert!(violations("ui", "ui/x.rs", "use crate::api::Asset;").len() == 1, "drawing reads app and present only");
    assert!(violations("event_loop", "event_loop.rs", "use crate::ui;").is_empty());
}
