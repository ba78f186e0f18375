//! The full-text search panel (`F` in the list): the query as typed, a pause, a search job,
//! its answer; Enter opens an article with its words found, so `n` and `N` walk them. The
//! index is brought up to date by a job after each read of the library; until it is ready the
//! job reads the files.

use super::update::refind;
use super::{
    App, Command, Effect, Find, Msg, Overlay, QUERY_MAX_BYTES, TEXT_SEARCH_AFTER, TextPanel,
    TextResult, Ticket,
};

impl App {
    /// Brings the index up to date after the library was read (not with `--no-state`, which
    /// keeps no cache, nor for one file). One build at a time: a change meanwhile builds again.
    pub(super) fn start_index(&mut self) {
        if !self.config.remember || self.single_file {
            return;
        }
        if self.indexing.is_some() {
            self.index_again = true;
            return;
        }
        self.indexing = Some((0, 0));
        self.outbox.push(Effect::IndexLibrary {
            root: self.library_dir().to_path_buf(),
        });
    }

    pub(super) fn index_ready(&mut self, result: Result<(), String>) -> Option<Effect> {
        self.indexing = None;
        match result {
            Ok(()) => self.index_ready = true,
            Err(why) => {
                self.status = Some(crate::text::shown(
                    &format!("The full-text index could not be built ({why}); F reads the files."),
                    200,
                ));
            }
        }
        if std::mem::take(&mut self.index_again) {
            self.start_index();
        }
        None
    }

    /// The pause after typing is over: asks for the panel's query to be searched.
    pub(super) fn search_text(&mut self) -> Option<Effect> {
        let Some(Overlay::FullText(panel)) = &self.overlay else {
            return None;
        };
        let query = panel.query.clone();
        if query.trim().is_empty() {
            return None;
        }
        let ticket = self.ticket();
        self.pending_text = Some(ticket);
        Some(Effect::SearchText {
            ticket,
            root: self.library_dir().to_path_buf(),
            query,
            indexed: self.index_ready,
        })
    }

    pub(super) fn text_found(
        &mut self,
        ticket: Ticket,
        query: String,
        result: Result<Vec<TextResult>, String>,
    ) {
        if self.pending_text != Some(ticket) {
            return;
        }
        self.pending_text = None;
        let Some(Overlay::FullText(panel)) = &mut self.overlay else {
            return;
        };
        panel.searching = self.text_timer.is_some();
        match result {
            Ok(results) => {
                panel.results = results;
                panel.answered = query;
                panel.selected = 0;
                panel.error = None;
            }
            Err(why) => panel.error = Some(crate::text::shown(&why, 200)),
        }
    }

    /// `F` in the list: the panel, empty.
    pub(super) fn open_full_text(&mut self) {
        self.overlay = Some(Overlay::FullText(Box::default()));
    }

    /// Keys while the panel is open.
    pub(super) fn full_text_action(&mut self, msg: Msg) -> Option<Effect> {
        let Some(Overlay::FullText(mut panel)) = self.overlay.take() else {
            return None;
        };
        let count = panel.results.len();
        // Each article takes two rows of the panel.
        let page = (self.reader_rows().saturating_sub(6) / 2).max(1) as isize;
        let step = |selected: usize, delta: isize| {
            let last = count.saturating_sub(1) as isize;
            (selected as isize)
                .saturating_add(delta)
                .clamp(0, last.max(0)) as usize
        };
        let before = panel.query.clone();
        match msg {
            Msg::Input(c) if !c.is_control() && panel.query.len() < QUERY_MAX_BYTES => {
                panel.query.push(c);
            }
            Msg::Cmd(Command::DeleteChar) => {
                panel.query.pop();
            }
            Msg::Cmd(Command::ClearQuery) => panel.query.clear(),
            Msg::Cmd(Command::Down) => panel.selected = step(panel.selected, 1),
            Msg::Cmd(Command::Up) => panel.selected = step(panel.selected, -1),
            Msg::Scroll(n) => panel.selected = step(panel.selected, n.signum() as isize),
            Msg::Cmd(Command::PageDown) => panel.selected = step(panel.selected, page),
            Msg::Cmd(Command::PageUp) => panel.selected = step(panel.selected, -page),
            Msg::Cmd(Command::Back) => {
                self.text_timer = None;
                self.pending_text = None;
                return None;
            }
            Msg::Cmd(Command::Open) => {
                let Some(found) = panel.results.get(panel.selected) else {
                    self.overlay = Some(Overlay::FullText(panel));
                    return None;
                };
                let path = found.path.clone();
                let terms = crate::store::fts::find_terms(&panel.answered);
                let query = panel.answered.clone();
                // The panel stays until the article arrives: a file that cannot be read
                // leaves it open with the reason in the footer.
                self.overlay = Some(Overlay::FullText(panel));
                let effect = self.open_article(path, None);
                if let Some(Effect::LoadArticle { ticket, .. }) = &effect {
                    self.seeded_find = Some((*ticket, query, terms));
                }
                return effect;
            }
            _ => {}
        }
        if panel.query == before {
            self.overlay = Some(Overlay::FullText(panel));
            return None;
        }
        panel.selected = 0;
        if panel.query.trim().is_empty() {
            *panel = TextPanel {
                query: panel.query.clone(),
                ..TextPanel::default()
            };
            self.text_timer = None;
            self.pending_text = None;
            self.overlay = Some(Overlay::FullText(panel));
            return None;
        }
        panel.searching = true;
        self.overlay = Some(Overlay::FullText(panel));
        let ticket = self.ticket();
        self.text_timer = Some(ticket);
        Some(Effect::Timer {
            ticket,
            after: TEXT_SEARCH_AFTER,
        })
    }

    /// The article opened from the panel: its places found, the first one on screen.
    pub(super) fn seed_find(&mut self, query: String, terms: Vec<String>) {
        let rows = self.reader_rows();
        let Some(reader) = self.reader.as_mut() else {
            return;
        };
        reader.top = 0;
        reader.find = Some(Find {
            query,
            terms,
            ..Find::default()
        });
        refind(reader, rows);
        if reader.find.as_ref().is_some_and(|f| f.hits.is_empty()) {
            self.status = Some("The words found are in this article's title or metadata.".into());
        }
        self.note_position(false);
    }
}
