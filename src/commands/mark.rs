//! `folio mark read|unread|saved|unsaved FILE…`: the reader's `m` and `s` from the command line.

use std::path::Path;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::error::UsageError;
use crate::library::LibraryError;
use crate::library::scan::is_markdown_path;
use crate::store::{ArticleKey, Store};
use crate::text::sanitize_line;

/// `folio mark`'s arguments.
#[derive(Debug, clap::Args)]
pub struct MarkArgs {
    /// What to mark them.
    #[arg(value_enum)]
    pub mark: Mark,
    /// The Markdown files (any path to them: marks are kept by the file, not by the folder
    /// the reader opened).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Mark {
    /// Read to the end (progress 100 %).
    Read,
    /// Not read (progress back to 0 %; the reading position is kept).
    Unread,
    /// Saved for later.
    Saved,
    /// Not saved for later.
    Unsaved,
}

/// `folio mark`; the store is in `state_dir` (the config's) or the default folder.
pub(crate) fn run(
    args: &MarkArgs,
    no_state: bool,
    state_dir: Option<&std::path::Path>,
) -> anyhow::Result<ExitCode> {
    if no_state {
        return Err(UsageError(
            "mark records what folio remembers, and --no-state turns that off".to_owned(),
        )
        .into());
    }
    // Every file is checked before anything is written: a typo in the fifth name must not
    // leave four marked.
    let keys = args
        .files
        .iter()
        .map(|file| key(file))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let opened =
        Store::open(state_dir).map_err(|e| anyhow::anyhow!("cannot record the marks: {e}"))?;
    if let Some(notice) = opened.notice {
        eprintln!("folio: {}", sanitize_line(&notice));
    }
    let mut store = opened.store;
    match args.mark {
        Mark::Read => store.set_read(&keys, true),
        Mark::Unread => store.set_read(&keys, false),
        Mark::Saved => store.set_saved(&keys, true),
        Mark::Unsaved => store.set_saved(&keys, false),
    }
    .map_err(|e| anyhow::anyhow!("cannot record the marks: {e}"))?;
    Ok(ExitCode::SUCCESS)
}

/// The store's key for an article file; a wrong argument is a usage error (exit status 2).
fn key(file: &Path) -> anyhow::Result<ArticleKey> {
    let shown = || sanitize_line(&file.to_string_lossy());
    let metadata = std::fs::metadata(file).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => UsageError(LibraryError::NotFound(shown()).to_string()),
        _ => UsageError(format!("{}: {e}", shown())),
    })?;
    if metadata.is_dir() {
        return Err(UsageError(format!(
            "{}: a folder; mark takes article files (.md or .markdown)",
            shown()
        ))
        .into());
    }
    if !metadata.is_file() || !is_markdown_path(file) {
        return Err(UsageError(LibraryError::NotMarkdown(shown()).to_string()).into());
    }
    ArticleKey::of_file(file).map_err(|e| anyhow::anyhow!("{}: {e}", shown()))
}
