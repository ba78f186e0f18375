//! Which files in a folder are articles, and reading them without ever blocking or overreading.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// Folders that hold tooling, not articles.
const SKIPPED_DIRS: [&str; 2] = ["node_modules", "target"];

/// A Markdown file found under the library root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Found {
    pub path: PathBuf,
    /// Relative to the root, `/`-separated, lossily decoded (not yet sanitized).
    pub rel_path: String,
}

/// `.md` or `.markdown`, in any case.
pub fn is_markdown_path(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

/// Walks `root` for Markdown files: skips hidden entries, `node_modules` and `target`, never
/// follows a symlinked folder, and keeps a symlinked file only if it resolves to a regular file
/// inside `root`. Unreadable folders are skipped.
pub(crate) fn find(root: &Path) -> Vec<Found> {
    walk(root).collect()
}

/// [`find`] as it goes.
pub(crate) fn walk(root: &Path) -> impl Iterator<Item = Found> + '_ {
    let canonical_root = root.canonicalize().ok();
    WalkDir::new(root)
        .follow_links(false)
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0
                || !(is_hidden(entry.file_name())
                    || entry.file_type().is_dir()
                        && SKIPPED_DIRS
                            .iter()
                            .any(|d| entry.file_name() == std::ffi::OsStr::new(d)))
        })
        .filter_map(Result::ok)
        .filter(move |entry| {
            let file_type = entry.file_type();
            is_markdown_path(entry.path())
                && (file_type.is_file()
                    || file_type.is_symlink()
                        && canonical_root
                            .as_deref()
                            .is_some_and(|root| symlink_stays_inside(entry.path(), root)))
        })
        .map(move |entry| {
            let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
            let rel_path = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            Found {
                path: entry.into_path(),
                rel_path,
            }
        })
}

fn symlink_stays_inside(link: &Path, root: &Path) -> bool {
    match link.canonicalize() {
        Ok(target) => target.starts_with(root) && target.metadata().is_ok_and(|m| m.is_file()),
        Err(_) => false,
    }
}

/// Opens `path` for reading only if it is a regular file, and tells its length. The open itself
/// never blocks: a FIFO swapped in after the scan is opened non-blocking and then refused.
pub(crate) fn open_regular(path: &Path) -> io::Result<(File, u64)> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)?;
    let metadata = file.metadata()?;
    if metadata.is_file() {
        Ok((file, metadata.len()))
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        ))
    }
}

/// Reads at most `cap` bytes of a file of about `len` bytes; the flag says whether it had more.
pub(crate) fn read_capped(file: File, len: u64, cap: usize) -> io::Result<(Vec<u8>, bool)> {
    let want = usize::try_from(len).unwrap_or(usize::MAX).min(cap);
    let mut buf = Vec::with_capacity(want.saturating_add(1));
    file.take(cap as u64 + 1).read_to_end(&mut buf)?;
    let truncated = buf.len() > cap;
    buf.truncate(cap);
    Ok((buf, truncated))
}
