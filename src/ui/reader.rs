//! The reader: the visible slice of the article's cached layout, and its footer.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;

use super::Screen;
use super::{bars, put};
use crate::app::{Context, Find};
use crate::markdown::Layout;
use crate::text::sanitize_line;

/// Draws the reader; returns where the cursor goes while the find line takes typing.
pub(crate) fn render(app: &Screen<'_>, buf: &mut Buffer, area: Rect) -> Option<(u16, u16)> {
    let reader = app.reader.as_ref()?;
    let rows = app
        .reader_rows()
        .min(usize::from(area.height.saturating_sub(1)));
    let text = Rect::new(
        area.x + app.text_left(),
        area.y,
        (app.text_width() as u16).min(area.width),
        rows as u16,
    );
    let focused = reader.focused_link().map(|link| link.number);
    draw_lines(app, buf, text, &reader.layout, reader.top, focused);
    super::pictures::draw_in_text(app, buf, text, &reader.layout, reader.top);
    if let Some((row, start, end, _)) = reader.note_focus {
        if row >= reader.top && row < reader.top + usize::from(text.height) {
            let x = text.x + u16::try_from(start).unwrap_or(u16::MAX);
            let width = u16::try_from(end.saturating_sub(start)).unwrap_or(0);
            let cell =
                Rect::new(x, text.y + (row - reader.top) as u16, width, 1).intersection(text);
            buf.set_style(cell, app.theme.focused_link());
        }
    }
    if let Some(find) = &reader.find {
        mark_found(app, buf, text, reader.top, find);
    }
    let footer = Rect::new(area.x, area.bottom() - 1, area.width, 1);
    render_footer(app, buf, footer);
    let find = reader.find.as_ref().filter(|f| f.editing)?;
    let x = footer.x + 3 + crate::text::display_width(&sanitize_line(&find.query)) as u16;
    (x < footer.right()).then_some((x, footer.y))
}

/// Marks the places found on the visible rows; the current one reversed.
fn mark_found(app: &Screen<'_>, buf: &mut Buffer, area: Rect, top: usize, find: &Find) {
    let bottom = top + usize::from(area.height);
    // Hits are in reading order: start at the first on screen.
    // A place starts at most a few rows above the one it ends on.
    let first = find
        .hits
        .partition_point(|hit| hit.parts.last().is_some_and(|p| p.0 < top));
    for (i, hit) in find.hits.iter().enumerate().skip(first) {
        if hit.row() >= bottom {
            break;
        }
        let style = if find.current == Some(i) {
            app.theme.focused_link()
        } else {
            app.theme.matched()
        };
        for &(row, start, end) in &hit.parts {
            if row < top || row >= bottom {
                continue;
            }
            let x = area.x + u16::try_from(start).unwrap_or(u16::MAX);
            let width = u16::try_from(end.saturating_sub(start)).unwrap_or(0);
            let cell = Rect::new(x, area.y + (row - top) as u16, width, 1).intersection(area);
            buf.set_style(cell, style);
        }
    }
}

/// Draws `layout.lines` from row `top` into `area`, one row each; the focused link reversed.
pub(crate) fn draw_lines(
    app: &Screen<'_>,
    buf: &mut Buffer,
    area: Rect,
    layout: &Layout,
    top: usize,
    focused: Option<usize>,
) {
    let end = (top + usize::from(area.height)).min(layout.lines.len());
    let width = usize::from(area.width);
    for (i, line) in layout.lines.range(top.min(end)..end).enumerate() {
        let y = area.y + i as u16;
        let mut x = area.x;
        let mut room = width;
        for span in line.spans() {
            if room == 0 {
                break;
            }
            let mut style = app.theme.text(&span.style);
            if span.link.is_some() && span.link == focused {
                style = style.patch(app.theme.focused_link());
            }
            let end = put(buf, x, y, span.text, room, style);
            room = room.saturating_sub(usize::from(end - x));
            x = end;
        }
    }
}

/// Where in the article the screen is, as a percentage (or `all` when it fits; `…` while the
/// rest of a big article is still being read or laid out, when the end is not known).
pub(crate) fn position(app: &Screen<'_>) -> String {
    let Some(reader) = &app.reader else {
        return String::new();
    };
    if reader.rest.is_some() || reader.window.is_some() {
        return "…".into();
    }
    let rows = app.reader_rows();
    let total = reader.layout.lines.len();
    if total <= rows {
        return "all".into();
    }
    let max = total - rows;
    format!("{}%", reader.top.min(max) * 100 / max)
}

/// The reader's footer: a message, a link number being typed, the focused link's real URL,
/// or the title; then the hints and the position.
fn render_footer(app: &Screen<'_>, buf: &mut Buffer, area: Rect) {
    let Some(reader) = &app.reader else {
        return;
    };
    let theme = &app.theme;
    let find_count = reader
        .find
        .as_ref()
        .map(|find| match (find.current, find.hits.len()) {
            _ if find.query.trim().is_empty() => String::new(),
            (_, 0) => "  not found".to_owned(),
            (Some(i), n) => format!("  {}/{n}", i + 1),
            (None, n) => format!("  {n} found"),
        });
    let left: Vec<Span<'_>> = if let (Some(find), Some(count)) = (&reader.find, find_count) {
        vec![
            Span::styled(" /", theme.key()),
            Span::raw(format!(" {}", sanitize_line(&find.query))),
            Span::styled(count, theme.dim()),
        ]
    } else if let Some(status) = &app.status {
        vec![Span::styled(format!(" {status}"), theme.message())]
    } else if !reader.number.is_empty() {
        vec![
            Span::styled(" open link ", theme.dim()),
            Span::styled(format!("[{}]", reader.number), theme.key()),
            Span::styled("  Enter opens, Esc cancels", theme.dim()),
        ]
    } else if let Some((_, _, _, number)) = reader.note_focus {
        vec![
            Span::styled(format!(" note {number}"), theme.key()),
            Span::styled("  Enter goes to it, Back returns", theme.dim()),
        ]
    } else if let Some(link) = match &app.overlay {
        // The links panel: the picked link's whole target, as Tab shows the focused one.
        Some(crate::app::Overlay::Links { selected }) => reader.layout.links.get(*selected),
        _ => reader.focused_link(),
    } {
        vec![
            Span::styled(format!(" [{}] ", link.number), theme.key()),
            Span::styled(sanitize_line(&link.url), theme.link_url()),
        ]
    } else {
        // The section the top row is in (what matters most, so first), then the title.
        let title = crate::markdown::inline::plain(&reader.article.meta.title);
        let section = app
            .current_heading()
            .and_then(|i| reader.layout.headings.get(i))
            .map(|h| sanitize_line(&h.text))
            .filter(|text| *text != title);
        match section {
            Some(section) => vec![
                Span::styled(format!(" § {section}"), theme.normal()),
                Span::styled(format!(" · {title}"), theme.dim()),
            ],
            None => vec![Span::styled(format!(" {title}"), theme.dim())],
        }
    };
    let mut right = if reader.find.as_ref().is_some_and(|f| f.editing) {
        bars::hint_spans(app, Context::Find)
    } else if app.status.is_some()
        || reader.focus.is_some()
        || reader.note_focus.is_some()
        || matches!(app.overlay, Some(crate::app::Overlay::Links { .. }))
    {
        Vec::new()
    } else {
        bars::hint_spans(app, Context::Reader)
    };
    right.push(Span::styled(
        format!("  {:>4} ", position(app)),
        theme.key(),
    ));
    // The hints give way when little room would be left for the title, message or URL.
    let right_width: usize = right
        .iter()
        .map(|s| crate::text::display_width(&s.content))
        .sum();
    if right_width + 24 > usize::from(area.width) && right.len() > 1 {
        right.drain(..right.len() - 1);
    }
    bars::split_row(buf, area, &left, &right);
}
