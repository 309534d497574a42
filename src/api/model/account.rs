//! `GET /v1/runwayml/accounts`: an object keyed by account email whose values carry the
//! account's password and a session JWT. Only the email and the error state are read: the
//! reader below skips every other field unseen (serde's `IgnoredAny`), so the secrets never
//! enter a value of ours, not even a `serde_json::Value`.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::api::ApiError;
use crate::api::client::json_problem;
use crate::sanitize;

/// One linked Runway account: its email and, if it is in an error state, the error (cleaned).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSummary {
    pub email: String,
    pub error: Option<String>,
}

/// The longest error text kept from the server.
const MAX_ERROR_CHARS: usize = 300;

impl AccountSummary {
    /// Reads the accounts answer, sorted by email. The error never quotes the body.
    pub fn list_from_json(body: &[u8]) -> Result<Vec<AccountSummary>, ApiError> {
        let parsed: Accounts =
            serde_json::from_slice(body).map_err(|e| ApiError::InvalidJson(json_problem(&e, body)))?;
        let mut accounts = parsed.0.map_err(ApiError::NotAccounts)?;
        accounts.sort_by(|a, b| a.email.cmp(&b.email));
        accounts.dedup_by(|a, b| a.email == b.email);
        Ok(accounts)
    }
}

/// The whole answer: the accounts, or what the body was instead of an object.
struct Accounts(Result<Vec<AccountSummary>, &'static str>);

impl<'de> Deserialize<'de> for Accounts {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Accounts, D::Error> {
        d.deserialize_any(AccountsVisitor)
    }
}

struct AccountsVisitor;

impl<'de> Visitor<'de> for AccountsVisitor {
    type Value = Accounts;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object keyed by account email")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Accounts, A::Error> {
        let mut out = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let entry: Entry = map.next_value()?;
            let email = Some(sanitize::one_line(&key, 320))
                .filter(|e| !e.is_empty())
                .or(entry.email)
                .unwrap_or_else(|| "(no email)".to_string());
            out.push(AccountSummary { email, error: entry.error });
        }
        Ok(Accounts(Ok(out)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Accounts, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Accounts(Err("a list")))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Accounts, E> {
        Ok(Accounts(Err("a string")))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Accounts, E> {
        Ok(Accounts(Err("a boolean")))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Accounts, E> {
        Ok(Accounts(Err("a number")))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Accounts, E> {
        Ok(Accounts(Err("a number")))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Accounts, E> {
        Ok(Accounts(Err("a number")))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Accounts, E> {
        Ok(Accounts(Err("null")))
    }
}

/// One account's value: `email` and `error` read, everything else (password, jwt…) skipped.
/// A value that is not an object is an account with nothing known about it.
#[derive(Default)]
struct Entry {
    email: Option<String>,
    error: Option<String>,
}

impl<'de> Deserialize<'de> for Entry {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Entry, D::Error> {
        d.deserialize_any(EntryVisitor)
    }
}

struct EntryVisitor;

impl<'de> Visitor<'de> for EntryVisitor {
    type Value = Entry;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an account object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entry, A::Error> {
        let mut entry = Entry::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "email" => entry.email = map.next_value::<Text>()?.0.filter(|e| !e.is_empty()),
                "error" => entry.error = map.next_value::<ErrorText>()?.0,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(entry)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Entry, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Entry::default())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Entry, E> {
        Ok(Entry::default())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Entry, E> {
        Ok(Entry::default())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Entry, E> {
        Ok(Entry::default())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Entry, E> {
        Ok(Entry::default())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Entry, E> {
        Ok(Entry::default())
    }
    fn visit_unit<E: de::Error>(self) -> Result<Entry, E> {
        Ok(Entry::default())
    }
}

/// A string field, cleaned to one line; any other value is absent.
struct Text(Option<String>);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        Ok(Text(match ErrorText::deserialize(d)?.0 {
            Some(t) if t == ErrorText::UNREADABLE => None,
            other => other,
        }))
    }
}

/// The `error` field: a string (cleaned, one line); `null`, `false` or "" mean no error; any
/// other value (an object, `true`…) means an error whose text cannot be shown.
struct ErrorText(Option<String>);

impl ErrorText {
    const UNREADABLE: &'static str = "(the server gave no readable reason)";
}

impl<'de> Deserialize<'de> for ErrorText {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<ErrorText, D::Error> {
        d.deserialize_any(ErrorTextVisitor)
    }
}

struct ErrorTextVisitor;

impl ErrorTextVisitor {
    fn unreadable() -> ErrorText {
        ErrorText(Some(ErrorText::UNREADABLE.to_string()))
    }
}

impl<'de> Visitor<'de> for ErrorTextVisitor {
    type Value = ErrorText;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an error text")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<ErrorText, E> {
        Ok(ErrorText(Some(sanitize::one_line(s, MAX_ERROR_CHARS)).filter(|t| !t.is_empty())))
    }
    fn visit_unit<E: de::Error>(self) -> Result<ErrorText, E> {
        Ok(ErrorText(None))
    }
    fn visit_none<E: de::Error>(self) -> Result<ErrorText, E> {
        Ok(ErrorText(None))
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<ErrorText, E> {
        Ok(if b { Self::unreadable() } else { ErrorText(None) })
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<ErrorText, E> {
        Ok(Self::unreadable())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<ErrorText, E> {
        Ok(Self::unreadable())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<ErrorText, E> {
        Ok(Self::unreadable())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ErrorText, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Self::unreadable())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ErrorText, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Self::unreadable())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = r#"{
      "zed@example.com": {"email": "zed@example.com", "password": "PASSWORD-SECRET-1", "maxJobs": 5,
                          "jwt": {"token": "JWT-SECRET-1", "exp": 1734858598.864, "iat": 1, "id": 12}},
      "amy@example.com": {"email": "amy@example.com", "password": "PASSWORD-SECRET-2",
                          "jwt": {"token": "JWT-SECRET-2"}, "error": "Refresh \u001b[31mtoken rejected\n again"},
      "odd@example.com": "not an object",
      "obj@example.com": {"error": {"password": "PASSWORD-SECRET-3"}}
    }"#;

    #[test]
    fn only_emails_and_errors_are_kept_sorted() {
        let accounts = AccountSummary::list_from_json(BODY.as_bytes()).unwrap();
        let emails: Vec<_> = accounts.iter().map(|a| a.email.as_str()).collect();
        assert_eq!(emails, ["amy@example.com", "obj@example.com", "odd@example.com", "zed@example.com"]);
        assert_eq!(accounts[0].error.as_deref(), Some("Refresh \u{FFFD}[31mtoken rejected again"));
        assert_eq!(accounts[1].error.as_deref(), Some(ErrorText::UNREADABLE));
        assert_eq!(accounts[2].error, None);
        assert_eq!(accounts[3].error, None);
        let debug = format!("{accounts:?}");
        assert!(!debug.contains("SECRET"), "{debug}");
    }

    #[test]
    fn bad_bodies_are_errors_that_quote_nothing() {
        for body in [&BODY[..BODY.len() / 2], "{\"a@b.c\": {\"password\": \"PASSWORD-SECRET\",, }}", ""] {
            let e = AccountSummary::list_from_json(body.as_bytes()).unwrap_err();
            assert!(matches!(e, ApiError::InvalidJson(_)), "{e:?}");
            assert!(!e.to_string().contains("SECRET") && !format!("{e:?}").contains("SECRET"), "{e}");
        }
        assert_eq!(AccountSummary::list_from_json(b"[1]"), Err(ApiError::NotAccounts("a list")));
        assert_eq!(AccountSummary::list_from_json(b"\"PASSWORD-SECRET\""), Err(ApiError::NotAccounts("a string")));
        assert_eq!(AccountSummary::list_from_json(b"{}"), Ok(Vec::new()));
    }
}
