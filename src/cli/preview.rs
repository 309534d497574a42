//! Pictures on the command line: the flags that shape previews everywhere (`--preview`,
//! `--max-preview`, `--preview-cache`), and `runway-assets preview ID`, which prints an asset's
//! picture in the terminal (as wide as the terminal) or, with `-o FILE`, writes the picture file
//! as fetched. Exit codes as `get`: 0 done, 1 it failed, 2 a usage problem (no token).

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;
use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::widgets::Widget;

use super::get::client;
use crate::api::ClientOptions;
use crate::api::files::FileClient;
use crate::cache::DEFAULT_PREVIEW_CACHE_BYTES;
use crate::config::PreviewChoice;
use crate::present::api_error::describe;
use crate::preview::{Graphics, decode_thumbnail, encode, pick_url};
use crate::sanitize;
use crate::workers::preview::{DEFAULT_MAX_PREVIEW_BYTES, PreviewSetup, fetch};

#[derive(Debug, Clone, Args)]
pub struct PreviewFlags {
    /// How pictures are drawn: auto (ask the terminal at start-up), kitty, sixel, iterm2,
    /// halfblocks (any terminal with colour, tmux included) or off (else `preview` in
    /// config.toml, else auto).
    #[arg(long = "preview", value_name = "PROTOCOL", global = true)]
    pub protocol: Option<PreviewChoice>,
    /// Refuse pictures larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_PREVIEW_BYTES, global = true)]
    pub max_preview: u64,
    /// Keep at most this many bytes of scaled-down pictures in the cache (least recently used go
    /// first; 0 keeps none).
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_PREVIEW_CACHE_BYTES, global = true)]
    pub preview_cache: u64,
}

#[derive(Debug, Args)]
pub struct PreviewArgs {
    /// The asset's ID.
    #[arg(value_name = "ID")]
    pub id: String,
    /// Write the picture file, as fetched, to FILE instead of drawing it.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `runway-assets preview ID`.
pub async fn run(
    args: PreviewArgs,
    options: ClientOptions,
    flags: &PreviewFlags,
    configured: Option<PreviewChoice>,
    config_file: &str,
) -> ExitCode {
    let api = match client(options.clone(), config_file) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let id = sanitize::one_line(&args.id, 120);
    let fail = |what: String| {
        eprintln!("runway-assets: {id}: {what}");
        ExitCode::from(1)
    };
    let fetched = match api.get_asset(&args.id).await {
        Ok(fetched) => fetched,
        Err(e) => return fail(describe(&e, config_file)),
    };
    let url = match pick_url(&fetched.asset, flags.max_preview) {
        Ok(url) => url,
        Err(reason) => return fail(reason.to_string()),
    };
    let token = options.token.clone();
    let setup = PreviewSetup {
        files: FileClient::new(&options.base_url, token),
        cache: None,
        graphics: Graphics::Halfblocks,
        max_bytes: flags.max_preview,
    };
    let bytes = match fetch(&setup, &url).await {
        Ok(bytes) => bytes,
        Err(reason) => return fail(format!("Preview unavailable: {reason}")),
    };
    if let Some(path) = args.output {
        return match write_file(&path, &bytes) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(format!("could not write {}: {e}", path.display())),
        };
    }
    let picture = match tokio::task::spawn_blocking(move || decode_thumbnail(&bytes)).await {
        Ok(Ok(picture)) => picture,
        Ok(Err(e)) => return fail(format!("Preview unavailable: {e}")),
        Err(_) => return fail("Preview unavailable: the picture could not be decoded".to_string()),
    };
    let choice = flags.protocol.or(configured).unwrap_or(PreviewChoice::Auto);
    let graphics = match graphics_for_print(choice) {
        Some(graphics) => graphics,
        None => return fail("pictures are off (--preview off or preview = \"off\" in config.toml)".to_string()),
    };
    let (cols, rows) = crossterm::terminal::size().unwrap_or((80, 24));
    // As wide as the terminal, and no taller than it (less the prompt's line).
    let encoded = match encode(&graphics, &Arc::new(picture), cols.max(1), rows.saturating_sub(1).max(1)) {
        Ok(Some(encoded)) => encoded,
        Ok(None) => return fail("the terminal is too small for a picture".to_string()),
        Err(reason) => return fail(format!("Preview unavailable: {reason}")),
    };
    let area = Rect::new(0, 0, encoded.cells.0, encoded.cells.1);
    let mut buffer = Buffer::empty(area);
    ratatui_image::Image::new(&encoded.protocol).render(area, &mut buffer);
    match print_buffer(&mut io::stdout().lock(), &buffer) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(1), // stdout closed: stop quietly
    }
}

/// The protocol for a picture printed on the command line: the terminal is asked with raw mode
/// on (restored at once), as the TUI does.
fn graphics_for_print(choice: PreviewChoice) -> Option<Graphics> {
    let raw = std::io::IsTerminal::is_terminal(&io::stdin()) && crossterm::terminal::enable_raw_mode().is_ok();
    let detected = crate::terminal::graphics::detect(choice);
    if raw {
        let _ = crossterm::terminal::disable_raw_mode();
    }
    detected.graphics
}

fn write_file(path: &std::path::Path, bytes: &[u8]) -> io::Result<()> {
    if path.as_os_str() == "-" {
        let mut out = io::stdout().lock();
        out.write_all(bytes)?;
        return out.flush();
    }
    std::fs::write(path, bytes)
}

/// A drawn buffer as text with colour escapes, one line per row: half blocks are characters;
/// a graphics protocol's escape sits in its first cell, and the cells it covers are skipped.
pub fn print_buffer(out: &mut impl Write, buffer: &Buffer) -> io::Result<()> {
    let area = buffer.area;
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let Some(cell) = buffer.cell((x, y)) else { continue };
            if cell.diff_option == CellDiffOption::Skip {
                continue;
            }
            let mut sgr = String::new();
            if let Color::Rgb(r, g, b) = cell.fg {
                sgr.push_str(&format!("\x1b[38;2;{r};{g};{b}m"));
            }
            if let Color::Rgb(r, g, b) = cell.bg {
                sgr.push_str(&format!("\x1b[48;2;{r};{g};{b}m"));
            }
            write!(out, "{sgr}{}", cell.symbol())?;
        }
        writeln!(out, "\x1b[0m")?;
    }
    out.flush()
}
