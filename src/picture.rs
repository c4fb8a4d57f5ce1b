//! Pictures: the one place Folio decodes an image (contact photos and the pictures in notes).
//! Decoding is bounded, so a file that claims huge dimensions (a decompression bomb) is
//! refused before memory is spent on it, and it never runs on the UI thread: thumbnails are
//! made on the list thread, and the window only turns their small PNGs into textures.

use std::io::Cursor;

use image::{ImageDecoder, ImageFormat, ImageReader, Limits};

/// The side of a thumbnail, in pixels: the list shows it at 28 points (sharp on a 2×
/// screen), the contact's page at 96.
pub const THUMBNAIL_SIDE: u32 = 128;
/// A thumbnail is a JPEG of this quality: about 5 KB, so the 4,000 rows a list keeps hold
/// about 20 MB of them.
const THUMBNAIL_QUALITY: u8 = 85;

/// The most pixels on a side a picture may have; a 100-megapixel camera stays under it.
pub const MAX_SIDE: u32 = 16_384;
/// The most memory one decode may take.
pub const MAX_DECODE_BYTES: u64 = 512 * 1024 * 1024;

/// Why a picture was not read.
#[derive(Debug, thiserror::Error)]
pub enum PictureError {
    #[error("it is not a picture Folio reads (JPEG or PNG): {0}")]
    NotAPicture(String),
    #[error("it is larger than Folio decodes ({0})")]
    TooLarge(String),
}

/// A picture's media type from its first bytes ("image/jpeg"), if it is one Folio reads.
pub fn media_type(bytes: &[u8]) -> Option<&'static str> {
    match image::guess_format(bytes).ok()? {
        format @ (ImageFormat::Jpeg | ImageFormat::Png) => Some(format.to_mime_type()),
        _ => None,
    }
}

/// The longest side a note's picture is shown at, in pixels: wider than any preview pane, and a
/// 12-megapixel photo shrinks to a 7 MB texture.
pub const PREVIEW_MAX_SIDE: u32 = 1600;

/// A square thumbnail of the picture ([`THUMBNAIL_SIDE`] pixels, the middle of the picture),
/// as JPEG bytes.
pub fn thumbnail(bytes: &[u8]) -> Result<Vec<u8>, PictureError> {
    let square = decode_upright(bytes)?.resize_to_fill(
        THUMBNAIL_SIDE,
        THUMBNAIL_SIDE,
        image::imageops::FilterType::Triangle,
    );
    let mut jpeg = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, THUMBNAIL_QUALITY);
    square
        .to_rgb8()
        .write_with_encoder(encoder)
        .map_err(|e| PictureError::NotAPicture(e.to_string()))?;
    Ok(jpeg)
}

/// A picture of a note as the preview shows it: upright, no side longer than
/// [`PREVIEW_MAX_SIDE`], as width, height and RGBA pixels. Tens to hundreds of milliseconds
/// for a camera's photo, so never on the UI thread.
pub fn preview(bytes: &[u8]) -> Result<(usize, usize, Vec<u8>), PictureError> {
    let mut picture = decode_upright(bytes)?;
    if picture.width() > PREVIEW_MAX_SIDE || picture.height() > PREVIEW_MAX_SIDE {
        picture = picture.resize(
            PREVIEW_MAX_SIDE,
            PREVIEW_MAX_SIDE,
            image::imageops::FilterType::Triangle,
        );
    }
    let rgba = picture.to_rgba8();
    let (width, height) = (rgba.width() as usize, rgba.height() as usize);
    Ok((width, height, rgba.into_raw()))
}

/// Decodes a JPEG or PNG within the limits ([`MAX_SIDE`], [`MAX_DECODE_BYTES`]), turned
/// upright by its EXIF orientation.
fn decode_upright(bytes: &[u8]) -> Result<image::DynamicImage, PictureError> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| PictureError::NotAPicture(e.to_string()))?;
    if !matches!(reader.format(), Some(ImageFormat::Jpeg | ImageFormat::Png)) {
        return Err(PictureError::NotAPicture("an unknown format".to_owned()));
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits.clone());
    let refused = |e: image::ImageError| match e {
        image::ImageError::Limits(limit) => PictureError::TooLarge(limit.to_string()),
        other => PictureError::NotAPicture(other.to_string()),
    };
    let mut decoder = reader.into_decoder().map_err(refused)?;
    // As `ImageReader::decode` does: the whole picture must fit the memory limit before any
    // of it is decoded.
    limits.reserve(decoder.total_bytes()).map_err(refused)?;
    // A phone's portrait photo is stored sideways with an EXIF orientation; turned upright
    // here, as every photo viewer does.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut picture = image::DynamicImage::from_decoder(decoder).map_err(refused)?;
    picture.apply_orientation(orientation);
    Ok(picture)
}

/// A pasted picture (RGBA pixels) as PNG bytes, to attach.
pub fn png_of_rgba(width: u32, height: u32, rgba: Vec<u8>) -> Result<Vec<u8>, PictureError> {
    let picture = image::RgbaImage::from_raw(width, height, rgba)
        .ok_or_else(|| PictureError::NotAPicture("its pixels do not fill its size".to_owned()))?;
    let mut png = Vec::new();
    picture
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .map_err(|e| PictureError::NotAPicture(e.to_string()))?;
    Ok(png)
}

/// A decoded thumbnail ([`thumbnail`]'s JPEG): its width, height and RGBA pixels, for a
/// texture. About 0.2 ms.
pub fn rgba(jpeg: &[u8]) -> Result<(usize, usize, Vec<u8>), PictureError> {
    let mut reader = ImageReader::with_format(Cursor::new(jpeg), ImageFormat::Jpeg);
    let mut limits = Limits::default();
    limits.max_image_width = Some(THUMBNAIL_SIDE * 2);
    limits.max_image_height = Some(THUMBNAIL_SIDE * 2);
    reader.limits(limits);
    let picture = reader
        .decode()
        .map_err(|e| PictureError::NotAPicture(e.to_string()))?
        .to_rgba8();
    let (width, height) = (picture.width() as usize, picture.height() as usize);
    Ok((width, height, picture.into_raw()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let picture = image::RgbaImage::from_pixel(width, height, image::Rgba([200, 30, 30, 255]));
        let mut bytes = Vec::new();
        picture
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .unwrap_or_else(|e| panic!("{e}"));
        bytes
    }

    #[test]
    fn a_thumbnail_is_a_small_square_png() {
        let thumb = thumbnail(&png(640, 480)).unwrap_or_else(|e| panic!("{e}"));
        let (w, h, pixels) = rgba(&thumb).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((w, h), (THUMBNAIL_SIDE as usize, THUMBNAIL_SIDE as usize));
        // A JPEG is close, not exact.
        let red = pixels[0];
        assert!(
            red > 180 && pixels[1] < 60 && pixels[3] == 255,
            "{:?}",
            &pixels[..4]
        );
        assert!(thumb.len() < 8 * 1024, "{} bytes", thumb.len());
        assert_eq!(media_type(&png(2, 2)), Some("image/png"));
    }

    #[test]
    fn a_picture_claiming_huge_dimensions_is_refused_before_decoding() {
        // A PNG header that claims 100,000 × 100,000 pixels (40 GB decoded) and holds nothing.
        let mut bomb = png(1, 1);
        bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        // The header chunk's checksum, so the header is read as valid.
        let crc = crc32(&bomb[12..29]);
        bomb[29..33].copy_from_slice(&crc.to_be_bytes());
        assert!(
            matches!(thumbnail(&bomb), Err(PictureError::TooLarge(_))),
            "{:?}",
            thumbnail(&bomb)
        );
        // A note's picture goes through the same limits.
        assert!(
            matches!(preview(&bomb), Err(PictureError::TooLarge(_))),
            "{:?}",
            preview(&bomb).map(|(w, h, _)| (w, h))
        );
    }

    #[test]
    fn a_portrait_photo_stored_sideways_is_turned_upright() {
        // Left half red, right half blue, stored with EXIF orientation 6 (turn 90° clockwise
        // to show): upright, red is on top.
        let picture = image::RgbImage::from_fn(200, 100, |x, _| {
            if x < 100 {
                image::Rgb([220, 0, 0])
            } else {
                image::Rgb([0, 0, 220])
            }
        });
        let mut jpeg = Vec::new();
        picture
            .write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg)
            .unwrap_or_else(|e| panic!("{e}"));
        // An APP1 Exif segment right after the start marker: one IFD entry, Orientation = 6.
        let mut exif =
            b"Exif\0\0II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0\x06\0\0\0\0\0\0\0".to_vec();
        let length = u16::try_from(exif.len() + 2).unwrap_or(0).to_be_bytes();
        let mut segment = vec![0xFF, 0xE1, length[0], length[1]];
        segment.append(&mut exif);
        jpeg.splice(2..2, segment);
        let thumb = thumbnail(&jpeg).unwrap_or_else(|e| panic!("{e}"));
        let (w, _, pixels) = rgba(&thumb).unwrap_or_else(|e| panic!("{e}"));
        let at = |x: usize, y: usize| &pixels[(y * w + x) * 4..(y * w + x) * 4 + 3];
        let (top, bottom) = (at(w / 2, 10), at(w / 2, w - 10));
        assert!(top[0] > 150 && top[2] < 80, "top {top:?}");
        assert!(bottom[2] > 150 && bottom[0] < 80, "bottom {bottom:?}");
    }

    /// PNG's CRC-32 (ISO 3309), bit by bit: a test needs it for one chunk.
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for byte in bytes {
            crc ^= u32::from(*byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn a_preview_fits_the_largest_side_and_keeps_the_shape() {
        let (w, h, pixels) = preview(&png(4000, 1000)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (w, h),
            (PREVIEW_MAX_SIDE as usize, PREVIEW_MAX_SIDE as usize / 4)
        );
        assert_eq!(pixels.len(), w * h * 4);
        let small = preview(&png(300, 200)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (small.0, small.1),
            (300, 200),
            "a small picture is not blown up"
        );
        let pasted = png_of_rgba(2, 1, vec![255, 0, 0, 255, 0, 0, 255, 255])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(media_type(&pasted), Some("image/png"));
        assert!(png_of_rgba(2, 2, vec![0; 4]).is_err());
    }

    #[test]
    fn what_is_no_picture_says_so() {
        assert!(matches!(
            thumbnail(b"not a picture at all"),
            Err(PictureError::NotAPicture(_))
        ));
        let mut broken = png(8, 8);
        broken.truncate(40);
        assert!(thumbnail(&broken).is_err());
        assert_eq!(media_type(b"GIF89a"), None);
    }
}
