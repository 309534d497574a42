//! Values for people: sizes, durations, frame rates, dates and ages. Pure functions; the
//! current time is always passed in so that output is reproducible.

use jiff::Timestamp;

/// `2.4 MB (2,412,345 bytes)`; decimal units, as file managers show them.
pub fn size(bytes: u64) -> String {
    format!("{} ({} bytes)", size_short(bytes), thousands(bytes))
}

pub fn size_short(bytes: u64) -> String {
    humansize::format_size(bytes, humansize::DECIMAL)
}

pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `0:10.5`, `1:02:05.0`: minutes:seconds with tenths, hours when needed.
pub fn duration(seconds: f64) -> String {
    if !seconds.is_finite() || seconds < 0.0 {
        return "unknown".to_string();
    }
    let tenths = (seconds * 10.0).round() as u64;
    let (whole, tenth) = (tenths / 10, tenths % 10);
    let (h, m, s) = (whole / 3600, (whole / 60) % 60, whole % 60);
    if h > 0 { format!("{h}:{m:02}:{s:02}.{tenth}") } else { format!("{m}:{s:02}.{tenth}") }
}

/// `24 fps`, `23.976 fps`.
pub fn frame_rate(fps: f64) -> String {
    let text = format!("{:.3}", fps);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text} fps")
}

/// Parses an API date; `None` if it is not RFC 3339.
pub fn parse_date(text: &str) -> Option<Timestamp> {
    text.trim().parse::<Timestamp>().ok()
}

/// `2026-11-01 14:03 UTC (3 weeks ago)`, or the raw text if it is not a date.
pub fn date_with_age(text: &str, now: Timestamp) -> String {
    match parse_date(text) {
        Some(ts) => format!("{} ({})", absolute(ts), age(ts, now)),
        None => text.to_string(),
    }
}

pub fn absolute(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

/// `just now`, `5 min ago`, `3 h ago`, `2 days ago`, `3 weeks ago`, `4 months ago`, `2 years ago`, `in the future`.
pub fn age(ts: Timestamp, now: Timestamp) -> String {
    let secs = now.as_second() - ts.as_second();
    if secs < -60 {
        return "in the future".to_string();
    }
    let secs = secs.max(0);
    let plural = |n: i64, unit: &str| if n == 1 { format!("1 {unit} ago") } else { format!("{n} {unit}s ago") };
    match secs {
        0..60 => "just now".to_string(),
        60..3600 => format!("{} min ago", secs / 60),
        3600..86_400 => format!("{} h ago", secs / 3600),
        86_400..1_209_600 => plural(secs / 86_400, "day"),
        1_209_600..5_184_000 => plural(secs / 604_800, "week"),
        5_184_000..63_072_000 => plural(secs / 2_592_000, "month"),
        _ => plural(secs / 31_536_000, "year"),
    }
}

/// Compact age for list rows: `now`, `5m`, `3h`, `2d`, `3w`, `4mo`, `2y`.
pub fn age_short(ts: Timestamp, now: Timestamp) -> String {
    let secs = (now.as_second() - ts.as_second()).max(0);
    match secs {
        0..60 => "now".to_string(),
        60..3600 => format!("{}m", secs / 60),
        3600..86_400 => format!("{}h", secs / 3600),
        86_400..1_209_600 => format!("{}d", secs / 86_400),
        1_209_600..5_184_000 => format!("{}w", secs / 604_800),
        5_184_000..63_072_000 => format!("{}mo", secs / 2_592_000),
        _ => format!("{}y", secs / 31_536_000),
    }
}

/// The short form of an assetId for a list row: the first 8 chars after the last `asset:`,
/// else the last 8 chars of the id.
pub fn short_id(asset_id: &str) -> String {
    let short: String = match asset_id.rfind("asset:").map(|i| &asset_id[i + "asset:".len()..]) {
        Some(rest) if !rest.is_empty() => rest.chars().take(8).collect(),
        _ => {
            let skip = asset_id.chars().count().saturating_sub(8);
            asset_id.chars().skip(skip).collect()
        }
    };
    crate::sanitize::clean(&short).into_owned()
}

/// W×H for pictures, the length for video and audio (both when both are known and fit).
pub fn shape(asset: &crate::api::Asset) -> String {
    match (asset.width(), asset.height(), asset.duration()) {
        (_, _, Some(seconds)) if asset.media_type.as_deref() != Some("image") => duration(seconds),
        (Some(w), Some(h), _) => format!("{w}×{h}"),
        (_, _, Some(seconds)) => duration(seconds),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_id_takes_the_part_after_the_last_asset_prefix_else_the_tail() {
        assert_eq!(short_id("user:1234-runwayml:me@example.com-asset:3f2a9c1e-77aa-4b1c"), "3f2a9c1e");
        assert_eq!(short_id("asset:old-asset:abc"), "abc");
        assert_eq!(short_id("plain-identifier-123456789"), "23456789");
        assert_eq!(short_id("ends-with-asset:"), "h-asset:");
        assert_eq!(short_id("tiny"), "tiny");
        assert_eq!(short_id("asset:\u{1b}]0;x\u{7}é"), "\u{FFFD}]0;x\u{FFFD}é");
    }

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn sizes_are_human_and_exact() {
        assert_eq!(size(123_456), "123.46 kB (123,456 bytes)");
        assert_eq!(size(0), "0 B (0 bytes)");
        assert_eq!(thousands(1_234_567_890), "1,234,567,890");
        assert_eq!(thousands(999), "999");
    }

    #[test]
    fn durations_read_like_a_player() {
        assert_eq!(duration(10.542), "0:10.5");
        assert_eq!(duration(0.0), "0:00.0");
        assert_eq!(duration(59.96), "1:00.0");
        assert_eq!(duration(3725.2), "1:02:05.2");
        assert_eq!(duration(f64::NAN), "unknown");
        assert_eq!(duration(-1.0), "unknown");
    }

    #[test]
    fn frame_rates_drop_needless_zeros() {
        assert_eq!(frame_rate(24.0), "24 fps");
        assert_eq!(frame_rate(23.976), "23.976 fps");
        assert_eq!(frame_rate(29.97), "29.97 fps");
    }

    #[test]
    fn dates_show_absolute_and_relative() {
        let now = ts("2026-11-27T12:00:00Z");
        assert_eq!(date_with_age("2026-11-27T09:00:00.456Z", now), "2026-11-27 09:00 UTC (3 h ago)");
        assert_eq!(date_with_age("yesterday", now), "yesterday");
        assert_eq!(age(ts("2026-11-26T12:00:00Z"), now), "1 day ago");
        assert_eq!(age(ts("2026-10-27T12:00:00Z"), now), "4 weeks ago");
        assert_eq!(age(ts("2024-08-01T00:00:00Z"), now), "2 years ago");
        assert_eq!(age(ts("2027-01-01T00:00:00Z"), now), "in the future");
        assert_eq!(age_short(ts("2026-11-27T11:55:00Z"), now), "5m");
    }
}
