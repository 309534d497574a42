//! Where settings come from: the token (USEAPI_TOKEN, else `token` in config.toml), the base
//! URL, the Runway account (--account, else USEAPI_ACCOUNT, else `account` in config.toml), and
//! the paths of the config directory, history file and cache directory. Reads files; writes none.
//!
//! config.toml is checked as it is read: a key it does not know gets a warning naming the
//! closest known key, a malformed file gets the TOML error with its line and column, and a
//! file that is not text, huge, a directory or unreadable gets one sentence; in every case the
//! app goes on with its defaults.

use std::fmt;
use std::path::{Path, PathBuf};

pub const DEFAULT_BASE_URL: &str = "https://api.useapi.net";

/// The API token. A secret: Debug and Display never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// A token from text; blank text is no token.
    pub fn new(text: &str) -> Option<Token> {
        let t = text.trim();
        (!t.is_empty()).then(|| Token(t.to_string()))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The config directory: `ProjectDirs::from("", "", "runway-assets")`.
pub fn config_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "runway-assets").map(|d| d.config_dir().to_path_buf())
}

/// The cache directory: `ProjectDirs::from("", "", "runway-assets")`'s cache_dir.
pub fn cache_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "runway-assets").map(|d| d.cache_dir().to_path_buf())
}

pub fn history_path(dir: &Path) -> PathBuf {
    dir.join("history.jsonl")
}

pub fn config_file(dir: &Path) -> PathBuf {
    dir.join("config.toml")
}

/// Every key config.toml accepts. `download_dir` is accepted (not warned about) for a feature
/// still to come.
pub const KEYS: &[&str] = &["token", "base_url", "account", "download_dir", "preview", "color"];

/// A config.toml larger than this is not read: no real one comes near it.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// What config.toml may hold.
#[derive(Debug, Default, serde::Deserialize)]
struct FileConfig {
    token: Option<String>,
    base_url: Option<String>,
    account: Option<String>,
    download_dir: Option<String>,
    preview: Option<toml::Value>,
    color: Option<String>,
}

/// When to use colour: `--color`, `color = "…"` in config.toml.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, unless NO_COLOR is set (non-empty).
    Auto,
    /// Colour even when the output is not a terminal.
    Always,
    /// No colour at all.
    Never,
}

impl ColorChoice {
    pub fn parse(text: &str) -> Option<ColorChoice> {
        match text.trim().to_ascii_lowercase().as_str() {
            "auto" => Some(ColorChoice::Auto),
            "always" => Some(ColorChoice::Always),
            "never" => Some(ColorChoice::Never),
            _ => None,
        }
    }

    /// Whether to colour an output. The flag wins, then config.toml (both override NO_COLOR,
    /// as no-color.org asks), then NO_COLOR set to anything non-empty, then whether the output
    /// is a terminal.
    pub fn colour(flag: Option<ColorChoice>, file: Option<ColorChoice>, no_color: Option<&str>, tty: bool) -> bool {
        match flag.or(file).unwrap_or(ColorChoice::Auto) {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => no_color.is_none_or(str::is_empty) && tty,
        }
    }
}

/// How pictures are drawn: `--preview`, `preview = "…"` in config.toml.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PreviewChoice {
    /// Ask the terminal at start-up (within 300 ms); half blocks when it does not say.
    Auto,
    Kitty,
    Sixel,
    Iterm2,
    /// Unicode half blocks in 24-bit colour: every terminal with colour, tmux included.
    Halfblocks,
    /// No pictures at all.
    Off,
}

impl PreviewChoice {
    pub fn parse(text: &str) -> Option<PreviewChoice> {
        <PreviewChoice as clap::ValueEnum>::from_str(text.trim(), true).ok()
    }
}

/// Where the account in force was set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountSource {
    /// `--account EMAIL` on the command line.
    Flag,
    /// The USEAPI_ACCOUNT environment variable.
    Env,
    /// `account = "…"` in config.toml.
    ConfigFile,
}

/// The settings in force, and anything worth telling the user about how they were found.
#[derive(Debug, Clone)]
pub struct Settings {
    pub token: Option<Token>,
    pub base_url: String,
    /// The Runway account (email) to list, if one is chosen.
    pub account: Option<String>,
    /// Where `account` came from (None when there is none).
    pub account_source: Option<AccountSource>,
    pub config_dir: Option<PathBuf>,
    /// `color = "…"` in config.toml, when it is set and valid.
    pub color: Option<ColorChoice>,
    /// `download_dir = "…"` in config.toml (a leading `~/` is the home directory).
    pub download_dir: Option<PathBuf>,
    /// `preview = "…"` in config.toml, when it is set and valid.
    pub preview: Option<PreviewChoice>,
    pub warnings: Vec<String>,
}

impl Settings {
    /// Token: env var first, then config.toml. Base URL: flag (or its env var), config.toml,
    /// default. Account: flag, env var, config.toml, none. Blank values count as unset.
    pub fn resolve(
        env_token: Option<String>,
        base_url_flag: Option<String>,
        account_flag: Option<String>,
        env_account: Option<String>,
        config_dir: Option<PathBuf>,
    ) -> Settings {
        let mut warnings = Vec::new();
        let file = config_dir.as_deref().map(|d| read_file_config(d, &mut warnings)).unwrap_or_default();
        let token = env_token.as_deref().and_then(Token::new).or_else(|| file.token.as_deref().and_then(Token::new));
        let base_url = base_url_flag
            .filter(|s| !s.trim().is_empty())
            .or(file.base_url)
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_string());
        let set = |value: Option<String>, source| {
            value.map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).map(|v| (v, source))
        };
        let (account, account_source) = set(account_flag, AccountSource::Flag)
            .or_else(|| set(env_account, AccountSource::Env))
            .or_else(|| set(file.account, AccountSource::ConfigFile))
            .unzip();
        let color = file.color.as_deref().and_then(|text| {
            let choice = ColorChoice::parse(text);
            if choice.is_none() {
                warnings.push(format!(
                    "color = {:?} in config.toml is not auto, always or never; it was ignored.",
                    crate::sanitize::one_line(text, 40)
                ));
            }
            choice
        });
        let download_dir = file.download_dir.as_deref().map(str::trim).filter(|d| !d.is_empty()).map(expand_home);
        let preview = file.preview.as_ref().and_then(|value| preview_choice(value, &mut warnings));
        Settings {
            token,
            base_url: base_url.trim().to_string(),
            account,
            account_source,
            config_dir,
            color,
            download_dir,
            preview,
            warnings,
        }
    }

    /// For a status line when the account was chosen only for this run: how to keep it.
    pub fn account_permanent_hint(&self) -> Option<String> {
        match (&self.account, self.account_source) {
            (Some(account), Some(AccountSource::Flag | AccountSource::Env)) => {
                Some(format!("To make it permanent, put account = \"{account}\" in {}.", self.config_file_display()))
            }
            _ => None,
        }
    }

    pub fn history_path(&self) -> Option<PathBuf> {
        self.config_dir.as_deref().map(history_path)
    }

    pub fn config_file_display(&self) -> String {
        match &self.config_dir {
            Some(d) => config_file(d).display().to_string(),
            None => "config.toml in the config directory".to_string(),
        }
    }
}

/// `preview = "…"`: one of the choices (`false` also means off); anything else is warned about.
fn preview_choice(value: &toml::Value, warnings: &mut Vec<String>) -> Option<PreviewChoice> {
    let choice = match value {
        toml::Value::String(text) => PreviewChoice::parse(text),
        toml::Value::Boolean(false) => Some(PreviewChoice::Off),
        toml::Value::Boolean(true) => Some(PreviewChoice::Auto),
        _ => None,
    };
    if choice.is_none() {
        warnings.push(format!(
            "preview = {} in config.toml is not auto, kitty, sixel, iterm2, halfblocks or off; it was ignored.",
            match value {
                toml::Value::String(text) => format!("{:?}", crate::sanitize::one_line(text, 40)),
                other => format!("(a {})", other.type_str()),
            }
        ));
    }
    choice
}

fn expand_home(text: &str) -> PathBuf {
    match (text.strip_prefix("~/"), directories::BaseDirs::new()) {
        (Some(rest), Some(dirs)) => dirs.home_dir().join(rest),
        _ => PathBuf::from(text),
    }
}

/// For `doctor`: config.toml's state without changing anything. `Ok(None)`: there is none;
/// `Ok(Some(note))`: found and valid (the note says whether others can read it); `Err`: what
/// is wrong, as sentences.
pub fn check_file(dir: &Path) -> Result<Option<String>, String> {
    let path = config_file(dir);
    let text = match read_config_text(&path) {
        Ok(None) => return Ok(None),
        Ok(Some(text)) => text,
        Err(problem) => return Err(format!("{} {problem}.", path.display())),
    };
    let mut warnings = Vec::new();
    parse_config(&path, &text, &mut warnings);
    if !warnings.is_empty() {
        return Err(warnings.join(" "));
    }
    let private = if readable_by_others(&path) { "readable by others (it holds no token)" } else { "private" };
    Ok(Some(format!("{}: found, readable, {private}, valid", path.display())))
}

fn read_file_config(dir: &Path, warnings: &mut Vec<String>) -> FileConfig {
    let path = config_file(dir);
    match read_config_text(&path) {
        Ok(None) => FileConfig::default(),
        Ok(Some(text)) => parse_config(&path, &text, warnings),
        Err(problem) => {
            warnings.push(format!("{} {problem}; it was ignored.", path.display()));
            FileConfig::default()
        }
    }
}

/// The file's text: `None` when there is no file; else why it cannot be used, as the end of
/// a sentence that starts with its path.
fn read_config_text(path: &Path) -> Result<Option<String>, String> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("could not be read ({})", io_reason(&e))),
    };
    if meta.is_dir() {
        return Err("is a directory, not a file".to_string());
    }
    if meta.len() > MAX_CONFIG_BYTES {
        return Err(format!(
            "is {} bytes, far larger than any config file (at most {MAX_CONFIG_BYTES} are read)",
            meta.len()
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("could not be read ({})", io_reason(&e)))?;
    String::from_utf8(bytes).map(Some).map_err(|_| "is not text (it holds bytes that are not UTF-8)".to_string())
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied: check its owner and mode".to_string(),
        _ => e.to_string(),
    }
}

/// Parses config.toml, warning about each unknown key and about a malformed file (with the
/// TOML error's line and column). Anything wrong leaves the defaults.
fn parse_config(path: &Path, text: &str, warnings: &mut Vec<String>) -> FileConfig {
    let table = match toml::from_str::<toml::Table>(text) {
        Ok(t) => t,
        Err(e) => {
            warnings.push(toml_problem(path, text, &e));
            return FileConfig::default();
        }
    };
    for key in table.keys().filter(|k| !KEYS.contains(&k.as_str())) {
        let shown = crate::sanitize::one_line(key, 40);
        let warning = match closest_key(key) {
            Some(known) => format!("{}: unknown key `{shown}` — did you mean `{known}`?", path.display()),
            None => format!("{}: unknown key `{shown}` (known keys: {}).", path.display(), KEYS.join(", ")),
        };
        warnings.push(warning);
    }
    match toml::from_str::<FileConfig>(text) {
        Ok(cfg) => {
            if cfg.token.is_some() && readable_by_others(path) {
                warnings.push(format!("{} holds a token and others can read it: run chmod 600 on it.", path.display()));
            }
            cfg
        }
        Err(e) => {
            warnings.push(toml_problem(path, text, &e));
            FileConfig::default()
        }
    }
}

/// The TOML error as one sentence with its line and column. The message is left out when the
/// broken line is the token's, since it could quote it.
fn toml_problem(path: &Path, text: &str, e: &toml::de::Error) -> String {
    let Some(span) = e.span() else {
        return format!("{} is not valid TOML; it was ignored.", path.display());
    };
    let start = span.start.min(text.len());
    let before = text.get(..start).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    let line_text = text.lines().nth(line - 1).unwrap_or("");
    let message = if line_text.trim_start().starts_with("token") {
        "the token's line is malformed (quote the token: token = \"user:…\")".to_string()
    } else {
        crate::sanitize::one_line(e.message(), 160)
    };
    format!("{} is not valid TOML at line {line}, column {column}: {message}; it was ignored.", path.display())
}

/// The known key nearest to `key`, if it is near enough to be a typo.
pub fn closest_key(key: &str) -> Option<&'static str> {
    let key = key.to_ascii_lowercase();
    KEYS.iter()
        .map(|known| (strsim::damerau_levenshtein(&key, known), *known))
        .filter(|(distance, known)| *distance <= 2.max(known.len() / 3))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, known)| known)
}

#[cfg(unix)]
fn readable_by_others(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).map(|m| m.permissions().mode() & 0o044 != 0).unwrap_or(false)
}

#[cfg(not(unix))]
fn readable_by_others(_path: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_is_redacted_in_debug_and_display() {
        let t = Token::new(" user:123-abc ").unwrap();
        assert_eq!(t.expose(), "user:123-abc");
        assert!(!format!("{t:?} {t}").contains("abc"));
        assert!(Token::new("   ").is_none());
    }

    #[test]
    fn env_token_wins_over_file_and_file_is_read() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(config_file(dir.path()), "token = \"user:1-file\"\n").unwrap();
        let s = Settings::resolve(None, None, None, None, Some(dir.path().into()));
        assert_eq!(s.token.unwrap().expose(), "user:1-file");
        assert_eq!(s.base_url, DEFAULT_BASE_URL);
        let s = Settings::resolve(
            Some("user:2-env".into()),
            Some("http://127.0.0.1:9".into()),
            None,
            None,
            Some(dir.path().into()),
        );
        assert_eq!(s.token.unwrap().expose(), "user:2-env");
        assert_eq!(s.base_url, "http://127.0.0.1:9");
    }

    #[test]
    fn account_comes_from_flag_then_env_then_file_and_blank_is_unset() {
        let dir = tempfile::tempdir().unwrap();
        let d = || Some(dir.path().to_path_buf());
        let s = Settings::resolve(None, None, None, None, d());
        assert_eq!((s.account, s.account_source), (None, None));
        std::fs::write(config_file(dir.path()), "account = \" file@example.com \"\n").unwrap();
        let s = Settings::resolve(None, None, None, Some("  ".into()), d());
        assert_eq!(s.account.as_deref(), Some("file@example.com"));
        assert_eq!(s.account_source, Some(AccountSource::ConfigFile));
        assert_eq!(s.account_permanent_hint(), None);
        let s = Settings::resolve(None, None, Some("".into()), Some("env+x@example.com".into()), d());
        assert_eq!((s.account.as_deref(), s.account_source), (Some("env+x@example.com"), Some(AccountSource::Env)));
        let s = Settings::resolve(None, None, Some("flag@example.com".into()), Some("env@example.com".into()), d());
        assert_eq!((s.account.as_deref(), s.account_source), (Some("flag@example.com"), Some(AccountSource::Flag)));
        let hint = s.account_permanent_hint().unwrap();
        assert!(hint.contains("account = \"flag@example.com\"") && hint.contains("config.toml"), "{hint}");
    }

    #[test]
    fn bad_config_warns_without_echoing_the_token() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(config_file(dir.path()), "token = \"user:1-secret\n").unwrap();
        let s = Settings::resolve(None, None, None, None, Some(dir.path().into()));
        assert!(s.token.is_none());
        assert_eq!(s.warnings.len(), 1);
        assert!(!s.warnings[0].contains("secret"), "{}", s.warnings[0]);
    }

    #[cfg(unix)]
    #[test]
    fn world_readable_config_with_token_warns() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = config_file(dir.path());
        std::fs::write(&path, "token = \"user:1-x\"\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let s = Settings::resolve(None, None, None, None, Some(dir.path().into()));
        assert!(s.warnings.iter().any(|w| w.contains("chmod 600")));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let s = Settings::resolve(None, None, None, None, Some(dir.path().into()));
        assert!(s.warnings.is_empty());
    }
}
