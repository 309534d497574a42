//! `runway-assets download ID... [-o DIR] [-j N] [--skip-existing]`: the TUI's `d` for many
//! assets at once, through the same download worker (so the same name, no-overwrite, `.part`
//! and token rules). The saved paths go to stdout one a line as they finish (or JSON lines);
//! errors go to stderr, one sentence per ID; progress bars go to stderr only when it is a
//! terminal. Ctrl-C or SIGTERM cancels what is running and removes its `.part` files.

use std::collections::HashMap;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use tokio::sync::mpsc::unbounded_channel;

use super::DownloadArgs;
use crate::api::ClientOptions;
use crate::download::target::{choose_dir, prepare_dir};
use crate::download::{DownloadEvent, JobId, Outcome};
use crate::sanitize;
use crate::workers::download::{DownloadCommand, DownloadJob, DownloadSettings, DownloadWorker};

/// `dir` is the folder chosen by --download-dir or config.toml (None: the platform's);
/// `-o` wins over it. `config_file` is where config.toml is, for sentences that point there.
pub async fn run(args: DownloadArgs, options: ClientOptions, dir: Option<PathBuf>, config_file: &str) -> ExitCode {
    let ids = match super::get::collect_ids(&args.ids) {
        Ok(ids) => ids,
        Err(e) => {
            eprintln!("runway-assets: could not read IDs from standard input: {e}");
            return ExitCode::from(2);
        }
    };
    // The same checks as every subcommand: a token, a usable base URL.
    if let Err(code) = super::get::client(options.clone(), config_file) {
        return code;
    }
    let dir = match choose_dir(args.output_dir.as_deref().or(dir.as_deref()), None).and_then(|d| {
        prepare_dir(&d)?;
        Ok(d)
    }) {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("runway-assets: {}", e.describe(config_file));
            return ExitCode::from(2);
        }
    };
    let (tx, mut events) = unbounded_channel::<DownloadEvent>();
    let worker =
        match DownloadWorker::spawn(DownloadSettings { client: options, dir: Ok(dir), lower_priority: false }, tx) {
            Ok(worker) => worker,
            Err(e) => {
                eprintln!("runway-assets: could not start downloading: {e}");
                return ExitCode::FAILURE;
            }
        };
    let mut bars = Bars::new(args.json);
    let mut queue = ids.into_iter().enumerate().map(|(i, id)| (i as JobId, id));
    let mut running: HashMap<JobId, String> = HashMap::new();
    let start = |worker: &DownloadWorker, job: JobId, id: &str| {
        worker.send(DownloadCommand::Start(DownloadJob {
            job,
            asset_id: id.to_string(),
            asset: None,
            skip_existing: args.skip_existing,
        }))
    };
    for (job, id) in queue.by_ref().take(args.concurrency as usize) {
        start(&worker, job, &id);
        running.insert(job, id);
    }
    let mut signals = Interrupt::new();
    let stdout = io::stdout();
    let mut failed = 0usize;
    while !running.is_empty() {
        let event = tokio::select! {
            event = events.recv() => match event {
                Some(event) => event,
                None => break,
            },
            code = signals.recv() => {
                bars.clear();
                // Cancels what runs; each .part is removed before this returns.
                worker.finish();
                eprintln!("runway-assets: interrupted: {} unfinished download(s) cancelled, nothing half-written kept.", running.len());
                return ExitCode::from(code);
            }
        };
        match event {
            DownloadEvent::Started { job, file_name, total } => bars.start(job, &file_name, total),
            DownloadEvent::Progress(progress) => bars.progress(&progress),
            DownloadEvent::Done { job, outcome } => {
                let Some(id) = running.remove(&job) else { continue };
                bars.done(job);
                let line = match &outcome {
                    Ok(Outcome::Saved { path, bytes }) => {
                        if args.json {
                            Some(json_line(&id, "saved", Some(path), Some(*bytes), None))
                        } else {
                            Some(path.display().to_string())
                        }
                    }
                    Ok(Outcome::Skipped { path }) => {
                        bars.note(&format!(
                            "runway-assets: {}: skipped: {} is there already, the same size.",
                            sanitize::one_line(&id, 120),
                            path.display()
                        ));
                        args.json.then(|| json_line(&id, "skipped", Some(path), None, None))
                    }
                    Err(e) => {
                        failed += 1;
                        let sentence = e.describe(config_file);
                        bars.note(&format!("runway-assets: {}: {sentence}", sanitize::one_line(&id, 120)));
                        args.json.then(|| json_line(&id, "failed", None, None, Some(&sentence)))
                    }
                };
                if let Some(line) = line {
                    let written = bars.suspend(|| writeln!(stdout.lock(), "{line}"));
                    if written.is_err() {
                        bars.clear();
                        worker.finish();
                        return ExitCode::from(1); // stdout closed (e.g. piped into head): stop quietly
                    }
                }
                if let Some((job, id)) = queue.next() {
                    start(&worker, job, &id);
                    running.insert(job, id);
                }
            }
        }
    }
    bars.clear();
    worker.finish();
    if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

fn json_line(id: &str, status: &str, path: Option<&PathBuf>, bytes: Option<u64>, error: Option<&str>) -> String {
    let mut object = serde_json::Map::new();
    object.insert("assetId".into(), id.into());
    object.insert("status".into(), status.into());
    if let Some(path) = path {
        object.insert("path".into(), path.to_string_lossy().into_owned().into());
    }
    if let Some(bytes) = bytes {
        object.insert("bytes".into(), bytes.into());
    }
    if let Some(error) = error {
        object.insert("error".into(), error.into());
    }
    sanitize::escape_json(&serde_json::Value::Object(object).to_string())
}

/// One progress bar per running download on stderr, only when stderr is a terminal (and not
/// in --json mode, whose reader is a program).
struct Bars {
    multi: Option<MultiProgress>,
    bars: HashMap<JobId, ProgressBar>,
}

impl Bars {
    fn new(json: bool) -> Bars {
        let multi = (!json && io::stderr().is_terminal())
            .then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr_with_hz(10)));
        Bars { multi, bars: HashMap::new() }
    }

    fn start(&mut self, job: JobId, file_name: &str, total: Option<u64>) {
        let Some(multi) = &self.multi else { return };
        let bar = match total {
            Some(total) => ProgressBar::new(total).with_style(
                ProgressStyle::with_template(
                    "{msg:30!} {bar:30} {decimal_bytes:>9} of {decimal_total_bytes:<9} {decimal_bytes_per_sec:>11} {eta:>4} left",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            ),
            None => ProgressBar::no_length().with_style(
                ProgressStyle::with_template("{msg:30!} {spinner} {decimal_bytes:>9} {decimal_bytes_per_sec:>11}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            ),
        };
        let bar = multi.add(bar.with_message(sanitize::one_line(file_name, 60)));
        self.bars.insert(job, bar);
    }

    fn progress(&mut self, progress: &[crate::download::Progress]) {
        for p in progress {
            if let Some(bar) = self.bars.get(&p.job) {
                bar.set_position(p.received);
            }
        }
    }

    fn done(&mut self, job: JobId) {
        if let (Some(multi), Some(bar)) = (&self.multi, self.bars.remove(&job)) {
            bar.finish_and_clear();
            multi.remove(&bar);
        }
    }

    /// A line on stderr that does not tear the bars.
    fn note(&self, text: &str) {
        match &self.multi {
            Some(multi) => {
                let _ = multi.println(text);
            }
            None => eprintln!("{text}"),
        }
    }

    fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.multi {
            Some(multi) => multi.suspend(f),
            None => f(),
        }
    }

    fn clear(&mut self) {
        for (_, bar) in self.bars.drain() {
            bar.finish_and_clear();
        }
        if let Some(multi) = &self.multi {
            let _ = multi.clear();
        }
    }
}

/// Ctrl-C and SIGTERM, as the exit code the shell expects after them (130, 143).
struct Interrupt {
    #[cfg(unix)]
    int: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
}

impl Interrupt {
    fn new() -> Interrupt {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Interrupt { int: signal(SignalKind::interrupt()).ok(), term: signal(SignalKind::terminate()).ok() }
        }
        #[cfg(not(unix))]
        Interrupt {}
    }

    async fn recv(&mut self) -> u8 {
        #[cfg(unix)]
        {
            async fn next(signal: &mut Option<tokio::signal::unix::Signal>) {
                match signal {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending().await,
                }
            }
            tokio::select! {
                _ = next(&mut self.int) => 130,
                _ = next(&mut self.term) => 143,
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            130
        }
    }
}
