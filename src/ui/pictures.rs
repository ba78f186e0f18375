//! Pictures: drawn into the rows the layout kept for them, once a job has decoded them, and a
//! picture full-screen.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Clear, Widget};
use ratatui_image::Image;
use ratatui_image::protocol::Protocol;

use super::{Screen, centred, put};
use crate::app::pictures::Slot;
use crate::markdown::Layout;

/// Draws the decoded pictures among `layout.lines[top..]` shown in `area`.
pub(crate) fn draw_in_text(
    app: &Screen<'_>,
    buf: &mut Buffer,
    area: Rect,
    layout: &Layout,
    top: usize,
) {
    let bottom = top + usize::from(area.height);
    for place in &layout.pictures {
        let end = place.row + usize::from(place.rows);
        if end <= top || place.row >= bottom {
            continue;
        }
        let key = (place.path.clone(), place.cols, place.rows);
        let x = area.x + u16::try_from(place.column).unwrap_or(u16::MAX);
        let width = place.cols.min(area.right().saturating_sub(x));
        match app.pictures.get(&key) {
            Some(Slot::Ready(drawn)) => {
                // Rows above the screen are cut off the picture's top.
                let skip = top.saturating_sub(place.row);
                let y = area.y + u16::try_from(place.row.saturating_sub(top)).unwrap_or(0);
                let rows = (end.min(bottom) - place.row.max(top)) as u16;
                let target = Rect::new(x, y, width, rows);
                draw_clipped(&drawn.0, buf, target, skip as u16);
            }
            Some(Slot::Failed(why)) if place.row >= top => {
                let y = area.y + (place.row - top) as u16;
                put(
                    buf,
                    x,
                    y,
                    &format!("({why})"),
                    usize::from(width),
                    app.theme.dim(),
                );
            }
            _ => {}
        }
    }
}

/// Draws a picture into `target`, its first `skip` rows cut off. Half-blocks are plain cells
/// and may be cut anywhere; a graphics protocol's picture shows only whole.
fn draw_clipped(picture: &Protocol, buf: &mut Buffer, target: Rect, skip: u16) {
    let size = picture.size();
    if let Protocol::Halfblocks(_) = picture {
        let whole = Rect::new(0, 0, size.width, size.height);
        let mut scratch = Buffer::empty(whole);
        Image::new(picture)
            .allow_clipping(true)
            .render(whole, &mut scratch);
        for row in 0..target.height {
            for col in 0..target.width.min(size.width) {
                let from = scratch.cell((col, row + skip));
                let to = buf.cell_mut((target.x + col, target.y + row));
                if let (Some(from), Some(to)) = (from, to) {
                    *to = from.clone();
                }
            }
        }
    } else if skip == 0 && target.height >= size.height {
        Image::new(picture).render(target, buf);
    }
}

/// A picture full-screen, centred, its caption and the way back on the last row.
pub(crate) fn render_full(
    app: &Screen<'_>,
    path: &std::path::Path,
    caption: &str,
    buf: &mut Buffer,
    area: Rect,
) {
    Clear.render(area, buf);
    let (cols, rows) = app.full_screen_cells(path);
    let key = (path.to_path_buf(), cols, rows);
    let room = Rect::new(area.x, area.y, area.width, area.height.saturating_sub(1));
    match app.pictures.get(&key) {
        Some(Slot::Ready(drawn)) => {
            let size = drawn.0.size();
            let x = room.x + room.width.saturating_sub(size.width) / 2;
            let y = room.y + room.height.saturating_sub(size.height) / 2;
            let target = Rect::new(
                x,
                y,
                size.width.min(room.width),
                size.height.min(room.height),
            );
            draw_clipped(&drawn.0, buf, target, 0);
        }
        Some(Slot::Failed(why)) => centred(
            buf,
            room,
            &format!("({why})"),
            room.height / 2,
            app.theme.dim(),
        ),
        _ => centred(buf, room, "Decoding…", room.height / 2, app.theme.dim()),
    }
    let back = app
        .config
        .keymap
        .key_for(crate::app::Context::Image, crate::app::Command::Back);
    let line = match back {
        Some(key) => format!("{caption}   {key} back to the text"),
        None => caption.to_owned(),
    };
    centred(
        buf,
        area,
        &line,
        area.height.saturating_sub(1),
        app.theme.dim(),
    );
}
