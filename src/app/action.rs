//! What can happen to the app ([`Action`]) and what the app asks the run loop to do ([`Effect`]).
//!
//! Key bindings map to actions (see [`super::keymap`]); the run loop turns terminal events and
//! the results of effects into actions too, so every change of state goes through
//! [`super::App::update`].

use std::path::PathBuf;

use crate::library::{Article, Body};

/// Something the user asked for, or a result the run loop reports back.
#[derive(Clone, Debug)]
pub enum Action {
    /// One step up: the previous article, or scroll the reader one line up.
    Up,
    /// One step down: the next article, or scroll the reader one line down.
    Down,
    /// A screenful up.
    PageUp,
    /// A screenful down.
    PageDown,
    /// Half a screen up.
    HalfPageUp,
    /// Half a screen down.
    HalfPageDown,
    /// The first article, or the top of the article.
    Top,
    /// The last article, or the end of the article.
    Bottom,
    /// The mouse wheel: rows to scroll, positive is down.
    Scroll(i32),
    /// A left click at a cell of the screen: selects (then reads) an article, opens a link.
    Click { column: u16, row: u16 },
    /// Enter: read the selected article, or open the focused / numbered / picked link.
    Open,
    /// Leave what is on top: an overlay, a typed link number, the article (back through history).
    Back,
    /// Quit from the list.
    Quit,
    /// Quit from anywhere (Ctrl-C).
    ForceQuit,
    /// Suspend to the shell (Ctrl-Z).
    Suspend,
    /// Open the search line (in the reader: find text in the article).
    SearchStart,
    /// A character typed into the search line (or the reader's find line).
    SearchInput(char),
    /// Delete the last character of the query.
    SearchBackspace,
    /// Clear the query, keep the search line open.
    SearchClearLine,
    /// Clear the search and return to the full list.
    SearchCancel,
    /// Open the article's `source` in the browser.
    OpenSource,
    /// The next place the text being found occurs.
    FindNext,
    /// The previous place the text being found occurs.
    FindPrev,
    /// Focus the next link in reading order.
    NextLink,
    /// Focus the previous link in reading order.
    PrevLink,
    /// A digit of a link number (Enter opens that link).
    LinkDigit(u8),
    /// Show the panel listing every link.
    LinkPanel,
    /// Show or hide the help overlay.
    Help,
    /// The terminal now has this size (columns, rows).
    Resize(u16, u16),
    /// The run loop read an article asked for by [`Effect::LoadArticle`].
    ArticleLoaded {
        path: PathBuf,
        anchor: Option<String>,
        result: Result<(Article, Body), String>,
    },
    /// The run loop read an article asked for by [`Effect::LoadPreview`].
    PreviewLoaded {
        path: PathBuf,
        result: Result<(Article, Body), String>,
    },
    /// How many articles the background read has got through so far.
    LoadProgress(usize),
    /// The library finished loading in the background (folders are read after the list shows).
    LibraryLoaded(Result<crate::library::Library, String>),
    /// A message for the footer from the run loop (a failure to open, a URL to copy).
    Notify(String),
}

/// I/O the app needs done; performed by the run loop, whose outcome comes back as an action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Open an http, https or mailto URL in the system browser.
    OpenUrl(String),
    /// Read an article for the reader, then jump to the heading with this anchor.
    LoadArticle {
        path: PathBuf,
        anchor: Option<String>,
    },
    /// Read an article for the preview pane.
    LoadPreview(PathBuf),
    /// Give the terminal back to the shell until resumed.
    Suspend,
    /// Leave the program.
    Quit,
}
