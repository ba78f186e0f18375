//! The picker: a framed panel over the screen with an optional filter line, a scrolling list
//! with one row selected, and key hints. The links panel and the outline are pickers.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{
    Block, Borders, Clear, HighlightSpacing, List, ListItem, ListState, StatefulWidget, Widget,
};

use super::Screen;
use super::bars;
use crate::text::{display_width, sanitize_line};

/// What a picker shows.
pub(crate) struct Picker<'a> {
    pub title: String,
    /// The filter being typed, when the picker has one.
    pub query: Option<&'a str>,
    /// One entry each; an entry may take several rows.
    pub rows: Vec<Text<'a>>,
    /// What the list says when it is empty.
    pub empty: &'a str,
    pub selected: usize,
    /// Key hints for its bottom row.
    pub hints: Vec<Span<'static>>,
    /// The widest the panel gets, in columns.
    pub max_width: u16,
}

impl Picker<'_> {
    /// Draws the picker centred in `area`. Returns where the filter's cursor is, if typing.
    pub(crate) fn render(
        self,
        app: &Screen<'_>,
        buf: &mut Buffer,
        area: Rect,
    ) -> Option<(u16, u16)> {
        let content = self
            .rows
            .iter()
            .map(Text::width)
            .max()
            .unwrap_or(0)
            .max(display_width(&self.title) + 4)
            .max(
                self.hints
                    .iter()
                    .map(|h| display_width(&h.content))
                    .sum::<usize>()
                    + 2,
            );
        let width = u16::try_from(content + 4)
            .unwrap_or(u16::MAX)
            .clamp(36, self.max_width.max(36))
            .min(area.width.saturating_sub(2))
            .max(4.min(area.width));
        let query_rows = u16::from(self.query.is_some());
        let entry_rows: usize = self.rows.iter().map(Text::height).sum();
        let wanted = u16::try_from(entry_rows)
            .unwrap_or(u16::MAX)
            .saturating_add(3 + query_rows)
            .max(5 + query_rows);
        let height = wanted
            .min(area.height.saturating_sub(1))
            .max(3.min(area.height));
        let x = area.x + (area.width - width) / 2;
        let y = area.y + (area.height.saturating_sub(1).saturating_sub(height)) / 2;
        let rect = Rect::new(x, y, width, height);
        Clear.render(rect, buf);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(app.theme.rule())
            .title(Span::styled(format!(" {} ", self.title), app.theme.title()));
        let inner = block.inner(rect);
        block.render(rect, buf);
        let [query_area, list_area, hint_area] = Layout::vertical([
            Constraint::Length(query_rows),
            Constraint::Min(0),
            Constraint::Length(1),
        ])
        .areas(inner);
        let mut cursor = None;
        if let Some(query) = self.query {
            let shown = sanitize_line(query);
            let line = Line::from(vec![
                Span::styled(" / ", app.theme.key()),
                Span::raw(shown.clone()),
            ]);
            buf.set_line(query_area.x, query_area.y, &line, query_area.width);
            let x = query_area.x + 3 + u16::try_from(display_width(&shown)).unwrap_or(0);
            if x < query_area.right() {
                cursor = Some((x, query_area.y));
            }
        }
        if self.rows.is_empty() {
            let line = Line::from(Span::styled(format!("  {}", self.empty), app.theme.dim()));
            buf.set_line(list_area.x, list_area.y, &line, list_area.width);
        } else {
            let list = List::new(self.rows.into_iter().map(ListItem::new))
                .highlight_style(app.theme.selected())
                .highlight_spacing(HighlightSpacing::Always)
                .highlight_symbol(" ");
            let mut state = ListState::default().with_selected(Some(self.selected));
            StatefulWidget::render(list, list_area, buf, &mut state);
        }
        let hint_row = Rect::new(
            hint_area.x + 1,
            hint_area.y,
            hint_area.width.saturating_sub(2),
            hint_area.height,
        );
        bars::split_row(buf, hint_row, &[], &self.hints);
        cursor
    }
}
