//! Fetched bytes to a picture, refusing what could hurt: the format is read from the bytes
//! themselves (JPEG, PNG, WebP, GIF; whatever the file host called them), the declared size is
//! checked against explicit limits before anything is allocated (the `image` crate's defaults
//! still admit 13,000 × 13,000), a GIF gives its first frame only, and the result is scaled down
//! at once so that no full-size picture is kept.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader, Limits};

/// The widest and tallest picture decoded at all (a 4K frame is 3840 × 2160).
pub const MAX_SIDE: u32 = 8192;
/// The most memory a decoder may ask for.
pub const MAX_ALLOC: u64 = 256 * 1024 * 1024;
/// Pictures are kept at most this large on their long side (the cache holds them so).
pub const THUMB_SIDE: u32 = 1024;

/// Why bytes are not a picture we show. Each is the end of "Preview unavailable: …".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("the file is not a JPEG, PNG, WebP or GIF picture")]
    NotAPicture,
    #[error("the picture claims {width}×{height} pixels, more than the {MAX_SIDE}×{MAX_SIDE} shown")]
    TooLarge { width: u32, height: u32 },
    #[error("the picture is larger than the {MAX_SIDE}×{MAX_SIDE} pixels shown")]
    BeyondLimits,
    #[error("the picture would need more than {} MiB to decode", MAX_ALLOC / (1024 * 1024))]
    TooMuchMemory,
    #[error("the picture is damaged or cut short")]
    Damaged,
    #[error("the picture is empty (0 pixels)")]
    Empty,
}

/// The format the bytes are in, by their first bytes; only the four we show.
pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
    match image::guess_format(bytes).ok()? {
        format @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP | ImageFormat::Gif) => Some(format),
        _ => None,
    }
}

fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    limits
}

fn reader(bytes: &[u8], limits: Limits) -> Result<ImageReader<Cursor<&[u8]>>, DecodeError> {
    let format = sniff(bytes).ok_or(DecodeError::NotAPicture)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    Ok(reader)
}

/// Decodes bytes at full size, within the limits.
pub fn decode(bytes: &[u8]) -> Result<DynamicImage, DecodeError> {
    // The header first (a fraction of a millisecond): a bomb is refused by its declared size,
    // with the numbers, before any pixel is allocated.
    // (Read with the memory limit only, so that an oversized claim is reported with its size.)
    let mut header_only = Limits::default();
    header_only.max_alloc = Some(MAX_ALLOC);
    let (width, height) = reader(bytes, header_only)?.into_dimensions().map_err(classify)?;
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(DecodeError::TooLarge { width, height });
    }
    if width == 0 || height == 0 {
        return Err(DecodeError::Empty);
    }
    reader(bytes, limits())?.decode().map_err(classify)
}

/// Decodes bytes and scales the picture down to at most `THUMB_SIDE` on its long side, as
/// 8-bit RGB (any transparency laid over black, the usual terminal background).
pub fn decode_thumbnail(bytes: &[u8]) -> Result<DynamicImage, DecodeError> {
    let full = decode(bytes)?;
    Ok(flatten(shrink(full, THUMB_SIDE, THUMB_SIDE)))
}

/// Scaled down (never up) to fit `max_width` × `max_height`, keeping its shape.
pub fn shrink(picture: DynamicImage, max_width: u32, max_height: u32) -> DynamicImage {
    if picture.width() <= max_width && picture.height() <= max_height {
        return picture;
    }
    shrunk(&picture, max_width, max_height)
}

/// A scaled-down copy (a plain copy when it fits already).
pub fn shrunk(picture: &DynamicImage, max_width: u32, max_height: u32) -> DynamicImage {
    if picture.width() <= max_width && picture.height() <= max_height {
        return picture.clone();
    }
    // `thumbnail` is a fast box filter: far quicker than the crate's f32 resizers and as good
    // to look at in a terminal.
    picture.thumbnail(max_width.max(1), max_height.max(1))
}

fn flatten(picture: DynamicImage) -> DynamicImage {
    if !picture.color().has_alpha() {
        return DynamicImage::ImageRgb8(picture.into_rgb8());
    }
    let rgba = picture.into_rgba8();
    let mut rgb = image::RgbImage::new(rgba.width(), rgba.height());
    for (out, px) in rgb.pixels_mut().zip(rgba.pixels()) {
        let [r, g, b, a] = px.0;
        let over = |c: u8| ((u16::from(c) * u16::from(a)) / 255) as u8;
        *out = image::Rgb([over(r), over(g), over(b)]);
    }
    DynamicImage::ImageRgb8(rgb)
}

/// The cells a picture of `width` × `height` pixels takes when fitted into `cols` × `rows`
/// cells whose pixels are `font` (width, height): its shape kept, at least one cell each way.
pub fn fit_cells(width: u32, height: u32, cols: u16, rows: u16, font: (u16, u16)) -> (u16, u16) {
    if width == 0 || height == 0 || cols == 0 || rows == 0 {
        return (0, 0);
    }
    let (fw, fh) = (f64::from(font.0.max(1)), f64::from(font.1.max(1)));
    let box_w = f64::from(cols) * fw;
    let box_h = f64::from(rows) * fh;
    let scale = (box_w / f64::from(width)).min(box_h / f64::from(height));
    let fitted_cols = ((f64::from(width) * scale / fw).round() as u16).clamp(1, cols);
    let fitted_rows = ((f64::from(height) * scale / fh).round() as u16).clamp(1, rows);
    (fitted_cols, fitted_rows)
}

fn classify(error: image::ImageError) -> DecodeError {
    use image::ImageError as E;
    use image::error::LimitErrorKind;
    match error {
        E::Limits(limit) => match limit.kind() {
            LimitErrorKind::DimensionError => DecodeError::BeyondLimits,
            _ => DecodeError::TooMuchMemory,
        },
        E::Unsupported(_) => DecodeError::NotAPicture,
        _ => DecodeError::Damaged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_keep_the_shape() {
        // 16:9 into 60×30 cells of 1×2 pixels (halfblocks): 60 wide, about 17 tall.
        assert_eq!(fit_cells(1920, 1080, 60, 30, (1, 2)), (60, 17));
        // A tall picture is bounded by the rows.
        assert_eq!(fit_cells(1000, 4000, 60, 10, (1, 2)), (5, 10));
        assert_eq!(fit_cells(0, 10, 60, 10, (1, 2)), (0, 0));
        assert_eq!(fit_cells(10, 10, 0, 10, (1, 2)), (0, 0));
        // A sliver still takes one cell.
        assert_eq!(fit_cells(8000, 1, 10, 10, (1, 2)), (10, 1));
    }
}
