//! The cache: each article's list entry keyed by its file's size, modification time and inode,
//! so a second `folio list` or start-up of a big library reads file metadata and only the files
//! that changed. It is disposable: deleting it, or finding it unreadable, loses nothing — it is
//! rebuilt.
//!
//! A library's entries are kept as one snapshot (a bincode blob), not a row per file: a warm
//! start-up of 100,000 articles then costs one read and one decode instead of 100,000 row
//! steps and JSON parses, and what is left is the walk and a `stat` per file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use bincode::Options;
use rusqlite::{Connection, params};

use crate::library::{Article, Meta, scan};

/// Bump when what a list entry holds, or how it is extracted, changes: the cache starts over.
/// Version 2 keeps a library's entries as one snapshot instead of a row per file.
const VERSION: i32 = 2;
pub const FILE_NAME: &str = "cache.sqlite3";

/// A file as the cache recognises it: unchanged when all three are the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub size: u64,
    pub mtime_ns: i64,
    pub inode: u64,
}

impl Stamp {
    /// The stamp of the regular file at `name` in the open folder `dir`, following a
    /// symlink as [`Stamp::of`] does.
    fn in_folder(dir: &std::fs::File, name: &std::ffi::OsStr) -> Option<Stamp> {
        use std::os::unix::ffi::OsStrExt;
        use std::os::unix::io::AsRawFd;
        let name = std::ffi::CString::new(name.as_bytes()).ok()?;
        let mut stat = std::mem::MaybeUninit::<libc::stat>::uninit();
        // SAFETY: `dir` is an open descriptor and `name` a NUL-terminated string, both alive
        // for the call; `stat` has room for the struct fstatat writes.
        let result = unsafe { libc::fstatat(dir.as_raw_fd(), name.as_ptr(), stat.as_mut_ptr(), 0) };
        if result != 0 {
            return None;
        }
        // SAFETY: fstatat returned 0, so it filled `stat`.
        let stat = unsafe { stat.assume_init() };
        ((stat.st_mode & libc::S_IFMT) == libc::S_IFREG).then(|| Stamp {
            size: u64::try_from(stat.st_size).unwrap_or(0),
            mtime_ns: stat
                .st_mtime
                .saturating_mul(1_000_000_000)
                .saturating_add(stat.st_mtime_nsec),
            inode: stat.st_ino,
        })
    }

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

/// Stats files by name inside their folder, which it keeps open from one file to the next:
/// the files of one folder, statted in a row, cost the kernel one name lookup each instead of
/// one per folder of their path (those lookups were a seventh of `folio search`'s time on a
/// 100,000-article folder with nothing changed). A folder is opened only at its second file:
/// a site of page bundles (one `index.md` per folder) would pay an open per file for nothing.
#[derive(Default)]
pub struct Stamper {
    /// The folder of the last file, and what became of opening it.
    folder: Option<(PathBuf, Folder)>,
}

/// A [`Stamper`]'s folder.
enum Folder {
    /// One file of it statted so far, by path.
    Seen,
    Open(std::fs::File),
    /// It could not be opened: its files are statted by path.
    Closed,
}

impl Stamper {
    /// [`Stamp::of`] the file at `path`.
    pub fn of(&mut self, path: &Path) -> Option<Stamp> {
        use std::os::unix::fs::OpenOptionsExt;
        let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
            return Stamp::of(path);
        };
        let Some((folder, state)) = self
            .folder
            .as_mut()
            .filter(|(folder, _)| folder.as_os_str() == parent.as_os_str())
        else {
            self.folder = Some((parent.to_path_buf(), Folder::Seen));
            return Stamp::of(path);
        };
        if let Folder::Seen = state {
            *state = std::fs::OpenOptions::new()
                .read(true)
                .custom_flags(libc::O_DIRECTORY | libc::O_CLOEXEC)
                .open(&*folder)
                .map_or(Folder::Closed, Folder::Open);
        }
        match state {
            Folder::Open(dir) => Stamp::in_folder(dir, name),
            _ => Stamp::of(path),
        }
    }
}

/// Files statted at a time by one thread in [`stamped`].
const STAMP_CHUNK: usize = 1024;

/// A file found and its stamp (`None`: it could not be statted).
pub(crate) type Stamped = (scan::Found, Option<Stamp>);

/// The Markdown files under `root` (as [`scan::find`] finds them, in its order) with their
/// stamps, taken on the thread pool a chunk at a time while the walk goes on.
pub(crate) fn stamped(root: &Path) -> Vec<Stamped> {
    use rayon::iter::{ParallelBridge, ParallelIterator};
    std::thread::scope(|scope| {
        let (chunks, to_stamp) = std::sync::mpsc::sync_channel::<(usize, Vec<scan::Found>)>(16);
        scope.spawn(move || {
            let mut chunk = Vec::with_capacity(STAMP_CHUNK);
            let mut number = 0;
            for found in scan::walk(root) {
                chunk.push(found);
                if chunk.len() == STAMP_CHUNK {
                    let full = std::mem::replace(&mut chunk, Vec::with_capacity(STAMP_CHUNK));
                    if chunks.send((number, full)).is_err() {
                        return;
                    }
                    number += 1;
                }
            }
            if !chunk.is_empty() {
                let _ = chunks.send((number, chunk));
            }
        });
        let mut parts: Vec<(usize, Vec<Stamped>)> = to_stamp
            .into_iter()
            .par_bridge()
            .map(|(number, chunk)| (number, stamp_each(chunk)))
            .collect();
        parts.sort_unstable_by_key(|(number, _)| *number);
        parts.into_iter().flat_map(|(_, part)| part).collect()
    })
}

/// [`stamped`] on this thread alone: what is left when the walk's thread failed.
pub(crate) fn stamped_in_turn(root: &Path) -> Vec<Stamped> {
    stamp_each(scan::walk(root))
}

/// Each file with its stamp, statted in turn.
fn stamp_each(found: impl IntoIterator<Item = scan::Found>) -> Vec<Stamped> {
    let mut stamper = Stamper::default();
    found
        .into_iter()
        .map(|found| {
            let stamp = stamper.of(&found.path);
            (found, stamp)
        })
        .collect()
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
        // A new file only (before its first table): the list snapshot of a big library is
        // one blob of tens of megabytes, written and read in 16 times fewer pages (cold
        // `folio list` of 100,000 articles 5 % faster, warm 4 %; the index's queries the same).
        conn.pragma_update(None, "page_size", 65536)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        let version: i32 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
        if version != VERSION {
            conn.execute_batch(
                "DROP TABLE IF EXISTS entry;
                 DROP TABLE IF EXISTS list;
                 CREATE TABLE list (root BLOB PRIMARY KEY, entries BLOB NOT NULL);",
            )?;
            conn.pragma_update(None, "user_version", VERSION)?;
        }
        // A quick read proves the file is a database at all.
        conn.query_row("SELECT count(*) FROM list LIMIT 1", [], |_| Ok(()))?;
        Ok(Cache { conn })
    }

    /// The connection, for the full-text index that shares the file.
    pub(crate) fn into_connection(self) -> Connection {
        self.conn
    }

    /// The entries kept for the library at `root`, in the order they were found; none when
    /// there are none or they cannot be read.
    pub fn entries(&self, root: &Path) -> Vec<Entry> {
        let read = || -> rusqlite::Result<Vec<Entry>> {
            self.conn.query_row(
                "SELECT entries FROM list WHERE root = ?1",
                [root_key(root)],
                |row| {
                    let blob = row.get_ref(0)?.as_blob()?;
                    // An entry takes at least a few bytes: a count beyond what the blob could
                    // hold is damage, never a reason to reserve memory for it.
                    let seed = EntriesSeed {
                        most: blob.len() / 8,
                    };
                    Ok(snapshot_options()
                        .deserialize_seed(seed, blob)
                        .unwrap_or_default())
                },
            )
        };
        read().unwrap_or_default()
    }

    /// Records the library at `root` as it is now, replacing what was kept. A failure only
    /// costs the next run time.
    pub fn update(&mut self, root: &Path, entries: &[EntryRef<'_>]) {
        let Ok(blob) = snapshot_options().serialize(entries) else {
            return;
        };
        let _ = self.conn.execute(
            "INSERT OR REPLACE INTO list (root, entries) VALUES (?1, ?2)",
            params![root_key(root), blob],
        );
    }
}

/// The snapshot's encoding: bincode with variable-length integers, and a cap on what a
/// damaged or hostile cache file can make it allocate.
fn snapshot_options() -> impl bincode::Options {
    bincode::DefaultOptions::new().with_limit(1 << 30)
}

/// One file's list entry as the cache keeps it: where it is, its stamp, and what the list
/// shows of it (its path is the library's folder joined with `rel`).
#[derive(Debug, Default, serde::Deserialize)]
pub struct Entry {
    rel: String,
    size: u64,
    mtime_ns: i64,
    inode: u64,
    meta: Meta,
    problems: Vec<String>,
}

impl Entry {
    fn stamp(&self) -> Stamp {
        Stamp {
            size: self.size,
            mtime_ns: self.mtime_ns,
            inode: self.inode,
        }
    }
}

/// Decodes a snapshot's entries into a vector reserved once for all of them (serde's own
/// `Vec` decoding grows it step by step, copying every entry several times).
struct EntriesSeed {
    most: usize,
}

impl<'de> serde::de::DeserializeSeed<'de> for EntriesSeed {
    type Value = Vec<Entry>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Vec<Entry>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for EntriesSeed {
    type Value = Vec<Entry>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list of cache entries")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Entry>, A::Error> {
        let mut entries = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(self.most));
        while let Some(entry) = seq.next_element()? {
            entries.push(entry);
        }
        Ok(entries)
    }
}

/// [`Entry`] borrowed from an article, for writing: the same encoding.
#[derive(serde::Serialize)]
pub struct EntryRef<'a> {
    rel: &'a str,
    size: u64,
    mtime_ns: i64,
    inode: u64,
    meta: &'a Meta,
    problems: &'a [String],
}

impl<'a> EntryRef<'a> {
    fn new(article: &'a Article, stamp: Stamp) -> EntryRef<'a> {
        EntryRef {
            rel: &article.rel_path,
            size: stamp.size,
            mtime_ns: stamp.mtime_ns,
            inode: stamp.inode,
            meta: &article.meta,
            problems: &article.problems,
        }
    }
}

/// A library's folder as the cache keys it: its canonical path, as bytes.
fn root_key(root: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    canonical.as_os_str().as_bytes().to_vec()
}

/// Reads the library at `root` as [`crate::library::load_counting`] does, taking unchanged
/// files' entries from the cache and recording what it read. One Markdown file, or no cache
/// available, reads as usual.
pub fn load(
    root: &Path,
    sort_key: crate::library::SortKey,
    progress: &std::sync::atomic::AtomicUsize,
    cache_dir: Option<&Path>,
) -> Result<crate::library::Library, crate::library::LibraryError> {
    use crate::library;
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
    // The walk (with the stamps of what it finds) and the read of the snapshot, side by side.
    let (mut known, found) = std::thread::scope(|scope| {
        let walk = scope.spawn(|| stamped(root));
        let known = cache.entries(root);
        (known, walk.join())
    });
    let found = found.unwrap_or_else(|_| stamped_in_turn(root));
    /// What became of one file: its entry was still good, or it was read (again).
    enum Got {
        Kept(usize),
        Read(Box<Article>),
    }
    let got: Vec<Got> = {
        // Unchanged folders are walked in the order the snapshot was written, so an entry is
        // looked for at the file's own position first, and by name only when that fails.
        let by_rel = std::sync::OnceLock::<HashMap<&str, usize>>::new();
        let lookup = |i: usize, rel: &str| -> Option<usize> {
            if known.get(i).is_some_and(|entry| entry.rel == rel) {
                return Some(i);
            }
            by_rel
                .get_or_init(|| {
                    known
                        .iter()
                        .enumerate()
                        .map(|(i, entry)| (entry.rel.as_str(), i))
                        .collect()
                })
                .get(rel)
                .copied()
        };
        found
            .par_iter()
            .enumerate()
            .map(|(i, (found, stamp))| {
                progress.fetch_add(1, Ordering::Relaxed);
                let kept = lookup(i, &found.rel_path)
                    .filter(|&k| stamp.is_some() && Some(known[k].stamp()) == *stamp);
                match kept {
                    Some(k) => Got::Kept(k),
                    None => Got::Read(Box::new(library::read_listed(found))),
                }
            })
            .collect()
    };
    let changed = known.len() != found.len() || got.iter().any(|g| matches!(g, Got::Read(_)));
    let mut stamps = Vec::with_capacity(found.len());
    let mut articles: Vec<Article> = Vec::with_capacity(found.len());
    for ((found, stamp), got) in found.into_iter().zip(got) {
        let article = match got {
            Got::Read(article) => *article,
            // Two files whose names decode to the same text could be given one entry: the
            // second finds it taken and is read.
            Got::Kept(i) if known[i].rel.is_empty() => library::read_listed(&found),
            Got::Kept(i) => {
                let entry = std::mem::take(&mut known[i]);
                Article {
                    path: found.path,
                    rel_path: entry.rel,
                    meta: entry.meta,
                    problems: entry.problems,
                }
            }
        };
        stamps.push(stamp);
        articles.push(article);
    }
    if changed {
        let entries: Vec<EntryRef<'_>> = articles
            .iter()
            .zip(&stamps)
            .filter_map(|(article, stamp)| Some(EntryRef::new(article, (*stamp)?)))
            .collect();
        cache.update(root, &entries);
    }
    library::sort(&mut articles, sort_key);
    Ok(library::Library {
        root: root.to_path_buf(),
        articles,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::SortKey;
    use std::sync::atomic::AtomicUsize;

    fn article(title: &str) -> String {
        format!("---\ntitle: {title}\ndate: 2024-01-02\n---\nSome text.\n")
    }

    fn titles(root: &Path, cache: &Path) -> Vec<String> {
        let library = load(root, SortKey::Path, &AtomicUsize::new(0), Some(cache)).unwrap();
        library.articles.into_iter().map(|a| a.meta.title).collect()
    }

    #[test]
    fn an_unchanged_file_is_taken_from_the_snapshot_not_read() {
        let lib = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        let file = lib.path().join("a.md");
        std::fs::write(&file, article("Alpha")).unwrap();
        std::fs::write(lib.path().join("b.md"), article("Bravo")).unwrap();
        assert_eq!(titles(lib.path(), cache.path()), ["Alpha", "Bravo"]);
        // Same size, same inode, same modification time: the cache cannot tell, so what it
        // kept is what shows — proof that the file was not read again.
        let modified = std::fs::metadata(&file).unwrap().modified().unwrap();
        std::fs::write(&file, article("Omega")).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(modified)
            .unwrap();
        assert_eq!(titles(lib.path(), cache.path()), ["Alpha", "Bravo"]);
    }

    #[test]
    fn added_changed_and_removed_files_show_at_once() {
        let lib = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        for (name, title) in [("a.md", "Alpha"), ("c.md", "Charlie"), ("d.md", "Delta")] {
            std::fs::write(lib.path().join(name), article(title)).unwrap();
        }
        assert_eq!(
            titles(lib.path(), cache.path()),
            ["Alpha", "Charlie", "Delta"]
        );
        // A new file moves every later one off its old position in the snapshot.
        std::fs::write(lib.path().join("b.md"), article("Bravo")).unwrap();
        std::fs::remove_file(lib.path().join("c.md")).unwrap();
        std::fs::write(lib.path().join("d.md"), article("Delta, longer now")).unwrap();
        assert_eq!(
            titles(lib.path(), cache.path()),
            ["Alpha", "Bravo", "Delta, longer now"]
        );
        let kept = Cache::open(Some(cache.path())).unwrap().entries(lib.path());
        let mut rels: Vec<&str> = kept.iter().map(|e| e.rel.as_str()).collect();
        rels.sort_unstable();
        assert_eq!(rels, ["a.md", "b.md", "d.md"]);
    }

    #[test]
    fn a_damaged_snapshot_is_ignored_and_written_again() {
        let lib = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        std::fs::write(lib.path().join("a.md"), article("Alpha")).unwrap();
        assert_eq!(titles(lib.path(), cache.path()), ["Alpha"]);
        let opened = Cache::open(Some(cache.path())).unwrap();
        // Garbage, and a count of 2^64 − 1 entries with nothing after it: neither may
        // allocate for what it claims.
        for blob in [
            b"not a snapshot at all".to_vec(),
            [253u8, 255, 255, 255, 255, 255, 255, 255, 255].to_vec(),
        ] {
            opened
                .conn
                .execute(
                    "UPDATE list SET entries = ?1 WHERE root = ?2",
                    params![blob, root_key(lib.path())],
                )
                .unwrap();
            assert!(opened.entries(lib.path()).is_empty());
            assert_eq!(titles(lib.path(), cache.path()), ["Alpha"]);
            assert_eq!(opened.entries(lib.path()).len(), 1);
        }
    }

    #[test]
    fn a_stamper_agrees_with_stat_by_path_across_folders_and_symlinks() {
        let dir = tempfile::tempdir().expect("dir");
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::create_dir_all(&a).expect("a");
        std::fs::create_dir_all(&b).expect("b");
        let mut paths = Vec::new();
        for (i, folder) in [&a, &a, &b, &a].into_iter().enumerate() {
            let path = folder.join(format!("{i}.md"));
            std::fs::write(&path, "x".repeat(i + 1)).expect("write");
            paths.push(path);
        }
        std::os::unix::fs::symlink(&paths[0], b.join("link.md")).expect("link");
        paths.push(b.join("link.md"));
        std::os::unix::fs::symlink(dir.path().join("nowhere"), b.join("dangling.md"))
            .expect("link");
        paths.push(b.join("dangling.md"));
        paths.push(b.join("missing.md"));
        paths.push(a.clone());
        paths.push(dir.path().join("no-folder/x.md"));
        let mut stamper = Stamper::default();
        for path in &paths {
            assert_eq!(stamper.of(path), Stamp::of(path), "{}", path.display());
        }
        assert!(
            stamper.of(&paths[4]).is_some(),
            "a symlink to a file is followed"
        );
        assert_eq!(stamper.of(&paths[4]), stamper.of(&paths[0]));
        assert_eq!(stamper.of(&paths[5]), None, "dangling");
        assert_eq!(stamper.of(&a), None, "a folder is no file");
        // A file changed between two looks is seen changed.
        let before = stamper.of(&paths[1]);
        std::fs::write(&paths[1], "longer now").expect("write");
        assert_ne!(stamper.of(&paths[1]), before);
    }

    #[test]
    fn files_whose_names_decode_alike_each_keep_their_own_entry() {
        use std::os::unix::ffi::OsStrExt;
        let lib = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        // Names that differ only in bytes that are not UTF-8 (all read `a\u{fffd}.md`), of one
        // file: the same name and the same stamp, yet three articles.
        let odd = |byte: u8| {
            lib.path()
                .join(std::ffi::OsStr::from_bytes(&[b'a', byte, b'.', b'm', b'd']))
        };
        std::fs::write(odd(0xfe), article("One odd")).unwrap();
        std::fs::hard_link(odd(0xfe), odd(0xfd)).unwrap();
        std::fs::hard_link(odd(0xfe), odd(0xff)).unwrap();
        for i in 0..20 {
            std::fs::write(
                lib.path().join(format!("n{i}.md")),
                article(&format!("N{i}")),
            )
            .unwrap();
        }
        let expected = |titles: &mut Vec<String>| {
            titles.sort();
            titles
                .iter()
                .filter(|t| t.ends_with("odd"))
                .cloned()
                .collect::<Vec<_>>()
        };
        let mut first = titles(lib.path(), cache.path());
        assert_eq!(expected(&mut first), ["One odd", "One odd", "One odd"]);
        // Positions shift, so entries are looked up by name: each file keeps its own.
        for i in 0..20 {
            std::fs::remove_file(lib.path().join(format!("n{i}.md"))).unwrap();
        }
        let mut second = titles(lib.path(), cache.path());
        assert_eq!(expected(&mut second), ["One odd", "One odd", "One odd"]);
        assert!(second.iter().all(|t| !t.is_empty()), "{second:?}");
    }
}
