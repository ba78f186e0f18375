//! The cache: each article's list entry keyed by its file's size, modification time and inode,
//! so a second `folio list` or start-up of a big library reads file metadata and only the files
//! that changed. It is disposable: deleting it, or finding it unreadable, loses nothing — it is
//! rebuilt.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, params};

use crate::library::Article;

/// Bump when what a list entry holds, or how it is extracted, changes: the cache starts over.
const VERSION: i32 = 1;
pub const FILE_NAME: &str = "cache.sqlite3";

/// A file as the cache recognises it: unchanged when all three are the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub size: u64,
    pub mtime_ns: i64,
    pub inode: u64,
}

impl Stamp {
    pub fn of(path: &Path) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).ok()?;
        meta.is_file().then(|| Stamp {
            size: meta.size(),
            mtime_ns: meta.mtime().saturating_mul(1_000_000_000) + meta.mtime_nsec(),
            inode: meta.ino(),
        })
    }
}

/// `$XDG_CACHE_HOME/folio` (absolute only), else `~/.cache/folio`.
pub fn cache_dir() -> Option<PathBuf> {
    let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    env("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .map(|dir| dir.join("folio"))
        .or_else(|| env("HOME").map(|home| PathBuf::from(home).join(".cache/folio")))
}

/// The open cache.
pub struct Cache {
    conn: Connection,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cache")
    }
}

impl Cache {
    /// Opens the cache in `dir` (else the default folder), starting it over when it is from
    /// another version or cannot be read. `None` when there is no usable folder: then the
    /// library is read without it.
    pub fn open(dir: Option<&Path>) -> Option<Cache> {
        let dir = dir.map(Path::to_path_buf).or_else(cache_dir)?;
        std::fs::create_dir_all(&dir).ok()?;
        let path = dir.join(FILE_NAME);
        match Cache::open_at(&path) {
            Ok(cache) => Some(cache),
            Err(_) => {
                // Disposable: whatever is there goes, and a fresh one is made.
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
                Cache::open_at(&path).ok()
            }
        }
    }

    fn open_at(path: &Path) -> rusqlite::Result<Cache> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(2))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        let version: i32 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
        if version != VERSION {
            conn.execute_batch(
                "DROP TABLE IF EXISTS entry;
                 CREATE TABLE entry (
                     root BLOB NOT NULL, rel TEXT NOT NULL,
                     size INTEGER NOT NULL, mtime INTEGER NOT NULL, inode INTEGER NOT NULL,
                     article TEXT NOT NULL,
                     PRIMARY KEY (root, rel));",
            )?;
            conn.pragma_update(None, "user_version", VERSION)?;
        }
        // A quick read proves the file is a database at all.
        conn.query_row("SELECT count(*) FROM entry LIMIT 1", [], |_| Ok(()))?;
        Ok(Cache { conn })
    }

    /// The connection, for the full-text index that shares the file.
    pub(crate) fn into_connection(self) -> Connection {
        self.conn
    }

    /// The entries kept for the library at `root`: relative path → (stamp, article).
    pub fn entries(&self, root: &Path) -> HashMap<String, (Stamp, String)> {
        let read = || -> rusqlite::Result<HashMap<String, (Stamp, String)>> {
            let mut statement = self
                .conn
                .prepare("SELECT rel, size, mtime, inode, article FROM entry WHERE root = ?1")?;
            let rows = statement.query_map([root_key(root)], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    (
                        Stamp {
                            size: row.get::<_, i64>(1)? as u64,
                            mtime_ns: row.get(2)?,
                            inode: row.get::<_, i64>(3)? as u64,
                        },
                        row.get::<_, String>(4)?,
                    ),
                ))
            })?;
            rows.collect()
        };
        read().unwrap_or_default()
    }

    /// Records the library as it is now: `fresh` entries (read this time) are written, and
    /// entries for files no longer there are dropped. A failure only costs the next run time.
    pub fn update(&mut self, root: &Path, fresh: &[Fresh], present: &[String]) {
        let root = root_key(root);
        let mut write = || -> rusqlite::Result<()> {
            let tx = self.conn.transaction()?;
            {
                let mut upsert = tx.prepare(
                    "INSERT OR REPLACE INTO entry (root, rel, size, mtime, inode, article)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?;
                for (rel, stamp, article) in fresh {
                    upsert.execute(params![
                        root,
                        rel,
                        stamp.size as i64,
                        stamp.mtime_ns,
                        stamp.inode as i64,
                        article
                    ])?;
                }
                let kept: std::collections::HashSet<&str> =
                    present.iter().map(String::as_str).collect();
                let gone: Vec<String> = {
                    let mut statement = tx.prepare("SELECT rel FROM entry WHERE root = ?1")?;
                    let rows = statement.query_map([&root], |row| row.get::<_, String>(0))?;
                    rows.filter_map(Result::ok)
                        .filter(|rel| !kept.contains(rel.as_str()))
                        .collect()
                };
                let mut delete = tx.prepare("DELETE FROM entry WHERE root = ?1 AND rel = ?2")?;
                for rel in gone {
                    delete.execute(params![root, rel])?;
                }
            }
            tx.commit()
        };
        let _ = write();
    }
}

/// A library's folder as the cache keys it: its canonical path, as bytes.
fn root_key(root: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    canonical.as_os_str().as_bytes().to_vec()
}

/// An article as the cache keeps it.
pub fn encode(article: &Article) -> Option<String> {
    serde_json::to_string(article).ok()
}

pub fn decode(text: &str) -> Option<Article> {
    serde_json::from_str(text).ok()
}

/// An entry read this time, for the cache: relative path, stamp, encoded article.
type Fresh = (String, Stamp, String);

/// Reads the library at `root` as [`crate::library::load_counting`] does, taking unchanged
/// files' entries from the cache and recording what it read. One Markdown file, or no cache
/// available, reads as usual.
pub fn load(
    root: &Path,
    sort_key: crate::library::SortKey,
    progress: &std::sync::atomic::AtomicUsize,
    cache_dir: Option<&Path>,
) -> Result<crate::library::Library, crate::library::LibraryError> {
    use crate::library::{self, scan};
    use rayon::prelude::*;
    use std::sync::atomic::Ordering;
    if !root.is_dir() {
        return library::load_counting(root, sort_key, progress);
    }
    let Some(mut cache) = Cache::open(cache_dir) else {
        return library::load_counting(root, sort_key, progress);
    };
    // The same checks (a folder that cannot be read is an error) as an uncached load.
    std::fs::read_dir(root).map_err(|source| library::LibraryError::Io {
        path: crate::text::sanitize_line(&root.to_string_lossy()),
        source,
    })?;
    let known = cache.entries(root);
    let found = scan::find(root);
    let results: Vec<(Article, Option<Fresh>)> = found
        .par_iter()
        .map(|found| {
            progress.fetch_add(1, Ordering::Relaxed);
            let stamp = Stamp::of(&found.path);
            if let (Some(stamp), Some((kept, text))) = (stamp, known.get(&found.rel_path)) {
                if stamp == *kept {
                    if let Some(mut article) = decode(text) {
                        article.path.clone_from(&found.path);
                        return (article, None);
                    }
                }
            }
            let article = library::read_listed(found);
            let fresh = stamp
                .zip(encode(&article))
                .map(|(stamp, text)| (found.rel_path.clone(), stamp, text));
            (article, fresh)
        })
        .collect();
    let present: Vec<String> = found.iter().map(|f| f.rel_path.clone()).collect();
    let fresh: Vec<Fresh> = results.iter().filter_map(|r| r.1.clone()).collect();
    if !fresh.is_empty() || present.len() != known.len() {
        cache.update(root, &fresh, &present);
    }
    let mut articles: Vec<Article> = results.into_iter().map(|r| r.0).collect();
    library::sort(&mut articles, sort_key);
    Ok(library::Library {
        root: root.to_path_buf(),
        articles,
    })
}
