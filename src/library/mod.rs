//! The article library: which files in a folder are articles, and what each one is called.
//!
//! `scan` finds the files, `front_matter` splits and parses their metadata, `article` applies
//! the fallbacks. Nothing here touches a terminal; every string leaving this module is sanitized.

pub mod article;
pub mod front_matter;
pub mod scan;

pub use article::{Article, Date, Meta};

use std::path::{Path, PathBuf};

/// The order of the list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum SortKey {
    /// Newest first, undated last, ties by title.
    #[default]
    Date,
    Title,
    Path,
}

/// A folder of articles (or a single file), sorted.
#[derive(Clone, Debug, Default)]
pub struct Library {
    pub root: PathBuf,
    pub articles: Vec<Article>,
}

/// Why a library could not be opened at all (a single bad article is a problem, not an error).
#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    #[error("{0}: no such file or folder")]
    NotFound(String),
    #[error("{0}: not a Markdown file (expected .md or .markdown)")]
    NotMarkdown(String),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// An article's full text for reading: the Markdown after its front matter.
#[derive(Clone, Debug, Default)]
pub struct Body {
    pub markdown: String,
    /// Problems met while reading it (too large and cut, not UTF-8, ...).
    pub problems: Vec<String>,
}

/// Scans `root` (a folder, or one Markdown file) and reads every article's metadata.
pub fn load(root: &Path, sort: SortKey) -> Result<Library, LibraryError> {
    let _ = (root, sort);
    unimplemented!("library helper")
}

/// Reads one article whole for the reader: its metadata (as the list shows it) and its body.
pub fn read_article(path: &Path) -> Result<(Article, Body), LibraryError> {
    let _ = path;
    unimplemented!("library work")
}

/// Reads an article's body for the reader, capped in size.
pub fn read_body(path: &Path) -> Result<Body, LibraryError> {
    let _ = path;
    unimplemented!("library helper")
}
