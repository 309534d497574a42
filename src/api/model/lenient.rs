//! Lenient readers for fields the API sends in more than one form: numbers that arrive as
//! strings, and values of an unexpected type that must become "absent" rather than fail the
//! whole asset.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::sanitize::clean;

/// A number sent as a JSON number or as a numeric string; anything else is absent.
pub fn f64_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(Value::deserialize(d).ok().as_ref().and_then(value_f64))
}

/// A non-negative integer sent as a number or a numeric string; anything else is absent.
pub fn u64_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(Value::deserialize(d).ok().as_ref().and_then(value_u64))
}

/// A string, or a number shown as a string (ids such as `userId` are numbers); else absent.
/// Strings are made terminal-safe here, so no asset field can carry an escape sequence.
pub fn string_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d) {
        Ok(Value::String(s)) => Some(clean(&s).into_owned()),
        Ok(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    })
}

/// A boolean, also from the strings "true"/"false"; else absent.
pub fn bool_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match Value::deserialize(d) {
        Ok(Value::Bool(b)) => Some(b),
        Ok(Value::String(s)) if s.eq_ignore_ascii_case("true") => Some(true),
        Ok(Value::String(s)) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    })
}

/// A list of strings; non-string members are dropped, a non-list is absent.
pub fn strings_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    Ok(match Value::deserialize(d) {
        Ok(Value::Array(items)) => Some(
            items
                .into_iter()
                .filter_map(|v| match v {
                    Value::String(s) => Some(clean(&s).into_owned()),
                    _ => None,
                })
                .collect(),
        ),
        Ok(Value::String(s)) => Some(vec![clean(&s).into_owned()]),
        _ => None,
    })
}

pub fn value_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => number_f64(n),
        Value::String(s) => str_f64(s),
        _ => None,
    }
}

pub fn value_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => number_u64(n),
        Value::String(s) => str_u64(s),
        _ => None,
    }
}

// The same rules taken apart, for readers that see a number or a string without a `Value`.

pub(crate) fn number_f64(n: &serde_json::Number) -> Option<f64> {
    n.as_f64().filter(|f| f.is_finite())
}

pub(crate) fn str_f64(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|f| f.is_finite())
}

pub(crate) fn number_u64(n: &serde_json::Number) -> Option<u64> {
    n.as_u64().or_else(|| {
        n.as_f64().filter(|f| f.is_finite() && *f >= 0.0 && f.fract() == 0.0 && *f < 1.8e19).map(|f| f as u64)
    })
}

pub(crate) fn str_u64(s: &str) -> Option<u64> {
    s.trim().parse::<u64>().ok()
}
