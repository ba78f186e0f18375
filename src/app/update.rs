//! `App::update`: the only place state changes. Pure: no I/O, no terminal, no clock.

use std::path::PathBuf;

use super::memory::{self, Write};
use super::{
    App, Command, Content, Context, Effect, Find, Msg, Overlay, Reader, Screen, SearchState,
    preview_part,
};
use crate::library::{Article, Body};
use crate::links::{Target, classify};
use crate::markdown::{self, Layout};
use crate::text::shown;

/// How long after scrolling stops the position is written.
/// Source bytes of a big article parsed before its first screen shows; the rest is read in a
/// job. A screenful is a few kilobytes, so this is many screens of margin.
const FIRST_PART_BYTES: usize = 16 * 1024;
const SAVE_AFTER: std::time::Duration = std::time::Duration::from_secs(2);

impl App {
    /// Applies one message; returns the work the loop should do, if any.
    pub fn update(&mut self, msg: Msg) -> Option<Effect> {
        let command = match msg {
            Msg::Resize(width, height) => return self.resize(width, height),
            Msg::LibraryLoaded(result) => return self.library_loaded(result),
            Msg::LoadProgress(count) => {
                self.loaded = count;
                return None;
            }
            Msg::Notify(message) => {
                self.status = Some(message);
                return None;
            }
            Msg::ArticleLoaded {
                ticket,
                path,
                anchor: _,
                result,
            } if self.pending_reload == Some(ticket) => {
                self.pending_reload = None;
                self.article_reloaded(&path, result);
                return None;
            }
            Msg::FilesChanged(paths) => return self.files_changed(&paths),
            Msg::IndexProgress { done, total } => {
                if self.indexing.is_some() {
                    self.indexing = Some((done, total));
                }
                return None;
            }
            Msg::IndexReady(result) => return self.index_ready(result),
            Msg::TextFound {
                ticket,
                query,
                result,
            } => {
                self.text_found(ticket, query, result);
                return None;
            }
            Msg::PictureDrawn {
                path,
                cols,
                rows,
                result,
            } => {
                self.pictures.arrived((path, cols, rows), result);
                return None;
            }
            Msg::Highlighted { ticket, blocks } => {
                self.highlighted(ticket, blocks);
                return None;
            }
            Msg::RestParsed {
                ticket,
                doc,
                layout,
            } => {
                self.rest_parsed(ticket, doc, *layout);
                return None;
            }
            Msg::LaidOut { ticket, layout } => {
                self.laid_out(ticket, *layout);
                return None;
            }
            Msg::ArticleLoaded {
                ticket,
                path,
                anchor,
                result,
            } => {
                if self.pending_article != Some(ticket) {
                    // Asked for before the reader moved on (Back, another article): stale.
                    return None;
                }
                self.pending_article = None;
                let seed = self.seeded_find.take().filter(|seed| seed.0 == ticket);
                let effect = self.article_loaded(path, anchor, result);
                if let Some((_, query, terms)) = seed {
                    self.seed_find(query, terms);
                }
                return effect;
            }
            Msg::PreviewLoaded {
                ticket,
                path,
                result,
            } => {
                if self.pending_preview == Some(ticket) {
                    self.pending_preview = None;
                }
                self.preview_loaded(path, result);
                return None;
            }
            Msg::MarksLoaded {
                marks,
                last_selected,
                sort,
            } => {
                self.marks_loaded(marks, last_selected, sort);
                return self.want_preview();
            }
            Msg::MemoryUnavailable(why) => {
                self.memory = None;
                self.refresh_shown();
                self.move_selection(0);
                self.status = Some(shown(&why, 200));
                return None;
            }
            Msg::TimerDone(ticket) if self.text_timer == Some(ticket) => {
                self.text_timer = None;
                return self.search_text();
            }
            Msg::TimerDone(ticket) => {
                if let Some(memory) = &mut self.memory {
                    if memory.timer == Some(ticket) {
                        memory.timer = None;
                        self.remember_position_now();
                    }
                }
                return None;
            }
            Msg::Cmd(command) => Some(command),
            Msg::Input(_) | Msg::LinkDigit(_) | Msg::Scroll(_) | Msg::Click { .. } => None,
        };
        // A key was pressed: the last message has been seen.
        self.status = None;
        match command {
            Some(Command::Quit) => return Some(Effect::Quit),
            Some(Command::Suspend) => return Some(Effect::Suspend),
            Some(Command::Help) if self.context() != Context::Help => {
                self.overlay = Some(Overlay::Help {
                    from: self.context(),
                    scroll: 0,
                });
                return None;
            }
            _ => {}
        }
        match self.context() {
            Context::Help => {
                self.help_action(&msg);
                None
            }
            Context::Links => self.links_panel(&msg),
            Context::Outline => {
                self.outline_action(&msg);
                self.note_position(true);
                None
            }
            Context::Tags => {
                self.tags_action(&msg);
                self.want_preview()
            }
            Context::List | Context::Search | Context::Global => self.list_action(msg),
            Context::Reader => {
                // Marking unread at the end of an article must not mark it read again at once.
                let marking = matches!(msg, Msg::Cmd(Command::ToggleRead | Command::ToggleSaved));
                let effect = self.reader_action(msg);
                if !marking {
                    self.note_position(true);
                }
                effect
            }
            Context::Find => self.find_action(msg),
            Context::FullText => self.full_text_action(msg),
            Context::Image => {
                if matches!(msg, Msg::Cmd(Command::Back)) {
                    self.overlay = None;
                }
                None
            }
        }
    }

    /// Keys while help is open: scroll it, or close it.
    fn help_action(&mut self, msg: &Msg) {
        let Some(Overlay::Help { from, scroll }) = self.overlay.clone() else {
            return;
        };
        let page = self.reader_rows().saturating_sub(6).max(1);
        let scroll = match msg {
            Msg::Cmd(Command::Back | Command::Help) => {
                self.overlay = None;
                return;
            }
            Msg::Cmd(Command::Down) => scroll.saturating_add(1),
            Msg::Scroll(n) if *n > 0 => scroll.saturating_add(n.unsigned_abs() as usize),
            Msg::Scroll(n) => scroll.saturating_sub(n.unsigned_abs() as usize),
            Msg::Cmd(Command::Up) => scroll.saturating_sub(1),
            Msg::Cmd(Command::PageDown) => scroll.saturating_add(page),
            Msg::Cmd(Command::PageUp) => scroll.saturating_sub(page),
            Msg::Cmd(Command::Top) => 0,
            Msg::Cmd(Command::Bottom) => usize::MAX / 2,
            _ => scroll,
        };
        // The help screen clamps what it draws; keep the number from running away.
        let rows = self.config.keymap.help_rows(None).len();
        self.overlay = Some(Overlay::Help {
            from,
            scroll: scroll.min(rows),
        });
    }

    /// Asks for an article for the reader; an earlier request still out becomes stale.
    pub(super) fn open_article(&mut self, path: PathBuf, anchor: Option<String>) -> Option<Effect> {
        let ticket = self.ticket();
        self.pending_article = Some(ticket);
        Some(Effect::LoadArticle {
            ticket,
            path,
            anchor,
        })
    }

    fn library_loaded(
        &mut self,
        result: Result<crate::library::Library, String>,
    ) -> Option<Effect> {
        self.loading = false;
        match result {
            Ok(library) => {
                // A reload keeps the selection (by path), the search and the scroll.
                let selected = self.selected_article().map(|a| a.path.clone());
                let offset = self.list.offset;
                self.library = library;
                self.tag_counts = super::tag_counts(&self.library.articles);
                self.sort_articles();
                self.start_index();
                if self.search.is_some() {
                    self.refilter();
                }
                self.refresh_shown();
                self.list = super::ListState {
                    selected: 0,
                    offset,
                };
                self.select_path(selected.as_deref());
                if self.memory.is_some() {
                    self.outbox.push(Effect::LoadMarks {
                        root: self.library.root.clone(),
                        paths: self
                            .library
                            .articles
                            .iter()
                            .map(|a| a.path.clone())
                            .collect(),
                    });
                }
                // `folio FILE`: its one article opens as soon as it is known.
                if self.single_file && self.reader.is_none() && self.library.articles.len() == 1 {
                    let path = self.library.articles[0].path.clone();
                    return self.open_article(path, None);
                }
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
        let wrap = self.config.wrap;
        let fit = self.picture_fit();
        let changed = self
            .reader
            .as_ref()
            .is_some_and(|r| r.layout.width != text_width);
        let ticket = changed.then(|| self.ticket());
        if let Some(reader) = &mut self.reader {
            if reader.fit_pictures(fit) {
                // The pictures' row cap follows the height: lay out again, text anchored.
                reader.relayout_now(text_width, wrap);
            } else if let Some(ticket) = ticket {
                // A big article shows the blocks around its top at once, the whole from a job.
                match reader.relayout_window(text_width, wrap, rows * 2, ticket) {
                    Some(doc) => self.outbox.push(Effect::LayOut {
                        ticket,
                        doc,
                        width: text_width,
                        wrap,
                    }),
                    None => reader.relayout(text_width, wrap),
                }
            }
            clamp_top(reader, rows);
        }
        self.move_selection(0);
        self.want_preview()
    }

    // ----- the list and the search line -----

    fn list_action(&mut self, msg: Msg) -> Option<Effect> {
        let page = self.list_page() as isize;
        match msg {
            Msg::Cmd(command @ (Command::Up | Command::Down))
                if self.context() == Context::Search
                    && self
                        .search
                        .as_ref()
                        .is_some_and(|s| s.query.is_empty() || s.recall.is_some()) =>
            {
                // ↑ on an empty prompt recalls earlier queries; ↓ comes back.
                let recall = self.search.as_ref().and_then(|s| s.recall);
                let (recall, query) = self.searches.step(recall, command == Command::Up);
                if let Some(search) = &mut self.search {
                    search.query = query;
                    search.recall = recall;
                }
                self.refilter();
            }
            Msg::Cmd(Command::Down) => self.move_selection(1),
            Msg::Cmd(Command::Up) => self.move_selection(-1),
            Msg::Cmd(Command::PageDown) => self.move_selection(page),
            Msg::Cmd(Command::PageUp) => self.move_selection(-page),
            Msg::Cmd(Command::HalfPageDown) => self.move_selection((page / 2).max(1)),
            Msg::Cmd(Command::HalfPageUp) => self.move_selection(-(page / 2).max(1)),
            Msg::Cmd(Command::Top) => self.move_selection(isize::MIN / 2),
            Msg::Cmd(Command::Bottom) => self.move_selection(isize::MAX / 2),
            Msg::Scroll(rows) => self.move_selection(rows.signum() as isize),
            Msg::Click { row, .. } => {
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
                    return self.list_action(Msg::Cmd(Command::Open));
                }
                self.list.selected = index;
                self.move_selection(0);
            }
            Msg::Cmd(Command::Open) => {
                let article = self.selected_article()?.path.clone();
                if let Some(search) = &mut self.search {
                    search.editing = false;
                    search.recall = None;
                    self.searches.push(&search.query);
                }
                return self.open_article(article, None);
            }
            Msg::Cmd(Command::FullText) => self.open_full_text(),
            Msg::Cmd(Command::Search) => {
                // Always a fresh query: the last one is one ↑ away.
                let keep = self.selected_article().map(|a| a.path.clone());
                self.search = Some(SearchState {
                    editing: true,
                    ..SearchState::default()
                });
                self.refresh_shown();
                self.select_path(keep.as_deref());
            }

            Msg::Input(c) => {
                if let Some(search) = &mut self.search {
                    search.recall = None;
                    // A paste of thousands of characters re-filtered per character froze the
                    // reader for seconds; no title search needs more than this.
                    if !c.is_control() && search.query.len() < super::QUERY_MAX_BYTES {
                        search.query.push(c);
                        self.refilter();
                    }
                }
            }
            Msg::Cmd(Command::DeleteChar) => {
                if let Some(search) = &mut self.search {
                    search.recall = None;
                    search.query.pop();
                    self.refilter();
                }
            }
            Msg::Cmd(Command::ClearQuery) => {
                if let Some(search) = &mut self.search {
                    search.query.clear();
                    self.refilter();
                }
            }
            Msg::Cmd(Command::ClearSearch) => {
                if self.search.is_some() {
                    // Stay on the article that was selected among the matches.
                    let keep = self.selected_article().map(|a| a.path.clone());
                    self.search = None;
                    self.refresh_shown();
                    self.select_path(keep.as_deref());
                } else if self.tag.is_some() {
                    self.set_tag(None);
                }
            }
            Msg::Cmd(Command::Tags) => {
                // Open on the tag in force, if any.
                let selected = self.tag.as_deref().map_or(0, |tag| {
                    let key = crate::search::tag_key(tag);
                    self.tags("")
                        .iter()
                        .position(|t| crate::search::tag_key(&t.name) == key)
                        .unwrap_or(0)
                });
                self.overlay = Some(Overlay::Tags {
                    query: String::new(),
                    selected,
                });
            }
            Msg::Cmd(Command::CycleSort) => self.cycle_sort(),
            Msg::Cmd(Command::ToggleRead) => {
                let path = self.selected_article()?.path.clone();
                let read = self.memory_or_say()?.is_unread(&path);
                self.memory_or_say()?.set_read(&path, read);
                self.keep_selection_after_marks(&path);
            }
            Msg::Cmd(Command::ToggleSaved) => {
                let path = self.selected_article()?.path.clone();
                self.memory_or_say()?.toggle_saved(&path);
                self.keep_selection_after_marks(&path);
            }
            Msg::Cmd(Command::MarkAllRead) => {
                let paths: Vec<PathBuf> = (0..self.visible_len())
                    .filter_map(|i| self.visible(i).map(|a| a.path.clone()))
                    .collect();
                let memory = self.memory_or_say()?;
                let mut count = 0;
                for path in &paths {
                    if memory.is_unread(path) {
                        memory.set_read(path, true);
                        count += 1;
                    }
                }
                let noun = if count == 1 { "article" } else { "articles" };
                self.status = Some(format!("Marked {count} {noun} read."));
                self.refresh_shown();
                self.move_selection(0);
            }
            Msg::Cmd(Command::Edit) => {
                let path = self.selected_article()?.path.clone();
                return Some(Effect::Edit(path));
            }
            Msg::Cmd(Command::Reload) => {
                self.status = Some("Reading the folder again…".into());
                return self.files_changed(&[]);
            }
            Msg::Cmd(Command::CycleView) => {
                let keep = self.selected_article().map(|a| a.path.clone());
                let memory = self.memory_or_say()?;
                memory.view = memory.view.next();
                self.refresh_shown();
                self.select_path(keep.as_deref());
            }
            _ => return None,
        }
        self.want_preview()
    }

    /// The memory, or a footer message saying there is none this session.
    fn memory_or_say(&mut self) -> Option<&mut memory::Memory> {
        if self.memory.is_none() {
            self.status = Some("folio is not remembering this session (see --no-state).".into());
        }
        self.memory.as_mut()
    }

    /// Selects the article at `path` if the list shows it, else the nearest place.
    fn select_path(&mut self, path: Option<&std::path::Path>) {
        if let Some(i) = path.and_then(|p| self.shown_position(p)) {
            self.list.selected = i;
        }
        self.move_selection(0);
    }

    /// After a mark changed: the view may drop the article; stay where it was in the list.
    fn keep_selection_after_marks(&mut self, path: &std::path::Path) {
        let before = self.list.selected;
        self.refresh_shown();
        match self.shown_position(path) {
            Some(i) => self.list.selected = i,
            None => self.list.selected = before,
        }
        self.move_selection(0);
    }

    fn marks_loaded(
        &mut self,
        marks: std::collections::HashMap<PathBuf, memory::Mark>,
        last_selected: Option<PathBuf>,
        sort: Option<super::Sort>,
    ) {
        let Some(memory) = &mut self.memory else {
            return;
        };
        // Marks made in this session before the store answered win over the stored ones.
        let mine = std::mem::replace(&mut memory.marks, marks);
        memory.marks.extend(mine);
        let first = !memory.loaded;
        memory.loaded = true;
        if first {
            // The order this folder was left in; it may need the marks (last read).
            if let Some(sort) = sort {
                self.sort = sort;
            }
        }
        if self.sort != super::Sort::Date {
            self.sort_articles();
            if self.search.is_some() {
                self.refilter();
            }
        }
        self.refresh_shown();
        if self.screen == Screen::List && self.list.selected == 0 {
            self.select_path(last_selected.as_deref());
        }
    }

    /// Where the reader is now goes into the memory; a timer writes it once scrolling stops
    /// (`save`), or it is only noted (just opened: that is where it was).
    pub(super) fn note_position(&mut self, save: bool) {
        if self.screen != Screen::Reader {
            return;
        }
        let rows = self.reader_rows();
        let (Some(reader), Some(memory)) = (&self.reader, &mut self.memory) else {
            return;
        };
        // Not while the rest of a big article is read (its end is not the article's end), nor
        // while a window of it shows (its rows are not the article's rows).
        if !matches!(reader.content, Content::Markdown(_))
            || reader.rest.is_some()
            || reader.window.is_some()
        {
            return;
        }
        let position = memory::position_at(&reader.layout, reader.top);
        let progress = memory::progress_at(&reader.layout, reader.top, rows);
        let path = reader.path.clone();
        let unchanged = memory
            .mark(&path)
            .is_some_and(|m| m.position.as_ref() == Some(&position) && m.progress >= progress);
        if unchanged {
            return;
        }
        if memory.seen(&path, position, progress) {
            // The end came into view: read, and written at once.
            if let Some(write) = memory.position_write(&path) {
                memory.writes.push(write);
            }
            memory.writes.push(Write::Read { path, read: true });
            return;
        }
        if save && memory.timer.is_none() {
            self.last_ticket += 1;
            let ticket = self.last_ticket;
            if let Some(memory) = &mut self.memory {
                memory.timer = Some(ticket);
            }
            self.outbox.push(Effect::Timer {
                ticket,
                after: SAVE_AFTER,
            });
        }
    }

    /// Writes the reader's position now (leaving the article, quitting).
    pub(crate) fn remember_position_now(&mut self) {
        let (Some(reader), Some(memory)) = (&self.reader, &mut self.memory) else {
            return;
        };
        memory.timer = None;
        if let Some(write) = memory.position_write(&reader.path) {
            memory.writes.push(write);
        }
    }

    /// Writes which article the list selects, so the next start opens on it.
    pub(crate) fn remember_selection(&mut self) {
        let Some(path) = self.selected_article().map(|a| a.path.clone()) else {
            return;
        };
        let root = self.library.root.clone();
        if let Some(memory) = &mut self.memory {
            memory.writes.push(Write::Selected { root, path });
        }
    }

    fn refilter(&mut self) {
        let Some(query) = self.search.as_ref().map(|s| s.query.clone()) else {
            return;
        };
        let terms = crate::search::Terms::parse(&query);
        let matches = if terms.text.trim().is_empty() && !terms.has_facets() {
            None
        } else {
            let library = &self.library;
            let mut matches = if terms.text.trim().is_empty() {
                (0..library.articles.len())
                    .map(|index| crate::search::Match { index, score: 0 })
                    .collect()
            } else {
                let searcher = self.searcher.get_or_insert_with(|| {
                    // Titles as shown: `async fn`, not its backticks.
                    let plain: Vec<String> = library
                        .articles
                        .iter()
                        .map(|a| crate::markdown::inline::plain(&a.meta.title))
                        .collect();
                    let titles: Vec<&str> = plain.iter().map(String::as_str).collect();
                    crate::search::Searcher::new(&titles)
                });
                searcher.filter(&terms.text)
            };
            if terms.has_facets() {
                matches.retain(|m| {
                    library
                        .articles
                        .get(m.index)
                        .is_some_and(|a| terms.admits(&a.meta.tags, &a.meta.authors))
                });
            }
            Some(matches)
        };
        if let Some(search) = &mut self.search {
            search.title_part = terms.text;
        }
        if let Some(search) = &mut self.search {
            search.matches = matches;
        }
        self.refresh_shown();
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
    fn want_preview(&mut self) -> Option<Effect> {
        if self.screen != Screen::List || self.too_small() {
            return None;
        }
        let width = self.preview_width()?;
        let article = self.selected_article()?;
        let key = (article.path.clone(), width);
        if self.previews.contains_key(&key) {
            return None;
        }
        let ticket = self.ticket();
        self.pending_preview = Some(ticket);
        Some(Effect::LoadPreview {
            ticket,
            path: key.0,
        })
    }

    fn preview_loaded(&mut self, path: PathBuf, result: Result<(Article, Body), String>) {
        let Some(width) = self.preview_width() else {
            return;
        };
        let layout = match result {
            Ok((article, body)) => {
                // The preview stays plain: colouring is for the reader, off this thread.
                let doc = markdown::parse::parse_article_with(
                    &article.meta,
                    preview_part(&body.markdown),
                    markdown::parse::Options { highlight: false },
                );
                markdown::layout_with(&doc, width, self.config.wrap)
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
        // Plain first; the colours arrive from a job (syntect is not for the UI thread). A
        // big article shows its first part while a job reads the rest.
        let (mut doc, complete) = markdown::parse::parse_article_part(
            &article.meta,
            &body.markdown,
            markdown::parse::Options { highlight: false },
            FIRST_PART_BYTES,
        );
        super::attach_pictures(
            &mut doc,
            &body.pictures,
            self.config.images,
            self.picture_fit(),
        );
        self.want_highlight(&doc);
        let width = self.text_width();
        let layout = markdown::layout_with(&doc, width, self.config.wrap);
        let rest = (!complete).then(|| {
            let ticket = self.ticket();
            self.outbox.push(Effect::ParseRest {
                ticket,
                meta: Box::new(article.meta.clone()),
                markdown: body.markdown,
                width,
                wrap: self.config.wrap,
                pictures: (body.pictures, self.config.images, self.picture_fit()),
            });
            super::Rest {
                ticket,
                ..super::Rest::default()
            }
        });
        let problem = article
            .problems
            .iter()
            .chain(&body.problems)
            .next()
            .map(|p| shown(p, 200));
        let mut reader = Reader {
            path,
            article,
            content: Content::Markdown(std::sync::Arc::new(doc)),
            layout,
            top: 0,
            focus: None,
            note_focus: None,
            number: String::new(),
            find: None,
            jumps: Vec::new(),
            rest,
            window: None,
        };
        self.remember_position_now();
        let replace = std::mem::take(&mut self.replace_reader);
        match (self.screen, self.reader.take()) {
            (Screen::Reader, Some(previous)) if !replace => {
                if self.history.len() >= super::HISTORY_LIMIT {
                    self.history.remove(0);
                }
                self.history.push(previous);
            }
            (Screen::Reader, Some(_)) => {}
            _ => self.history.clear(),
        }
        let position = self
            .memory
            .as_ref()
            .and_then(|m| m.mark(&reader.path))
            .and_then(|m| m.position.clone());
        if let Some(anchor) = anchor {
            match (jump_to_anchor(&mut reader, &anchor), &mut reader.rest) {
                (Ok(()), _) => {}
                // The heading may be in the part still being read.
                (Err(_), Some(rest)) => rest.anchor = Some(anchor),
                (Err(message), None) => self.status = Some(message),
            }
        } else if let Some(position) = position {
            // Where the reader left it, this session or an earlier one; past the first part,
            // once the rest is here.
            let found = position
                .heading
                .as_deref()
                .is_none_or(|h| reader.layout.heading_row(h).is_some());
            match &mut reader.rest {
                Some(rest) if !found || position.offset > 0 => rest.position = Some(position),
                _ => reader.top = memory::row_of(&reader.layout, &position),
            }
        }
        clamp_top(&mut reader, self.reader_rows());
        if let Some(memory) = &mut self.memory {
            memory.opened(&reader.path);
        }
        self.reader = Some(reader);
        self.screen = Screen::Reader;
        self.overlay = None;
        if let Some(problem) = problem {
            self.status.get_or_insert(problem);
        }
        self.note_position(false);
        None
    }

    fn reader_action(&mut self, msg: Msg) -> Option<Effect> {
        let rows = self.reader_rows();
        let page = rows.saturating_sub(1).max(1) as isize;
        let half = (rows / 2).max(1) as isize;
        let text_left = usize::from(self.text_left());
        let reader = self.reader.as_mut()?;
        if !reader.number.is_empty()
            && !matches!(
                msg,
                Msg::LinkDigit(_)
                    | Msg::Cmd(Command::Open | Command::DeleteChar | Command::ClearSearch)
            )
        {
            // Any other key cancels the link number being typed.
            reader.number.clear();
        }
        match msg {
            Msg::Cmd(Command::Down) => scroll(reader, 1, rows),
            Msg::Cmd(Command::Up) => scroll(reader, -1, rows),
            Msg::Cmd(Command::PageDown) => scroll(reader, page, rows),
            Msg::Cmd(Command::PageUp) => scroll(reader, -page, rows),
            Msg::Cmd(Command::HalfPageDown) => scroll(reader, half, rows),
            Msg::Cmd(Command::HalfPageUp) => scroll(reader, -half, rows),
            Msg::Cmd(Command::Top) => scroll(reader, isize::MIN / 2, rows),
            Msg::Cmd(Command::Bottom) => scroll(reader, isize::MAX / 2, rows),
            Msg::Scroll(n) => scroll(reader, n as isize, rows),
            Msg::Click { column, row } => {
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
                reader.note_focus = None;
                let url = reader.layout.links[index].url.clone();
                return self.follow(&url);
            }
            Msg::Cmd(Command::Search) => {
                // Always a fresh query: the last one is one ↑ away.
                reader.find = Some(Find {
                    editing: true,
                    ..Find::default()
                });
            }
            Msg::Cmd(Command::FindNext | Command::FindPrev) if reader.find.is_none() => {
                self.status = Some("/ finds text in the article; then n and N move.".into());
            }
            Msg::Cmd(Command::FindNext) => step_find(reader, 1, rows),
            Msg::Cmd(Command::FindPrev) => step_find(reader, -1, rows),
            Msg::Cmd(Command::NextLink) => focus_link(reader, true, rows),
            Msg::Cmd(Command::PrevLink) => focus_link(reader, false, rows),
            Msg::LinkDigit(d) if reader.number.len() < 6 => {
                reader.number.push(char::from(b'0' + d.min(9)));
            }
            Msg::Cmd(Command::Open) => {
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
                if let Some((_, _, _, number)) = reader.note_focus {
                    // A footnote: to the note, as a step Back returns from.
                    match note_row(&reader.layout, number) {
                        Some(row) => {
                            reader
                                .jumps
                                .push(memory::text_before(&reader.layout, reader.top));
                            reader.top = row.min(max_top(reader, rows));
                            reader.note_focus = None;
                            self.status = Some(format!("Note {number}; Back returns."));
                        }
                        None => self.status = Some(format!("There is no note {number}.")),
                    }
                    return None;
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
            Msg::Cmd(Command::LinkPanel) => {
                if reader.layout.links.is_empty() {
                    self.status = Some("This article has no links.".into());
                } else {
                    let selected = reader.focus.or_else(|| first_visible_link(reader, rows));
                    self.overlay = Some(Overlay::Links {
                        selected: selected.unwrap_or(0),
                    });
                }
            }
            Msg::Cmd(Command::OpenSource) => {
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
            Msg::Cmd(Command::ToggleRead) => {
                let path = reader.path.clone();
                let memory = self.memory_or_say()?;
                let read = memory.is_unread(&path);
                memory.set_read(&path, read);
                self.status = Some(
                    if read {
                        "Marked read."
                    } else {
                        "Marked unread."
                    }
                    .into(),
                );
                self.refresh_shown();
            }
            Msg::Cmd(Command::ToggleSaved) => {
                let path = reader.path.clone();
                let saved = self.memory_or_say()?.toggle_saved(&path);
                self.status = Some(
                    if saved {
                        "Saved for later."
                    } else {
                        "No longer saved."
                    }
                    .into(),
                );
                self.refresh_shown();
            }
            Msg::Cmd(Command::Outline) => {
                if reader.layout.headings.is_empty() {
                    self.status = Some("This article has no headings.".into());
                } else {
                    let selected = self.current_heading().unwrap_or(0);
                    self.overlay = Some(Overlay::Outline {
                        query: String::new(),
                        selected,
                    });
                }
            }
            Msg::Cmd(Command::NextHeading) => {
                let top = reader.top;
                match reader.layout.headings.iter().find(|h| h.row > top) {
                    Some(h) => reader.top = h.row.min(max_top(reader, rows)),
                    None => self.status = Some("No heading below.".into()),
                }
            }
            Msg::Cmd(Command::PrevHeading) => {
                let top = reader.top;
                match reader.layout.headings.iter().rev().find(|h| h.row < top) {
                    Some(h) => reader.top = h.row,
                    None => self.status = Some("No heading above.".into()),
                }
            }
            Msg::Cmd(Command::Edit) => return Some(Effect::Edit(reader.path.clone())),
            Msg::Cmd(Command::Reload) => {
                let path = reader.path.clone();
                return self.files_changed(&[path]);
            }
            Msg::Cmd(Command::CopyLink) => {
                let url = reader
                    .focused_link()
                    .map(|l| l.url.clone())
                    .or_else(|| reader.article.meta.source.clone());
                return match url {
                    Some(url) => self.copy(url),
                    None => {
                        self.status = Some("Nothing to copy: Tab focuses a link.".into());
                        None
                    }
                };
            }
            Msg::Cmd(Command::NextArticle) => return self.step_article(1, false),
            Msg::Cmd(Command::PrevArticle) => return self.step_article(-1, false),
            Msg::Cmd(Command::NextUnread) => return self.step_article(1, true),
            Msg::Cmd(Command::DeleteChar) if !reader.number.is_empty() => {
                // Backspace takes back one digit of a link number being typed.
                reader.number.pop();
            }
            Msg::Cmd(Command::ClearSearch) if !reader.number.is_empty() => reader.number.clear(),
            // Esc takes away the marks of a find before it leaves the article.
            Msg::Cmd(Command::ClearSearch) if reader.find.is_some() => reader.find = None,
            Msg::Cmd(Command::Back | Command::ClearSearch | Command::DeleteChar) => {
                // q goes back in one press, whatever is on screen.
                reader.number.clear();
                reader.find = None;
                if let Some(before) = reader.jumps.pop() {
                    reader.top = memory::row_at_text(&reader.layout, before);
                    clamp_top(reader, rows);
                    return None;
                }
                return self.go_back();
            }
            _ => {}
        }
        None
    }

    /// Keys while the reader's find line takes typing.
    fn find_action(&mut self, msg: Msg) -> Option<Effect> {
        let rows = self.reader_rows();
        let reader = self.reader.as_mut()?;
        let find = reader.find.as_mut()?;
        match msg {
            Msg::Cmd(command @ (Command::FindPrev | Command::FindNext))
                if find.query.is_empty() || find.recall.is_some() =>
            {
                // ↑ on an empty prompt recalls earlier queries; ↓ comes back.
                let (recall, query) = self.finds.step(find.recall, command == Command::FindPrev);
                find.query = query;
                find.recall = recall;
                find.terms.clear();
                refind(reader, rows);
            }
            Msg::Input(c) if !c.is_control() => {
                find.recall = None;
                find.query.push(c);
                find.terms.clear();
                refind(reader, rows);
            }
            Msg::Cmd(Command::DeleteChar) => {
                find.recall = None;
                find.query.pop();
                find.terms.clear();
                refind(reader, rows);
            }
            Msg::Cmd(Command::ClearQuery) => {
                find.query.clear();
                find.terms.clear();
                refind(reader, rows);
            }
            Msg::Cmd(Command::FindNext) => step_find(reader, 1, rows),
            Msg::Cmd(Command::FindPrev) => step_find(reader, -1, rows),
            Msg::Cmd(Command::Open) => {
                find.editing = false;
                find.recall = None;
                self.finds.push(&find.query);
                if find.query.trim().is_empty() {
                    reader.find = None;
                }
            }
            Msg::Cmd(Command::ClearSearch) => reader.find = None,
            _ => {}
        }
        None
    }

    /// J, K and U: the next (or previous) article of the list, or the next unread one; it
    /// replaces the article being read, and the list's selection follows.
    fn step_article(&mut self, delta: isize, unread: bool) -> Option<Effect> {
        let current = self.reader.as_ref()?.path.clone();
        let len = self.visible_len();
        if len == 0 {
            return None;
        }
        let here = self.shown_position(&current);
        let start = here.unwrap_or(self.list.selected) as isize;
        let mut found = None;
        for step in 1..=len as isize {
            let i = start + delta * step;
            if !unread && !(0..len as isize).contains(&i) {
                break;
            }
            let i = i.rem_euclid(len as isize) as usize;
            let Some(article) = self.visible(i) else {
                continue;
            };
            let is_unread = self
                .memory
                .as_ref()
                .is_some_and(|m| m.is_unread(&article.path));
            if (!unread || is_unread) && article.path != current {
                found = Some((i, article.path.clone()));
                break;
            }
        }
        let Some((index, path)) = found else {
            self.status = Some(
                match (unread, delta > 0) {
                    (true, _) if self.memory.is_none() => {
                        "folio is not remembering this session (see --no-state)."
                    }
                    (true, _) => "No unread articles left.",
                    (false, true) => "This is the last article of the list.",
                    (false, false) => "This is the first article of the list.",
                }
                .into(),
            );
            return None;
        };
        self.list.selected = index;
        self.move_selection(0);
        self.replace_reader = true;
        self.open_article(path, None)
    }

    fn go_back(&mut self) -> Option<Effect> {
        // An article still being read for a link followed from here is no longer wanted.
        self.pending_article = None;
        self.replace_reader = false;
        self.remember_position_now();
        if let Some(mut previous) = self.history.pop() {
            previous.refit(self.text_width(), self.config.wrap, self.picture_fit());
            clamp_top(&mut previous, self.reader_rows());
            self.reader = Some(previous);
            return None;
        }
        if self.single_file {
            // `folio FILE` has no list to go back to.
            return Some(Effect::Quit);
        }
        self.reader = None;
        self.screen = Screen::List;
        self.move_selection(0);
        self.want_preview()
    }

    /// Follows a link of the article being read: browser, heading, article, or a refusal.
    fn follow(&mut self, url: &str) -> Option<Effect> {
        // A local picture shows full-screen, inside folio.
        if self.config.images != super::ImageMode::Off {
            if let Some(reader) = &self.reader {
                let layout = &reader.layout;
                let picture = layout.pictures.iter().find_map(|p| {
                    let link = layout.links.iter().find(|l| l.number == p.link)?;
                    (link.url == url).then(|| (p.path.clone(), link.text.clone()))
                });
                if let Some((path, caption)) = picture {
                    self.overlay = Some(Overlay::Picture { path, caption });
                    return None;
                }
            }
        }
        let current = self.reader.as_ref()?.path.clone();
        match classify(url, &current, self.library_dir()) {
            Target::Web(url) => Some(Effect::OpenUrl(url)),
            Target::Anchor(anchor) => {
                let rows = self.reader_rows();
                let reader = self.reader.as_mut()?;
                let before = memory::text_before(&reader.layout, reader.top);
                match jump_to_anchor(reader, &anchor) {
                    // A step in the history: Back returns to where the reader was.
                    Ok(()) => reader.jumps.push(before),
                    Err(message) => self.status = Some(message),
                }
                clamp_top(reader, rows);
                None
            }
            Target::Article { path, anchor } => self.open_article(path, anchor),
            Target::Refused(message) => {
                self.status = Some(message);
                None
            }
        }
    }

    /// Files changed on disk: the list is read again, and the open article if it is one of
    /// them (an empty list means "anything may have changed": `r`, or the editor returned).
    fn files_changed(&mut self, paths: &[PathBuf]) -> Option<Effect> {
        let reload = self.reader.as_ref().and_then(|reader| {
            let same = |p: &PathBuf| p == &reader.path || p.ends_with(&reader.article.rel_path);
            (paths.is_empty() || paths.iter().any(same)).then(|| reader.path.clone())
        });
        if let Some(path) = reload {
            let ticket = self.ticket();
            self.pending_reload = Some(ticket);
            self.outbox.push(Effect::LoadArticle {
                ticket,
                path,
                anchor: None,
            });
        }
        // The preview of a changed article is stale.
        self.previews
            .retain(|(path, _), _| !paths.is_empty() && !paths.contains(path));
        Some(Effect::LoadLibrary)
    }

    /// The open article, read again: the same place stays at the top.
    fn article_reloaded(
        &mut self,
        path: &std::path::Path,
        result: Result<(Article, Body), String>,
    ) {
        let width = self.text_width();
        let wrap = self.config.wrap;
        let rows = self.reader_rows();
        let picture_fit = self.picture_fit();
        self.pictures.clear();
        let Some(reader) = self.reader.as_mut().filter(|r| r.path == path) else {
            return;
        };
        let (article, body) = match result {
            Ok(loaded) => loaded,
            Err(message) => {
                self.status = Some(shown(&message, 200));
                return;
            }
        };
        let position = match reader.rest.take() {
            Some(super::Rest {
                position: Some(position),
                ..
            }) if reader.top == 0 => position,
            _ => memory::position_at(&reader.layout, reader.top),
        };
        let mut doc = markdown::parse::parse_article_with(
            &article.meta,
            &body.markdown,
            markdown::parse::Options { highlight: false },
        );
        super::attach_pictures(&mut doc, &body.pictures, self.config.images, picture_fit);
        self.pending_highlight = None;
        let blocks = code_blocks(&doc);
        reader.layout = markdown::layout_with(&doc, width, wrap);
        reader.window = None;
        reader.content = Content::Markdown(std::sync::Arc::new(doc));
        reader.article = article;
        reader.top = memory::row_of(&reader.layout, &position);
        reader.focus = None;
        reader.find = None;
        reader.jumps.clear();
        clamp_top(reader, rows);
        if !blocks.is_empty() {
            let ticket = self.ticket();
            self.pending_highlight = Some(ticket);
            self.outbox.push(Effect::Highlight { ticket, blocks });
        }
    }

    /// The whole of a big article arrived: its first part is the top of it (the same rows,
    /// link numbers and note marks), so the view stays where it is; a place that waited for
    /// the rest is taken now.
    fn rest_parsed(
        &mut self,
        ticket: super::Ticket,
        mut doc: Box<markdown::Document>,
        layout: Layout,
    ) {
        let width = self.text_width();
        // The screen may have changed height while the rest was read: pictures fit it now.
        let fit = self.picture_fit();
        let refit = doc.picture_fit != fit && doc.has_pictures();
        doc.picture_fit = fit;
        let wrap = self.config.wrap;
        let rows = self.reader_rows();
        let Some((reader, current)) = waiting_reader(&mut self.reader, &mut self.history, |r| {
            r.rest.as_ref().is_some_and(|rest| rest.ticket == ticket)
        }) else {
            return;
        };
        if current {
            // The whole came coloured: a colouring of the first part on its way is stale.
            self.pending_highlight = None;
        }
        let Some(rest) = reader.rest.take() else {
            return;
        };
        reader.content = Content::Markdown(std::sync::Arc::from(doc));
        reader.layout = layout;
        reader.window = None;
        if reader.layout.width != width || refit {
            reader.relayout_now(width, wrap);
        } else if let Some(find) = &mut reader.find {
            find.hits = markdown::find::find(&reader.layout, &find.query);
        }
        if let Some(anchor) = rest.anchor {
            if let Err(message) = jump_to_anchor(reader, &anchor) {
                self.status = Some(message);
            }
        } else if let Some(position) = rest.position {
            if reader.top == 0 {
                reader.top = memory::row_of(&reader.layout, &position);
            }
        }
        clamp_top(reader, rows);
        if current {
            self.note_position(false);
        }
    }

    /// The whole layout a window of a big article waited for (the article may have been left
    /// for a link meanwhile: it waits in the history).
    fn laid_out(&mut self, ticket: super::Ticket, layout: Layout) {
        let rows = self.reader_rows();
        let Some((reader, current)) = waiting_reader(&mut self.reader, &mut self.history, |r| {
            r.window.as_ref().is_some_and(|w| w.ticket == ticket)
        }) else {
            return;
        };
        reader.laid_out(ticket, layout);
        clamp_top(reader, rows);
        if current {
            self.note_position(false);
        }
    }

    /// Asks for the code of a document just opened to be coloured.
    fn want_highlight(&mut self, doc: &markdown::Document) {
        let blocks = code_blocks(doc);
        if blocks.is_empty() {
            self.pending_highlight = None;
            return;
        }
        let ticket = self.ticket();
        self.pending_highlight = Some(ticket);
        self.outbox.push(Effect::Highlight { ticket, blocks });
    }

    /// The coloured code arrived: into the document, laid out again in place (colour changes
    /// no text, so every row stays where it is).
    fn highlighted(&mut self, ticket: super::Ticket, blocks: Vec<super::CodeBlock>) {
        if self.pending_highlight != Some(ticket) {
            return;
        }
        self.pending_highlight = None;
        let width = self.text_width();
        let wrap = self.config.wrap;
        let Some(reader) = self.reader.as_mut() else {
            return;
        };
        let Content::Markdown(doc) = &mut reader.content else {
            return;
        };
        // A copy only if a layout job still holds the document.
        let doc = std::sync::Arc::make_mut(doc);
        for block in blocks {
            if let Some(markdown::model::BlockKind::Code { lines, .. }) =
                doc.blocks.get_mut(block.index).map(|b| &mut b.kind)
            {
                if lines.len() == block.lines.len() {
                    *lines = block.lines;
                }
            }
        }
        let top = reader.top;
        reader.relayout_now(width, wrap);
        reader.top = top.min(reader.layout.lines.len().saturating_sub(1));
    }

    /// Asks for `url` on the clipboard and says so.
    fn copy(&mut self, url: String) -> Option<Effect> {
        self.status = Some(format!("Copied {}", shown(&url, 120)));
        Some(Effect::Copy(url))
    }

    /// Keys while the outline is open: typing filters, Enter puts the heading on the top row.
    fn outline_action(&mut self, msg: &Msg) {
        let Some(Overlay::Outline {
            mut query,
            selected,
        }) = self.overlay.clone()
        else {
            return;
        };
        let count = self.outline(&query).len();
        let page = self.reader_rows().saturating_sub(6).max(1);
        let selected = match picker_key(msg, &mut query, selected, count, page) {
            Pick::Select(selected) => selected,
            Pick::Close => {
                self.overlay = None;
                return;
            }
            Pick::Choose(selected) => {
                let shown = self.outline(&query);
                self.overlay = None;
                let rows = self.reader_rows();
                let Some(&index) = shown.get(selected) else {
                    return;
                };
                if let Some(reader) = self.reader.as_mut() {
                    if let Some(heading) = reader.layout.headings.get(index) {
                        reader.top = heading.row.min(max_top(reader, rows));
                    }
                }
                return;
            }
        };
        self.overlay = Some(Overlay::Outline { query, selected });
    }

    /// Keys while the tags panel is open: typing filters, Enter narrows the list to the tag
    /// (or, on the tag already in force, shows every article again).
    fn tags_action(&mut self, msg: &Msg) {
        let Some(Overlay::Tags {
            mut query,
            selected,
        }) = self.overlay.clone()
        else {
            return;
        };
        let count = self.tags(&query).len();
        let page = self.list_rows().saturating_sub(6).max(1);
        let selected = match picker_key(msg, &mut query, selected, count, page) {
            Pick::Select(selected) => selected,
            Pick::Close => {
                self.overlay = None;
                return;
            }
            Pick::Choose(selected) => {
                self.overlay = None;
                let Some(tag) = self.tags(&query).into_iter().nth(selected) else {
                    return;
                };
                let same = self.tag.as_deref().is_some_and(|t| {
                    crate::search::tag_key(t) == crate::search::tag_key(&tag.name)
                });
                self.set_tag((!same).then_some(tag.name));
                return;
            }
        };
        self.overlay = Some(Overlay::Tags { query, selected });
    }

    /// Narrows the list to `tag` (or shows every article), staying on the selected article if
    /// it is still shown.
    fn set_tag(&mut self, tag: Option<String>) {
        let keep = self.selected_article().map(|a| a.path.clone());
        self.tag = tag;
        self.refresh_shown();
        self.list.selected = 0;
        self.select_path(keep.as_deref());
    }

    /// `S`: the next order, kept for this folder.
    fn cycle_sort(&mut self) {
        self.sort = self.sort.next(self.memory.is_some());
        self.resort();
        let root = self.library.root.clone();
        let sort = self.sort;
        if let Some(memory) = &mut self.memory {
            memory.writes.push(Write::Sort { root, sort });
        }
        self.status = Some(format!("Sorted {}", self.sort.label()));
    }

    /// Puts the articles in the order in force, keeping the selected article selected.
    fn resort(&mut self) {
        let keep = self.selected_article().map(|a| a.path.clone());
        self.sort_articles();
        if self.search.is_some() {
            self.refilter();
        }
        self.refresh_shown();
        self.list.selected = 0;
        self.select_path(keep.as_deref());
    }

    fn links_panel(&mut self, msg: &Msg) -> Option<Effect> {
        let Some(Overlay::Links { selected }) = self.overlay.clone() else {
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
        let selected = match msg {
            Msg::Cmd(Command::Down) => step(1),
            Msg::Cmd(Command::Up) => step(-1),
            Msg::Cmd(Command::PageDown) => step(page),
            Msg::Cmd(Command::PageUp) => step(-page),
            Msg::Cmd(Command::Top) => 0,
            Msg::Cmd(Command::Bottom) => count.saturating_sub(1),
            Msg::Cmd(Command::Back) => {
                self.overlay = None;
                return None;
            }
            Msg::Cmd(Command::CopyLink) => {
                let url = self
                    .reader
                    .as_ref()?
                    .layout
                    .links
                    .get(selected)?
                    .url
                    .clone();
                return self.copy(url);
            }
            Msg::Cmd(Command::Open) => {
                self.overlay = None;
                let rows = self.reader_rows();
                let reader = self.reader.as_mut()?;
                reader.focus = Some(selected);
                reader.note_focus = None;
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

/// The code blocks of `doc` that name a language, to colour in a job.
fn code_blocks(doc: &markdown::Document) -> Vec<super::CodeBlock> {
    doc.blocks
        .iter()
        .enumerate()
        .filter_map(|(index, block)| match &block.kind {
            markdown::model::BlockKind::Code {
                lang: Some(lang),
                lines,
            } => Some(super::CodeBlock {
                index,
                lang: lang.clone(),
                lines: lines.clone(),
            }),
            _ => None,
        })
        .collect()
}

/// A layout of one dimmed message, for a preview that could not be read.
fn message_layout(message: &str, width: usize) -> Layout {
    let text: String = shown(message, width.max(1));
    Layout {
        width,
        lines: [markdown::Line {
            spans: vec![markdown::Span {
                text,
                style: markdown::Style::role(markdown::Role::Problem),
                link: None,
            }],
        }]
        .into_iter()
        .collect(),
        links: Vec::new(),
        headings: Vec::new(),
        pictures: Vec::new(),
        blocks: Vec::new(),
    }
}

/// The reader a job's answer is for (`waits`): the one open, else one left in the history
/// for a link meanwhile; with whether it is the open one. Fields, not `App`, are taken so
/// that the caller may go on setting the status while it holds the reader.
fn waiting_reader<'a>(
    open: &'a mut Option<Reader>,
    history: &'a mut [Reader],
    waits: impl Fn(&Reader) -> bool,
) -> Option<(&'a mut Reader, bool)> {
    match open {
        Some(reader) if waits(reader) => Some((reader, true)),
        _ => history.iter_mut().find(|r| waits(r)).map(|r| (r, false)),
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

/// The footnote references of a layout, in reading order: (row, first column, end column,
/// note number). They are drawn as superscript digits.
fn footnote_refs(layout: &crate::markdown::Layout) -> Vec<(usize, usize, usize, usize)> {
    let mut refs = Vec::new();
    for (row, line) in layout.lines.iter().enumerate() {
        let mut col = 0;
        for span in line.spans() {
            let width = crate::text::display_width(span.text);
            if span.style.role == markdown::Role::FootnoteRef {
                let number = span
                    .text
                    .chars()
                    .filter_map(|c| "⁰¹²³⁴⁵⁶⁷⁸⁹".chars().position(|d| d == c))
                    .fold(0usize, |n, d| n.saturating_mul(10).saturating_add(d));
                refs.push((row, col, col + width, number));
            }
            col += width;
        }
    }
    refs
}

/// The row where note `number` is, in the notes at the end.
fn note_row(layout: &crate::markdown::Layout, number: usize) -> Option<usize> {
    let label = format!("{number}.");
    layout.lines.iter().position(|line| {
        line.spans()
            .any(|s| s.style.role == markdown::Role::FootnoteLabel && s.text.trim() == label)
    })
}

/// A place Tab stops at: a link (by index) or a footnote reference.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stop {
    Link(usize),
    Note((usize, usize, usize, usize)),
}

/// Tab / Shift-Tab: the next link or footnote reference in reading order, starting from what
/// is on screen.
fn focus_link(reader: &mut Reader, forward: bool, rows: usize) {
    let mut stops: Vec<((usize, usize), Stop)> = (0..reader.layout.links.len())
        .filter_map(|i| {
            let place = reader.layout.links[i].places.first()?;
            Some(((place.0, place.1), Stop::Link(i)))
        })
        .collect();
    stops.extend(
        footnote_refs(&reader.layout)
            .into_iter()
            .map(|r| ((r.0, r.1), Stop::Note(r))),
    );
    stops.sort_by_key(|(at, _)| *at);
    if stops.is_empty() {
        reader.focus = None;
        reader.note_focus = None;
        return;
    }
    let visible = |row: usize| row >= reader.top && row < reader.top + rows;
    let current = match (reader.focus, reader.note_focus) {
        (Some(i), _) if is_visible(reader, i, rows) => {
            reader.layout.links[i].places.first().map(|p| (p.0, p.1))
        }
        (_, Some(note)) if visible(note.0) => Some((note.0, note.1)),
        _ => None,
    };
    let first = stops[0].1;
    let last = stops[stops.len() - 1].1;
    let next = match (current, forward) {
        (Some(at), true) => stops.iter().find(|(p, _)| *p > at).map_or(first, |s| s.1),
        (Some(at), false) => stops
            .iter()
            .rev()
            .find(|(p, _)| *p < at)
            .map_or(last, |s| s.1),
        (None, true) => stops
            .iter()
            .find(|(p, _)| p.0 >= reader.top)
            .map_or(first, |s| s.1),
        (None, false) => stops
            .iter()
            .rev()
            .find(|(p, _)| p.0 < reader.top + rows)
            .map_or(last, |s| s.1),
    };
    match next {
        Stop::Link(i) => {
            reader.focus = Some(i);
            reader.note_focus = None;
            keep_link_visible(reader, rows);
        }
        Stop::Note(note) => {
            reader.focus = None;
            reader.note_focus = Some(note);
            if !visible(note.0) {
                reader.top = note.0.saturating_sub(rows / 3).min(max_top(reader, rows));
            }
        }
    }
}

/// Finds the query again and moves to the first place at or after the top of the screen.
pub(super) fn refind(reader: &mut Reader, rows: usize) {
    let top = reader.top;
    let Some(find) = &mut reader.find else {
        return;
    };
    find.hits = find.locate(&reader.layout);
    find.current = find
        .hits
        .iter()
        .position(|hit| hit.row() >= top)
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
        None => find
            .hits
            .iter()
            .position(|hit| hit.row() >= top)
            .unwrap_or(0),
    });
    keep_hit_visible(reader, rows);
}

fn keep_hit_visible(reader: &mut Reader, rows: usize) {
    let Some(row) = reader
        .find
        .as_ref()
        .and_then(|f| f.current.and_then(|i| f.hits.get(i)))
        .map(crate::markdown::find::Hit::row)
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

/// What a key did in a picker (the outline, the tags panel).
enum Pick {
    /// The filter or the selection changed: this row is selected now.
    Select(usize),
    Close,
    /// Enter on this row.
    Choose(usize),
}

/// A key in a picker whose filter is `query` and which shows `count` rows: typing edits the
/// filter (and selects the first row), the movement keys move, Enter chooses, Esc closes.
fn picker_key(msg: &Msg, query: &mut String, selected: usize, count: usize, page: usize) -> Pick {
    let step = |delta: isize| {
        let last = count.saturating_sub(1) as isize;
        Pick::Select(
            (selected as isize)
                .saturating_add(delta)
                .clamp(0, last.max(0)) as usize,
        )
    };
    let page = page as isize;
    match msg {
        Msg::Input(c) if !c.is_control() && query.len() < super::QUERY_MAX_BYTES => {
            query.push(*c);
            Pick::Select(0)
        }
        Msg::Cmd(Command::DeleteChar) => {
            query.pop();
            Pick::Select(0)
        }
        Msg::Cmd(Command::ClearQuery) => {
            query.clear();
            Pick::Select(0)
        }
        Msg::Cmd(Command::Down) => step(1),
        Msg::Cmd(Command::Up) => step(-1),
        Msg::Scroll(n) => step(n.signum() as isize),
        Msg::Cmd(Command::PageDown) => step(page),
        Msg::Cmd(Command::PageUp) => step(-page),
        Msg::Cmd(Command::Top) => Pick::Select(0),
        Msg::Cmd(Command::Bottom) => Pick::Select(count.saturating_sub(1)),
        Msg::Cmd(Command::Back) => Pick::Close,
        Msg::Cmd(Command::Open) => Pick::Choose(selected),
        _ => Pick::Select(selected),
    }
}
