//! `App::update`: the only place state changes. Pure: no I/O, no terminal, no clock.

use std::path::PathBuf;

use super::{
    Action, App, Content, Context, Effect, Find, Overlay, Reader, Screen, SearchState, preview_part,
};
use crate::library::{Article, Body};
use crate::links::{Target, classify};
use crate::markdown::{self, Layout};
use crate::text::shown;

impl App {
    /// Applies one action; returns the I/O the run loop should perform, if any.
    pub fn update(&mut self, action: Action) -> Option<Effect> {
        match action {
            Action::ForceQuit => return Some(Effect::Quit),
            Action::Suspend => return Some(Effect::Suspend),
            Action::Resize(width, height) => return self.resize(width, height),
            Action::LibraryLoaded(result) => return self.library_loaded(result),
            Action::LoadProgress(count) => {
                self.loaded = count;
                return None;
            }
            Action::Notify(message) => {
                self.status = Some(message);
                return None;
            }
            Action::ArticleLoaded {
                path,
                anchor,
                result,
            } => return self.article_loaded(path, anchor, result),
            Action::PreviewLoaded { path, result } => {
                self.preview_loaded(path, result);
                return None;
            }
            _ => {}
        }
        // A key was pressed: the last message has been seen.
        self.status = None;
        if let Action::Help = action {
            self.overlay = match self.overlay {
                Some(Overlay::Help(_)) => None,
                _ => Some(Overlay::Help(self.context())),
            };
            return None;
        }
        match self.context() {
            Context::Help => {
                if let Action::Back = action {
                    self.overlay = None;
                }
                None
            }
            Context::Links => self.links_panel(action),
            Context::List | Context::Search | Context::Global => self.list_action(action),
            Context::Reader => self.reader_action(action),
            Context::Find => self.find_action(action),
        }
    }

    fn library_loaded(
        &mut self,
        result: Result<crate::library::Library, String>,
    ) -> Option<Effect> {
        self.loading = false;
        match result {
            Ok(library) => {
                self.library = library;
                self.searcher = None;
                self.list = super::ListState::default();
                if self.search.is_some() {
                    self.refilter();
                }
                self.move_selection(0);
                self.want_preview()
            }
            Err(message) => {
                self.status = Some(shown(&message, 200));
                None
            }
        }
    }

    fn resize(&mut self, width: u16, height: u16) -> Option<Effect> {
        self.size = (width, height);
        let text_width = self.text_width();
        let rows = self.reader_rows();
        if let Some(reader) = &mut self.reader {
            reader.relayout(text_width);
            clamp_top(reader, rows);
        }
        self.move_selection(0);
        self.want_preview()
    }

    // ----- the list and the search line -----

    fn list_action(&mut self, action: Action) -> Option<Effect> {
        let page = self.list_page() as isize;
        match action {
            Action::Down => self.move_selection(1),
            Action::Up => self.move_selection(-1),
            Action::PageDown => self.move_selection(page),
            Action::PageUp => self.move_selection(-page),
            Action::HalfPageDown => self.move_selection((page / 2).max(1)),
            Action::HalfPageUp => self.move_selection(-(page / 2).max(1)),
            Action::Top => self.move_selection(isize::MIN / 2),
            Action::Bottom => self.move_selection(isize::MAX / 2),
            Action::Scroll(rows) => self.move_selection(rows.signum() as isize),
            Action::Click { row, .. } => {
                // Row 0 is the header; each article takes ROWS_PER_ITEM rows below it.
                let slot = usize::from(row).checked_sub(1)?;
                if slot >= self.list_rows() {
                    return None;
                }
                let index = self.list.offset + slot / super::ROWS_PER_ITEM;
                if index >= self.visible_len() {
                    return None;
                }
                if index == self.list.selected {
                    // A second click on the selected article reads it.
                    return self.list_action(Action::Open);
                }
                self.list.selected = index;
                self.move_selection(0);
            }
            Action::Open => {
                let article = self.selected_article()?.path.clone();
                if let Some(search) = &mut self.search {
                    search.editing = false;
                }
                return Some(Effect::LoadArticle {
                    path: article,
                    anchor: None,
                });
            }
            Action::Quit => return Some(Effect::Quit),
            Action::SearchStart => match &mut self.search {
                Some(search) => search.editing = true,
                None => {
                    self.search = Some(SearchState {
                        editing: true,
                        ..SearchState::default()
                    });
                    self.move_selection(0);
                }
            },
            Action::SearchInput(c) => {
                if let Some(search) = &mut self.search {
                    // A paste of thousands of characters re-filtered per character froze the
                    // reader for seconds; no title search needs more than this.
                    if !c.is_control() && search.query.len() < super::QUERY_MAX_BYTES {
                        search.query.push(c);
                        self.refilter();
                    }
                }
            }
            Action::SearchBackspace => {
                if let Some(search) = &mut self.search {
                    search.query.pop();
                    self.refilter();
                }
            }
            Action::SearchClearLine => {
                if let Some(search) = &mut self.search {
                    search.query.clear();
                    self.refilter();
                }
            }
            Action::SearchCancel => {
                if self.search.is_some() {
                    // Stay on the article that was selected among the matches.
                    let keep = self.library_index(self.list.selected);
                    self.search = None;
                    self.list.selected = keep.unwrap_or(0);
                    self.move_selection(0);
                }
            }
            _ => return None,
        }
        self.want_preview()
    }

    fn refilter(&mut self) {
        let Some(query) = self.search.as_ref().map(|s| s.query.clone()) else {
            return;
        };
        let matches = if query.trim().is_empty() {
            None
        } else {
            let library = &self.library;
            let searcher = self.searcher.get_or_insert_with(|| {
                let titles: Vec<&str> = library
                    .articles
                    .iter()
                    .map(|a| a.meta.title.as_str())
                    .collect();
                crate::search::Searcher::new(&titles)
            });
            Some(searcher.filter(&query))
        };
        if let Some(search) = &mut self.search {
            search.matches = matches;
        }
        // Best match first, and the list from its top.
        self.list.selected = 0;
        self.list.offset = 0;
        self.move_selection(0);
    }

    /// Moves the selection by `delta` items and keeps it on screen.
    pub(crate) fn move_selection(&mut self, delta: isize) {
        let len = self.visible_len();
        if len == 0 {
            self.list.selected = 0;
            self.list.offset = 0;
            return;
        }
        let target = (self.list.selected as isize).saturating_add(delta);
        self.list.selected = target.clamp(0, len as isize - 1) as usize;
        let page = self.list_page();
        if self.list.selected < self.list.offset {
            self.list.offset = self.list.selected;
        } else if self.list.selected >= self.list.offset + page {
            self.list.offset = self.list.selected + 1 - page;
        }
        self.list.offset = self.list.offset.min(len.saturating_sub(page));
    }

    /// Asks for the selected article's preview when one shows and is not cached.
    fn want_preview(&self) -> Option<Effect> {
        if self.screen != Screen::List || self.too_small() {
            return None;
        }
        let width = self.preview_width()?;
        let article = self.selected_article()?;
        let key = (article.path.clone(), width);
        (!self.previews.contains_key(&key)).then_some(Effect::LoadPreview(key.0))
    }

    fn preview_loaded(&mut self, path: PathBuf, result: Result<(Article, Body), String>) {
        let Some(width) = self.preview_width() else {
            return;
        };
        let layout = match result {
            Ok((article, body)) => {
                let doc =
                    markdown::parse::parse_article(&article.meta, preview_part(&body.markdown));
                markdown::layout(&doc, width)
            }
            Err(message) => message_layout(&message, width),
        };
        self.cap_previews();
        self.previews.insert((path, width), layout);
    }

    // ----- the reader -----

    fn article_loaded(
        &mut self,
        path: PathBuf,
        anchor: Option<String>,
        result: Result<(Article, Body), String>,
    ) -> Option<Effect> {
        let (article, body) = match result {
            Ok(loaded) => loaded,
            Err(message) => {
                self.status = Some(shown(&message, 200));
                return None;
            }
        };
        let doc = markdown::parse::parse_article(&article.meta, &body.markdown);
        let layout = markdown::layout(&doc, self.text_width());
        let problem = article
            .problems
            .iter()
            .chain(&body.problems)
            .next()
            .map(|p| shown(p, 200));
        let mut reader = Reader {
            path,
            article,
            content: Content::Markdown(doc),
            layout,
            top: 0,
            focus: None,
            number: String::new(),
            find: None,
        };
        match (self.screen, self.reader.take()) {
            (Screen::Reader, Some(previous)) => {
                if self.history.len() >= super::HISTORY_LIMIT {
                    self.history.remove(0);
                }
                self.history.push(previous);
            }
            _ => self.history.clear(),
        }
        if let Some(anchor) = anchor {
            if let Err(message) = jump_to_anchor(&mut reader, &anchor) {
                self.status = Some(message);
            }
        }
        clamp_top(&mut reader, self.reader_rows());
        self.reader = Some(reader);
        self.screen = Screen::Reader;
        self.overlay = None;
        if let Some(problem) = problem {
            self.status.get_or_insert(problem);
        }
        None
    }

    fn reader_action(&mut self, action: Action) -> Option<Effect> {
        let rows = self.reader_rows();
        let page = rows.saturating_sub(1).max(1) as isize;
        let half = (rows / 2).max(1) as isize;
        let text_left = usize::from(self.text_left());
        let reader = self.reader.as_mut()?;
        match action {
            Action::Down => scroll(reader, 1, rows),
            Action::Up => scroll(reader, -1, rows),
            Action::PageDown => scroll(reader, page, rows),
            Action::PageUp => scroll(reader, -page, rows),
            Action::HalfPageDown => scroll(reader, half, rows),
            Action::HalfPageUp => scroll(reader, -half, rows),
            Action::Top => scroll(reader, isize::MIN / 2, rows),
            Action::Bottom => scroll(reader, isize::MAX / 2, rows),
            Action::Scroll(n) => scroll(reader, n as isize, rows),
            Action::Click { column, row } => {
                let (column, row) = (usize::from(column), usize::from(row));
                if row >= rows || column < text_left {
                    return None;
                }
                let number = reader
                    .layout
                    .link_at(reader.top + row, column - text_left)?;
                let index = reader
                    .layout
                    .links
                    .iter()
                    .position(|l| l.number == number)?;
                reader.focus = Some(index);
                let url = reader.layout.links[index].url.clone();
                return self.follow(&url);
            }
            Action::SearchStart => match &mut reader.find {
                Some(find) => find.editing = true,
                None => {
                    reader.find = Some(Find {
                        editing: true,
                        ..Find::default()
                    })
                }
            },
            Action::FindNext | Action::FindPrev if reader.find.is_none() => {
                self.status = Some("/ finds text in the article; then n and N move.".into());
            }
            Action::FindNext => step_find(reader, 1, rows),
            Action::FindPrev => step_find(reader, -1, rows),
            Action::NextLink => focus_link(reader, true, rows),
            Action::PrevLink => focus_link(reader, false, rows),
            Action::LinkDigit(d) if reader.number.len() < 6 => {
                reader.number.push(char::from(b'0' + d.min(9)));
            }
            Action::Open => {
                if !reader.number.is_empty() {
                    let number: usize = reader.number.parse().unwrap_or(0);
                    reader.number.clear();
                    let url = reader
                        .layout
                        .links
                        .iter()
                        .find(|l| l.number == number)
                        .map(|l| l.url.clone());
                    return match url {
                        Some(url) => self.follow(&url),
                        None => {
                            self.status = Some(format!("There is no link [{number}]."));
                            None
                        }
                    };
                }
                return match reader.focused_link().map(|l| l.url.clone()) {
                    Some(url) => self.follow(&url),
                    None => {
                        self.status =
                            Some("Tab focuses a link; or type its number, then Enter.".into());
                        None
                    }
                };
            }
            Action::LinkPanel => {
                if reader.layout.links.is_empty() {
                    self.status = Some("This article has no links.".into());
                } else {
                    let selected = reader.focus.or_else(|| first_visible_link(reader, rows));
                    self.overlay = Some(Overlay::Links {
                        selected: selected.unwrap_or(0),
                    });
                }
            }
            Action::OpenSource => {
                return match reader.article.meta.source.clone() {
                    Some(source) => self.follow(&source),
                    None => {
                        let hint = if reader.layout.links.is_empty() {
                            "This article has no source link."
                        } else {
                            "No source for this article; Tab or L shows its links."
                        };
                        self.status = Some(hint.into());
                        None
                    }
                };
            }
            Action::Back => {
                if !reader.number.is_empty() {
                    reader.number.clear();
                    return None;
                }
                if reader.find.take().is_some() {
                    // The first Back takes away the marks of a find.
                    return None;
                }
                return self.go_back();
            }
            _ => {}
        }
        None
    }

    /// Keys while the reader's find line takes typing.
    fn find_action(&mut self, action: Action) -> Option<Effect> {
        let rows = self.reader_rows();
        let reader = self.reader.as_mut()?;
        let find = reader.find.as_mut()?;
        match action {
            Action::SearchInput(c) if !c.is_control() => {
                find.query.push(c);
                refind(reader, rows);
            }
            Action::SearchBackspace => {
                find.query.pop();
                refind(reader, rows);
            }
            Action::SearchClearLine => {
                find.query.clear();
                refind(reader, rows);
            }
            Action::FindNext => step_find(reader, 1, rows),
            Action::FindPrev => step_find(reader, -1, rows),
            Action::Open => {
                find.editing = false;
                if find.query.trim().is_empty() {
                    reader.find = None;
                }
            }
            Action::SearchCancel => reader.find = None,
            _ => {}
        }
        None
    }

    fn go_back(&mut self) -> Option<Effect> {
        if let Some(mut previous) = self.history.pop() {
            previous.relayout(self.text_width());
            clamp_top(&mut previous, self.reader_rows());
            self.reader = Some(previous);
            return None;
        }
        self.reader = None;
        self.screen = Screen::List;
        self.move_selection(0);
        self.want_preview()
    }

    /// Follows a link of the article being read: browser, heading, article, or a refusal.
    fn follow(&mut self, url: &str) -> Option<Effect> {
        let current = self.reader.as_ref()?.path.clone();
        match classify(url, &current, self.library_dir()) {
            Target::Web(url) => Some(Effect::OpenUrl(url)),
            Target::Anchor(anchor) => {
                let rows = self.reader_rows();
                let reader = self.reader.as_mut()?;
                if let Err(message) = jump_to_anchor(reader, &anchor) {
                    self.status = Some(message);
                }
                clamp_top(reader, rows);
                None
            }
            Target::Article { path, anchor } => Some(Effect::LoadArticle { path, anchor }),
            Target::Refused(message) => {
                self.status = Some(message);
                None
            }
        }
    }

    fn links_panel(&mut self, action: Action) -> Option<Effect> {
        let Some(Overlay::Links { selected }) = self.overlay else {
            return None;
        };
        let count = self.reader.as_ref().map_or(0, |r| r.layout.links.len());
        let page = self.reader_rows().saturating_sub(6).max(1) as isize;
        let step = |delta: isize| {
            let last = count.saturating_sub(1) as isize;
            (selected as isize)
                .saturating_add(delta)
                .clamp(0, last.max(0)) as usize
        };
        let selected = match action {
            Action::Down => step(1),
            Action::Up => step(-1),
            Action::PageDown => step(page),
            Action::PageUp => step(-page),
            Action::Top => 0,
            Action::Bottom => count.saturating_sub(1),
            Action::Back => {
                self.overlay = None;
                return None;
            }
            Action::Open => {
                self.overlay = None;
                let rows = self.reader_rows();
                let reader = self.reader.as_mut()?;
                reader.focus = Some(selected);
                keep_link_visible(reader, rows);
                let url = reader.layout.links.get(selected)?.url.clone();
                return self.follow(&url);
            }
            _ => selected,
        };
        self.overlay = Some(Overlay::Links { selected });
        None
    }
}

/// A layout of one dimmed message, for a preview that could not be read.
fn message_layout(message: &str, width: usize) -> Layout {
    let text: String = shown(message, width.max(1));
    Layout {
        width,
        lines: vec![markdown::Line {
            spans: vec![markdown::Span {
                text,
                style: markdown::Style::role(markdown::Role::Problem),
                link: None,
            }],
        }],
        links: Vec::new(),
        headings: Vec::new(),
    }
}

fn max_top(reader: &Reader, rows: usize) -> usize {
    reader.layout.lines.len().saturating_sub(rows)
}

fn clamp_top(reader: &mut Reader, rows: usize) {
    reader.top = reader.top.min(max_top(reader, rows));
}

fn scroll(reader: &mut Reader, delta: isize, rows: usize) {
    let top = (reader.top as isize).saturating_add(delta).max(0) as usize;
    reader.top = top.min(max_top(reader, rows));
}

fn link_row(reader: &Reader, index: usize) -> Option<usize> {
    reader
        .layout
        .links
        .get(index)?
        .places
        .first()
        .map(|place| place.0)
}

fn is_visible(reader: &Reader, index: usize, rows: usize) -> bool {
    link_row(reader, index).is_some_and(|row| row >= reader.top && row < reader.top + rows)
}

fn first_visible_link(reader: &Reader, rows: usize) -> Option<usize> {
    (0..reader.layout.links.len()).find(|&i| is_visible(reader, i, rows))
}

/// Tab / Shift-Tab: the next link in reading order, starting from what is on screen.
fn focus_link(reader: &mut Reader, forward: bool, rows: usize) {
    let placed: Vec<usize> = (0..reader.layout.links.len())
        .filter(|&i| link_row(reader, i).is_some())
        .collect();
    if placed.is_empty() {
        reader.focus = None;
        return;
    }
    let current = reader.focus.filter(|&i| is_visible(reader, i, rows));
    let next = match (current, forward) {
        (Some(i), true) => placed.iter().copied().find(|&j| j > i).unwrap_or(placed[0]),
        (Some(i), false) => placed
            .iter()
            .rev()
            .copied()
            .find(|&j| j < i)
            .unwrap_or(placed[placed.len() - 1]),
        (None, true) => placed
            .iter()
            .copied()
            .find(|&j| link_row(reader, j).is_some_and(|row| row >= reader.top))
            .unwrap_or(placed[0]),
        (None, false) => placed
            .iter()
            .rev()
            .copied()
            .find(|&j| link_row(reader, j).is_some_and(|row| row < reader.top + rows))
            .unwrap_or(placed[placed.len() - 1]),
    };
    reader.focus = Some(next);
    keep_link_visible(reader, rows);
}

/// Finds the query again and moves to the first place at or after the top of the screen.
fn refind(reader: &mut Reader, rows: usize) {
    let top = reader.top;
    let Some(find) = &mut reader.find else {
        return;
    };
    find.hits = if find.query.trim().is_empty() {
        Vec::new()
    } else {
        reader.layout.find(&find.query)
    };
    find.current = find
        .hits
        .iter()
        .position(|hit| hit.0 >= top)
        .or((!find.hits.is_empty()).then_some(0));
    keep_hit_visible(reader, rows);
}

/// n / N: the next or previous place found, wrapping around the article.
fn step_find(reader: &mut Reader, delta: isize, rows: usize) {
    let top = reader.top;
    let Some(find) = &mut reader.find else {
        return;
    };
    let count = find.hits.len();
    if count == 0 {
        return;
    }
    find.current = Some(match find.current {
        Some(i) => (i as isize + delta).rem_euclid(count as isize) as usize,
        None => find.hits.iter().position(|hit| hit.0 >= top).unwrap_or(0),
    });
    keep_hit_visible(reader, rows);
}

fn keep_hit_visible(reader: &mut Reader, rows: usize) {
    let Some(row) = reader
        .find
        .as_ref()
        .and_then(|f| f.current.and_then(|i| f.hits.get(i)))
        .map(|hit| hit.0)
    else {
        return;
    };
    if row < reader.top || row >= reader.top + rows {
        reader.top = row.saturating_sub(rows / 3).min(max_top(reader, rows));
    }
}

/// Scrolls so the focused link is on screen, a third of the way down when it had to move.
fn keep_link_visible(reader: &mut Reader, rows: usize) {
    let Some(row) = reader.focus.and_then(|i| link_row(reader, i)) else {
        return;
    };
    if row < reader.top || row >= reader.top + rows {
        reader.top = row.saturating_sub(rows / 3).min(max_top(reader, rows));
    }
}

/// Puts the heading with this anchor at the top.
fn jump_to_anchor(reader: &mut Reader, anchor: &str) -> Result<(), String> {
    let wanted = anchor.trim().to_lowercase();
    let slug = markdown::parse::slug(&wanted);
    // The layout's own anchors first; then links written by hand with other capitals or
    // punctuation than the slug.
    let row = reader.layout.heading_row(anchor).or_else(|| {
        reader
            .layout
            .headings
            .iter()
            .find(|h| {
                let a = h.anchor.to_lowercase();
                a == wanted || a == slug || markdown::parse::slug(&h.text) == slug
            })
            .map(|h| h.row)
    });
    match row {
        Some(row) => {
            reader.top = row;
            Ok(())
        }
        None => Err(format!(
            "No heading #{} in this article.",
            shown(anchor, 40)
        )),
    }
}
