//! The README's screenshot, made from a real run: a tmux pane captured with its colours
//! (`tmux capture-pane -e -p`) is read by a terminal emulator (vt100) and drawn to a PNG, cell
//! by cell: half blocks and box lines as shapes, other text with a monospace font of the system.
//! Not a test of the app; run by hand (see BENCHMARKS.md):
//!
//! ```sh
//! SCREEN_ANSI=/tmp/pane.ansi SCREEN_PNG=docs/preview-halfblocks.png \
//!   cargo test --test screenshot -- --ignored
//! ```

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use image::{Rgb, RgbImage};

const CELL_W: u32 = 9;
const CELL_H: u32 = 18;
const FONT: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";
const BACKGROUND: Rgb<u8> = Rgb([24, 24, 28]);
const FOREGROUND: Rgb<u8> = Rgb([216, 216, 216]);

fn colour(c: vt100::Color, default: Rgb<u8>) -> Rgb<u8> {
    const BASE: [[u8; 3]; 16] = [
        [0, 0, 0],
        [205, 49, 49],
        [13, 188, 121],
        [229, 229, 16],
        [36, 114, 200],
        [188, 63, 188],
        [17, 168, 205],
        [229, 229, 229],
        [102, 102, 102],
        [241, 76, 76],
        [35, 209, 139],
        [245, 245, 67],
        [59, 142, 234],
        [214, 112, 214],
        [41, 184, 219],
        [255, 255, 255],
    ];
    match c {
        vt100::Color::Default => default,
        vt100::Color::Rgb(r, g, b) => Rgb([r, g, b]),
        vt100::Color::Idx(i) if i < 16 => Rgb(BASE[i as usize]),
        vt100::Color::Idx(i) if i < 232 => {
            let i = i - 16;
            let level = |v: u8| if v == 0 { 0 } else { 55 + v * 40 };
            Rgb([level(i / 36), level(i / 6 % 6), level(i % 6)])
        }
        vt100::Color::Idx(i) => {
            let g = 8 + (i - 232) * 10;
            Rgb([g, g, g])
        }
    }
}

fn fill(img: &mut RgbImage, x: u32, y: u32, w: u32, h: u32, c: Rgb<u8>) {
    for yy in y..(y + h).min(img.height()) {
        for xx in x..(x + w).min(img.width()) {
            img.put_pixel(xx, yy, c);
        }
    }
}

/// Box-drawing lines as strokes through the cell's middle (the font's are uneven at this size).
fn box_line(img: &mut RgbImage, x: u32, y: u32, ch: char, c: Rgb<u8>) -> bool {
    let (mx, my) = (x + CELL_W / 2, y + CELL_H / 2);
    let (left, right, up, down) = match ch {
        '─' => (true, true, false, false),
        '│' => (false, false, true, true),
        '╭' | '┌' => (false, true, false, true),
        '╮' | '┐' => (true, false, false, true),
        '╰' | '└' => (false, true, true, false),
        '╯' | '┘' => (true, false, true, false),
        _ => return false,
    };
    if left {
        fill(img, x, my, CELL_W / 2 + 1, 1, c);
    }
    if right {
        fill(img, mx, my, CELL_W - CELL_W / 2, 1, c);
    }
    if up {
        fill(img, mx, y, 1, CELL_H / 2 + 1, c);
    }
    if down {
        fill(img, mx, my, 1, CELL_H - CELL_H / 2, c);
    }
    true
}

#[test]
#[ignore = "makes the README's screenshot from a captured pane; run by hand"]
fn draw_a_captured_pane_as_png() {
    let input = std::env::var("SCREEN_ANSI").expect("SCREEN_ANSI: a pane captured with tmux capture-pane -e -p");
    let output = std::env::var("SCREEN_PNG").expect("SCREEN_PNG: where to write the PNG");
    let text = std::fs::read(&input).unwrap();
    let rows = text.split(|b| *b == b'\n').count().max(1) as u16;
    let cols: u16 = std::env::var("SCREEN_COLS").ok().and_then(|c| c.parse().ok()).unwrap_or(120);
    let mut parser = vt100::Parser::new(rows, cols, 0);
    // capture-pane ends lines with \n only: go back to the first column on each.
    let text: Vec<u8> = text.iter().flat_map(|b| if *b == b'\n' { vec![b'\r', b'\n'] } else { vec![*b] }).collect();
    parser.process(&text);
    let screen = parser.screen();
    let font_bytes = std::fs::read(FONT).expect("DejaVu Sans Mono");
    let font = FontRef::try_from_slice(&font_bytes).unwrap();
    let scaled = font.as_scaled(PxScale::from(15.0));
    let mut img = RgbImage::from_pixel(u32::from(cols) * CELL_W, u32::from(rows) * CELL_H, BACKGROUND);
    for row in 0..rows {
        for col in 0..cols {
            let Some(cell) = screen.cell(row, col) else { continue };
            let (x, y) = (u32::from(col) * CELL_W, u32::from(row) * CELL_H);
            let (mut fg, mut bg) = (colour(cell.fgcolor(), FOREGROUND), colour(cell.bgcolor(), BACKGROUND));
            if cell.inverse() {
                std::mem::swap(&mut fg, &mut bg);
            }
            fill(&mut img, x, y, CELL_W, CELL_H, bg);
            let ch = cell.contents().chars().next().unwrap_or(' ');
            match ch {
                ' ' => {}
                '▀' => fill(&mut img, x, y, CELL_W, CELL_H / 2, fg),
                '▄' => fill(&mut img, x, y + CELL_H / 2, CELL_W, CELL_H - CELL_H / 2, fg),
                '█' => fill(&mut img, x, y, CELL_W, CELL_H, fg),
                _ if box_line(&mut img, x, y, ch, fg) => {}
                _ => {
                    let glyph = scaled.scaled_glyph(ch);
                    let glyph = ab_glyph::Glyph {
                        position: ab_glyph::point(x as f32, y as f32 + scaled.ascent() + 1.0),
                        ..glyph
                    };
                    if let Some(outline) = font.outline_glyph(glyph) {
                        let bounds = outline.px_bounds();
                        outline.draw(|gx, gy, coverage| {
                            let (px, py) = (bounds.min.x as i32 + gx as i32, bounds.min.y as i32 + gy as i32);
                            if px < 0 || py < 0 || px as u32 >= img.width() || py as u32 >= img.height() {
                                return;
                            }
                            let under = *img.get_pixel(px as u32, py as u32);
                            let mix = |a: u8, b: u8| (f32::from(a) * (1.0 - coverage) + f32::from(b) * coverage) as u8;
                            img.put_pixel(
                                px as u32,
                                py as u32,
                                Rgb([mix(under[0], fg[0]), mix(under[1], fg[1]), mix(under[2], fg[2])]),
                            );
                        });
                    }
                }
            }
        }
    }
    img.save(&output).unwrap();
}
