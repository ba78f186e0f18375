//! Colours as a theme file writes them, and as a terminal of a given depth can show them.

use std::str::FromStr;

use ratatui::style::{Color, Style};

/// How many colours the terminal shows, decided as bat decides it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ColorDepth {
    /// 24-bit colour: only where `COLORTERM` says so.
    #[default]
    TrueColor,
    /// The xterm 256-colour palette: what nearly every terminal has.
    Ansi256,
    /// The 16 named colours: the Linux console.
    Ansi16,
}

impl ColorDepth {
    /// From `COLORTERM` and `TERM`.
    pub fn from_env() -> Self {
        let colorterm = std::env::var("COLORTERM").unwrap_or_default();
        let term = std::env::var("TERM").unwrap_or_default();
        Self::from_vars(&colorterm, &term)
    }

    /// `COLORTERM=truecolor|24bit` → 24-bit; `TERM=linux` → 16 colours; else 256.
    pub fn from_vars(colorterm: &str, term: &str) -> Self {
        if matches!(colorterm, "truecolor" | "24bit") {
            ColorDepth::TrueColor
        } else if term == "linux" {
            ColorDepth::Ansi16
        } else {
            ColorDepth::Ansi256
        }
    }
}

/// A colour as a theme writes it: `#rrggbb`, a name (`blue`, `light-red`, `dark-gray`,
/// `reset`) or a palette index `0`–`255`.
pub(crate) fn parse_color(text: &str) -> Option<Color> {
    let text = text.trim();
    // ratatui reads a bare number as an index too, but a number beyond 255 or `#abc` would
    // come back as an error there; "default" is the spelling people reach for.
    if text.eq_ignore_ascii_case("default") {
        return Some(Color::Reset);
    }
    Color::from_str(text).ok()
}

/// The colour as a terminal of `depth` can show it; named colours are always shown as named.
pub(crate) fn to_depth(color: Color, depth: ColorDepth) -> Color {
    match (color, depth) {
        (_, ColorDepth::TrueColor) => color,
        (Color::Rgb(r, g, b), ColorDepth::Ansi256) => {
            Color::Indexed(ansi_colours::ansi256_from_rgb((r, g, b)))
        }
        (Color::Rgb(r, g, b), ColorDepth::Ansi16) => nearest_16((r, g, b)),
        (Color::Indexed(i), ColorDepth::Ansi16) if i >= 16 => {
            nearest_16(ansi_colours::rgb_from_ansi256(i))
        }
        (Color::Indexed(i), ColorDepth::Ansi16) => named(i),
        _ => color,
    }
}

/// Every colour of a style mapped to `depth`.
pub(crate) fn style_to_depth(style: Style, depth: ColorDepth) -> Style {
    Style {
        fg: style.fg.map(|c| to_depth(c, depth)),
        bg: style.bg.map(|c| to_depth(c, depth)),
        underline_color: style.underline_color.map(|c| to_depth(c, depth)),
        ..style
    }
}

/// The 16 ANSI colours in palette order.
const NAMED: [Color; 16] = [
    Color::Black,
    Color::Red,
    Color::Green,
    Color::Yellow,
    Color::Blue,
    Color::Magenta,
    Color::Cyan,
    Color::Gray,
    Color::DarkGray,
    Color::LightRed,
    Color::LightGreen,
    Color::LightYellow,
    Color::LightBlue,
    Color::LightMagenta,
    Color::LightCyan,
    Color::White,
];

fn named(index: u8) -> Color {
    NAMED[usize::from(index & 15)]
}

/// The named colour closest to `rgb` in the xterm default palette (what the Linux console
/// approximates); distance weighted for the eye's sensitivity to green.
fn nearest_16(rgb: (u8, u8, u8)) -> Color {
    let distance = |i: u8| {
        let (r, g, b) = ansi_colours::rgb_from_ansi256(i);
        let d = |a: u8, b: u8| (i32::from(a) - i32::from(b)).pow(2);
        2 * d(r, rgb.0) + 4 * d(g, rgb.1) + 3 * d(b, rgb.2)
    };
    let best = (0..16u8).min_by_key(|&i| distance(i)).unwrap_or(7);
    named(best)
}

/// Relative luminance 0.0 (black) to 1.0 (white) of an sRGB colour (WCAG's formula).
pub(crate) fn luminance((r, g, b): (f64, f64, f64)) -> f64 {
    let lin = |c: f64| {
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_follows_colorterm_then_term() {
        assert_eq!(
            ColorDepth::from_vars("truecolor", "xterm"),
            ColorDepth::TrueColor
        );
        assert_eq!(
            ColorDepth::from_vars("24bit", "linux"),
            ColorDepth::TrueColor
        );
        assert_eq!(
            ColorDepth::from_vars("", "xterm-256color"),
            ColorDepth::Ansi256
        );
        assert_eq!(ColorDepth::from_vars("yes", "screen"), ColorDepth::Ansi256);
        assert_eq!(ColorDepth::from_vars("", "linux"), ColorDepth::Ansi16);
    }

    #[test]
    fn colours_parse_as_hex_names_and_indexes() {
        assert_eq!(parse_color("#ff8000"), Some(Color::Rgb(255, 128, 0)));
        assert_eq!(parse_color("light-red"), Some(Color::LightRed));
        assert_eq!(parse_color("dark-gray"), Some(Color::DarkGray));
        assert_eq!(parse_color("42"), Some(Color::Indexed(42)));
        assert_eq!(parse_color("default"), Some(Color::Reset));
        assert_eq!(parse_color("#ff80"), None);
        assert_eq!(parse_color("256"), None);
        assert_eq!(parse_color("blurple"), None);
    }

    #[test]
    fn rgb_maps_to_the_256_palette_without_truecolor() {
        let depth = ColorDepth::Ansi256;
        // Exact cube and grey-ramp colours map to their own index.
        assert_eq!(to_depth(Color::Rgb(255, 0, 0), depth), Color::Indexed(196));
        assert_eq!(to_depth(Color::Rgb(0, 95, 135), depth), Color::Indexed(24));
        assert_eq!(
            to_depth(Color::Rgb(128, 128, 128), depth),
            Color::Indexed(244)
        );
        // Named colours and indexes are already in every palette.
        assert_eq!(to_depth(Color::LightBlue, depth), Color::LightBlue);
        assert_eq!(to_depth(Color::Indexed(99), depth), Color::Indexed(99));
        assert_eq!(
            to_depth(Color::Rgb(1, 2, 3), ColorDepth::TrueColor),
            Color::Rgb(1, 2, 3)
        );
    }

    #[test]
    fn the_linux_console_gets_the_nearest_named_colour() {
        let depth = ColorDepth::Ansi16;
        assert_eq!(to_depth(Color::Rgb(250, 0, 0), depth), Color::LightRed);
        assert_eq!(to_depth(Color::Rgb(0, 0, 0), depth), Color::Black);
        assert_eq!(to_depth(Color::Rgb(0, 170, 0), depth), Color::Green);
        assert_eq!(to_depth(Color::Indexed(196), depth), Color::LightRed);
        assert_eq!(to_depth(Color::Indexed(4), depth), Color::Blue);
        assert_eq!(to_depth(Color::Cyan, depth), Color::Cyan);
    }
}
