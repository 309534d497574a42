//! Which addresses may be handed to a browser: only `http` and `https` with a host. Anything
//! else (`file:`, `javascript:`, `data:`, a relative path) could read local files or run code,
//! and is refused with a sentence saying why.
//!
//! (Kept in its own file until `api::files` brings the shared check for downloads and
//! previews; then this one gives way to it.)

use reqwest::Url;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebUrlError {
    #[error("The asset has no URL.")]
    Empty,
    #[error("The URL is a relative path, not a web address, so it is not opened.")]
    Relative,
    #[error("{0}: URLs are not opened: only http and https addresses are.")]
    Scheme(String),
    #[error("The URL has no host, so it is not opened.")]
    NoHost,
    #[error("The URL is not a valid web address ({0}), so it is not opened.")]
    Invalid(String),
}

/// `text` as a web address, if it is an absolute `http` or `https` URL with a host.
pub fn web_url(text: &str) -> Result<Url, WebUrlError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(WebUrlError::Empty);
    }
    let url = match Url::parse(text) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => return Err(WebUrlError::Relative),
        Err(e) => return Err(WebUrlError::Invalid(e.to_string())),
    };
    match url.scheme() {
        "http" | "https" => {}
        // The scheme is letters, digits and + - . only (the parser checks), so safe to show.
        other => return Err(WebUrlError::Scheme(other.to_string())),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(WebUrlError::NoHost);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_with_a_host_pass() {
        assert!(web_url("https://cdn.example.com/a.mp4?sig=1").is_ok());
        assert!(web_url("http://127.0.0.1:8080/a").is_ok());
        assert_eq!(web_url("file:///etc/passwd"), Err(WebUrlError::Scheme("file".into())));
        assert_eq!(web_url("javascript:alert(1)"), Err(WebUrlError::Scheme("javascript".into())));
        assert_eq!(web_url("data:text/html,<b>x</b>"), Err(WebUrlError::Scheme("data".into())));
        assert_eq!(web_url("JavaScript:alert(1)"), Err(WebUrlError::Scheme("javascript".into())));
        assert_eq!(web_url("/assets/a.mp4"), Err(WebUrlError::Relative));
        assert_eq!(web_url("a.mp4"), Err(WebUrlError::Relative));
        assert_eq!(web_url(""), Err(WebUrlError::Empty));
        assert!(matches!(web_url("http://"), Err(WebUrlError::Invalid(_) | WebUrlError::NoHost)));
    }

    #[test]
    fn refusals_are_sentences() {
        let text = web_url("file:///etc/passwd").unwrap_err().to_string();
        assert_eq!(text, "file: URLs are not opened: only http and https addresses are.");
        assert!(web_url("/x").unwrap_err().to_string().contains("relative path"));
    }
}
