//! Drawing: `draw(&App, &mut Frame)`, one file per screen area, colours from a theme.
//!
//! Nothing here changes state; every row drawn is computed from `&App`. Long things (the list,
//! the article) are drawn a visible slice at a time.

pub(crate) mod bars;
pub(crate) mod list;
pub(crate) mod overlay;
mod picker;
pub(crate) mod pictures;
pub(crate) mod reader;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::app::{App, Overlay, Screen as Showing};
use crate::text::{display_width, truncate};
use crate::theme::Theme;

/// What a screen is drawn from: the model, and the theme that turns its meanings into styles.
/// It reads as the model (`Deref`), so drawing code writes `app.list` and `app.theme` alike.
pub(crate) struct Screen<'a> {
    app: &'a App,
    pub(crate) theme: &'a Theme,
}

impl std::ops::Deref for Screen<'_> {
    type Target = App;

    fn deref(&self) -> &App {
        self.app
    }
}

/// Draws the whole screen for the current state, in `theme`.
pub fn draw(app: &App, theme: &Theme, frame: &mut Frame<'_>) {
    let app = &Screen { app, theme };
    let area = frame.area();
    if area.width == 0 || area.height == 0 {
        return;
    }
    if app.too_small() || area.width < crate::app::MIN_WIDTH || area.height < crate::app::MIN_HEIGHT
    {
        too_small(frame.buffer_mut(), area, app);
        return;
    }
    match app.screen {
        // `folio FILE` has no list to show: until its article opens, a quiet word.
        Showing::List if app.single_file => opening(frame.buffer_mut(), area, app),
        Showing::List => list::render(app, frame),
        Showing::Reader => {
            if let Some(cursor) = reader::render(app, frame.buffer_mut(), area) {
                frame.set_cursor_position(cursor);
            }
        }
    }
    match app.overlay.clone() {
        Some(Overlay::Help { from, scroll }) => {
            overlay::render_help(app, from, scroll, frame.buffer_mut(), area)
        }
        Some(Overlay::Links { selected }) => {
            overlay::render_links(app, selected, frame.buffer_mut(), area)
        }
        Some(Overlay::Outline { query, selected }) => {
            if let Some(cursor) =
                overlay::render_outline(app, &query, selected, frame.buffer_mut(), area)
            {
                frame.set_cursor_position(cursor);
            }
        }
        Some(Overlay::Tags { query, selected }) => {
            if let Some(cursor) =
                overlay::render_tags(app, &query, selected, frame.buffer_mut(), area)
            {
                frame.set_cursor_position(cursor);
            }
        }
        Some(Overlay::FullText(panel)) => {
            if let Some(cursor) = overlay::render_full_text(app, &panel, frame.buffer_mut(), area) {
                frame.set_cursor_position(cursor);
            }
        }
        Some(Overlay::Picture { path, caption }) => {
            pictures::render_full(app, &path, &caption, frame.buffer_mut(), area);
        }
        None => {}
    }
}

/// The screen of `folio FILE` before its article is read.
fn opening(buf: &mut Buffer, area: Rect, app: &Screen<'_>) {
    let text = app.status.as_deref().unwrap_or("Opening…");
    centred(buf, area, text, area.height / 2, app.theme.dim());
}

/// One line of `text`, cut to fit and centred across `area`, `down` rows from its top.
pub(crate) fn centred(buf: &mut Buffer, area: Rect, text: &str, down: u16, style: Style) {
    let text = truncate(text, usize::from(area.width));
    let x = area.x + area.width.saturating_sub(display_width(&text) as u16) / 2;
    put(buf, x, area.y + down, &text, usize::from(area.width), style);
}

/// What a terminal too small to read in shows: as much of a short notice as fits.
fn too_small(buf: &mut Buffer, area: Rect, app: &Screen<'_>) {
    let words: &[&str] = match area.width {
        18.. => &["Terminal too small", "for folio"],
        5.. => &["Too", "small"],
        _ => &["!"],
    };
    let style = app.theme.dim();
    let rows = usize::from(area.height);
    let start = rows.saturating_sub(words.len()) / 2;
    for (i, word) in words.iter().enumerate().take(rows) {
        centred(buf, area, word, (start + i) as u16, style);
    }
}

/// Writes `text` at (x, y) if the row is inside the buffer, at most `max` columns.
pub(crate) fn put(buf: &mut Buffer, x: u16, y: u16, text: &str, max: usize, style: Style) -> u16 {
    let area = buf.area;
    if y < area.top() || y >= area.bottom() || x >= area.right() {
        return x;
    }
    buf.set_stringn(x, y, text, max, style).0
}
