//! The reader's model and its pure update: no I/O, no terminal.
//!
//! [`App`] holds everything the screen shows; [`App::update`] (in `update.rs`) changes it in
//! answer to a [`Msg`] and may ask for [`Effect`]s, which the loop in `crate::tui` turns into
//! jobs whose results come back as messages.

mod arrange;
pub(crate) mod command;
pub mod keymap;
pub(crate) mod memory;
pub(crate) mod msg;
pub mod pictures;
mod text_search;
mod update;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use arrange::{Sort, TagCount, tag_counts};
pub use command::Command;
pub use keymap::{Context, Keymap};
pub use memory::{Mark, Memory, Position, View, Write};
pub use msg::{CodeBlock, Effect, Msg, Ticket};

use crate::library::{Article, Library};
use crate::markdown::{Document, Layout};
use crate::search::{Match, Searcher};

/// The narrowest and lowest terminal folio draws in; below it the screen says so.
pub const MIN_WIDTH: u16 = 20;
pub const MIN_HEIGHT: u16 = 5;
/// From this width on, the list shows a preview of the selected article beside it.
pub const PREVIEW_MIN_WIDTH: u16 = 120;
/// Rows each article takes in the list: title line and description line.
pub const ROWS_PER_ITEM: usize = 2;
/// How much of an article the preview lays out (the pane shows only its first lines).
const PREVIEW_BYTES: usize = 12 * 1024;
/// The longest search query, in bytes; typing past it is ignored.
pub const QUERY_MAX_BYTES: usize = 256;
/// Articles kept for Back; the oldest is forgotten past this.
const HISTORY_LIMIT: usize = 64;
/// Preview layouts kept before the cache starts over.
const PREVIEW_CACHE: usize = 64;
/// Articles the full-text panel lists at most.
pub const TEXT_RESULTS: usize = 50;
/// How long typing in the full-text panel pauses before the search starts: reading every file
/// (before the index is ready) is too slow to do for each key.
const TEXT_SEARCH_AFTER: std::time::Duration = std::time::Duration::from_millis(120);

/// Settings read once at start (from the config file, the environment and the flags).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// The widest the reader wraps text (`width`, `FOLIO_WIDTH`, default 100).
    pub max_width: usize,
    /// How prose is filled.
    pub wrap: crate::markdown::Wrap,
    /// The keys in force.
    pub keymap: Keymap,
    /// What was wrong in the config file, shown once in the footer.
    pub problems: Vec<String>,
    /// Whether to keep marks and positions (false with `--no-state`).
    pub remember: bool,
    /// Whether and how pictures are drawn.
    pub images: ImageMode,
    /// The most rows a picture takes in the text (0: a third of the screen).
    pub image_rows: usize,
    /// Where site-root image paths are looked up first.
    pub site_root: Option<PathBuf>,
}

/// Gives the document's images what their files' headers said (none when images are off).
pub(crate) fn attach_pictures(
    doc: &mut Document,
    pictures: &[(String, crate::markdown::model::Picture)],
    mode: ImageMode,
    fit: crate::markdown::model::PictureFit,
) {
    doc.picture_fit = fit;
    if mode == ImageMode::Off {
        return;
    }
    for link in &mut doc.links {
        link.picture = pictures
            .iter()
            .find(|(url, _)| *url == link.url)
            .map(|(_, picture)| picture.clone());
    }
}

/// The `images` config entry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ImageMode {
    /// The terminal's graphics protocol when it has one, else half-blocks.
    #[default]
    Auto,
    /// Half-block characters in colour, whatever the terminal.
    Halfblocks,
    /// Labels only; no image file is read.
    Off,
}

impl ImageMode {
    pub fn from_name(name: &str) -> Option<ImageMode> {
        match name {
            "auto" => Some(ImageMode::Auto),
            "halfblocks" => Some(ImageMode::Halfblocks),
            "off" => Some(ImageMode::Off),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ImageMode::Auto => "auto",
            ImageMode::Halfblocks => "halfblocks",
            ImageMode::Off => "off",
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_width: 100,
            wrap: crate::markdown::Wrap::default(),
            keymap: Keymap::default(),
            problems: Vec::new(),
            remember: false,
            images: ImageMode::default(),
            image_rows: 0,
            site_root: None,
        }
    }
}

/// Which screen has the terminal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    List,
    Reader,
}

/// Something drawn over the screen that takes the keys while open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Overlay {
    /// Every context's keys, scrolled down `scroll` rows; opened from `from`.
    Help { from: Context, scroll: usize },
    /// A picture of the article full-screen: its file and caption.
    Picture { path: PathBuf, caption: String },
    /// Every link of the article; `selected` indexes the layout's links.
    Links { selected: usize },
    /// The article's headings matching `query`; `selected` indexes those shown.
    Outline { query: String, selected: usize },
    /// The library's tags matching `query`, with their counts; `selected` indexes those shown.
    Tags { query: String, selected: usize },
    /// A search through every article's text (`F` in the list).
    FullText(Box<TextPanel>),
}

/// The full-text search panel: the query typed, and the articles found for the last query
/// answered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextPanel {
    pub query: String,
    /// Index into `results`.
    pub selected: usize,
    pub results: Vec<TextResult>,
    /// The query `results` answer.
    pub answered: String,
    /// True from a change of the query until its answer arrives.
    pub searching: bool,
    /// Why the last search failed, if it did.
    pub error: Option<String>,
}

/// One article the full-text search found, best first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextResult {
    pub path: PathBuf,
    /// Relative to the library's folder, sanitized.
    pub rel_path: String,
    pub title: String,
    /// Plain text around the best matches.
    pub snippet: String,
    /// `[start, end)` character offsets of the matches in `snippet`.
    pub marks: Vec<(usize, usize)>,
    /// How many times the query matches in the article.
    pub hits: usize,
}

/// The list's selection and scroll, in items of the visible (maybe filtered) list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ListState {
    pub selected: usize,
    pub offset: usize,
}

/// The search line while it is open.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchState {
    pub query: String,
    /// `None` while the query is blank: the full list.
    pub matches: Option<Vec<Match>>,
    /// True while typing goes into the query; false once an article was opened from it (the
    /// filter stays, the list keys work again, `/` starts a new query, Esc clears it).
    pub editing: bool,
    /// Which earlier query ↑ brought back (0 is the latest), while recalling.
    pub recall: Option<usize>,
    /// The query without its `#tag` and `@author` terms: what titles are matched against.
    pub title_part: String,
}

/// What a reader lays out from.
#[derive(Clone, Debug)]
pub(crate) enum Content {
    /// Shared with a job laying it out at a new width.
    Markdown(std::sync::Arc<Document>),
    /// A layout given whole (tests, benches, messages); not re-wrapped on resize.
    Fixed,
}

/// One open article: its document, its layout at the current width and where the eye is.
#[derive(Clone, Debug)]
pub struct Reader {
    pub path: PathBuf,
    pub article: Article,
    pub(crate) content: Content,
    pub layout: Layout,
    /// First visible row of the layout.
    pub top: usize,
    /// Index into `layout.links` of the focused link.
    pub focus: Option<usize>,
    /// The footnote reference Tab focused instead of a link: (row, first column, end column,
    /// note number). Links keep their numbers; notes are not links.
    pub note_focus: Option<(usize, usize, usize, usize)>,
    /// Digits typed towards a link number.
    pub number: String,
    /// Finding text in the article (`/`), while active.
    pub find: Option<Find>,
    /// Where the reader was before each jump to an `#anchor` in this article, as text
    /// positions (they survive a resize); Back returns to the last.
    pub jumps: Vec<usize>,
    /// While only the first part of a big article is parsed: the rest being read.
    pub rest: Option<Rest>,
    /// While a window of a big article's blocks shows at a new width: the whole being laid out.
    pub window: Option<Window>,
}

/// A big article laid out at a new width: the blocks around the top first (so the screen
/// follows a resize at once), the whole in a job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    pub ticket: Ticket,
    /// The block at row 0 of the window (index into the document's blocks), or `None` when
    /// the window is the top of the page, header included.
    pub first_block: Option<usize>,
}

/// The rest of a big article, parsed in a job while its first part shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rest {
    pub ticket: Ticket,
    /// Where to put the view once the rest is here: an `#anchor` or a remembered position the
    /// first part did not reach.
    pub anchor: Option<String>,
    pub position: Option<memory::Position>,
}

/// Text found in the article: every place it occurs, and which one the eye is on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Find {
    pub query: String,
    /// (row, first column, end column) of each occurrence, in reading order.
    pub hits: Vec<crate::markdown::find::Hit>,
    /// Index into `hits` of the current occurrence.
    pub current: Option<usize>,
    /// True while typing goes into the query.
    pub editing: bool,
    /// Which earlier query ↑ brought back (0 is the latest), while recalling.
    pub recall: Option<usize>,
    /// Set when the find comes from a full-text search: the places of any of these words or
    /// phrases are found (the query is then the search's, shown as typed). Typing clears it.
    pub terms: Vec<String>,
}

impl Find {
    /// Where the find's text occurs in `layout`.
    pub(crate) fn locate(&self, layout: &Layout) -> Vec<crate::markdown::find::Hit> {
        if !self.terms.is_empty() {
            crate::markdown::find::find_any(layout, &self.terms)
        } else if self.query.trim().is_empty() {
            Vec::new()
        } else {
            crate::markdown::find::find(layout, &self.query)
        }
    }
}

/// Earlier queries of one prompt, oldest first, for ↑ on an empty prompt (as less does).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Queries {
    entries: Vec<String>,
}

/// Queries a prompt remembers.
const QUERIES_KEPT: usize = 50;

impl Queries {
    /// Keeps `query` as the latest (once: an earlier copy moves up).
    pub fn push(&mut self, query: &str) {
        let query = query.trim();
        if query.is_empty() {
            return;
        }
        self.entries.retain(|q| q != query);
        if self.entries.len() == QUERIES_KEPT {
            self.entries.remove(0);
        }
        self.entries.push(query.to_owned());
    }

    /// The query `back` steps before the latest (0 is the latest).
    pub fn get(&self, back: usize) -> Option<&str> {
        let i = self.entries.len().checked_sub(back + 1)?;
        self.entries.get(i).map(String::as_str)
    }

    /// Moves a recall one step: older (`up`) or newer. Returns the new recall index and the
    /// query it brings (`None` past the newest: back to an empty prompt).
    pub fn step(&self, recall: Option<usize>, up: bool) -> (Option<usize>, String) {
        let next = match (recall, up) {
            (None, true) => Some(0),
            (Some(i), true) if self.get(i + 1).is_some() => Some(i + 1),
            (Some(i), true) => Some(i),
            (Some(0) | None, false) => None,
            (Some(i), false) => Some(i - 1),
        };
        match next.and_then(|i| self.get(i).map(|q| (i, q.to_owned()))) {
            Some((i, query)) => (Some(i), query),
            None => (None, String::new()),
        }
    }
}

impl Reader {
    /// A reader for an article whose layout is already made.
    pub fn with_layout(path: PathBuf, article: Article, layout: Layout) -> Self {
        Reader {
            path,
            article,
            content: Content::Fixed,
            layout,
            top: 0,
            focus: None,
            note_focus: None,
            number: String::new(),
            find: None,
            jumps: Vec::new(),
            rest: None,
            window: None,
        }
    }

    /// Wraps again at `width` if it changed, keeping the same text at the top.
    pub(crate) fn relayout(&mut self, width: usize, wrap: crate::markdown::Wrap) {
        if self.layout.width == width {
            return;
        }
        self.relayout_now(width, wrap);
    }

    /// Wraps again if the width or the pictures' fit changed (a resize changes both: the row
    /// cap follows the screen's height), keeping the same text at the top.
    pub(crate) fn refit(
        &mut self,
        width: usize,
        wrap: crate::markdown::Wrap,
        fit: crate::markdown::model::PictureFit,
    ) {
        if self.fit_pictures(fit) {
            self.relayout_now(width, wrap);
        } else {
            self.relayout(width, wrap);
        }
    }

    /// Takes the pictures' new fit; true when the article has pictures to lay out again.
    pub(crate) fn fit_pictures(&mut self, fit: crate::markdown::model::PictureFit) -> bool {
        match &mut self.content {
            Content::Markdown(doc) if doc.picture_fit != fit => {
                let pictures = doc.has_pictures();
                std::sync::Arc::make_mut(doc).picture_fit = fit;
                pictures
            }
            _ => false,
        }
    }

    /// Lays the document out again at `width`, keeping the same text at the top.
    pub(crate) fn relayout_now(&mut self, width: usize, wrap: crate::markdown::Wrap) {
        let Content::Markdown(doc) = &self.content else {
            return;
        };
        let whole = crate::markdown::layout_with(doc, width, wrap);
        match self.window.take() {
            // The window's top, placed in the whole (its rows are the whole's rows when the
            // widths agree; else the text before it stays before it).
            Some(window) => {
                let start = window_start(&whole, window.first_block);
                let top = match start {
                    Some(start) if whole.width == self.layout.width => start + self.top,
                    _ => {
                        let before = start.map_or(0, |s| memory::text_before(&whole, s));
                        let anchor = before + memory::text_before(&self.layout, self.top);
                        memory::row_at_text(&whole, anchor)
                    }
                };
                self.set_layout(whole, top);
            }
            None => {
                let anchor = memory::text_before(&self.layout, self.top);
                let top = memory::row_at_text(&whole, anchor);
                self.set_layout(whole, top);
            }
        }
    }

    /// Lays out a big article's blocks around the top row at `width` (at least `min_rows`
    /// rows) and shows them with the same text at the top: the first screen after a resize,
    /// while a job lays out the whole. `None` (nothing changed) for a small document, which is
    /// laid out whole at once.
    pub(crate) fn relayout_window(
        &mut self,
        width: usize,
        wrap: crate::markdown::Wrap,
        min_rows: usize,
        ticket: Ticket,
    ) -> Option<std::sync::Arc<Document>> {
        let Content::Markdown(doc) = &self.content else {
            return None;
        };
        if doc.blocks.len() < WINDOW_FROM_BLOCKS {
            return None;
        }
        let doc = std::sync::Arc::clone(doc);
        // The block holding the top row (or the next, from a blank row between blocks); before
        // the first block, the header.
        let blocks = &self.layout.blocks;
        let index = blocks.partition_point(|b| b.rows.end <= self.top);
        let placed = blocks.get(index)?;
        let in_header = self.top < placed.rows.start && index == 0 && placed.rows.start > 0;
        let (first_block, from_row) = if in_header {
            (None, 0)
        } else {
            (Some(placed.block), placed.rows.start.min(self.top))
        };
        let anchor = memory::text_before(&self.layout, self.top)
            - memory::text_before(&self.layout, from_row);
        let lay_out = |min_rows: usize| {
            crate::markdown::layout::layout_window(
                &doc,
                width,
                wrap,
                first_block.unwrap_or(0),
                first_block.is_none(),
                min_rows,
            )
        };
        let mut window = lay_out(min_rows);
        let mut top = memory::row_at_text(&window, anchor);
        if window.lines.len() < top + min_rows {
            // The top is far into a long first block: a screenful more after it.
            window = lay_out(top + min_rows);
            top = memory::row_at_text(&window, anchor);
        }
        self.window = Some(Window {
            ticket,
            first_block,
        });
        self.set_layout(window, top);
        Some(doc)
    }

    /// The whole layout a window waited for arrived: the window's rows are its rows, so the
    /// view stays on the same line.
    pub(crate) fn laid_out(&mut self, ticket: Ticket, whole: Layout) {
        let Some(window) = self.window.take_if(|w| w.ticket == ticket) else {
            return;
        };
        if whole.width != self.layout.width {
            // A resize came between; this answer is for another width.
            self.window = Some(window);
            return;
        }
        let top = window_start(&whole, window.first_block).map_or(0, |start| start + self.top);
        self.set_layout(whole, top);
    }

    /// Shows `layout` with `top` as the first row; what pointed into the old rows follows.
    fn set_layout(&mut self, layout: Layout, top: usize) {
        self.note_focus = None;
        self.layout = layout;
        self.top = top;
        if self.focus.is_some_and(|i| i >= self.layout.links.len()) {
            self.focus = None;
        }
        if let Some(find) = &mut self.find {
            // The same text, at its new rows; the current one is the first still on screen.
            find.hits = find.locate(&self.layout);
            let top = self.top;
            find.current = find.hits.iter().position(|h| h.row() >= top);
        }
    }

    /// The link focused, if any.
    pub fn focused_link(&self) -> Option<&crate::markdown::LinkTarget> {
        self.focus.and_then(|i| self.layout.links.get(i))
    }
}

/// Documents with fewer blocks are laid out whole on a resize (a few milliseconds); bigger
/// ones show a window around the top first.
pub(crate) const WINDOW_FROM_BLOCKS: usize = 2048;

/// The row of `whole` where a window's row 0 is: its first block's first row, or 0 for a
/// window from the top of the page.
fn window_start(whole: &Layout, first_block: Option<usize>) -> Option<usize> {
    match first_block {
        None => Some(0),
        Some(block) => whole
            .blocks
            .iter()
            .find(|b| b.block == block)
            .map(|b| b.rows.start),
    }
}

/// The whole state of the interactive reader.
pub struct App {
    pub library: Library,
    pub config: Settings,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    pub screen: Screen,
    pub overlay: Option<Overlay>,
    pub list: ListState,
    pub search: Option<SearchState>,
    pub reader: Option<Reader>,
    /// Articles left by following links, newest last; Back returns to them.
    pub history: Vec<Reader>,
    /// Earlier title searches and finds in articles, for ↑ on an empty prompt.
    pub searches: Queries,
    pub finds: Queries,
    /// A one-line message for the footer, cleared by the next key.
    pub status: Option<String>,
    /// True until the library read in the background arrives.
    pub loading: bool,
    /// How many articles the background read has got through (shown while loading).
    pub loaded: usize,
    /// Preview layouts by (article path, width).
    pub previews: HashMap<(PathBuf, usize), Layout>,
    /// Reading one file (`folio FILE`): it opens as soon as it is read, and leaving it quits.
    pub single_file: bool,
    /// Built at the first search over the library's titles (preparing them costs a little).
    searcher: Option<Searcher>,
    /// Per library article, the folder (or path) that tells apart articles sharing a title.
    title_hints: Vec<Option<String>>,
    /// The library's tags with their counts, most used first (the tags panel).
    tag_counts: Vec<TagCount>,
    /// The last ticket handed out; every job gets a new one.
    last_ticket: Ticket,
    /// The article being opened: its ticket. A reply with another ticket is stale.
    pending_article: Option<Ticket>,
    /// The preview being read: its ticket.
    pending_preview: Option<Ticket>,
    /// The open article being read again (it changed on disk): its ticket.
    pending_reload: Option<Ticket>,
    /// The open article's code being coloured: its ticket.
    pending_highlight: Option<Ticket>,
    /// Whether the full-text index is built (then the panel asks it; before, it reads files).
    pub index_ready: bool,
    /// (files looked at, files found) while the index is being brought up to date.
    pub indexing: Option<(usize, usize)>,
    /// The library changed while the index was being built: build again when it is done.
    index_again: bool,
    /// The pause after typing in the full-text panel: its timer's ticket.
    text_timer: Option<Ticket>,
    /// The full-text search running: its ticket.
    pending_text: Option<Ticket>,
    /// The article being opened from the full-text panel: its ticket, the query and the
    /// terms to find in it.
    seeded_find: Option<(Ticket, String, Vec<String>)>,
    /// Marks and positions, unless the session runs without memory.
    pub memory: Option<Memory>,
    /// The order of the list (`S`).
    pub sort: Sort,
    /// The tag the list is narrowed to (`#`), as the tags panel names it.
    pub tag: Option<String>,
    /// The articles the list shows, as library indexes, when a search or a view narrows it.
    shown: Option<Vec<usize>>,
    /// The next article read replaces the reader instead of going into the history (J/K/U).
    replace_reader: bool,
    /// Effects asked for besides the one `update` returns; the loop takes them after each.
    outbox: Vec<Effect>,
    /// The open article's pictures, decoded.
    pub pictures: pictures::Pictures,
    /// The terminal cell's size in pixels (width, height), for fitting pictures.
    pub picture_cell: (u16, u16),
}

impl App {
    pub fn new(library: Library, config: Settings) -> Self {
        let memory = config.remember.then(Memory::default);
        let status = config
            .problems
            .first()
            .map(|first| match config.problems.len() {
                1 => first.clone(),
                n => format!("{first} (and {} more: folio config --check)", n - 1),
            });
        App {
            title_hints: crate::library::title_hints(&library.articles),
            tag_counts: tag_counts(&library.articles),
            library,
            config,
            size: (80, 24),
            screen: Screen::List,
            overlay: None,
            list: ListState::default(),
            search: None,
            reader: None,
            history: Vec::new(),
            searches: Queries::default(),
            finds: Queries::default(),
            status,
            loading: false,
            loaded: 0,
            previews: HashMap::new(),
            single_file: false,
            searcher: None,
            last_ticket: 0,
            pending_article: None,
            pending_preview: None,
            pending_reload: None,
            pending_highlight: None,
            index_ready: false,
            indexing: None,
            index_again: false,
            text_timer: None,
            pending_text: None,
            seeded_find: None,
            memory,
            sort: Sort::default(),
            tag: None,
            shown: None,
            replace_reader: false,
            outbox: Vec::new(),
            pictures: pictures::Pictures::default(),
            picture_cell: (10, 20),
        }
    }

    /// Which binding table has the keyboard now.
    pub fn context(&self) -> Context {
        match (&self.overlay, self.screen) {
            (Some(Overlay::Help { .. }), _) => Context::Help,
            (Some(Overlay::Links { .. }), _) => Context::Links,
            (Some(Overlay::Outline { .. }), _) => Context::Outline,
            (Some(Overlay::Tags { .. }), _) => Context::Tags,
            (Some(Overlay::FullText(_)), _) => Context::FullText,
            (Some(Overlay::Picture { .. }), _) => Context::Image,
            (None, Screen::Reader)
                if self
                    .reader
                    .as_ref()
                    .and_then(|r| r.find.as_ref())
                    .is_some_and(|f| f.editing) =>
            {
                Context::Find
            }
            (None, Screen::Reader) => Context::Reader,
            (None, Screen::List) if self.search.as_ref().is_some_and(|s| s.editing) => {
                Context::Search
            }
            (None, Screen::List) => Context::List,
        }
    }

    pub fn too_small(&self) -> bool {
        self.size.0 < MIN_WIDTH || self.size.1 < MIN_HEIGHT
    }

    /// Rows the list has for articles: all but the header, the footer and the search line.
    pub fn list_rows(&self) -> usize {
        let chrome = 2 + usize::from(self.search.is_some());
        usize::from(self.size.1).saturating_sub(chrome)
    }

    /// Articles that fit on one screen of the list (at least one).
    pub fn list_page(&self) -> usize {
        (self.list_rows() / ROWS_PER_ITEM).max(1)
    }

    /// Rows of article text the reader shows: all but the footer.
    pub fn reader_rows(&self) -> usize {
        usize::from(self.size.1).saturating_sub(1).max(1)
    }

    /// Width the reader wraps at: the terminal less a margin, capped by the config.
    pub fn text_width(&self) -> usize {
        let width = usize::from(self.size.0);
        let margin = if width >= 40 { 4 } else { 0 };
        width
            .saturating_sub(margin)
            .min(self.config.max_width)
            .max(1)
    }

    /// Column where the reader's text starts (centred).
    pub fn text_left(&self) -> u16 {
        let free = usize::from(self.size.0).saturating_sub(self.text_width());
        u16::try_from(free / 2).unwrap_or(0)
    }

    /// Columns of the list pane, and of the preview pane if the terminal is wide enough.
    pub fn list_split(&self) -> (u16, Option<u16>) {
        let width = self.size.0;
        if width >= PREVIEW_MIN_WIDTH {
            let list = width * 11 / 20;
            (list, Some(width - list))
        } else {
            (width, None)
        }
    }

    /// The width the preview lays articles out at, if a preview shows.
    pub fn preview_width(&self) -> Option<usize> {
        // One column of border and a margin of two either side.
        self.list_split()
            .1
            .map(|w| usize::from(w).saturating_sub(5).max(1))
    }

    /// How many articles the list shows (all, or those the search, the tag and the view keep).
    pub fn visible_len(&self) -> usize {
        self.shown
            .as_ref()
            .map_or(self.library.articles.len(), Vec::len)
    }

    /// The `i`th article shown.
    pub fn visible(&self, i: usize) -> Option<&Article> {
        self.library.articles.get(self.library_index(i)?)
    }

    /// What tells the `i`th article shown apart from others with its title (see
    /// [`crate::library::title_hints`]); `None` when its title is its own.
    pub fn visible_hint(&self, i: usize) -> Option<&str> {
        self.title_hints.get(self.library_index(i)?)?.as_deref()
    }

    /// The query whose matches the list highlights, while one filters it.
    pub fn highlight_query(&self) -> Option<&str> {
        match &self.search {
            Some(SearchState {
                title_part,
                matches: Some(_),
                ..
            }) if !title_part.is_empty() => Some(title_part),
            _ => None,
        }
    }

    /// Index into the library of the `i`th article shown.
    pub(crate) fn library_index(&self, i: usize) -> Option<usize> {
        match &self.shown {
            Some(shown) => shown.get(i).copied(),
            None => (i < self.library.articles.len()).then_some(i),
        }
    }

    /// Works out which articles the list shows from the search's matches and the view.
    pub(crate) fn refresh_shown(&mut self) {
        let matches = self.search.as_ref().and_then(|s| s.matches.as_ref());
        let view = self.memory.as_ref().map_or(View::All, |m| m.view);
        if matches.is_none() && view == View::All && self.tag.is_none() {
            self.shown = None;
            return;
        }
        let mut candidates: Vec<usize> = match matches {
            Some(matches) => matches.iter().map(|m| m.index).collect(),
            None => (0..self.library.articles.len()).collect(),
        };
        if let Some(want) = self.tag.as_deref().map(crate::search::tag_key) {
            candidates.retain(|&i| {
                self.library
                    .articles
                    .get(i)
                    .is_some_and(|a| arrange::carries(a, &want))
            });
        }
        let Some(memory) = &self.memory else {
            self.shown = Some(candidates);
            return;
        };
        let mark = |i: usize| {
            self.library
                .articles
                .get(i)
                .and_then(|a| memory.mark(&a.path))
        };
        let mut shown: Vec<usize> = candidates
            .into_iter()
            .filter(|&i| match view {
                View::All => true,
                View::Unread => mark(i).is_none_or(|m| !m.read),
                View::Saved => mark(i).is_some_and(|m| m.saved),
                View::Continue => mark(i).is_some_and(Mark::started),
            })
            .collect();
        if view == View::Continue && matches.is_none() {
            // Most recently opened first.
            shown.sort_by_key(|&i| std::cmp::Reverse(mark(i).and_then(|m| m.last_opened)));
        }
        self.shown = Some(shown);
    }

    /// The position of the article at `path` in the list shown, if it is shown.
    pub(crate) fn shown_position(&self, path: &Path) -> Option<usize> {
        (0..self.visible_len()).find(|&i| self.visible(i).is_some_and(|a| a.path == path))
    }

    /// The marks of an article, when the session remembers.
    pub fn mark(&self, article: &Article) -> Option<&Mark> {
        self.memory.as_ref()?.mark(&article.path)
    }

    /// How many articles are unread, when the session remembers and the marks are in.
    pub fn unread_count(&self) -> Option<usize> {
        let memory = self.memory.as_ref().filter(|m| m.loaded)?;
        Some(
            self.library
                .articles
                .iter()
                .filter(|a| memory.is_unread(&a.path))
                .count(),
        )
    }

    /// Takes the effects asked for besides `update`'s return value, and the writes waiting.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        let mut effects = std::mem::take(&mut self.outbox);
        effects.extend(self.want_pictures());
        if let Some(memory) = &mut self.memory {
            if !memory.writes.is_empty() {
                effects.push(Effect::Remember(std::mem::take(&mut memory.writes)));
            }
        }
        effects
    }

    /// The pictures in view (and the one shown full-screen) that are not decoded yet.
    fn want_pictures(&mut self) -> Vec<Effect> {
        if self.config.images == ImageMode::Off || self.screen != Screen::Reader {
            return Vec::new();
        }
        let mut keys = Vec::new();
        if let Some(Overlay::Picture { path, .. }) = &self.overlay {
            let (cols, rows) = self.full_screen_cells(path);
            keys.push((path.clone(), cols, rows));
        } else if let Some(reader) = &self.reader {
            // A screen ahead and behind, so scrolling finds them ready.
            let rows = self.reader_rows();
            let from = reader.top.saturating_sub(rows);
            let to = reader.top + 2 * rows;
            for place in &reader.layout.pictures {
                let end = place.row + usize::from(place.rows);
                if end > from && place.row < to {
                    keys.push((place.path.clone(), place.cols, place.rows));
                }
            }
        }
        keys.into_iter()
            .filter_map(|key| self.pictures.want(key))
            .collect()
    }

    /// The cells a picture takes full-screen: the whole screen but the caption row, keeping
    /// its aspect ratio.
    pub fn full_screen_cells(&self, path: &Path) -> (u16, u16) {
        let size = self.reader.as_ref().and_then(|r| {
            let doc = match &r.content {
                Content::Markdown(doc) => doc,
                Content::Fixed => return None,
            };
            doc.links.iter().find_map(|l| match &l.picture {
                Some(crate::markdown::model::Picture::File {
                    path: p,
                    width,
                    height,
                }) if p == path => Some((*width, *height)),
                _ => None,
            })
        });
        let (width, height) = size.unwrap_or((1, 1));
        let fit = crate::markdown::model::PictureFit {
            cell: self.picture_cell,
            max_rows: self.size.1.saturating_sub(2).max(1),
        };
        // Enlarged to the screen: as wide as the screen allows, then fitted to its height.
        let big = (
            width.saturating_mul(u32::from(self.size.0)).max(1),
            height.saturating_mul(u32::from(self.size.0)).max(1),
        );
        crate::markdown::layout::picture_cells(big.0, big.1, usize::from(self.size.0), fit)
    }

    /// How pictures are fitted now: the cell's pixels and the row cap (`image_rows`, else a
    /// third of the screen).
    pub fn picture_fit(&self) -> crate::markdown::model::PictureFit {
        let max_rows = match self.config.image_rows {
            0 => (self.size.1 / 3).max(3),
            n => u16::try_from(n).unwrap_or(u16::MAX),
        };
        crate::markdown::model::PictureFit {
            cell: self.picture_cell,
            max_rows,
        }
    }

    /// The last writes, for the exit path: where the reader is and what the list selects.
    pub fn final_writes(&mut self) -> Vec<Write> {
        self.remember_position_now();
        self.remember_selection();
        self.memory
            .as_mut()
            .map(|m| std::mem::take(&mut m.writes))
            .unwrap_or_default()
    }

    pub fn selected_article(&self) -> Option<&Article> {
        self.visible(self.list.selected)
    }

    /// The cached preview of the selected article, if a preview shows and it is ready.
    pub fn preview(&self) -> Option<&Layout> {
        let width = self.preview_width()?;
        let article = self.selected_article()?;
        self.previews.get(&(article.path.clone(), width))
    }

    /// The reader's headings the outline shows for `query`, in document order: indexes into
    /// the layout's headings.
    pub fn outline(&self, query: &str) -> Vec<usize> {
        let Some(reader) = &self.reader else {
            return Vec::new();
        };
        let headings = &reader.layout.headings;
        if query.trim().is_empty() {
            return (0..headings.len()).collect();
        }
        (0..headings.len())
            .filter(|&i| !crate::search::positions(query, &headings[i].text).is_empty())
            .collect()
    }

    /// The heading the reader's top row is under: an index into the layout's headings.
    pub fn current_heading(&self) -> Option<usize> {
        let reader = self.reader.as_ref()?;
        reader
            .layout
            .headings
            .iter()
            .rposition(|h| h.row <= reader.top)
    }

    /// The folder links may not leave.
    pub(crate) fn library_dir(&self) -> &Path {
        let root = self.library.root.as_path();
        let dir = if crate::library::is_markdown_path(root) {
            root.parent().unwrap_or(Path::new("."))
        } else {
            root
        };
        // `folio notes.md` has the empty path as its folder: that is the current directory.
        if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        }
    }

    /// Shows an article whose layout is already made (tests, benches).
    pub fn show_layout(&mut self, article: Article, layout: Layout) {
        let reader = Reader::with_layout(article.path.clone(), article, layout);
        self.reader = Some(reader);
        self.screen = Screen::Reader;
        self.overlay = None;
    }

    /// A new ticket for a job about to be asked for.
    fn ticket(&mut self) -> Ticket {
        self.last_ticket += 1;
        self.last_ticket
    }

    /// Whether an article is being read for the reader (its reply not yet in).
    pub fn opening(&self) -> bool {
        self.pending_article.is_some()
    }

    fn cap_previews(&mut self) {
        if self.previews.len() >= PREVIEW_CACHE {
            self.previews.clear();
        }
    }
}

/// The start of a body, enough for the preview pane; cut at a line end.
pub(crate) fn preview_part(markdown: &str) -> &str {
    if markdown.len() <= PREVIEW_BYTES {
        return markdown;
    }
    let mut end = PREVIEW_BYTES;
    while !markdown.is_char_boundary(end) {
        end -= 1;
    }
    let cut = &markdown[..end];
    match cut.rfind('\n') {
        Some(nl) => &cut[..nl],
        None => cut,
    }
}

#[cfg(test)]
mod tests;
