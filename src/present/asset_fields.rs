//! An asset as labelled, human-readable fields: what the detail pane shows and what
//! `runway-assets get` prints. Absent fields stay absent (`None`), never a made-up zero.

use jiff::Timestamp;

use crate::api::Asset;
use crate::present::format;
use crate::sanitize;

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub label: &'static str,
    pub value: Option<String>,
}

fn field(label: &'static str, value: Option<String>) -> Field {
    Field { label, value }
}

/// The fields of an asset, in reading order. `asset_id` is what was looked up, shown when the
/// server's answer does not name the asset itself. Optional extras (audio, alpha, task, group)
/// appear only when the server sent them.
pub fn fields(asset_id: &str, a: &Asset, now: Timestamp) -> Vec<Field> {
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
    let mut out = vec![
        field("Name", a.name.clone()),
        // The typed ID was never through the JSON reader's cleaning: clean it here.
        field("Asset ID", Some(a.asset_id.clone().unwrap_or_else(|| sanitize::clean(asset_id).into_owned()))),
        field(
            "Type",
            match (&a.media_type, &a.media_subtype) {
                (Some(t), Some(s)) => Some(format!("{t} / {s}")),
                (Some(t), None) => Some(t.clone()),
                (None, Some(s)) => Some(format!("? / {s}")),
                (None, None) => None,
            },
        ),
        field(
            "Dimensions",
            match (a.width(), a.height()) {
                (Some(w), Some(h)) => Some(format!("{w}×{h}")),
                (Some(w), None) => Some(format!("{w}×?")),
                (None, Some(h)) => Some(format!("?×{h}")),
                (None, None) => None,
            },
        ),
        field("Duration", a.duration().map(format::duration)),
        field("Frame rate", a.frame_rate().map(format::frame_rate)),
        field("File size", a.file_size.map(format::size)),
        field("Extension", a.file_ext_standardized.clone()),
    ];
    if let Some(m) = &a.metadata {
        if let Some(audio) = m.has_audio {
            out.push(field("Audio", Some(yes_no(audio))));
        }
        if let Some(alpha) = m.has_alpha_channel {
            out.push(field("Alpha", Some(yes_no(alpha))));
        }
    }
    if let Some(n) = a.file_count.filter(|n| *n != 1) {
        out.push(field("Files", Some(n.to_string())));
    }
    out.push(field("Created", a.created_at.as_deref().map(|d| format::date_with_age(d, now))));
    out.push(field("Updated", a.updated_at.as_deref().map(|d| format::date_with_age(d, now))));
    out.push(field(
        "Account",
        match (&a.username, &a.user_id) {
            (Some(u), Some(id)) => Some(format!("{u} (user {id})")),
            (Some(u), None) => Some(u.clone()),
            (None, Some(id)) => Some(format!("user {id}")),
            (None, None) => None,
        },
    ));
    if let Some(by) = a.created_by.as_ref().filter(|by| Some(*by) != a.user_id.as_ref()) {
        out.push(field("Created by", Some(format!("user {by}"))));
    }
    let flags: Vec<String> = [
        ("private", a.private),
        ("team-private", a.private_in_team),
        ("favorite", a.favorite),
        ("uploaded", a.is_user_upload),
    ]
    .iter()
    .filter_map(|(name, v)| v.map(|v| format!("{name}: {}", yes_no(v))))
    .collect();
    out.push(field("Flags", (!flags.is_empty()).then(|| flags.join(" · "))));
    out.push(field("URL", a.url.clone()));
    match &a.preview_urls {
        Some(urls) if !urls.is_empty() => {
            for (i, url) in urls.iter().enumerate() {
                out.push(field(if i == 0 { "Previews" } else { "" }, Some(url.clone())));
            }
        }
        _ => out.push(field("Previews", None)),
    }
    if a.task_id.is_some() {
        out.push(field("Task ID", a.task_id.clone()));
    }
    if a.parent_asset_group_id.is_some() {
        out.push(field("Group ID", a.parent_asset_group_id.clone()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value<'a>(fields: &'a [Field], label: &str) -> Option<&'a str> {
        fields.iter().find(|f| f.label == label).and_then(|f| f.value.as_deref())
    }

    #[test]
    fn video_fields_are_human() {
        let a = Asset::from_json(
            br#"{"name":"clip.mp4","mediaType":"video","fileSize":2412345,"createdAt":"2026-11-27T09:00:00Z",
            "metadata":{"frameRate":24,"duration":10.542,"width":1280,"height":768,"hasAudio":true},"taskId":"t1"}"#,
        )
        .unwrap();
        let f = fields("id", &a, "2026-11-27T12:00:00Z".parse().unwrap());
        assert_eq!(value(&f, "Dimensions"), Some("1280×768"));
        assert_eq!(value(&f, "Duration"), Some("0:10.5"));
        assert_eq!(value(&f, "Frame rate"), Some("24 fps"));
        assert_eq!(value(&f, "File size"), Some("2.41 MB (2,412,345 bytes)"));
        assert_eq!(value(&f, "Created"), Some("2026-11-27 09:00 UTC (3 h ago)"));
        assert_eq!(value(&f, "Audio"), Some("yes"));
        assert_eq!(value(&f, "Task ID"), Some("t1"));
        assert_eq!(value(&f, "Asset ID"), Some("id"));
    }

    #[test]
    fn absent_fields_stay_absent() {
        let f = fields("x", &Asset::default(), Timestamp::UNIX_EPOCH);
        for label in
            ["Name", "Type", "Dimensions", "Duration", "Frame rate", "File size", "Created", "Account", "Flags", "URL"]
        {
            assert_eq!(value(&f, label), None, "{label}");
        }
        assert!(f.iter().all(|x| x.label != "Task ID" && x.label != "Audio"));
    }
}
