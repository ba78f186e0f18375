//! The light theme on screen: every cell of the list, the reader (with highlighted code) and
//! the links panel is readable on a white background.

use std::path::PathBuf;

use folio::app::{App, Command, Msg, Settings};
use folio::library::{self, SortKey};
use folio::markdown::{self, parse};
use folio::theme::{Background, ColorDepth, Theme};
use folio::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;

use crate::support;

fn rgb(color: Color) -> Option<(u8, u8, u8)> {
    match color {
        Color::Reset => None,
        Color::Rgb(r, g, b) => Some((r, g, b)),
        Color::Indexed(i) => Some(support::xterm_rgb(i)),
        Color::Black => Some((0, 0, 0)),
        Color::Gray => Some((229, 229, 229)),
        Color::DarkGray => Some((127, 127, 127)),
        Color::White => Some((255, 255, 255)),
        Color::LightYellow => Some((255, 255, 0)),
        Color::LightCyan => Some((0, 255, 255)),
        Color::LightGreen => Some((0, 255, 0)),
        // The other named colours are dark enough in every common palette.
        _ => None,
    }
}

fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

fn assert_readable_on_white(app: &App, theme: &Theme, what: &str) {
    let mut terminal =
        Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap_or_else(|e| panic!("{e}"));
    terminal
        .draw(|frame| ui::draw(app, theme, frame))
        .unwrap_or_else(|e| panic!("{e}"));
    for cell in terminal.backend().buffer().content() {
        if let Some(fg) = rgb(cell.fg) {
            let contrast = 1.05 / (luminance(fg) + 0.05);
            assert!(
                contrast >= 3.0,
                "{what}: {:?} in {:?} has contrast {contrast:.2} on white",
                cell.symbol(),
                cell.fg
            );
        }
        if let Some(bg) = rgb(cell.bg) {
            assert!(
                luminance(bg) > 0.6,
                "{what}: {:?} on a dark background {:?}",
                cell.symbol(),
                cell.bg
            );
        }
    }
}

#[test]
fn the_light_theme_is_readable_on_every_screen() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("articles");
    let library = library::load(&dir, SortKey::Date).unwrap_or_else(|e| panic!("{e}"));
    for depth in [
        ColorDepth::TrueColor,
        ColorDepth::Ansi256,
        ColorDepth::Ansi16,
    ] {
        let theme = Theme::built_in(Background::Light, depth, false);
        let mut app = App::new(library.clone(), Settings::default());
        app.update(Msg::Resize(120, 40));
        assert_readable_on_white(&app, &theme, "list");
        for article in &library.articles {
            let Ok((_, body)) = library::read_article(&article.path) else {
                continue;
            };
            if !body.markdown.contains("```") {
                continue;
            }
            let doc = parse::parse_article(&article.meta, &body.markdown);
            let layout = markdown::layout(&doc, 100);
            let mut reader = App::new(library.clone(), Settings::default());
            reader.update(Msg::Resize(120, 40));
            reader.show_layout(article.clone(), layout);
            // The code blocks lie further down: look at a few screens.
            for _ in 0..6 {
                assert_readable_on_white(&reader, &theme, &article.rel_path);
                reader.update(Msg::Cmd(Command::PageDown));
            }
            reader.update(Msg::Cmd(Command::NextLink));
            reader.update(Msg::Cmd(Command::LinkPanel));
            assert_readable_on_white(&reader, &theme, "links panel");
        }
    }
}
