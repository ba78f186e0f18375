//! Boxes drawn over a screen: the help (from the keymap table) and the panel of links.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Clear, Widget};

use super::{bars, put};
use crate::app::{App, Context, keymap};
use crate::text::{display_width, sanitize_line, truncate};

/// A centred box of at most `width`×`height` inside `area`, cleared and framed.
fn framed(app: &App, buf: &mut Buffer, area: Rect, width: u16, height: u16, title: &str) -> Rect {
    let width = width
        .min(area.width.saturating_sub(2))
        .max(4.min(area.width));
    let height = height
        .min(area.height.saturating_sub(1))
        .max(3.min(area.height));
    let x = area.x + (area.width - width) / 2;
    let y = area.y + (area.height.saturating_sub(1) - height.min(area.height - 1)) / 2;
    let rect = Rect::new(x, y, width, height);
    Clear.render(rect, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.rule())
        .title(Span::styled(format!(" {title} "), app.theme.title()));
    let inner = block.inner(rect);
    block.render(rect, buf);
    inner
}

/// Help for `context`: its bindings; the ones that work everywhere go on its bottom line.
pub fn render_help(app: &App, context: Context, buf: &mut Buffer, area: Rect) {
    let rows: Vec<(&str, &str)> = keymap::bindings(context)
        .map(|b| (b.label, b.description))
        .collect();
    let label_width = rows.iter().map(|r| display_width(r.0)).max().unwrap_or(0);
    let desc_width = rows.iter().map(|r| display_width(r.1)).max().unwrap_or(0);
    let mut hints: Vec<Span<'_>> = Vec::new();
    for binding in keymap::bindings(Context::Global) {
        hints.push(Span::styled(binding.label, app.theme.key()));
        hints.push(Span::styled(
            format!(" {}  ", binding.description),
            app.theme.dim(),
        ));
    }
    hints.extend(bars::hint_spans(app, Context::Help));
    let hints_width: usize = hints.iter().map(|h| display_width(&h.content)).sum();
    let width = (label_width + desc_width + 7).max(hints_width + 7) as u16;
    let height = (rows.len() + 3) as u16;
    let title = format!("Keys · {}", context.title());
    let inner = framed(app, buf, area, width, height, &title);
    let room = usize::from(inner.width).saturating_sub(2);
    let fit = usize::from(inner.height.saturating_sub(1));
    for (i, (label, description)) in rows.iter().enumerate().take(fit) {
        let y = inner.y + i as u16;
        let x = inner.x + 2;
        if i + 1 == fit && fit < rows.len() {
            // Say that there is more rather than cut the list silently.
            put(
                buf,
                x,
                y,
                "… a taller terminal shows the rest",
                room,
                app.theme.dim(),
            );
            break;
        }
        put(buf, x, y, label, room, app.theme.key());
        let dx = (label_width + 2) as u16;
        if usize::from(dx) < room {
            let text = truncate(description, room - usize::from(dx));
            put(
                buf,
                x + dx,
                y,
                &text,
                room - usize::from(dx),
                app.theme.normal(),
            );
        }
    }
    let footer = Rect::new(
        inner.x + 1,
        inner.bottom().saturating_sub(1),
        inner.width.saturating_sub(2),
        1,
    );
    if inner.height >= 3 {
        bars::split_row(buf, footer, &[], &hints);
    }
}

/// The panel of every link: number, text and the real URL; the picked one highlighted.
pub fn render_links(app: &App, selected: usize, buf: &mut Buffer, area: Rect) {
    let Some(reader) = &app.reader else {
        return;
    };
    let links = &reader.layout.links;
    let number_width = links.last().map_or(1, |l| l.number.to_string().len()) + 2;
    let widest = |f: fn(&crate::markdown::LinkTarget) -> &str| {
        links.iter().map(|l| display_width(f(l))).max().unwrap_or(0)
    };
    let content = number_width + 1 + widest(|l| &l.text) + 2 + widest(|l| &l.url) + 4;
    let width = area
        .width
        .saturating_sub(4)
        .min(110)
        .min(u16::try_from(content.max(30)).unwrap_or(u16::MAX));
    let height = (links.len() + 4) as u16;
    let title = format!("Links · {}", links.len());
    let inner = framed(app, buf, area, width, height, &title);
    let rows = usize::from(inner.height.saturating_sub(2));
    if rows == 0 {
        return;
    }
    let offset = if selected < rows {
        0
    } else {
        selected + 1 - rows
    };
    let room = usize::from(inner.width).saturating_sub(2);
    let longest = links
        .iter()
        .map(|l| display_width(&l.text))
        .max()
        .unwrap_or(0);
    let longest_url = links
        .iter()
        .map(|l| display_width(&l.url))
        .max()
        .unwrap_or(0);
    // The text gets what the URLs leave, and at least two fifths when they are long.
    let after_number = room.saturating_sub(number_width + 1);
    let text_room = (after_number * 2 / 5)
        .max(after_number.saturating_sub(longest_url + 2))
        .min(longest);
    for (i, link) in links.iter().enumerate().skip(offset).take(rows) {
        let y = inner.y + (i - offset) as u16;
        let x = inner.x + 1;
        let row = Rect::new(inner.x, y, inner.width, 1);
        let number = format!("{:>w$}", format!("[{}]", link.number), w = number_width);
        let mut cx = put(buf, x, y, &number, room, app.theme.key());
        cx = put(buf, cx, y, " ", 1, app.theme.normal());
        let text = truncate(&sanitize_line(&link.text), text_room);
        let text_width = display_width(&text);
        put(buf, cx, y, &text, text_room, app.theme.normal());
        let url_x = cx + (text_room.max(text_width) + 2) as u16;
        let used = usize::from(url_x.saturating_sub(x));
        if used < room {
            let url = truncate(&sanitize_line(&link.url), room - used);
            put(buf, url_x, y, &url, room - used, app.theme.link_url());
        }
        if i == selected {
            buf.set_style(row, app.theme.selected());
        }
    }
    let hints = bars::hint_spans(app, Context::Links);
    let footer = Rect::new(
        inner.x + 1,
        inner.bottom().saturating_sub(1),
        inner.width.saturating_sub(2),
        1,
    );
    bars::split_row(buf, footer, &[], &hints);
}
