//! The list screen: header, the visible slice of articles, the search line, preview and footer.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Span;

use super::Screen;
use super::{bars, put, reader};
use crate::app::ROWS_PER_ITEM;
use crate::library::Article;
use crate::markdown::inline::{self, Run};
use crate::search;
use crate::text::{display_width, sanitize_line, truncate};
use crate::theme::Meaning;

/// Columns before a title: the selection bar, the problem mark, a space.
const GUTTER: u16 = 3;
/// Below this many columns of text the list leaves out dates and tags.
const NARROW: usize = 44;

pub(crate) fn render(app: &Screen<'_>, frame: &mut Frame<'_>) {
    let area = frame.area();
    let buf = frame.buffer_mut();
    let header = Rect::new(area.x, area.y, area.width, 1);
    let footer = Rect::new(area.x, area.bottom() - 1, area.width, 1);
    let search_rows = u16::from(app.search.is_some());
    let body_height = area.height.saturating_sub(2 + search_rows);
    let (list_width, preview_width) = app.list_split();
    let list_width = list_width.min(area.width);
    let list_area = Rect::new(area.x, area.y + 1, list_width, body_height);

    bars::render_header(app, buf, header);
    render_items(app, buf, list_area);
    if let Some(width) = preview_width {
        let preview = Rect::new(area.x + list_width, area.y + 1, width, body_height);
        render_preview(app, buf, preview);
    }
    let mut cursor = None;
    if search_rows > 0 {
        let line = Rect::new(area.x, area.bottom() - 2, area.width, 1);
        cursor = bars::render_search(app, buf, line);
    }
    bars::render_list_footer(app, buf, footer);
    if let Some(position) = cursor {
        frame.set_cursor_position(position);
    }
}

fn render_items(app: &Screen<'_>, buf: &mut Buffer, area: Rect) {
    if area.height == 0 {
        return;
    }
    if app.visible_len() == 0 {
        let message = match &app.search {
            _ if app.loading => format!(
                "Reading the articles in {}…",
                sanitize_line(&app.library.root.display().to_string())
            ),
            Some(search) if !app.library.articles.is_empty() && search.matches.is_some() => {
                format!("No titles match “{}”.", sanitize_line(&search.query))
            }
            _ if !app.library.articles.is_empty() => {
                let view = app
                    .memory
                    .as_ref()
                    .map_or(crate::app::View::All, |m| m.view);
                format!("Nothing in the view “{}”; v shows the next.", view.title())
            }
            _ => format!(
                "No articles in {}.",
                sanitize_line(&app.library.root.display().to_string())
            ),
        };
        let text = truncate(&message, usize::from(area.width).saturating_sub(2));
        super::centred(buf, area, &text, area.height / 3, app.theme.dim());
        return;
    }
    let items = usize::from(area.height) / ROWS_PER_ITEM;
    for slot in 0..items {
        let index = app.list.offset + slot;
        let Some(article) = app.visible(index) else {
            break;
        };
        // Highlights only for the rows on screen.
        let positions = app
            .highlight_query()
            .map(|query| search::positions(query, &inline::plain(&article.meta.title)))
            .unwrap_or_default();
        let y = area.y + (slot * ROWS_PER_ITEM) as u16;
        let row = Rect::new(area.x, y, area.width, ROWS_PER_ITEM as u16);
        let title = Title {
            text: &article.meta.title,
            positions: &positions,
            hint: app.visible_hint(index),
        };
        render_item(app, buf, row, article, &title, index == app.list.selected);
    }
}

/// A list item's title: its text, the characters a search matched, and what tells it apart
/// from others with the same title.
struct Title<'a> {
    text: &'a str,
    positions: &'a [u32],
    hint: Option<&'a str>,
}

fn render_item(
    app: &Screen<'_>,
    buf: &mut Buffer,
    area: Rect,
    article: &Article,
    title: &Title<'_>,
    selected: bool,
) {
    let theme = &app.theme;
    let width = usize::from(area.width);
    if selected {
        for dy in 0..area.height {
            put(buf, area.x, area.y + dy, "▌", 1, theme.selection_bar());
        }
    }
    let mark = app.mark(article);
    let remembering = app.memory.as_ref().is_some_and(|m| m.loaded);
    if !article.problems.is_empty() {
        put(buf, area.x + 1, area.y, "!", 1, theme.problem());
    } else if remembering && mark.is_none_or(|m| !m.read && m.progress == 0.0) {
        // Unread and never started.
        put(buf, area.x + 1, area.y, "•", 1, theme.key());
    }
    let text_x = area.x + GUTTER;
    let room = width.saturating_sub(usize::from(GUTTER) + 1);

    // First row: the title; against the right edge the marks, then the date.
    let mut date = article.meta.date.map(|d| d.to_string()).unwrap_or_default();
    {
        let mut marks = Vec::new();
        if let Some(mark) = mark {
            if mark.new {
                marks.push("new".to_owned());
            }
            if mark.started() {
                marks.push(format!("{:.0}%", (mark.progress * 100.0).floor()));
            }
            if mark.saved {
                marks.push("★".to_owned());
            }
        }
        if article.meta.minutes > 0 {
            marks.push(format!("{} min", article.meta.minutes));
        }
        if !marks.is_empty() {
            marks.push(date);
            date = marks.join("  ").trim_end().to_owned();
        }
    }
    let date_width = display_width(&date);
    // On a narrow list the title and description matter more than the date and tags.
    let narrow = room < NARROW;
    let title_room = if date_width > 0 && !narrow {
        room - date_width - 2
    } else {
        room
    };
    let title_style = match (selected, mark.is_some_and(|m| m.read)) {
        (true, _) => theme.selected_title(),
        // Read articles step back.
        (false, true) => theme.dim(),
        (false, false) => theme.title(),
    };
    // The title gives way to its folder, which is what tells it apart, up to half the room.
    let hint = title
        .hint
        .map(|hint| truncate(&format!("({})", sanitize_line(hint)), title_room / 2))
        .filter(|hint| !hint.is_empty());
    let hint_room = hint.as_deref().map_or(0, |h| display_width(h) + 1);
    let end = render_title(
        buf,
        text_x,
        area.y,
        &inline::runs(title.text),
        title.positions,
        title_room.saturating_sub(hint_room),
        (title_style, theme.matched(), theme.get(Meaning::InlineCode)),
    );
    if let Some(hint) = &hint {
        put(buf, end + 1, area.y, hint, hint_room - 1, theme.dim());
    }
    if title_room < room {
        let x = area.x + (width - 1 - date_width) as u16;
        put(buf, x, area.y, &date, date_width, theme.dim());
    }

    // Second row: the description dimmed, the tags against the right edge.
    if area.height < 2 {
        return;
    }
    let tags = if narrow {
        String::new()
    } else {
        whole_tags(&article.meta.tags, room / 3)
    };
    let tags_width = display_width(&tags);
    let description_room = if tags_width > 0 {
        room.saturating_sub(tags_width + 2)
    } else {
        room
    };
    // The description; without one, who wrote it and how it begins.
    let second = match (&article.meta.description, article.meta.blurb()) {
        (Some(description), _) => Some(description.clone()),
        (None, Some(summary)) if !article.meta.authors.is_empty() => {
            Some(format!("{} — {summary}", article.meta.authors.join(", ")))
        }
        (None, summary) => summary.map(str::to_owned),
    };
    if let Some(description) = &second {
        let text = truncate(&inline::plain(description), description_room);
        put(
            buf,
            text_x,
            area.y + 1,
            &text,
            description_room,
            theme.dim(),
        );
    }
    if tags_width > 0 {
        let x = area.x + (width - 1 - tags_width) as u16;
        put(buf, x, area.y + 1, &tags, tags_width, theme.tag());
    }
}

/// A title in its runs' looks (inline code, emphasis), the characters at `positions` (char
/// indices into its plain text) in the match style; `looks` is (title, matched, inline code).
/// Returns the column after it.
fn render_title(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    runs: &[Run],
    positions: &[u32],
    room: usize,
    looks: (Style, Style, Style),
) -> u16 {
    let (style, matched, code) = looks;
    // Each character's look, in the order of the plain text.
    let mut char_styles: Vec<Style> = Vec::new();
    let mut plain = String::new();
    for run in runs {
        let mut look = style;
        if run.code {
            look = look.patch(code);
        }
        if run.emphasis {
            look = look.add_modifier(Modifier::ITALIC);
        }
        if run.strong {
            look = look.add_modifier(Modifier::BOLD);
        }
        if run.struck {
            look = look.add_modifier(Modifier::CROSSED_OUT);
        }
        for c in run.text.chars() {
            let n = char_styles.len() as u32;
            char_styles.push(if positions.contains(&n) {
                look.patch(matched)
            } else {
                look
            });
            plain.push(c);
        }
    }
    let text = truncate(&plain, room);
    let mut spans: Vec<Span<'_>> = Vec::new();
    let mut run = String::new();
    let mut run_style = style;
    for (i, c) in text.chars().enumerate() {
        // The `…` of a cut title takes the plain look.
        let look = char_styles.get(i).copied().unwrap_or(style);
        if look != run_style && !run.is_empty() {
            spans.push(Span::styled(std::mem::take(&mut run), run_style));
        }
        run_style = look;
        run.push(c);
    }
    if !run.is_empty() {
        spans.push(Span::styled(run, run_style));
    }
    let mut cx = x;
    let mut left = room;
    for span in spans {
        let end = put(buf, cx, y, &span.content, left, span.style);
        left = left.saturating_sub(usize::from(end - cx));
        cx = end;
    }
    cx
}

/// The preview pane: the selected article's header and first lines, or its title while loading.
fn render_preview(app: &Screen<'_>, buf: &mut Buffer, area: Rect) {
    if area.width < 6 || area.height == 0 {
        return;
    }
    for dy in 0..area.height {
        put(buf, area.x, area.y + dy, "│", 1, app.theme.rule());
    }
    let inner = Rect::new(
        area.x + 3,
        area.y + 1,
        area.width.saturating_sub(5),
        area.height.saturating_sub(1),
    );
    match app.preview() {
        Some(layout) => reader::draw_lines(app, buf, inner, layout, 0, None),
        None => {
            if let Some(article) = app.selected_article() {
                let title = truncate(
                    &inline::plain(&article.meta.title),
                    usize::from(inner.width),
                );
                put(
                    buf,
                    inner.x,
                    inner.y,
                    &title,
                    usize::from(inner.width),
                    app.theme.title(),
                );
                put(buf, inner.x, inner.y + 2, "…", 1, app.theme.dim());
            }
        }
    }
}

/// As many whole tags (`#a #b`) as fit in `room` columns; a lone long tag is cut.
fn whole_tags(tags: &[String], room: usize) -> String {
    let mut out = String::new();
    for tag in tags {
        let tag = format!("#{}", sanitize_line(tag));
        let extra = display_width(&tag) + usize::from(!out.is_empty());
        if display_width(&out) + extra > room {
            if out.is_empty() {
                out = truncate(&tag, room);
            }
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&tag);
    }
    out
}
