//! Where settings come from: the token (USEAPI_TOKEN, else `token` in config.toml), the base
//! URL, the Runway account (--account, else USEAPI_ACCOUNT, else `account` in config.toml), and
//! the paths of the config directory, history file and cache directory. Reads files; writes none.

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

/// What config.toml may hold.
#[derive(Debug, Default, serde::Deserialize)]
struct FileConfig {
    token: Option<String>,
    base_url: Option<String>,
    account: Option<String>,
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
        Settings { token, base_url: base_url.trim().to_string(), account, account_source, config_dir, warnings }
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

fn read_file_config(dir: &Path, warnings: &mut Vec<String>) -> FileConfig {
    let path = config_file(dir);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return FileConfig::default(),
        Err(e) => {
            warnings.push(format!("Could not read {}: {e}.", path.display()));
            return FileConfig::default();
        }
    };
    match toml::from_str::<FileConfig>(&text) {
        Ok(cfg) => {
            if cfg.token.is_some() && readable_by_others(&path) {
                warnings.push(format!("{} holds a token and others can read it: run chmod 600 on it.", path.display()));
            }
            cfg
        }
        Err(e) => {
            // toml's message can quote the file (and so the token): report only where it broke.
            let at = e.span().map(|s| format!(" near byte {}", s.start)).unwrap_or_default();
            warnings.push(format!("{} is not valid TOML{at}; it was ignored.", path.display()));
            FileConfig::default()
        }
    }
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
