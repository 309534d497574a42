//! A task's text for people, shared by the TUI's Generation section and `runway-assets task`:
//! the heading (model label and task type) and the status with its progress.

use crate::api::Task;
use crate::sanitize;

/// The heading: the model label and the task type, e.g. "Gen-3 Alpha (gen3a)".
pub fn heading(task: &Task) -> String {
    match (task.model_label(), task.task_type.as_deref()) {
        (Some(label), Some(kind)) => format!("{label} ({kind})"),
        (Some(label), None) => label,
        (None, Some(kind)) => kind.to_owned(),
        (None, None) => "(unknown model)".to_owned(),
    }
}

/// The status, with the progress while running: "RUNNING 42% (Upscaling)".
pub fn status_line(task: &Task) -> String {
    let mut text = task.status.clone().unwrap_or_else(|| "(unknown)".to_owned());
    if !task.is_finished() {
        if let Some(ratio) = task.progress_ratio {
            text.push_str(&format!(" {:.0}%", (ratio * 100.0).clamp(0.0, 100.0)));
        }
        if let Some(progress) = task.progress_text.as_deref().filter(|p| !p.trim().is_empty()) {
            text.push_str(&format!(" ({})", sanitize::one_line(progress, 80)));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn heading_and_status() {
        let t = Task::from_value(json!({"name": "Gen-3 Alpha 1, x", "taskType": "gen3a", "status": "SUCCEEDED",
            "progressRatio": "1"}))
        .unwrap();
        assert_eq!((heading(&t), status_line(&t)), ("Gen-3 Alpha (gen3a)".to_string(), "SUCCEEDED".to_string()));
        let t = Task::from_value(json!({"taskType": "upscale", "status": "RUNNING", "progressRatio": 0.424,
            "progressText": "Upscaling\n"}))
        .unwrap();
        assert_eq!((heading(&t), status_line(&t)), ("upscale".to_string(), "RUNNING 42% (Upscaling)".to_string()));
        assert_eq!(
            (heading(&Task::default()), status_line(&Task::default())),
            ("(unknown model)".into(), "(unknown)".into())
        );
    }
}
