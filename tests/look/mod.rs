//! What a graphics terminal would draw from the bytes the app wrote: the picture inside a kitty,
//! sixel or iTerm2 escape sequence, decoded as such a terminal decodes it, and where the cursor
//! was sent before it.

use base64::Engine;
use image::{DynamicImage, RgbaImage, imageops::FilterType};

/// The first picture of `protocol` in `raw`, complete: the 0-based (row, column) of the last
/// absolute cursor move before it, and its bytes. None while it is not (all) there.
pub fn find(protocol: &str, raw: &[u8]) -> Option<((usize, usize), Vec<u8>)> {
    let (start, end) = match protocol {
        "kitty" => kitty_span(raw)?,
        "sixel" => sixel_span(raw)?,
        "iterm2" => {
            let start = position(raw, b"\x1b]1337;File=", 0)?;
            (start, position(raw, b"\x07", start)? + 1)
        }
        other => panic!("no such protocol: {other}"),
    };
    Some((last_cursor_move(&raw[..start])?, raw[start..end].to_vec()))
}

/// The picture that `protocol`'s bytes `sent` carry.
pub fn decode(protocol: &str, sent: &[u8]) -> Result<DynamicImage, String> {
    match protocol {
        "kitty" => decode_kitty(sent),
        "sixel" => {
            let six = icy_sixel::SixelImage::decode(sent).map_err(|e| format!("not a sixel image: {e}"))?;
            let (w, h) = (u32::try_from(six.width).unwrap(), u32::try_from(six.height).unwrap());
            RgbaImage::from_raw(w, h, six.pixels).map(DynamicImage::from).ok_or("sixel pixels short".into())
        }
        "iterm2" => {
            let text = std::str::from_utf8(sent).map_err(|e| e.to_string())?;
            let (_, data) = text.split_once(':').ok_or("no ':' before the file")?;
            let file = base64().decode(data.trim_end_matches('\x07')).map_err(|e| e.to_string())?;
            image::load_from_memory(&file).map_err(|e| format!("iTerm2's file is no picture: {e}"))
        }
        other => Err(format!("no such protocol: {other}")),
    }
}

/// How far apart two pictures look: the mean difference of their colour channels (0 to 255)
/// once both are shrunk to the same small size.
pub fn difference(a: &DynamicImage, b: &DynamicImage) -> f64 {
    let small = |p: &DynamicImage| p.resize_exact(32, 18, FilterType::Triangle).to_rgb8();
    let (a, b) = (small(a), small(b));
    let total: u64 = a.as_raw().iter().zip(b.as_raw()).map(|(x, y)| u64::from(x.abs_diff(*y))).sum();
    total as f64 / a.as_raw().len() as f64
}

fn base64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

fn position(raw: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    raw.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|at| at + from)
}

/// Kitty's transmission: the first `ESC _ G` command that transmits and displays (`a=T`; the
/// others are the start-up query), through its last chunk (`m=0`).
fn kitty_span(raw: &[u8]) -> Option<(usize, usize)> {
    let mut from = 0;
    let start = loop {
        let at = position(raw, b"\x1b_G", from)?;
        let end = position(raw, b"\x1b\\", at)?;
        if raw[at..end].windows(4).any(|w| w == b"a=T,") {
            break at;
        }
        from = end;
    };
    let mut at = start;
    loop {
        let end = position(raw, b"\x1b\\", at)? + 2;
        let head_end = position(raw, b";", at).filter(|semi| *semi < end)?;
        if raw[at..head_end].windows(3).any(|w| w == b"m=0") {
            return Some((start, end));
        }
        at = position(raw, b"\x1b_G", end)?;
    }
}

/// A sixel image: `ESC P`, numeric parameters, `q`, through the string terminator.
fn sixel_span(raw: &[u8]) -> Option<(usize, usize)> {
    let mut from = 0;
    loop {
        let at = position(raw, b"\x1bP", from)?;
        let params = raw[at + 2..].iter().take_while(|b| b.is_ascii_digit() || **b == b';').count();
        if raw.get(at + 2 + params) == Some(&b'q') {
            return Some((at, position(raw, b"\x1b\\", at)? + 2));
        }
        from = at + 2;
    }
}

fn decode_kitty(sent: &[u8]) -> Result<DynamicImage, String> {
    let text = std::str::from_utf8(sent).map_err(|e| e.to_string())?;
    let (mut width, mut height, mut data) = (0u32, 0u32, Vec::new());
    for command in text.split("\x1b_G").skip(1) {
        let command = command.split("\x1b\\").next().unwrap_or_default();
        let (keys, payload) = command.split_once(';').ok_or("a kitty command without a payload")?;
        for pair in keys.split(',') {
            match pair.split_once('=') {
                Some(("f", f)) if f != "32" => return Err(format!("format {f}, not RGBA")),
                Some(("o", _)) => return Err("compressed, but the terminal was never asked".into()),
                Some(("s", w)) => width = w.parse().map_err(|_| "bad s")?,
                Some(("v", h)) => height = h.parse().map_err(|_| "bad v")?,
                _ => {}
            }
        }
        data.extend(base64().decode(payload).map_err(|e| e.to_string())?);
    }
    RgbaImage::from_raw(width, height, data)
        .map(DynamicImage::from)
        .ok_or_else(|| format!("kitty's {width}×{height} RGBA needs more bytes than were sent"))
}

/// The 0-based (row, column) of the last `ESC [ row ; col H` in `raw`.
fn last_cursor_move(raw: &[u8]) -> Option<(usize, usize)> {
    let text = String::from_utf8_lossy(raw);
    text.rmatch_indices("\x1b[").find_map(|(at, _)| {
        let rest = &text[at + 2..];
        let end = rest.find(|c: char| !(c.is_ascii_digit() || c == ';'))?;
        if rest[end..].starts_with('H') {
            let (row, col) = rest[..end].split_once(';')?;
            Some((row.parse::<usize>().ok()? - 1, col.parse::<usize>().ok()? - 1))
        } else {
            None
        }
    })
}
