//! A contact's round avatar: the photo's thumbnail, or initials on a colour that comes from
//! the name, so a person keeps one colour everywhere.

use egui::epaint::RectShape;
use egui::{Color32, CornerRadius, FontId, Painter, Pos2, Rect, TextureId, pos2, vec2};

/// Paints the avatar centred on `centre`, `size` points across.
pub fn paint_avatar(
    painter: &Painter,
    centre: Pos2,
    size: f32,
    name: &str,
    texture: Option<TextureId>,
) {
    let rect = Rect::from_center_size(centre, vec2(size, size));
    let round = CornerRadius::same((size / 2.0).round().min(255.0) as u8);
    match texture {
        Some(texture) => {
            let uv = Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0));
            painter.add(RectShape::filled(rect, round, Color32::WHITE).with_texture(texture, uv));
        }
        None => {
            painter.add(RectShape::filled(rect, round, colour_of(name)));
            painter.text(
                centre,
                egui::Align2::CENTER_CENTER,
                initials(name),
                FontId::proportional(size * 0.42),
                Color32::WHITE,
            );
        }
    }
}

/// The first and last names' first letters: "Ada Lovelace" → "AL", "Dr. Jean Baptiste
/// Dupont" → "JD" (a title is left out); "+44 7700 900123" → "#"; nothing → "?".
pub fn initials(name: &str) -> String {
    let words: Vec<char> = name
        .split_whitespace()
        .filter(|word| !word.ends_with('.'))
        .filter_map(|word| word.chars().next().filter(|c| c.is_alphabetic()))
        .collect();
    let letters: String = match words.as_slice() {
        [] => String::new(),
        [only] => only.to_uppercase().collect(),
        [first, .., last] => first.to_uppercase().chain(last.to_uppercase()).collect(),
    };
    if !letters.is_empty() {
        letters
    } else if name.chars().any(|c| c.is_ascii_digit()) {
        "#".to_owned()
    } else {
        "?".to_owned()
    }
}

/// A colour from the name (FNV-1a), among muted hues that carry white text.
pub fn colour_of(name: &str) -> Color32 {
    const HUES: [Color32; 8] = [
        Color32::from_rgb(0x8E, 0x44, 0xAD),
        Color32::from_rgb(0x29, 0x80, 0xB9),
        Color32::from_rgb(0x16, 0xA0, 0x85),
        Color32::from_rgb(0x27, 0xAE, 0x60),
        Color32::from_rgb(0xD3, 0x54, 0x00),
        Color32::from_rgb(0xC0, 0x39, 0x2B),
        Color32::from_rgb(0x7F, 0x8C, 0x8D),
        Color32::from_rgb(0x2C, 0x3E, 0x50),
    ];
    let hash = name.bytes().fold(0x811C_9DC5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    HUES[hash as usize % HUES.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_and_colours_come_from_the_name() {
        assert_eq!(initials("Ada Lovelace"), "AL");
        assert_eq!(initials("Dr. Jean Baptiste Dupont"), "JD");
        assert_eq!(initials("åsa"), "Å");
        assert_eq!(initials("+44 7700 900123"), "#");
        assert_eq!(initials(""), "?");
        assert_eq!(colour_of("Ada Lovelace"), colour_of("Ada Lovelace"));
        let colours: std::collections::HashSet<_> = ["Ann", "Bob", "Cy", "Dee", "Eve", "Flo"]
            .map(colour_of)
            .into_iter()
            .collect();
        assert!(colours.len() > 2, "names spread over the colours");
    }
}
