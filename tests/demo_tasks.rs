//! The demo's tasks route, read through the real client: each special task, the tasks behind
//! the samples and every generated asset, and the hostile ones.

use std::collections::HashSet;
use std::time::Duration;

use runway_assets::api::{ApiClient, ApiError, ClientOptions, FetchedTask};
use runway_assets::config::Token;
use runway_assets::demo::{self, DemoServer};
use runway_assets::sanitize::is_unsafe;
use serde_json::Value;

fn client(server: &DemoServer) -> ApiClient {
    let mut o = ClientOptions::new(&server.base_url(), Token::new(demo::DEMO_TOKEN));
    o.retries = 0;
    ApiClient::new(o).unwrap()
}

async fn task(client: &ApiClient, id: &str) -> Result<FetchedTask, ApiError> {
    tokio::time::timeout(Duration::from_secs(30), client.get_task(id)).await.expect("failsafe")
}

fn sample_task_id(needle: &str) -> String {
    let (_, json) = demo::samples().into_iter().find(|(_, j)| j.contains(needle)).unwrap();
    serde_json::from_str::<Value>(json).unwrap()["taskId"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "current_thread")]
async fn the_special_tasks() {
    let server = DemoServer::start().unwrap();
    let c = client(&server);
    let gen3 = task(&c, demo::TASK_GEN3).await.unwrap().task;
    assert_eq!(sample_task_id("Gen-3 Alpha Turbo Race car on wet track"), demo::TASK_GEN3);
    assert_eq!(
        (gen3.model_label().as_deref(), gen3.task_type.as_deref()),
        (Some("Gen-3 Alpha Turbo"), Some("gen3a_turbo"))
    );
    assert_eq!(gen3.prompt(), Some("Race car on wet track"));
    assert!(gen3.seed().is_some() && gen3.is_finished() && gen3.artifacts.len() == 4);
    let gen4 = task(&c, demo::TASK_GEN4).await.unwrap().task;
    assert_eq!(gen4.model_label().as_deref(), Some("Gen-4 Turbo"));
    assert!(gen4.prompt().unwrap().starts_with("Coastal drone shot at sunset"));
    assert_eq!(gen4.artifacts.len(), 4);
    // Every artifact is itself an asset the demo serves.
    for artifact in gen3.artifacts.iter().chain(&gen4.artifacts) {
        let id = artifact.asset_id.as_deref().unwrap();
        let asset = c.get_asset(id).await.unwrap().asset;
        assert_eq!(asset.name, artifact.name);
        assert_eq!(asset.file_size, artifact.file_size);
    }
    let ids: HashSet<_> = gen4.artifacts.iter().map(|a| a.asset_id.clone()).collect();
    assert_eq!(ids.len(), 4);
    let act = task(&c, demo::TASK_ACT_TWO).await.unwrap().task;
    assert_eq!((act.prompt(), act.task_type.as_deref()), (None, Some("act_two")));
    assert_eq!(act.model_label().as_deref(), Some("Act-Two"));
    let failed = task(&c, demo::TASK_FAILED).await.unwrap().task;
    assert_eq!(failed.status.as_deref(), Some("FAILED"));
    assert!(failed.error.as_deref().unwrap().contains("content guidelines"));
    assert_eq!(task(&c, demo::TASK_NOT_FOUND).await.unwrap_err(), ApiError::NotFound);
    assert_eq!(task(&c, "user:1-runwayml:x@example.com-task:nope").await.unwrap_err(), ApiError::NotFound);
    let many = task(&c, demo::TASK_MANY_ARTIFACTS).await.unwrap().task;
    assert_eq!(many.artifacts.len(), demo::MANY_ARTIFACTS);
    for (_, json) in demo::samples() {
        let v: Value = serde_json::from_str(json).unwrap();
        assert_eq!(v["isUserUpload"] == true, v.get("taskId").is_none(), "uploads have no task: {}", v["name"]);
    }
}

#[tokio::test(flavor = "current_thread")]
async fn the_running_task_moves_on() {
    let server = DemoServer::start().unwrap();
    let c = client(&server);
    let mut seen = Vec::new();
    for _ in 0..3 {
        let t = task(&c, demo::TASK_RUNNING).await.unwrap().task;
        assert!(t.is_running() && t.artifacts.is_empty());
        seen.push(t.progress_ratio.unwrap());
    }
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
}

#[tokio::test(flavor = "current_thread")]
async fn every_generated_asset_with_a_task_has_one() {
    let server = DemoServer::start().unwrap();
    let c = client(&server);
    let mut with_task = 0;
    let mut hostile = 0;
    for offset in (0..=1000).step_by(50) {
        let query = runway_assets::api::ListQuery {
            offset,
            limit: 50,
            media: Default::default(),
            account: Some(demo::DEMO_ACCOUNT.into()),
        };
        for item in c.list_assets(&query).await.unwrap().items {
            let Some(task_id) = item.asset.task_id.as_deref() else { continue };
            if task_id == demo::TASK_NOT_FOUND {
                continue;
            }
            with_task += 1;
            if with_task % 7 != 0 && offset > 50 {
                continue; // every asset of the first pages, a sample of the rest
            }
            let fetched = task(&c, task_id).await.unwrap_or_else(|e| panic!("{task_id}: {e}"));
            let t = fetched.task;
            assert_eq!(t.task_id.as_deref(), Some(task_id));
            assert!(t.is_finished());
            assert!((1..=4).contains(&t.artifacts.len()), "{}", t.artifacts.len());
            assert_eq!(t.artifacts[0].asset_id, item.asset.asset_id, "the asset itself comes first");
            let prompt = t.prompt().unwrap_or_default();
            assert!(!prompt.chars().any(is_unsafe));
            let sent = fetched.raw.to_value()["options"]["text_prompt"].as_str().unwrap_or_default().to_owned();
            if (sent.contains('\u{1b}') && sent.contains('\n')) || prompt.chars().count() >= 20_000 {
                hostile += 1;
            }
            if t.task_type.as_deref() != Some("act_two") {
                assert!(!prompt.is_empty() && t.seed().is_some(), "{task_id}");
            }
        }
    }
    assert!(with_task > 500, "{with_task}");
    assert_eq!(hostile, 2, "one prompt of escapes and one of 20,000 characters");
}
