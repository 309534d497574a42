//! The README's key table and the keymap say the same: the table's rows are exactly the help
//! overlay's lines, so neither can drift from the keys the app answers.

use runway_assets::app::keymap;

#[test]
fn the_readme_lists_exactly_the_keys_of_the_keymap() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme.split("\n## Keys\n").nth(1).expect("README has a Keys section");
    let section = section.split("\n## ").next().unwrap();
    let rows: Vec<(String, String)> = section
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| key |"))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split(" | ").map(str::trim).collect();
            (cells[0].replace('`', ""), cells.get(1).unwrap_or(&"").to_string())
        })
        .collect();
    let expected: Vec<(String, String)> =
        keymap::help_lines().into_iter().map(|(k, h)| (k.to_string(), h.to_string())).collect();
    assert_eq!(rows, expected, "README.md's Keys table must match keymap::help_lines(), in order");
}
