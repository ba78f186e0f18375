//! What reaches the app ([`Msg`]) and what it asks the loop to do ([`Effect`]).
//!
//! Keys become [`Command`]s through the keymap; the loop turns the other terminal events and
//! the results of jobs into messages too, so every change of state goes through
//! [`super::App::update`]. A job's result carries the [`Ticket`] it was started with; the app
//! drops a result whose ticket is no longer the one it waits for.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use super::command::Command;
use super::memory::{Mark, Write};
use crate::library::{Article, Body, Library};

/// Identifies one job the app started, so a late answer to an old question is recognised.
pub type Ticket = u64;

/// A message for [`super::App::update`].
#[derive(Clone, Debug)]
pub enum Msg {
    /// A bound key's command.
    Cmd(Command),
    /// A character typed into the search or find line.
    Input(char),
    /// A digit of a link number (Enter opens that link).
    LinkDigit(u8),
    /// The mouse wheel: rows to scroll, positive is down.
    Scroll(i32),
    /// A left click at a cell of the screen: selects (then reads) an article, opens a link.
    Click { column: u16, row: u16 },
    /// The terminal now has this size (columns, rows).
    Resize(u16, u16),
    /// An article asked for by [`Effect::LoadArticle`] was read.
    ArticleLoaded {
        ticket: Ticket,
        path: PathBuf,
        anchor: Option<String>,
        result: Result<(Article, Body), String>,
    },
    /// An article asked for by [`Effect::LoadPreview`] was read.
    PreviewLoaded {
        ticket: Ticket,
        path: PathBuf,
        result: Result<(Article, Body), String>,
    },
    /// The library finished loading in the background (folders are read after the list shows).
    LibraryLoaded(Result<Library, String>),
    /// How many articles the background read has got through.
    LoadProgress(usize),
    /// A message for the footer from the loop (a failure to open, a URL to copy).
    Notify(String),
    /// The store's marks for the library's articles, the article last selected and the order
    /// the list was last shown in.
    MarksLoaded {
        marks: HashMap<PathBuf, Mark>,
        last_selected: Option<PathBuf>,
        sort: Option<super::Sort>,
    },
    /// The store cannot be used this session; why, for the footer.
    MemoryUnavailable(String),
    /// A timer asked for by [`Effect::Timer`] ran out.
    TimerDone(Ticket),
    /// Files in the library changed on disk (the watcher), or the editor returned.
    FilesChanged(Vec<PathBuf>),
    /// How far bringing the full-text index up to date has got: files looked at, of found.
    IndexProgress { done: usize, total: usize },
    /// The full-text index is up to date (or why it could not be).
    IndexReady(Result<(), String>),
    /// The answer to [`Effect::SearchText`]: the articles found for `query`, best first.
    TextFound {
        ticket: Ticket,
        query: String,
        result: Result<Vec<super::TextResult>, String>,
    },
    /// A picture asked for by [`Effect::DrawPicture`], encoded for the terminal, or why not.
    PictureDrawn {
        path: PathBuf,
        cols: u16,
        rows: u16,
        result: Result<super::pictures::Drawn, String>,
    },
    /// The whole of a big article asked for by [`Effect::ParseRest`], parsed (code coloured)
    /// and laid out at `layout.width`.
    RestParsed {
        ticket: Ticket,
        doc: Box<crate::markdown::Document>,
        layout: Box<crate::markdown::Layout>,
    },
    /// The whole article laid out at a new width, asked for by [`Effect::LayOut`] while a
    /// window of it shows.
    LaidOut {
        ticket: Ticket,
        layout: Box<crate::markdown::Layout>,
    },
    /// The code blocks asked for by [`Effect::Highlight`], coloured.
    Highlighted {
        ticket: Ticket,
        blocks: Vec<CodeBlock>,
    },
}

impl From<Command> for Msg {
    fn from(command: Command) -> Self {
        Msg::Cmd(command)
    }
}

/// One code block of the open article, to colour off the UI thread: its index among the
/// document's blocks, its language and its lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeBlock {
    pub index: usize,
    pub lang: String,
    pub lines: Vec<Vec<crate::markdown::model::Run>>,
}

/// An article's local pictures as the read job found them, the `images` setting and how
/// pictures fit the screen: what [`super::attach_pictures`] needs.
pub(crate) type RestPictures = (
    Vec<(String, crate::markdown::model::Picture)>,
    super::ImageMode,
    crate::markdown::model::PictureFit,
);

/// Work the app needs done outside itself; the outcome comes back as a [`Msg`].
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Open an http, https or mailto URL in the system browser.
    OpenUrl(String),
    /// Read an article for the reader, then jump to the heading with this anchor.
    LoadArticle {
        ticket: Ticket,
        path: PathBuf,
        anchor: Option<String>,
    },
    /// Read an article for the preview pane.
    LoadPreview { ticket: Ticket, path: PathBuf },
    /// Read the marks of these articles (and the folder's last selection) from the store.
    LoadMarks { root: PathBuf, paths: Vec<PathBuf> },
    /// Write these changes to the store, in order.
    Remember(Vec<Write>),
    /// Send [`Msg::TimerDone`] with this ticket after a while.
    Timer { ticket: Ticket, after: Duration },
    /// Parse the whole article (its first part shows already), colour its code, lay it out
    /// at `width` and send it back.
    ParseRest {
        ticket: Ticket,
        meta: Box<crate::library::Meta>,
        markdown: String,
        width: usize,
        wrap: crate::markdown::Wrap,
        /// The article's pictures, the `images` setting and their fit, for the layout.
        pictures: RestPictures,
    },
    /// Lay this document out at `width` and send it back (a big article after a resize).
    LayOut {
        ticket: Ticket,
        doc: std::sync::Arc<crate::markdown::Document>,
        width: usize,
        wrap: crate::markdown::Wrap,
    },
    /// Colour these code blocks (syntect) and send them back.
    Highlight {
        ticket: Ticket,
        blocks: Vec<CodeBlock>,
    },
    /// Decode this picture file and fit it into `cols`×`rows` cells.
    DrawPicture { path: PathBuf, cols: u16, rows: u16 },
    /// Put this text on the clipboard (OSC 52: works over SSH and in tmux).
    Copy(String),
    /// Open this article in the user's editor, lending it the terminal.
    Edit(PathBuf),
    /// Bring the full-text index of the library in `root` up to date, reporting progress.
    IndexLibrary { root: PathBuf },
    /// Search every article's text for `query`: through the index when `indexed`, else by
    /// reading the files.
    SearchText {
        ticket: Ticket,
        root: PathBuf,
        query: String,
        indexed: bool,
    },
    /// Read the library again (the list keeps its selection and search).
    LoadLibrary,
    /// Give the terminal back to the shell until resumed.
    Suspend,
    /// Leave the program.
    Quit,
}
