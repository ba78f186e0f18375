//! The one-line bars: the list's header, the search line and the footers with key hints.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::Screen;
use super::put;
use crate::app::{Command, Context};
use crate::text::{display_width, sanitize_line, truncate};

/// Draws `left` from the left edge and `right` against the right edge of a one-row `area`;
/// `right` wins when both do not fit, and `left` is cut with `…` two columns before it.
pub(crate) fn split_row(buf: &mut Buffer, area: Rect, left: &[Span<'_>], right: &[Span<'_>]) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let width = usize::from(area.width);
    let right_width: usize = right.iter().map(|s| display_width(&s.content)).sum();
    let right_width = if right_width + 1 >= width {
        0
    } else {
        right_width
    };
    if right_width > 0 {
        let x = area.x + (width - right_width) as u16;
        buf.set_line(x, area.y, &Line::from(right.to_vec()), right_width as u16);
    }
    // Two columns between the sides, so a cut title never runs into the hints.
    let room = width.saturating_sub(right_width + 2 * usize::from(right_width > 0));
    let mut x = area.x;
    let mut left_room = room;
    for span in left {
        if left_room == 0 {
            break;
        }
        let text = truncate(&span.content, left_room);
        let end = put(buf, x, area.y, &text, left_room, span.style);
        left_room = left_room.saturating_sub(usize::from(end - x));
        x = end;
    }
}

/// Key hints for `context` as spans: the key plain, its word dimmed.
pub(crate) fn hint_spans(app: &Screen<'_>, context: Context) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let finding = app.reader.as_ref().is_some_and(|r| r.find.is_some());
    let hints =
        app.config
            .keymap
            .hints(context)
            .into_iter()
            .filter(|(command, _, _)| match command {
                // Clearing only means something while a search or a tag narrows the list.
                Command::ClearSearch if context == Context::List => {
                    app.search.is_some() || app.tag.is_some()
                }
                // n and N only while something was found; then they matter more than finding anew.
                Command::FindNext | Command::FindPrev if context == Context::Reader => finding,
                Command::Search if context == Context::Reader => !finding,
                // Views need the memory.
                Command::CycleView => app.memory.is_some(),
                _ => true,
            });
    for (i, (_, key, word)) in hints.enumerate() {
        if i > 0 {
            spans.push(Span::raw("  "));
        }
        spans.push(Span::styled(key, app.theme.key()));
        spans.push(Span::styled(format!(" {word}"), app.theme.dim()));
    }
    spans
}

/// One part of the list header's right side, and how readily it gives way.
struct Part {
    text: String,
    /// Parts with a higher number go first when the row is short; 0 never goes.
    gives_way: u8,
}

/// The list's header, one layout for everything it can say: ` folio  FOLDER` on the left; on
/// the right the view, the tag, the position (`12/584 articles`), the unread count, the order
/// and the full-text index's progress. When the row is short the folder is cut first (down to a
/// few columns), then the index's progress goes, then the order, then the unread count; the
/// view, the tag and the position always show.
pub(crate) fn render_header(app: &Screen<'_>, buf: &mut Buffer, area: Rect) {
    let folder = sanitize_line(&app.library.root.display().to_string());
    let left = [
        Span::styled(" folio", app.theme.title()),
        Span::styled(format!("  {folder}"), app.theme.dim()),
    ];
    let mut parts = header_parts(app);
    // The folder keeps at least this many columns (with its `…`) before a part gives way.
    const FOLDER_MIN: usize = 12;
    let width = usize::from(area.width);
    let left_min = display_width(" folio  ") + FOLDER_MIN.min(display_width(&folder));
    let joined = |parts: &[Part]| {
        let texts: Vec<&str> = parts.iter().map(|p| p.text.as_str()).collect();
        format!("{} ", texts.join(" · "))
    };
    while display_width(&joined(&parts)) + 2 + left_min > width {
        let Some(weakest) = parts
            .iter()
            .enumerate()
            .filter(|(_, p)| p.gives_way > 0)
            .max_by_key(|(_, p)| p.gives_way)
            .map(|(i, _)| i)
        else {
            break;
        };
        parts.remove(weakest);
    }
    let right = [Span::styled(joined(&parts), app.theme.dim())];
    split_row(buf, area, &left, &right);
}

/// What the list header says on its right, in order.
fn header_parts(app: &Screen<'_>) -> Vec<Part> {
    let part = |text: String, gives_way| Part { text, gives_way };
    let count = app.library.articles.len();
    if app.loading {
        return vec![part(format!("reading… {}", app.loaded), 0)];
    }
    let mut parts = Vec::new();
    let view = app
        .memory
        .as_ref()
        .map_or(crate::app::View::All, |m| m.view);
    if view != crate::app::View::All {
        parts.push(part(view.title().to_owned(), 0));
    }
    if let Some(tag) = &app.tag {
        parts.push(part(format!("#{}", truncate(&sanitize_line(tag), 24)), 0));
    }
    let noun = if count == 1 { "article" } else { "articles" };
    let shown = app.visible_len();
    // Where the selection is among the articles shown.
    let position = if count == 0 {
        format!("{count} {noun}")
    } else if shown == count {
        format!("{}/{count} {noun}", app.list.selected + 1)
    } else if shown == 0 {
        format!("none of {count} {noun}")
    } else {
        format!("{}/{shown} of {count} {noun}", app.list.selected + 1)
    };
    parts.push(part(position, 0));
    if let Some(unread) = app.unread_count().filter(|_| count > 0) {
        parts.push(part(format!("{unread} unread"), 2));
    }
    if count > 1 {
        parts.push(part(app.sort.label().to_owned(), 3));
    }
    // The full-text index being built: passing news, the first to give way.
    if let Some((done, total)) = app.indexing.filter(|&(_, total)| total > 0) {
        parts.push(part(format!("indexing {done}/{total}"), 4));
    }
    parts
}

/// The search line: the query with a cursor and the match count. Returns the cursor position.
pub(crate) fn render_search(app: &Screen<'_>, buf: &mut Buffer, area: Rect) -> Option<(u16, u16)> {
    let search = app.search.as_ref()?;
    let query = sanitize_line(&search.query);
    let shown = app.visible_len();
    let total = app.library.articles.len();
    let right = [Span::styled(format!("{shown}/{total} "), app.theme.dim())];
    let room = usize::from(area.width).saturating_sub(display_width(&right[0].content) + 4);
    // Keep the end of a long query in view: that is where typing happens.
    let mut visible: String = query.clone();
    while display_width(&visible) > room && !visible.is_empty() {
        visible.remove(0);
    }
    let left = [
        Span::styled(" /", app.theme.key()),
        Span::raw(" "),
        Span::styled(visible.clone(), Style::default()),
    ];
    split_row(buf, area, &left, &right);
    let x = area.x + 3 + display_width(&visible) as u16;
    (search.editing && x < area.right()).then_some((x, area.y))
}

/// The list's footer: a message, the selected article's problem, or the key hints.
pub(crate) fn render_list_footer(app: &Screen<'_>, buf: &mut Buffer, area: Rect) {
    let context = app.context();
    let right = hint_spans(app, context);
    let left: Vec<Span<'_>> = if let Some(status) = &app.status {
        vec![Span::styled(format!(" {status}"), app.theme.message())]
    } else if let Some(problem) = app
        .selected_article()
        .and_then(|article| article.problems.first())
    {
        vec![Span::styled(
            format!(" ! {}", sanitize_line(problem)),
            app.theme.problem(),
        )]
    } else {
        Vec::new()
    };
    // A message matters more than hints: give it the row when both do not fit (with the two
    // columns between them and the space after the hints).
    let hints_width: usize = right.iter().map(|s| display_width(&s.content)).sum();
    let left_width: usize = left.iter().map(|s| display_width(&s.content)).sum();
    if !left.is_empty() && left_width + hints_width + 3 > usize::from(area.width) {
        split_row(buf, area, &left, &[]);
    } else {
        let mut right = right;
        right.push(Span::raw(" "));
        split_row(buf, area, &left, &right);
    }
}
