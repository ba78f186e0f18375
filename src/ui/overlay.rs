//! Boxes drawn over a screen: the help (from the keymap table), and the pickers: the panel of
//! links, the outline and the tags panel.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Clear, Widget};

use super::Screen;
use super::picker::Picker;
use super::{bars, put};
use crate::app::keymap::HelpRow;
use crate::app::{Context, TextPanel};
use crate::text::{display_width, sanitize_line, truncate};

/// A centred box of at most `width`×`height` inside `area`, cleared and framed.
fn framed(
    app: &Screen<'_>,
    buf: &mut Buffer,
    area: Rect,
    width: u16,
    height: u16,
    title: &str,
) -> Rect {
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

/// Help: every context's keys in force, `from`'s first, scrolled down `scroll` rows.
pub(crate) fn render_help(
    app: &Screen<'_>,
    from: Context,
    scroll: usize,
    buf: &mut Buffer,
    area: Rect,
) {
    let rows = app.config.keymap.help_rows(Some(from));
    let label_width = rows
        .iter()
        .map(|r| match r {
            HelpRow::Key(label, _) => display_width(label),
            HelpRow::Title(_) => 0,
        })
        .max()
        .unwrap_or(0);
    let desc_width = rows
        .iter()
        .map(|r| match r {
            HelpRow::Key(_, description) => display_width(description),
            HelpRow::Title(context) => display_width(context.title()),
        })
        .max()
        .unwrap_or(0);
    let hints = bars::hint_spans(app, Context::Help);
    let hints_width: usize = hints.iter().map(|h| display_width(&h.content)).sum();
    let width = (label_width + desc_width + 7).max(hints_width + 12) as u16;
    // Titles get a blank row above them, but the first.
    let height = (rows.len() * 2 + 3) as u16;
    let inner = framed(app, buf, area, width, height, "Keys");
    let room = usize::from(inner.width).saturating_sub(2);
    let fit = usize::from(inner.height.saturating_sub(1));
    // Lay out the rows with their blank lines, then show the slice scrolled to.
    let mut lines: Vec<Option<&HelpRow>> = Vec::new();
    for row in &rows {
        if matches!(row, HelpRow::Title(_)) && !lines.is_empty() {
            lines.push(None);
        }
        lines.push(Some(row));
    }
    let top = scroll.min(lines.len().saturating_sub(fit));
    let x = inner.x + 2;
    for (i, line) in lines.iter().skip(top).take(fit).enumerate() {
        let y = inner.y + i as u16;
        match line {
            None => {}
            Some(HelpRow::Title(context)) => {
                put(buf, x, y, context.title(), room, app.theme.title());
            }
            Some(HelpRow::Key(label, description)) => {
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
        }
    }
    let footer = Rect::new(
        inner.x + 1,
        inner.bottom().saturating_sub(1),
        inner.width.saturating_sub(2),
        1,
    );
    if inner.height >= 2 {
        let shown = (top + fit).min(lines.len());
        let more = if lines.len() > fit {
            format!("{shown}/{} ", lines.len())
        } else {
            String::new()
        };
        bars::split_row(buf, footer, &[Span::styled(more, app.theme.dim())], &hints);
    }
}

/// The panel of every link: number, text and the real URL; the picked one highlighted.
pub(crate) fn render_links(app: &Screen<'_>, selected: usize, buf: &mut Buffer, area: Rect) {
    let Some(reader) = &app.reader else {
        return;
    };
    let links = &reader.layout.links;
    let number_width = links.last().map_or(1, |l| l.number.to_string().len()) + 2;
    let max_width = area.width.saturating_sub(4).min(110);
    let room = usize::from(max_width).saturating_sub(4);
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
    let url_room = after_number.saturating_sub(text_room + 2);
    let rows: Vec<Line<'_>> = links
        .iter()
        .map(|link| {
            let number = format!("{:>w$}", format!("[{}]", link.number), w = number_width);
            let text = truncate(&sanitize_line(&link.text), text_room);
            let pad = " ".repeat(text_room.saturating_sub(display_width(&text)) + 2);
            Line::from(vec![
                Span::styled(number, app.theme.key()),
                Span::raw(" "),
                Span::styled(text, app.theme.normal()),
                Span::raw(pad),
                Span::styled(
                    truncate(&sanitize_line(&link.url), url_room),
                    app.theme.link_url(),
                ),
            ])
        })
        .collect();
    Picker {
        title: format!("Links · {}", links.len()),
        query: None,
        rows: rows.into_iter().map(Text::from).collect(),
        empty: "nothing matches",
        selected,
        hints: bars::hint_spans(app, Context::Links),
        max_width,
    }
    .render(app, buf, area);
}

/// The outline: the article's headings indented by level, filtered by `query`; the heading
/// the reader is in is marked.
pub(crate) fn render_outline(
    app: &Screen<'_>,
    query: &str,
    selected: usize,
    buf: &mut Buffer,
    area: Rect,
) -> Option<(u16, u16)> {
    let reader = app.reader.as_ref()?;
    let headings = &reader.layout.headings;
    let current = app.current_heading();
    let max_width = area.width.saturating_sub(4).min(90);
    let room = usize::from(max_width).saturating_sub(6);
    let top_level = headings.iter().map(|h| h.level).min().unwrap_or(1);
    let rows: Vec<Line<'_>> = app
        .outline(query)
        .into_iter()
        .filter_map(|i| {
            let heading = headings.get(i)?;
            let indent = usize::from(heading.level.saturating_sub(top_level)).min(5) * 2;
            let text = truncate(
                &sanitize_line(&heading.text),
                room.saturating_sub(indent + 2),
            );
            let here = if current == Some(i) { "▸ " } else { "  " };
            let mut spans = vec![
                Span::styled(here, app.theme.key()),
                Span::raw(" ".repeat(indent)),
            ];
            spans.extend(matched_spans(app, query, &text));
            Some(Line::from(spans))
        })
        .collect();
    Picker {
        title: format!("Outline · {}", headings.len()),
        query: Some(query),
        rows: rows.into_iter().map(Text::from).collect(),
        empty: "nothing matches",
        selected,
        hints: bars::hint_spans(app, Context::Outline),
        max_width: max_width.max(36),
    }
    .render(app, buf, area)
}

/// `text` with the characters `query` matches in the match style, in runs of one look.
fn matched_spans(app: &Screen<'_>, query: &str, text: &str) -> Vec<Span<'static>> {
    let positions = crate::search::positions(query, text);
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut run_matched = false;
    for (n, c) in text.chars().enumerate() {
        let matched = positions.contains(&(n as u32));
        if matched != run_matched && !run.is_empty() {
            spans.push(look(app, std::mem::take(&mut run), run_matched));
        }
        run_matched = matched;
        run.push(c);
    }
    if !run.is_empty() {
        spans.push(look(app, run, run_matched));
    }
    spans
}

fn look(app: &Screen<'_>, text: String, matched: bool) -> Span<'static> {
    let style = if matched {
        app.theme.matched()
    } else {
        app.theme.normal()
    };
    Span::styled(text, style)
}

/// The tags panel: every tag of the library matching `query` with its article count, most used
/// first; the tag the list is narrowed to is marked.
pub(crate) fn render_tags(
    app: &Screen<'_>,
    query: &str,
    selected: usize,
    buf: &mut Buffer,
    area: Rect,
) -> Option<(u16, u16)> {
    let tags = app.tags(query);
    let all = if query.trim().is_empty() {
        tags.len()
    } else {
        app.tags("").len()
    };
    let max_width = area.width.saturating_sub(4).min(60);
    let room = usize::from(max_width).saturating_sub(6);
    let count_width = tags
        .iter()
        .map(|t| t.count.to_string().len())
        .max()
        .unwrap_or(1);
    // Names then counts, as wide as the longest name needs (and the panel allows).
    let longest = tags
        .iter()
        .map(|t| display_width(&sanitize_line(&t.name)))
        .max()
        .unwrap_or(0);
    let room = room.min(longest + count_width + 6);
    let current = app.tag.as_deref().map(crate::search::tag_key);
    let rows: Vec<Line<'_>> = tags
        .iter()
        .map(|tag| {
            let name = truncate(
                &sanitize_line(&tag.name),
                room.saturating_sub(count_width + 4),
            );
            let here = if current.as_deref() == Some(&crate::search::tag_key(&tag.name)) {
                "▸ "
            } else {
                "  "
            };
            let mut spans = vec![Span::styled(here, app.theme.key())];
            spans.extend(matched_spans(app, query, &name));
            // The count against the right edge of the widest name.
            let gap = room
                .saturating_sub(count_width + 2)
                .saturating_sub(display_width(&name) + 2)
                .max(2);
            spans.push(Span::raw(" ".repeat(gap)));
            spans.push(Span::styled(
                format!("{:>count_width$}", tag.count),
                app.theme.dim(),
            ));
            Line::from(spans)
        })
        .collect();
    let title = if all == 0 {
        "Tags · none in this folder".to_owned()
    } else {
        format!("Tags · {all}")
    };
    Picker {
        title,
        query: Some(query),
        rows: rows.into_iter().map(Text::from).collect(),
        empty: "no tag matches",
        selected,
        hints: bars::hint_spans(app, Context::Tags),
        max_width: max_width.max(36),
    }
    .render(app, buf, area)
}

/// The full-text search: the query, then each article found as its title and path over a line
/// of its text with the matching words marked.
pub(crate) fn render_full_text(
    app: &Screen<'_>,
    panel: &TextPanel,
    buf: &mut Buffer,
    area: Rect,
) -> Option<(u16, u16)> {
    let max_width = area.width.saturating_sub(4).min(110);
    let room = usize::from(max_width).saturating_sub(6);
    let rows: Vec<Text<'_>> = panel
        .results
        .iter()
        .map(|found| {
            let path = truncate(&found.rel_path, room / 2);
            let title = truncate(
                &sanitize_line(&found.title),
                room.saturating_sub(display_width(&path) + 2).max(1),
            );
            let head = Line::from(vec![
                Span::styled(title, app.theme.title()),
                Span::raw("  "),
                Span::styled(path, app.theme.dim()),
            ]);
            Text::from(vec![head, snippet_line(app, found, room)])
        })
        .collect();
    let title = if panel.searching && !app.index_ready {
        "Search the text · reading the files…".to_owned()
    } else if panel.searching {
        "Search the text · searching…".to_owned()
    } else if panel.answered.is_empty() {
        "Search the text of every article".to_owned()
    } else {
        match panel.results.len() {
            n if n >= crate::app::TEXT_RESULTS => format!("Search the text · the best {n}"),
            1 => "Search the text · 1 article".to_owned(),
            n => format!("Search the text · {n} articles"),
        }
    };
    let empty = match &panel.error {
        Some(why) => why.as_str(),
        None if panel.query.trim().is_empty() => "every word must appear; \"a phrase\", prefix*",
        None if panel.searching => "",
        None => "no article holds every word",
    };
    Picker {
        title,
        query: Some(&panel.query),
        rows,
        empty,
        selected: panel.selected,
        hints: bars::hint_spans(app, Context::FullText),
        max_width: max_width.max(36),
    }
    .render(app, buf, area)
}

/// A result's snippet in `room` columns, its marks in the match style; a long one keeps its
/// first mark in view.
fn snippet_line<'a>(app: &Screen<'_>, found: &crate::app::TextResult, room: usize) -> Line<'a> {
    let chars: Vec<char> = sanitize_line(&found.snippet).chars().collect();
    let room = room.saturating_sub(2).max(1);
    let first = found.marks.first().map_or(0, |m| m.0).min(chars.len());
    // Start early enough that the first mark shows a little of what leads to it.
    let mut start = 0;
    while start < first && display_width(&chars[start..first].iter().collect::<String>()) > room / 3
    {
        start += 1;
    }
    let mut spans = vec![Span::raw("  ")];
    let mut used = 0;
    if start > 0 {
        spans.push(Span::styled("…", app.theme.dim()));
        used += 1;
    }
    let marked = |i: usize| found.marks.iter().any(|&(s, e)| (s..e).contains(&i));
    let mut run = String::new();
    let mut run_marked = false;
    for (i, &c) in chars.iter().enumerate().skip(start) {
        let width = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + width > room {
            break;
        }
        used += width;
        if marked(i) != run_marked && !run.is_empty() {
            let style = if run_marked {
                app.theme.matched()
            } else {
                app.theme.normal()
            };
            spans.push(Span::styled(std::mem::take(&mut run), style));
        }
        run_marked = marked(i);
        run.push(c);
    }
    if !run.is_empty() {
        let style = if run_marked {
            app.theme.matched()
        } else {
            app.theme.normal()
        };
        spans.push(Span::styled(run, style));
    }
    Line::from(spans)
}
