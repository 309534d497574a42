//! The one sentence people read about an API error, shared by the TUI and the command line:
//! the error's own text, except where the fix is ours to explain (how to set a token, how to
//! choose an account), which `ApiError` itself leaves out.

use crate::api::ApiError;

/// The sentence for `error`; `config_file` is where config.toml is (as shown to people).
pub fn describe(error: &ApiError, config_file: &str) -> String {
    match error {
        ApiError::NoToken => format!(
            "No API token is set: export USEAPI_TOKEN=<your useapi.net token>, or put token = \"…\" in {config_file}. (runway-assets --demo works without one.)"
        ),
        ApiError::AccountRequired(_) => format!(
            "Several Runway accounts are linked to this token: choose one with --account EMAIL, USEAPI_ACCOUNT=EMAIL, account = \"EMAIL\" in {config_file}, or a in the app (runway-assets accounts lists them)."
        ),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_and_account_errors_say_how_to_fix_them() {
        let text = describe(&ApiError::NoToken, "/home/me/.config/runway-assets/config.toml");
        assert!(text.contains("USEAPI_TOKEN") && text.contains("/home/me/.config/runway-assets/config.toml"), "{text}");
        let text = describe(&ApiError::AccountRequired("email is required".into()), "C");
        for needle in ["--account EMAIL", "USEAPI_ACCOUNT", "account = \"EMAIL\" in C", "a in the app"] {
            assert!(text.contains(needle), "{needle}: {text}");
        }
        assert_eq!(describe(&ApiError::NotFound, "C"), ApiError::NotFound.to_string());
    }

    #[test]
    fn the_errors_themselves_carry_no_command_line_wording() {
        for e in [ApiError::NoToken, ApiError::MalformedToken, ApiError::AccountRequired("email".into())] {
            let text = e.to_string();
            assert!(!text.contains("--") && !text.contains("USEAPI_") && !text.contains("config.toml"), "{text}");
        }
    }
}
