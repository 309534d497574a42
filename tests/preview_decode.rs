//! Decoding what a file host sends, within limits: crafted files that would hurt a careless
//! decoder (a bomb that declares 100,000 × 100,000 pixels in a few KB, a JPEG that claims
//! 60,000 × 60,000, a truncated JPEG, bytes that are not a picture whatever they are called, a
//! GIF of 1,000 frames) each end in one sentence, quickly, without allocating the claim.

use std::io::Cursor;
use std::time::{Duration, Instant};

use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use runway_assets::preview::{DecodeError, THUMB_SIDE, decode, decode_thumbnail};

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for b in bytes {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
}

/// A PNG of a few KB whose header declares `width` × `height` RGB pixels.
pub fn png_bomb(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &ihdr);
    // A zlib stream of zeros: a real bomb inflates it to the declared size.
    let mut idat = vec![0x78, 0x9c];
    idat.extend(std::iter::repeat_n(0u8, 4000));
    chunk(&mut png, b"IDAT", &idat);
    chunk(&mut png, b"IEND", &[]);
    png
}

fn picture(width: u32, height: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 128])))
}

fn encoded(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// A baseline JPEG whose frame header (SOF0) is rewritten to claim `width` × `height`.
fn jpeg_claiming(width: u16, height: u16) -> Vec<u8> {
    let mut jpeg = encoded(&picture(64, 64), ImageFormat::Jpeg);
    let sof = jpeg.windows(2).position(|w| w == [0xff, 0xc0]).expect("a baseline frame header");
    jpeg[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
    jpeg[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
    jpeg
}

#[test]
fn a_png_bomb_is_refused_by_its_declared_size_before_any_allocation() {
    let bomb = png_bomb(100_000, 100_000);
    assert!(bomb.len() < 8 * 1024, "a few KB: {}", bomb.len());
    let started = Instant::now();
    let error = decode(&bomb).unwrap_err();
    assert_eq!(error, DecodeError::TooLarge { width: 100_000, height: 100_000 });
    assert!(started.elapsed() < Duration::from_secs(2), "refused at once, not decoded");
    assert_eq!(error.to_string(), "the picture claims 100000×100000 pixels, more than the 8192×8192 shown");
    // Just past the limit on one side is refused too.
    assert!(matches!(decode(&png_bomb(8193, 10)), Err(DecodeError::TooLarge { .. })));
}

#[test]
fn a_jpeg_claiming_sixty_thousand_pixels_a_side_is_refused() {
    let error = decode(&jpeg_claiming(60_000, 60_000)).unwrap_err();
    assert_eq!(error, DecodeError::TooLarge { width: 60_000, height: 60_000 });
}

#[test]
fn a_truncated_jpeg_is_damaged_or_partial_never_a_panic() {
    let jpeg = encoded(&picture(640, 480), ImageFormat::Jpeg);
    for cut in [jpeg.len() / 2, 700, 200, 20, 3] {
        match decode(&jpeg[..cut]) {
            // Some decoders fill in what is missing: a partial picture is fine to show.
            Ok(picture) => assert_eq!((picture.width(), picture.height()), (640, 480)),
            Err(e) => assert!(matches!(e, DecodeError::Damaged | DecodeError::NotAPicture), "cut at {cut}: {e:?}"),
        }
    }
}

#[test]
fn bytes_that_are_not_a_picture_are_refused_whatever_they_are_called() {
    for bytes in [
        &b"<!doctype html><html><body>Access denied</body></html>"[..],
        b"",
        b"\xff",
        b"GIF",
        b"BM\x3e\x00\x00\x00\x00\x00\x00\x00\x3e\x00\x00\x00", // a BMP: not one of ours
        b"%PDF-1.7\n",
        b"\x00\x00\x00\x18ftypmp42", // a video
    ] {
        let error = decode(bytes).unwrap_err();
        assert_eq!(error, DecodeError::NotAPicture, "{bytes:?}");
        assert_eq!(error.to_string(), "the file is not a JPEG, PNG, WebP or GIF picture");
    }
    // A TIFF is a real picture, but not a format we decode.
    assert_eq!(decode(b"II*\x00\x08\x00\x00\x00"), Err(DecodeError::NotAPicture));
}

#[test]
fn a_gif_of_a_thousand_frames_gives_its_first_frame_quickly() {
    let mut gif = Vec::new();
    {
        let mut encoder = image::codecs::gif::GifEncoder::new(&mut gif);
        let frames = (0..1000u32).map(|i| {
            let rgba = image::RgbaImage::from_pixel(32, 32, image::Rgba([(i % 256) as u8, 0, 0, 255]));
            image::Frame::new(rgba)
        });
        encoder.encode_frames(frames).unwrap();
    }
    let first = decode(&gif).unwrap();
    assert_eq!((first.width(), first.height()), (32, 32));
    assert_eq!(first.to_rgba8().get_pixel(0, 0).0, [0, 0, 0, 255], "the first frame, not a later one");
}

#[test]
fn every_accepted_format_decodes_and_is_scaled_down() {
    // (Kept small: the test build decodes without optimisation.)
    let big = picture(1200, 600);
    for format in [ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::WebP] {
        let bytes = encoded(&big, format);
        let thumb = decode_thumbnail(&bytes).unwrap_or_else(|e| panic!("{format:?}: {e}"));
        assert_eq!((thumb.width(), thumb.height()), (THUMB_SIDE, THUMB_SIDE / 2), "{format:?}");
    }
    // A small picture is not scaled up.
    for format in [ImageFormat::Png, ImageFormat::Gif] {
        let small = decode_thumbnail(&encoded(&picture(20, 10), format)).unwrap();
        assert_eq!((small.width(), small.height()), (20, 10), "{format:?}");
    }
}

#[test]
fn transparency_is_laid_over_black() {
    let clear = DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(4, 4, image::Rgba([255, 255, 255, 0])));
    let thumb = decode_thumbnail(&encoded(&clear, ImageFormat::Png)).unwrap();
    assert_eq!(thumb.to_rgb8().get_pixel(0, 0).0, [0, 0, 0]);
}

#[test]
fn random_bytes_behind_a_real_header_never_panic() {
    let headers: [&[u8]; 4] = [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"RIFF\x00\x00\x00\x00WEBPVP8 ", b"GIF89a"];
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for round in 0..400 {
        let mut bytes = headers[round % headers.len()].to_vec();
        for _ in 0..(round * 7 % 900) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            bytes.push(seed as u8);
        }
        let _ = decode(&bytes);
    }
}
