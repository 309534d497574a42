//! `runway-assets list`: the account's assets, newest first as the API sends them, as an
//! aligned table or one JSON object per line. Pages of 50 are fetched a few at a time, printed
//! in order, de-duplicated by assetId (new assets shift offsets while paging), and paging
//! stops after the first short page. Exit 0 when all went well, 1 after an API failure (the
//! rows before the failed page are printed first), 2 for usage errors and a missing choice of
//! account.

use std::collections::HashSet;
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use futures_util::StreamExt;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::{LIST_CEILING, ListArgs};
use crate::api::{ApiError, ClientOptions, ListQuery, ListedAsset, MAX_LIMIT, MAX_OFFSET, MediaFilter};
use crate::present::api_error::describe;
use crate::present::format;
use crate::sanitize;

/// Pages requested at once.
const PAGES_IN_FLIGHT: usize = 6;

pub async fn run(args: ListArgs, options: ClientOptions, account: Option<String>, config_file: &str) -> ExitCode {
    if let Err(problem) = check(&args) {
        eprintln!("runway-assets: {problem}");
        return ExitCode::from(2);
    }
    let client = match super::get::client(options, config_file) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let queries = pages(args.offset, args.limit, args.media, account);
    let mut results = futures_util::stream::iter(queries)
        .map(|query| {
            let client = &client;
            async move {
                let result = client.list_assets(&query).await;
                (query, result)
            }
        })
        .buffered(PAGES_IN_FLIGHT);

    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let table = Table::new(terminal_width());
    let now = jiff::Timestamp::now();
    let mut seen = HashSet::new();
    let (mut printed, mut skipped, mut reached_end) = (0usize, 0usize, false);
    while let Some((query, result)) = results.next().await {
        let page = match result {
            Ok(page) => page,
            Err(e) => {
                let _ = out.flush();
                note_skipped(skipped);
                eprintln!("runway-assets: {}", describe(&e, config_file));
                return ExitCode::from(if matches!(e, ApiError::AccountRequired(_)) { 2 } else { 1 });
            }
        };
        skipped += page.skipped;
        for item in page.items.iter().filter(|item| first_time(&mut seen, item)) {
            let written = if args.json {
                write_json(&mut out, item)
            } else {
                if printed == 0 {
                    let _ = table.write_header(&mut out);
                }
                table.write_row(&mut out, item, now)
            };
            if written.is_err() {
                return ExitCode::from(1); // stdout closed (e.g. piped into head): stop quietly
            }
            printed += 1;
        }
        if out.flush().is_err() {
            return ExitCode::from(1);
        }
        if page.received < query.sent_limit() as usize {
            reached_end = true;
            break; // a short page is the end of the list
        }
    }
    drop(results);
    note_skipped(skipped);
    if printed == 0 {
        let kind = match args.media {
            MediaFilter::All => "assets".to_string(),
            media => format!("{} assets", media.label()),
        };
        eprintln!("runway-assets: no {kind} in this part of the list.");
    } else if !reached_end && args.offset + args.limit >= LIST_CEILING {
        eprintln!(
            "runway-assets: the API lists the {} newest assets at most; older ones cannot be reached this way.",
            format::thousands(LIST_CEILING as u64)
        );
    }
    ExitCode::SUCCESS
}

/// The usage rules the API's ranges imply.
fn check(args: &ListArgs) -> Result<(), String> {
    if args.limit == 0 {
        return Err("--limit must be at least 1.".to_string());
    }
    if args.offset > MAX_OFFSET {
        return Err(format!("--offset may be at most {MAX_OFFSET}: the API cannot start further down the list."));
    }
    let end = args.offset.saturating_add(args.limit);
    if end > LIST_CEILING {
        return Err(format!(
            "--offset {} plus --limit {} is {end}, past {LIST_CEILING}: the API reaches only the {} newest assets (offset up to {MAX_OFFSET}, then one page of {MAX_LIMIT}).",
            args.offset,
            args.limit,
            format::thousands(LIST_CEILING as u64)
        ));
    }
    Ok(())
}

/// The pages covering `offset .. offset + limit`, 50 at most each. A page that would start
/// past 1000 starts at 1000 instead (its repeats are dropped as duplicates).
fn pages(offset: u32, limit: u32, media: MediaFilter, account: Option<String>) -> Vec<ListQuery> {
    let end = offset.saturating_add(limit).min(LIST_CEILING);
    let mut queries = Vec::new();
    let mut start = offset.min(MAX_OFFSET);
    while start < end {
        let page_start = start.min(MAX_OFFSET);
        let page_limit = (end - page_start).min(MAX_LIMIT);
        queries.push(ListQuery { offset: page_start, limit: page_limit, media, account: account.clone() });
        start = page_start + page_limit;
    }
    queries
}

/// True the first time an asset is seen (by assetId, else id); items with neither always pass.
fn first_time(seen: &mut HashSet<String>, item: &ListedAsset) -> bool {
    match item.asset.asset_id.as_ref().or(item.asset.id.as_ref()) {
        Some(key) => seen.insert(key.clone()),
        None => true,
    }
}

fn note_skipped(skipped: usize) {
    if skipped > 0 {
        let items = if skipped == 1 { "item was" } else { "items were" };
        eprintln!("runway-assets: {skipped} {items} not an asset object and skipped.");
    }
}

fn write_json(out: &mut impl Write, item: &ListedAsset) -> io::Result<()> {
    // Compact, one line, whatever the server's layout.
    let text = serde_json::to_string(&item.raw_value()).map_err(io::Error::other)?;
    writeln!(out, "{}", sanitize::escape_json(&text))
}

fn terminal_width() -> Option<usize> {
    if !io::stdout().is_terminal() {
        return None;
    }
    crossterm::terminal::size().ok().map(|(cols, _)| cols as usize)
}

/// The table's fixed columns; the name takes what the terminal has left.
struct Table {
    name: usize,
}

const TYPE_W: usize = 5;
const MEDIA_W: usize = 17;
const SIZE_W: usize = 9;
const CREATED_W: usize = 14;
const ID_W: usize = 8;
const GAPS: usize = 2 * 5;

impl Table {
    fn new(terminal_width: Option<usize>) -> Table {
        let fixed = TYPE_W + MEDIA_W + SIZE_W + CREATED_W + ID_W + GAPS;
        let name = terminal_width.map_or(44, |w| w.saturating_sub(fixed + 1).clamp(16, 80));
        Table { name }
    }

    fn write_header(&self, out: &mut impl Write) -> io::Result<()> {
        self.write_cells(out, ["NAME", "TYPE", "MEDIA", "SIZE", "CREATED", "ID"].map(str::to_string))
    }

    fn write_row(&self, out: &mut impl Write, item: &ListedAsset, now: jiff::Timestamp) -> io::Result<()> {
        let a = &item.asset;
        let dash = || "—".to_string();
        let name = a.name.as_deref().map(|n| sanitize::one_line(n, 400)).unwrap_or_else(|| "(no name)".to_string());
        let media = match (a.width().zip(a.height()), a.duration()) {
            (Some((w, h)), Some(d)) => format!("{w}×{h} {}", format::duration(d)),
            (Some((w, h)), None) => format!("{w}×{h}"),
            (None, Some(d)) => format::duration(d),
            (None, None) => dash(),
        };
        let created =
            a.created_at.as_deref().and_then(format::parse_date).map(|ts| format::age(ts, now)).unwrap_or_else(dash);
        self.write_cells(
            out,
            [
                name,
                a.media_type.as_deref().map(|t| sanitize::one_line(t, 20)).unwrap_or_else(dash),
                media,
                a.file_size.map(format::size_short).unwrap_or_else(dash),
                created,
                short_id(a.id.as_deref(), a.asset_id.as_deref()),
            ],
        )
    }

    fn write_cells(&self, out: &mut impl Write, cells: [String; 6]) -> io::Result<()> {
        let widths = [self.name, TYPE_W, MEDIA_W, SIZE_W, CREATED_W, ID_W];
        let line: Vec<String> = cells.iter().zip(widths).map(|(cell, w)| fit(cell, w)).collect();
        writeln!(out, "{}", line.join("  ").trim_end())
    }
}

/// The first 8 characters of the asset's uuid (its `id`, else the end of its assetId).
fn short_id(id: Option<&str>, asset_id: Option<&str>) -> String {
    let uuid =
        id.filter(|i| !i.is_empty()).or_else(|| asset_id.map(|a| a.rsplit_once("asset:").map_or(a, |(_, uuid)| uuid)));
    match uuid {
        Some(u) => sanitize::one_line(u, 400).chars().take(ID_W).collect(),
        None => "—".to_string(),
    }
}

/// `text` cut (with an ellipsis) or padded to exactly `width` terminal columns.
fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return format!("{text}{}", " ".repeat(width - text.width()));
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    used += 1;
    format!("{out}{}", " ".repeat(width.saturating_sub(used)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(offset: u32, limit: u32) -> ListArgs {
        ListArgs { media: MediaFilter::All, limit, offset, json: false }
    }

    #[test]
    fn ranges_past_the_ceiling_are_usage_errors() {
        assert!(check(&args(0, 50)).is_ok());
        assert!(check(&args(0, 1050)).is_ok());
        assert!(check(&args(1000, 50)).is_ok());
        assert!(check(&args(0, 1051)).unwrap_err().contains("1050"));
        assert!(check(&args(1001, 1)).is_err());
        assert!(check(&args(0, 0)).is_err());
        assert!(check(&args(u32::MAX, u32::MAX)).is_err());
    }

    #[test]
    fn pages_cover_the_range_and_never_start_past_1000() {
        let spans = |o, l| pages(o, l, MediaFilter::All, None).iter().map(|q| (q.offset, q.limit)).collect::<Vec<_>>();
        assert_eq!(spans(0, 120), [(0, 50), (50, 50), (100, 20)]);
        assert_eq!(spans(5, 3), [(5, 3)]);
        let deep = spans(10, 1040);
        assert_eq!(deep.len(), 21);
        assert_eq!(deep[19], (960, 50));
        assert_eq!(deep[20], (1000, 50));
        assert!(deep.iter().all(|&(o, l)| o <= MAX_OFFSET && (1..=MAX_LIMIT).contains(&l)));
    }

    #[test]
    fn cells_are_cut_or_padded_to_their_width() {
        assert_eq!(fit("abc", 5), "abc  ");
        assert_eq!(fit("abcdefgh", 5), "abcd…");
        assert_eq!(fit("日本語です", 5), "日本…");
        assert_eq!(fit("日本語です", 5).width(), 5);
        assert_eq!(short_id(None, Some("user:1-runwayml:a@b.c-asset:6f1c2a8e-0000")), "6f1c2a8e");
        assert_eq!(short_id(Some("0123456789"), None), "01234567");
        assert_eq!(short_id(None, None), "—");
    }
}
