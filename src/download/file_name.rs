//! The file name a download is saved under, made from the asset's name: a name any server may
//! send (`../../.bashrc`, `/etc/passwd`, `CON`, control characters, 5,000 characters) becomes
//! one plain file name inside the download folder, never a path, a hidden file, a device or a
//! `.part` file. Also the `name (1).ext` names tried when a name is taken.

use crate::sanitize;

/// The longest file name made, in bytes (most file systems allow 255; `.part` and ` (99)` fit).
pub const MAX_NAME_BYTES: usize = 200;
/// The suffix of a file still being written.
pub const PART_SUFFIX: &str = ".part";
/// The name used when neither the asset's name nor its ID leaves anything.
const FALLBACK: &str = "download";
/// Extensions a name may already end with (besides the asset's own `fileExtStandardized`).
const KNOWN_EXTENSIONS: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "webp", "avif", "heic", "heif", "bmp", "tif", "tiff", "svg", "mp4", "m4v", "mov",
    "webm", "mkv", "avi", "mpg", "mpeg", "mp3", "wav", "m4a", "aac", "ogg", "oga", "flac", "opus", "txt", "json",
    "pdf", "zip", "gltf", "glb", "obj", "fbx", "exr",
];
/// Windows' device names: a file called `CON` or `nul.txt` is not a file there.
const RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM¹",
    "COM²", "COM³", "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²",
    "LPT³", "CONIN$", "CONOUT$",
];

/// A safe file name, split so that numbered variants keep the extension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileName {
    stem: String,
    /// With its dot (".mp4"), or empty.
    ext: String,
}

impl FileName {
    /// The name for an asset: its `name` made safe, with `ext` (`fileExtStandardized`) added
    /// when the name has no extension; a nameless asset (or one whose name leaves nothing)
    /// takes its ID, made safe the same way.
    pub fn for_asset(name: Option<&str>, ext: Option<&str>, asset_id: &str) -> FileName {
        let ext = ext.map(clean_extension).unwrap_or_default();
        let (stem, ext) = match name.map(clean_text).filter(|n| !n.is_empty()) {
            Some(name) => split_name(&name, &ext),
            None => {
                let id = clean_text(asset_id);
                let stem = if id.is_empty() { FALLBACK.to_string() } else { id };
                (stem, if ext.is_empty() { String::new() } else { format!(".{ext}") })
            }
        };
        FileName::from_parts(stem, ext)
    }

    fn from_parts(stem: String, ext: String) -> FileName {
        // One byte spare for the `_` a device name gets.
        let mut stem = fit(&stem, MAX_NAME_BYTES.saturating_sub(ext.len() + 1));
        if is_reserved(&stem) {
            stem.insert(0, '_');
        }
        // A finished file never ends in `.part`: that suffix means "not finished".
        if ext.is_empty() && ends_with_part(&stem) {
            let cut = stem.len() - PART_SUFFIX.len();
            stem.replace_range(cut..cut + 1, "_");
        }
        if stem.is_empty() {
            stem = FALLBACK.to_string();
        }
        FileName { stem, ext }
    }

    /// The name itself (`n` = 0) or its `n`th variant, `stem (n).ext`, all within the length.
    pub fn numbered(&self, n: u32) -> String {
        if n == 0 {
            return format!("{}{}", self.stem, self.ext);
        }
        let tag = format!(" ({n})");
        let room = MAX_NAME_BYTES.saturating_sub(self.ext.len() + tag.len());
        format!("{}{tag}{}", fit(&self.stem, room), self.ext)
    }
}

impl std::fmt::Display for FileName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.numbered(0))
    }
}

/// One line of text made into file-name material: path separators, characters Windows forbids,
/// control, format and bidi characters (and the placeholder they became) turn into `_`; runs of
/// whitespace become one space; leading dots, underscores and spaces go (no hidden files, no
/// `..`) and trailing dots and spaces go (Windows drops them).
fn clean_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_NAME_BYTES * 2));
    let mut last_space = false;
    for c in text.chars() {
        let c = if c.is_whitespace() && !sanitize::is_unsafe(c) || matches!(c, '\t' | '\n' | '\r') {
            ' '
        } else if is_forbidden(c) {
            '_'
        } else {
            c
        };
        if c == ' ' && last_space {
            continue;
        }
        last_space = c == ' ';
        out.push(c);
        // Far longer than any name kept: stop copying (the cut to size comes later).
        if out.len() > MAX_NAME_BYTES * 4 {
            break;
        }
    }
    let trimmed = out.trim_start_matches(['.', '_', ' ']).trim_end_matches(['.', ' ']);
    trimmed.to_string()
}

fn is_forbidden(c: char) -> bool {
    sanitize::is_unsafe(c)
        || c == sanitize::PLACEHOLDER
        || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
}

/// `fileExtStandardized` as an extension: lower-case ASCII letters and digits only, at most 10;
/// anything else is no extension.
fn clean_extension(ext: &str) -> String {
    let ext = ext.trim().trim_start_matches('.').to_ascii_lowercase();
    let usable = !ext.is_empty() && ext.len() <= 10 && ext.bytes().all(|b| b.is_ascii_alphanumeric());
    if !usable || format!(".{ext}") == PART_SUFFIX {
        return String::new();
    }
    ext
}

/// (stem, ".ext"): the name's own extension when it has a recognised one, else the asset's added.
fn split_name(name: &str, ext: &str) -> (String, String) {
    if let Some(dot) = name.rfind('.').filter(|&i| i > 0) {
        let own = &name[dot + 1..];
        let own_lower = own.to_ascii_lowercase();
        if !own.is_empty()
            && (own_lower == ext || same_kind(&own_lower, ext) || KNOWN_EXTENSIONS.contains(&own_lower.as_str()))
        {
            let stem = name[..dot].trim_end_matches(['.', ' ']);
            if !stem.is_empty() {
                return (stem.to_string(), format!(".{own}"));
            }
        }
    }
    (name.to_string(), if ext.is_empty() { String::new() } else { format!(".{ext}") })
}

/// Two spellings of one extension.
fn same_kind(a: &str, b: &str) -> bool {
    let norm = |e: &str| {
        match e {
            "jpg" => "jpeg",
            "tif" => "tiff",
            "mpg" => "mpeg",
            other => other,
        }
        .to_string()
    };
    !a.is_empty() && norm(a) == norm(b)
}

/// Whether a stem is a Windows device name (with or without an extension after it).
fn is_reserved(stem: &str) -> bool {
    let base = stem.split('.').next().unwrap_or(stem).trim_end();
    RESERVED.iter().any(|r| r.eq_ignore_ascii_case(base))
}

fn ends_with_part(stem: &str) -> bool {
    stem.len() >= PART_SUFFIX.len()
        && stem.is_char_boundary(stem.len() - PART_SUFFIX.len())
        && stem[stem.len() - PART_SUFFIX.len()..].eq_ignore_ascii_case(PART_SUFFIX)
}

/// `text` cut to at most `max` bytes on a character boundary, without trailing dots or spaces.
fn fit(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].trim_end_matches(['.', ' ']).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(n: &str, ext: Option<&str>) -> String {
        FileName::for_asset(Some(n), ext, "user:1-runwayml:a@b.c-asset:1234").to_string()
    }

    #[test]
    fn paths_become_plain_names() {
        assert_eq!(name("../../.bashrc", None), "bashrc");
        assert_eq!(name("/etc/passwd", None), "etc_passwd");
        assert_eq!(name("..\\..\\windows\\system32", Some("png")), "windows_system32.png");
        assert_eq!(name("a/../b.mp4", Some("mp4")), "a_.._b.mp4");
        assert_eq!(name(".hidden.jpg", Some("jpeg")), "hidden.jpg");
    }

    #[test]
    fn control_and_bidi_characters_never_reach_the_name() {
        assert_eq!(name("a\u{0}b", None), "a_b");
        assert_eq!(name("a\u{FFFD}b", None), "a_b", "the placeholder sanitize left");
        assert_eq!(name("invoice\u{202E}4pm.exe", Some("mp4")), "invoice_4pm.exe.mp4");
        assert_eq!(name("line\none\ttwo", None), "line one two");
        assert_eq!(name("\x1b[31mred", Some("mp4")), "[31mred.mp4");
    }

    #[test]
    fn trailing_dots_and_spaces_go_and_only_dots_is_nameless() {
        assert_eq!(name("clip. . .", Some("mp4")), "clip.mp4");
        assert_eq!(name("...", Some("mp4")), "user_1-runwayml_a@b.c-asset_1234.mp4");
        assert_eq!(name("..", None), "user_1-runwayml_a@b.c-asset_1234");
        assert_eq!(name("   ", None), "user_1-runwayml_a@b.c-asset_1234");
        assert_eq!(FileName::for_asset(None, None, "").to_string(), "download");
        assert_eq!(FileName::for_asset(Some("..."), None, "../..").to_string(), "download");
    }

    #[test]
    fn reserved_device_names_are_changed() {
        assert_eq!(name("CON", None), "_CON");
        assert_eq!(name("con", Some("mp4")), "_con.mp4");
        assert_eq!(name("nul.txt", Some("png")), "_nul.txt");
        assert_eq!(name("Com1.tar.gz", None), "_Com1.tar.gz");
        assert_eq!(name("CONSOLE", None), "CONSOLE");
        assert_eq!(name("lpt9 ", Some("png")), "_lpt9.png");
    }

    #[test]
    fn the_extension_is_added_only_when_missing() {
        assert_eq!(name("Race car.jpg", Some("jpeg")), "Race car.jpg");
        assert_eq!(name("Race car", Some("jpeg")), "Race car.jpeg");
        assert_eq!(name("Gen-3 Alpha Turbo 1280x768.5s", Some("mp4")), "Gen-3 Alpha Turbo 1280x768.5s.mp4");
        assert_eq!(name("take.MP3", Some("mp3")), "take.MP3");
        assert_eq!(name("v1.2 final", Some("mp4")), "v1.2 final.mp4");
        assert_eq!(name("notes", Some("../evil")), "notes", "an extension that is not one is dropped");
        assert_eq!(name("notes", None), "notes");
    }

    #[test]
    fn a_finished_name_never_ends_in_part() {
        assert_eq!(name("movie.part", None), "movie_part");
        assert_eq!(name("movie.PART", Some("mp4")), "movie.PART.mp4");
        assert!(!name(".part", None).ends_with(".part"));
    }

    #[test]
    fn long_names_are_cut_on_a_character_boundary_keeping_the_extension() {
        let long = "é".repeat(5000);
        let n = name(&long, Some("mp4"));
        assert!(n.len() <= MAX_NAME_BYTES, "{}", n.len());
        assert!(n.ends_with("é.mp4"), "{n}");
        let f = FileName::for_asset(Some(&"x".repeat(5000)), Some("jpeg"), "id");
        for k in [0, 1, 99, 100_000] {
            let numbered = f.numbered(k);
            assert!(numbered.len() <= MAX_NAME_BYTES, "{k}: {}", numbered.len());
            assert!(numbered.ends_with(".jpeg"));
        }
        assert!(f.numbered(7).ends_with("x (7).jpeg"));
    }

    #[test]
    fn numbered_names() {
        let f = FileName::for_asset(Some("Race car.jpg"), Some("jpeg"), "id");
        assert_eq!(f.numbered(0), "Race car.jpg");
        assert_eq!(f.numbered(1), "Race car (1).jpg");
        assert_eq!(f.numbered(12), "Race car (12).jpg");
        let bare = FileName::for_asset(Some("notes"), None, "id");
        assert_eq!(bare.numbered(2), "notes (2)");
    }

    proptest::proptest! {
        #[test]
        fn any_name_gives_one_safe_file_name(
            text in ".{0,300}",
            ext in proptest::option::of(".{0,12}"),
            id in ".{0,80}",
            n in 0u32..1000,
        ) {
            let f = FileName::for_asset(Some(&text), ext.as_deref(), &id);
            let out = f.numbered(n);
            proptest::prop_assert!(!out.is_empty());
            proptest::prop_assert!(out.len() <= MAX_NAME_BYTES);
            proptest::prop_assert!(!out.contains(['/', '\\', '\0']));
            proptest::prop_assert!(!out.chars().any(|c| sanitize::is_unsafe(c) || c == sanitize::PLACEHOLDER));
            proptest::prop_assert!(!out.starts_with('.') && !out.starts_with(' '));
            proptest::prop_assert!(!out.ends_with('.') && !out.ends_with(' '));
            proptest::prop_assert!(out != "." && out != "..");
            proptest::prop_assert!(!out.to_ascii_lowercase().ends_with(PART_SUFFIX));
            proptest::prop_assert!(!is_reserved(&out));
        }
    }
}
