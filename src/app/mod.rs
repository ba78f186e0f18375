//! The reader's model and its pure update: no I/O, no terminal.
//!
//! [`App`] holds everything the screen shows; [`App::update`] (in `update.rs`) changes it in
//! answer to an [`Action`] and may ask for an [`Effect`], which the run loop (`run.rs`) performs.

pub mod action;
pub mod keymap;
pub mod links;
pub mod run;
mod update;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use action::{Action, Effect};
pub use keymap::Context;

use crate::library::{Article, Library};
use crate::markdown::{Document, Layout, Role};
use crate::search::{Match, Searcher};
use crate::theme::Theme;

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

/// Settings read once at start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// The widest the reader wraps text (`FOLIO_WIDTH`, default 100).
    pub max_width: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config { max_width: 100 }
    }
}

/// Which screen has the terminal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    List,
    Reader,
}

/// Something drawn over the screen that takes the keys while open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overlay {
    /// Help for the bindings of this context.
    Help(Context),
    /// Every link of the article; `selected` indexes the layout's links.
    Links { selected: usize },
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
    /// filter stays, the list keys work again, `/` resumes typing, Esc clears it).
    pub editing: bool,
}

/// What a reader lays out from.
#[derive(Clone, Debug)]
pub(crate) enum Content {
    Markdown(Document),
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
    /// Digits typed towards a link number.
    pub number: String,
    /// Finding text in the article (`/`), while active.
    pub find: Option<Find>,
}

/// Text found in the article: every place it occurs, and which one the eye is on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Find {
    pub query: String,
    /// (row, first column, end column) of each occurrence, in reading order.
    pub hits: Vec<(usize, usize, usize)>,
    /// Index into `hits` of the current occurrence.
    pub current: Option<usize>,
    /// True while typing goes into the query.
    pub editing: bool,
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
            number: String::new(),
            find: None,
        }
    }

    /// Wraps again at `width` if it changed, keeping the same text at the top.
    pub(crate) fn relayout(&mut self, width: usize) {
        let Content::Markdown(doc) = &self.content else {
            return;
        };
        if self.layout.width == width {
            return;
        }
        let anchor = text_before(&self.layout, self.top);
        self.layout = crate::markdown::layout(doc, width);
        self.top = row_at_text(&self.layout, anchor);
        if self.focus.is_some_and(|i| i >= self.layout.links.len()) {
            self.focus = None;
        }
        if let Some(find) = &mut self.find {
            // The same text, at its new rows; the current one is the first still on screen.
            find.hits = self.layout.find(&find.query);
            let top = self.top;
            find.current = find.hits.iter().position(|h| h.0 >= top);
        }
    }

    /// The link focused, if any.
    pub fn focused_link(&self) -> Option<&crate::markdown::LinkTarget> {
        self.focus.and_then(|i| self.layout.links.get(i))
    }
}

/// Roles repeated on every wrapped row; counting them would drift the anchor on re-wrap.
fn is_decoration(role: Role) -> bool {
    matches!(
        role,
        Role::QuoteGutter | Role::Continuation | Role::TableBorder | Role::HeadingRule | Role::Rule
    )
}

fn row_text(line: &crate::markdown::Line) -> usize {
    line.spans
        .iter()
        .filter(|span| !is_decoration(span.style.role))
        .map(|span| span.text.chars().filter(|c| !c.is_whitespace()).count())
        .sum()
}

/// How many visible characters of text come before `row`: a position that survives re-wrapping.
pub(crate) fn text_before(layout: &Layout, row: usize) -> usize {
    layout.lines.iter().take(row).map(row_text).sum()
}

/// The row on which the text after `anchor` characters starts.
pub(crate) fn row_at_text(layout: &Layout, anchor: usize) -> usize {
    if anchor == 0 {
        return 0;
    }
    let mut seen = 0;
    for (row, line) in layout.lines.iter().enumerate() {
        let here = row_text(line);
        if seen + here > anchor || (seen >= anchor && here > 0) {
            return row;
        }
        seen += here;
    }
    layout.lines.len().saturating_sub(1)
}

/// The whole state of the interactive reader.
pub struct App {
    pub library: Library,
    pub config: Config,
    pub theme: Theme,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    pub screen: Screen,
    pub overlay: Option<Overlay>,
    pub list: ListState,
    pub search: Option<SearchState>,
    pub reader: Option<Reader>,
    /// Articles left by following links, newest last; Back returns to them.
    pub history: Vec<Reader>,
    /// A one-line message for the footer, cleared by the next key.
    pub status: Option<String>,
    /// True until the library read in the background arrives.
    pub loading: bool,
    /// How many articles the background read has got through (shown while loading).
    pub loaded: usize,
    /// Preview layouts by (article path, width).
    pub previews: HashMap<(PathBuf, usize), Layout>,
    /// Built at the first search over the library's titles (preparing them costs a little).
    searcher: Option<Searcher>,
}

impl App {
    pub fn new(library: Library, config: Config, theme: Theme) -> Self {
        App {
            library,
            config,
            theme,
            size: (80, 24),
            screen: Screen::List,
            overlay: None,
            list: ListState::default(),
            search: None,
            reader: None,
            history: Vec::new(),
            status: None,
            loading: false,
            loaded: 0,
            previews: HashMap::new(),
            searcher: None,
        }
    }

    /// Which binding table has the keyboard now.
    pub fn context(&self) -> Context {
        match (self.overlay, self.screen) {
            (Some(Overlay::Help(_)), _) => Context::Help,
            (Some(Overlay::Links { .. }), _) => Context::Links,
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

    /// How many articles the list shows (all, or those matching the search).
    pub fn visible_len(&self) -> usize {
        match &self.search {
            Some(SearchState {
                matches: Some(matches),
                ..
            }) => matches.len(),
            _ => self.library.articles.len(),
        }
    }

    /// The `i`th article shown.
    pub fn visible(&self, i: usize) -> Option<&Article> {
        self.library.articles.get(self.library_index(i)?)
    }

    /// The query whose matches the list highlights, while one filters it.
    pub fn highlight_query(&self) -> Option<&str> {
        match &self.search {
            Some(SearchState {
                query,
                matches: Some(_),
                ..
            }) => Some(query),
            _ => None,
        }
    }

    /// Index into the library of the `i`th article shown.
    pub(crate) fn library_index(&self, i: usize) -> Option<usize> {
        match &self.search {
            Some(SearchState {
                matches: Some(matches),
                ..
            }) => matches.get(i).map(|m| m.index),
            _ => (i < self.library.articles.len()).then_some(i),
        }
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

    /// The folder links may not leave.
    pub(crate) fn library_dir(&self) -> &Path {
        let root = self.library.root.as_path();
        let is_file = root
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
        let dir = if is_file {
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
