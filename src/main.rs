//! Entry point: parse the command line, then run the TUI, the demo, `get`, `list`, `accounts` or `task`.

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use futures_util::StreamExt;
use runway_assets::api::ClientOptions;
use runway_assets::api::files::FileClient;
use runway_assets::app::{App, StartupNotes};
use runway_assets::cache::{ListingCache, PreviewCache, TaskCache};
use runway_assets::cli::preview::PreviewFlags;
use runway_assets::cli::{Cli, Command};
use runway_assets::cli::{accounts, completions, doctor, download, get, list, task};
use runway_assets::config::PreviewChoice;
use runway_assets::config::{ColorChoice, Settings, Token};
use runway_assets::demo::{self, DemoServer};
use runway_assets::event_loop::{self as event, Context};
use runway_assets::history::{HistoryEntry, HistoryStore};
use runway_assets::terminal;
use runway_assets::ui::theme;
use runway_assets::workers::preview::PreviewSetup;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // These print at once: no runtime, no config, no network.
    match &cli.command {
        Some(Command::Completions { shell }) => return completions::run(|out| completions::completions(*shell, out)),
        Some(Command::Man) => return completions::run(completions::man),
        _ => {}
    }
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("runway-assets: could not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut settings = Settings::resolve(
        std::env::var("USEAPI_TOKEN").ok(),
        cli.base_url.clone(),
        cli.account.clone(),
        std::env::var("USEAPI_ACCOUNT").ok(),
        runway_assets::config::config_dir(),
    );
    if let Some(path) = cli.log.as_deref().filter(|p| !p.as_os_str().is_empty()) {
        let secrets = settings.token.iter().map(|t| t.expose().to_string()).collect();
        if let Err(warning) = runway_assets::logfile::start(path, secrets) {
            settings.warnings.push(warning);
        }
    }
    for warning in &settings.warnings {
        eprintln!("runway-assets: warning: {warning}");
    }
    // The TUI always runs on a terminal, so only the choices and NO_COLOR decide; the mode is
    // fixed here, before the first frame (see ui::theme).
    let no_color = std::env::var("NO_COLOR").ok();
    let tui_colour = ColorChoice::colour(cli.color, settings.color, no_color.as_deref(), true);
    theme::set_monochrome(!tui_colour);
    // crossterm drops colour codes under NO_COLOR by itself; make it follow our choice instead.
    crossterm::style::Colored::set_ansi_color_disabled(!tui_colour);
    let mut options = ClientOptions::new(&settings.base_url, settings.token.clone());
    cli.net.apply(&mut options);
    let config_file = settings.config_file_display();
    let history = settings.history_path().map(HistoryStore::new);
    // -- download --
    let download_dir = cli.download_dir.clone().or_else(|| settings.download_dir.clone());
    settings.download_dir = download_dir.clone(); // what doctor checks

    let code = match cli.command {
        Some(Command::Get(args)) => {
            // get's output is the result; its history line need not wait for the disk.
            let history = if args.no_history { None } else { history.map(HistoryStore::without_sync) };
            runtime.block_on(get::run(args, options, history, &config_file))
        }
        Some(Command::List(args)) => runtime.block_on(list::run(args, options, settings.account.clone(), &config_file)),
        Some(Command::Accounts(args)) => runtime.block_on(accounts::run(args.json, options, &config_file)),
        Some(Command::Task(args)) => {
            runtime.block_on(task::run(args, options, TaskCache::default_location(), &config_file))
        }
        Some(Command::Download(args)) => runtime.block_on(download::run(args, options, download_dir, &config_file)),
        Some(Command::Doctor) => {
            let stdout_tty = std::io::IsTerminal::is_terminal(&std::io::stdout());
            let colour = ColorChoice::colour(cli.color, settings.color, no_color.as_deref(), stdout_tty);
            run_doctor(&runtime, &settings, options, cli.demo, colour)
        }
        Some(Command::ServeDemo) => serve_demo(),
        Some(Command::Preview(args)) => runtime.block_on(runway_assets::cli::preview::run(
            args,
            options,
            &cli.previews,
            settings.preview,
            &config_file,
        )),
        Some(Command::Completions { .. } | Command::Man) => ExitCode::SUCCESS, // handled above
        None if cli.demo => {
            // The demo lists its own account unless told another.
            let account = settings.account.clone().or_else(|| Some(demo::DEMO_ACCOUNT.to_string()));
            let warning = (!settings.warnings.is_empty()).then(|| settings.warnings.join(" "));
            let previews = PreviewPlan::new(&cli.previews, settings.preview, None);
            run_demo(&runtime, options, cli.max_history, account, warning, previews, download_dir)
        }
        None => {
            let hint = settings.token.is_none().then(|| {
                format!(
                    "No API token: export USEAPI_TOKEN=<token> (or token = \"…\" in {}). Try runway-assets --demo without one.",
                    settings.config_file_display()
                )
            });
            let warning = (!settings.warnings.is_empty()).then(|| settings.warnings.join(" "));
            let notes = StartupNotes {
                hint,
                warning,
                account: settings.account.clone(),
                config_file,
                no_token: settings.token.is_none(),
            };
            let cache = PreviewCache::default_location(cli.previews.preview_cache);
            let previews = PreviewPlan::new(&cli.previews, settings.preview, cache);
            let files = FileClient::new(&options.base_url, options.token.clone());
            let ctx = Context {
                client: options,
                history,
                seed: Vec::new(),
                max_history: cli.max_history,
                cache: ListingCache::default_location(),
                tasks: TaskCache::default_location(),
                counters: Arc::default(),
                preview: None,
                download_dir,
                first_frames: None,
            };
            run_tui(&runtime, ctx, notes, previews.with_files(files))
        }
    };
    log::logger().flush(); // the log's last lines reach the file (nothing to do without --log)
    code
}

fn run_doctor(
    runtime: &tokio::runtime::Runtime,
    settings: &Settings,
    mut options: ClientOptions,
    demo: bool,
    colour: bool,
) -> ExitCode {
    let env_token = std::env::var("USEAPI_TOKEN").ok().filter(|t| !t.trim().is_empty());
    let mut token_source = match (&settings.token, env_token) {
        (None, _) => None,
        (Some(_), Some(_)) => Some(doctor::TokenSource::Env),
        (Some(_), None) => Some(doctor::TokenSource::ConfigFile),
    };
    // The demo's server stands in for the API; everything local is checked as it is.
    let server = if demo {
        match DemoServer::start() {
            Ok(server) => {
                options.base_url = server.base_url();
                options.token = Token::new(demo::DEMO_TOKEN);
                token_source = Some(doctor::TokenSource::Demo);
                Some(server)
            }
            Err(e) => {
                eprintln!("runway-assets: could not start the demo server: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        None
    };
    let cache_dir = runway_assets::config::cache_dir();
    let setup = doctor::Setup { settings, options, token_source, cache_dir: cache_dir.as_deref(), colour };
    let code = runtime.block_on(doctor::run(setup));
    drop(server);
    code
}

fn serve_demo() -> ExitCode {
    match DemoServer::start() {
        Ok(server) => {
            println!("{}", server.base_url());
            // Serve until whoever started us closes our standard input.
            let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut Vec::new());
            drop(server);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("runway-assets: could not start the demo server: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run_demo(
    runtime: &tokio::runtime::Runtime,
    mut options: ClientOptions,
    max_history: usize,
    account: Option<String>,
    warning: Option<String>,
    previews: PreviewPlan,
    download_dir: Option<std::path::PathBuf>,
) -> ExitCode {
    let server = match DemoServer::start() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("runway-assets: could not start the demo server: {e}");
            return ExitCode::FAILURE;
        }
    };
    options.base_url = server.base_url();
    options.token = Token::new(demo::DEMO_TOKEN);
    // The demo's history lives in a throwaway folder; the real history is never touched.
    let dir = std::env::temp_dir().join(format!("runway-assets-demo-{}", std::process::id()));
    let now = jiff::Timestamp::now();
    let seed = demo::samples()
        .into_iter()
        .rev()
        .enumerate()
        .filter_map(|(i, (id, json))| {
            // As kept from an earlier lookup: its URLs on the demo's file host, one of them expired.
            let asset = serde_json::from_str(&server.with_file_urls(json)).ok()?;
            let looked_up_at =
                now.checked_sub(jiff::SignedDuration::from_mins(90 * (demo::samples().len() - i) as i64)).ok()?;
            Some(HistoryEntry { asset_id: id.to_string(), looked_up_at, asset })
        })
        .collect();
    let hint = Some(format!(
        "Demo: sample assets served from {}. Press 2 (outside the input) to browse the demo account; Tab then Enter opens a History row; also try the IDs {}, {}, {}, {} and {}.",
        server.base_url(),
        demo::ID_NOT_FOUND,
        demo::ID_RATE_LIMITED_ONCE,
        demo::ID_SERVER_ERROR,
        demo::ID_SLOW,
        demo::ID_ACCOUNT_ERROR
    ));
    let ctx = Context {
        client: options,
        history: Some(HistoryStore::new(dir.join("history.jsonl"))),
        seed,
        max_history,
        // Like the history, the demo's cache is thrown away with it.
        cache: Some(ListingCache::new(dir.join("cache"))),
        tasks: Some(TaskCache::new(dir.join("cache").join("tasks"))),
        counters: Arc::default(),
        preview: None,
        download_dir,
        first_frames: None,
    };
    let notes = StartupNotes { hint, account, warning, ..StartupNotes::default() };
    // The demo's pictures come from its own file host, kept in its throwaway cache.
    let previews = PreviewPlan {
        cache: Some(PreviewCache::new(dir.join("cache").join("previews"), previews.cache_bytes)),
        ..previews
    }
    .with_files(FileClient::new(&ctx.client.base_url, ctx.client.token.clone()));
    let code = run_tui(runtime, ctx, notes, previews);
    let _ = std::fs::remove_dir_all(&dir);
    drop(server);
    code
}

/// -- preview -- What the TUI needs to show pictures, before the terminal is asked how.
struct PreviewPlan {
    choice: PreviewChoice,
    cache: Option<PreviewCache>,
    cache_bytes: u64,
    max_bytes: u64,
    files: Option<FileClient>,
}

impl PreviewPlan {
    fn new(flags: &PreviewFlags, configured: Option<PreviewChoice>, cache: Option<PreviewCache>) -> PreviewPlan {
        PreviewPlan {
            choice: flags.protocol.or(configured).unwrap_or(PreviewChoice::Auto),
            // A budget of 0 keeps nothing: no cache at all.
            cache: cache.filter(|_| flags.preview_cache > 0),
            cache_bytes: flags.preview_cache,
            max_bytes: flags.max_preview,
            files: None,
        }
    }

    fn with_files(self, files: FileClient) -> PreviewPlan {
        PreviewPlan { files: Some(files), ..self }
    }

    /// Asks the terminal how it draws pictures (see terminal::graphics): call with raw mode on,
    /// after the first frame and before the input thread starts. Also returns the keys typed
    /// while it was asked.
    fn setup(self) -> (Option<PreviewSetup>, Vec<crossterm::event::Event>) {
        let detected = terminal::graphics::detect(self.choice);
        log::info!("previews: {}", detected.how);
        let setup = match (self.files, detected.graphics) {
            (Some(files), Some(graphics)) => Some(PreviewSetup {
                files,
                cache: self.cache.filter(|_| self.cache_bytes > 0),
                graphics,
                max_bytes: self.max_bytes,
            }),
            _ => None,
        };
        (setup, detected.typed)
    }
}

fn run_tui(
    runtime: &tokio::runtime::Runtime,
    mut ctx: Context,
    notes: StartupNotes,
    previews: PreviewPlan,
) -> ExitCode {
    let result = runtime.block_on(async {
        let mut terminal = terminal::enter()?;
        let size = terminal.size()?;
        let mut app = App::new((size.width, size.height), jiff::Timestamp::now(), notes);
        let mut typed = Vec::new();
        if previews.choice != PreviewChoice::Off {
            // The first frames (the newest history rows in the second) go out before the
            // terminal is asked about pictures, so start-up does not wait for its answer.
            ctx.first_frames = Some(event::first_frames(&mut terminal, &mut app, &ctx)?);
            (ctx.preview, typed) = previews.setup();
        }
        // Keys typed while the terminal was asked come first, as typed.
        let typed = futures_util::stream::iter(typed.into_iter().map(Ok));
        #[cfg(unix)]
        let events = typed.chain(runway_assets::terminal::input::TtyEvents::new()?);
        #[cfg(not(unix))]
        let events = typed.chain(crossterm::event::EventStream::new());
        let result = event::run(&mut terminal, events, app, ctx, terminal::suspend).await;
        terminal::leave();
        result
    });
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            terminal::leave();
            eprintln!("runway-assets: the terminal failed: {e}");
            ExitCode::FAILURE
        }
    }
}
