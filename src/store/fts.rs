//! The full-text index: every article's title, description and text (as the reader shows it,
//! [`crate::markdown::plain`]) in an SQLite FTS5 table, kept in the cache file beside the list
//! entries. Like them it is disposable, keyed by each file's size, modification time and inode,
//! and by the extractor's version, so bringing it up to date reads only the files that changed.
//!
//! The same code indexes into a private in-memory database when there is no cache to use
//! (`--no-state`, no cache folder): the answers are the same, only slower to get.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rusqlite::{Connection, OptionalExtension, params};

use super::cache::{self, Cache, Stamp};
use crate::library::scan;
use crate::markdown::plain::EXTRACTOR_VERSION;

/// Column weights for BM25: a word in the title counts for more than one in the text.
const WEIGHTS: &str = "10.0, 4.0, 1.0";
/// Tokens a snippet holds at most (FTS5 allows 64).
const SNIPPET_TOKENS: i32 = 20;
/// Files read and written per transaction: the write lock is never held long, and a reader of
/// the cache (another folio listing) waits at most one batch.
const BATCH: usize = 256;
/// Marks a snippet's matches; article text is sanitized, so neither can occur in it.
const OPEN: char = '\u{1}';
const CLOSE: char = '\u{2}';

/// Each library folder has a number and a table of its own, `text_<number>`: a search reads
/// only that library's entries, and BM25 weighs words by how common they are in it. The
/// files' stamps are kept by (library, path), which the check for changes reads in order.
const SCHEMA: &str = "
    DROP TABLE IF EXISTS fts;
    DROP TABLE IF EXISTS fts_file;
    CREATE TABLE IF NOT EXISTS text_root (
        id INTEGER PRIMARY KEY,
        root BLOB NOT NULL UNIQUE);
    CREATE TABLE IF NOT EXISTS text_file (
        root INTEGER NOT NULL, rel TEXT NOT NULL,
        id INTEGER NOT NULL UNIQUE,
        size INTEGER NOT NULL, mtime INTEGER NOT NULL, inode INTEGER NOT NULL,
        extractor INTEGER NOT NULL,
        PRIMARY KEY (root, rel)) WITHOUT ROWID;";

/// How far a [`Index::sync`] has got: files looked at, out of the files found.
#[derive(Debug, Default)]
pub struct Progress {
    pub done: AtomicUsize,
    /// 0 until the folder has been walked.
    pub total: AtomicUsize,
}

/// Files looked up at a time by one thread in [`Index::sync`].
const STAT_CHUNK: usize = 1024;

/// What one [`Index::sync`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Synced {
    /// Files found in the library.
    pub files: usize,
    /// Files read and (re-)indexed.
    pub read: usize,
    /// Entries dropped because their file is gone.
    pub removed: usize,
}

/// One article that matches, best first.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Match {
    /// The file.
    #[serde(skip)]
    pub file: PathBuf,
    /// Relative to the library's folder, `/`-separated, sanitized.
    pub path: String,
    pub title: String,
    /// Higher is better (BM25, negated as SQLite gives it).
    pub score: f64,
    /// Plain text around the best matches, whitespace made single spaces.
    pub snippet: String,
    /// `[start, end)` character offsets of the matches in `snippet`.
    pub marks: Vec<(usize, usize)>,
    /// How many times the query matches in the article's title, description and text.
    pub hits: usize,
}

/// An index, on disk in the cache or in memory.
pub struct Index {
    conn: Connection,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Index")
    }
}

impl Index {
    /// The index in the cache file in `dir` (else the default cache folder); `None` when there
    /// is no usable cache.
    pub fn open(dir: Option<&Path>) -> Option<Index> {
        let conn = Cache::open(dir)?.into_connection();
        conn.execute_batch(SCHEMA).ok()?;
        Some(Index { conn })
    }

    /// Another connection to the same index file, for a query beside a [`Index::sync`] on
    /// this one (WAL lets it read while the other writes); `None` for an index in memory.
    pub fn reader(&self) -> Option<Index> {
        let path = self.conn.path().filter(|path| !path.is_empty())?;
        let conn = Connection::open(path).ok()?;
        conn.busy_timeout(std::time::Duration::from_secs(2)).ok()?;
        Some(Index { conn })
    }

    /// A private index that lives as long as the value.
    pub fn in_memory() -> rusqlite::Result<Index> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch(SCHEMA)?;
        Ok(Index { conn })
    }

    /// [`Index::open`], else [`Index::in_memory`].
    pub fn open_or_in_memory(dir: Option<&Path>) -> rusqlite::Result<Index> {
        match Index::open(dir) {
            Some(index) => Ok(index),
            None => Index::in_memory(),
        }
    }

    /// The number of the library at `root`, made (with its table) when `create`; `None` for
    /// a library never indexed.
    fn library(&self, root: &Path, create: bool) -> rusqlite::Result<Option<i64>> {
        let key = root_key(root);
        if create {
            self.conn
                .execute("INSERT OR IGNORE INTO text_root (root) VALUES (?1)", [&key])?;
        }
        let id: Option<i64> = self
            .conn
            .query_row("SELECT id FROM text_root WHERE root = ?1", [&key], |row| {
                row.get(0)
            })
            .optional()?;
        if let (Some(id), true) = (id, create) {
            self.conn.execute_batch(&format!(
                "CREATE VIRTUAL TABLE IF NOT EXISTS text_{id} USING fts5(
                     title, description, text,
                     tokenize = 'unicode61 remove_diacritics 2');"
            ))?;
        }
        Ok(id)
    }

    /// Brings the index of the library at `root` (a folder) up to date: files whose stamp or
    /// extractor changed are read again, new ones added, gone ones dropped. When nothing
    /// changed this only stats the files.
    pub fn sync(&mut self, root: &Path, progress: &Progress) -> rusqlite::Result<Synced> {
        use rayon::prelude::*;
        let Some(library) = self.library(root, true)? else {
            return Ok(Synced::default());
        };
        // The walk of the folder, the stamps of what it finds (on the pool, a chunk at a time
        // as the walk goes on) and the read of what is known, side by side.
        let (known, found) = std::thread::scope(|scope| {
            let walk = scope.spawn(|| cache::stamped(root));
            let known = self.known(library);
            (known, walk.join())
        });
        let known = known?;
        let found = found.unwrap_or_else(|_| cache::stamped_in_turn(root));
        progress.total.store(found.len(), Ordering::Relaxed);
        // Counted a chunk at a time: two threads adding to one counter per file fight over
        // its cache line.
        let stale: Vec<(&scan::Found, Option<Stamp>)> = found
            .par_chunks(STAT_CHUNK)
            .flat_map_iter(|chunk| {
                let mut current = 0;
                let stale: Vec<(&scan::Found, Option<Stamp>)> = chunk
                    .iter()
                    .filter_map(|(f, stamp)| {
                        let entry = known.get(&f.rel_path);
                        if let Some(k) = entry {
                            k.found.store(true, Ordering::Relaxed);
                        }
                        match (stamp, entry) {
                            (Some(stamp), Some(k))
                                if k.stamp == *stamp && k.extractor == EXTRACTOR_VERSION =>
                            {
                                current += 1;
                                None
                            }
                            _ => Some((f, *stamp)),
                        }
                    })
                    .collect();
                progress.done.fetch_add(current, Ordering::Relaxed);
                stale
            })
            .collect();
        let mut read = 0;
        for batch in stale.chunks(BATCH) {
            let docs: Vec<(&scan::Found, Stamp, Doc)> = batch
                .par_iter()
                .filter_map(|(found, stamp)| {
                    let doc = Doc::read(&found.path);
                    progress.done.fetch_add(1, Ordering::Relaxed);
                    Some((*found, (*stamp)?, doc?))
                })
                .collect();
            read += docs.len();
            self.write(library, &docs)?;
        }
        let gone: Vec<(&String, i64)> = known
            .iter()
            .filter(|(_, k)| !k.found.load(Ordering::Relaxed))
            .map(|(rel, k)| (rel, k.id))
            .collect();
        if !gone.is_empty() {
            let tx = self.conn.transaction()?;
            {
                let mut drop_text =
                    tx.prepare_cached(&format!("DELETE FROM text_{library} WHERE rowid = ?1"))?;
                let mut drop_file =
                    tx.prepare_cached("DELETE FROM text_file WHERE root = ?1 AND rel = ?2")?;
                for (rel, id) in &gone {
                    drop_text.execute([id])?;
                    drop_file.execute(params![library, rel])?;
                }
            }
            tx.commit()?;
        }
        Ok(Synced {
            files: found.len(),
            read,
            removed: gone.len(),
        })
    }

    /// The files indexed for a library, by relative path.
    fn known(&self, library: i64) -> rusqlite::Result<KnownFiles> {
        let mut statement = self.conn.prepare(
            "SELECT rel, id, size, mtime, inode, extractor FROM text_file WHERE root = ?1",
        )?;
        let rows = statement.query_map([library], |row| {
            Ok((
                row.get::<_, String>(0)?,
                Known {
                    id: row.get(1)?,
                    stamp: Stamp {
                        size: row.get::<_, i64>(2)? as u64,
                        mtime_ns: row.get(3)?,
                        inode: row.get::<_, i64>(4)? as u64,
                    },
                    extractor: row.get(5)?,
                    found: AtomicBool::new(false),
                },
            ))
        })?;
        rows.collect()
    }

    /// Writes freshly read documents in one transaction, replacing what was kept for them.
    fn write(&mut self, library: i64, docs: &[(&scan::Found, Stamp, Doc)]) -> rusqlite::Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut drop_text =
                tx.prepare_cached(&format!("DELETE FROM text_{library} WHERE rowid = ?1"))?;
            let mut file = tx.prepare_cached(
                "INSERT INTO text_file (root, rel, id, size, mtime, inode, extractor)
                 VALUES (?1, ?2, (SELECT coalesce(max(id), 0) + 1 FROM text_file),
                         ?3, ?4, ?5, ?6)
                 ON CONFLICT (root, rel) DO UPDATE SET size = excluded.size,
                     mtime = excluded.mtime, inode = excluded.inode, extractor = excluded.extractor
                 RETURNING id",
            )?;
            let mut text = tx.prepare_cached(&format!(
                "INSERT INTO text_{library} (rowid, title, description, text)
                 VALUES (?1, ?2, ?3, ?4)"
            ))?;
            for (found, stamp, doc) in docs {
                let id: i64 = file.query_row(
                    params![
                        library,
                        found.rel_path,
                        stamp.size as i64,
                        stamp.mtime_ns,
                        stamp.inode as i64,
                        EXTRACTOR_VERSION
                    ],
                    |row| row.get(0),
                )?;
                // Whatever was kept under this id goes, even if another folio indexed the file
                // since this one read the list of what is known.
                drop_text.execute([id])?;
                text.execute(params![id, doc.title, doc.description, doc.text])?;
            }
        }
        tx.commit()
    }

    /// `query` as an FTS5 expression for `table` (see [`translate`]), with each one-word
    /// prefix (`lifeti*`) replaced by the words of the index it stands for: FTS5 would merge
    /// every such word's entries again for each snippet and highlight, which made a prefix
    /// query's details cost ten times its ranking. `None` when nothing can match.
    fn expression(&self, table: &str, query: &str) -> rusqlite::Result<Option<String>> {
        /// Beyond this many words a prefix stays a prefix.
        const MOST_WORDS: usize = 64;
        let parts = parts(query);
        if parts.is_empty() {
            return Ok(None);
        }
        let mut vocabulary = None;
        let mut quoted = Vec::with_capacity(parts.len());
        for part in &parts {
            // Only a plain ASCII word is sure to be one token that the tokenizer folds to its
            // lower case; anything else is left to FTS5.
            let word = part.prefix && part.text.bytes().all(|b| b.is_ascii_alphanumeric());
            if !word {
                quoted.push(part.quoted());
                continue;
            }
            if vocabulary.is_none() {
                self.conn.execute_batch(&format!(
                    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.{table}_words
                     USING fts5vocab(main, '{table}', 'row');"
                ))?;
                vocabulary = Some(self.conn.prepare_cached(&format!(
                    "SELECT term FROM temp.{table}_words WHERE term >= ?1 AND term < ?2 LIMIT ?3"
                ))?);
            }
            let Some(words) = vocabulary.as_mut() else {
                continue;
            };
            let start = part.text.to_ascii_lowercase();
            // The first string after every word starting with `start`: its last byte is ASCII
            // and below 0x7f, so one more is still ASCII.
            let mut end = start.clone().into_bytes();
            if let Some(last) = end.last_mut() {
                *last += 1;
            }
            let end = String::from_utf8(end).unwrap_or_default();
            let found: Vec<String> = words
                .query_map(params![start, end, MOST_WORDS as i64 + 1], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            match found.len() {
                // Every part must match, and no word starts so.
                0 => return Ok(None),
                n if n > MOST_WORDS => quoted.push(format!("\"{start}\"*")),
                _ => {
                    let any: Vec<String> = found.iter().map(|w| format!("\"{w}\"")).collect();
                    quoted.push(format!("({})", any.join(" OR ")));
                }
            }
        }
        // An explicit AND: FTS5 puts an implicit one only between phrases, not next to `(…)`.
        Ok(Some(quoted.join(" AND ")))
    }

    /// The ids and BM25 ranks (lower is better) of the best `limit` articles matching
    /// `expression`. (Ranking the two halves of a table side by side measured slower, not
    /// faster: BM25 counts each term's articles over the whole table in both halves.)
    fn rank(
        &self,
        table: &str,
        expression: &str,
        limit: usize,
    ) -> rusqlite::Result<Vec<(i64, f64)>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut top = self.conn.prepare_cached(&format!(
            "SELECT rowid, bm25({table}, {WEIGHTS}) AS r FROM {table}
             WHERE {table} MATCH ?1 ORDER BY r LIMIT ?2"
        ))?;
        top.query_map(params![expression, limit], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?
        .collect()
    }

    /// The articles of `root` that contain every word of `query`, best first, at most `limit`.
    /// A query with nothing to search for (blank, only punctuation) finds nothing.
    pub fn search(&self, root: &Path, query: &str, limit: usize) -> rusqlite::Result<Vec<Match>> {
        let Some(library) = self.library(root, false)? else {
            return Ok(Vec::new());
        };
        let table = format!("text_{library}");
        let Some(expression) = self.expression(&table, query)? else {
            return Ok(Vec::new());
        };
        let ranked = self.rank(&table, &expression, limit)?;
        // Paths, snippets and counts only for the rows shown, not for every match, and in one
        // query: FTS5 reads the query's terms once for all of them.
        let ids: Vec<String> = ranked.iter().map(|(id, _)| id.to_string()).collect();
        let mut details: HashMap<i64, (String, String, String, usize)> = HashMap::new();
        if !ids.is_empty() {
            let mut detail = self.conn.prepare(&format!(
                "SELECT {table}.rowid, text_file.rel, {table}.title,
                        snippet({table}, 2, char(1), char(2), '…', {SNIPPET_TOKENS}),
                        snippet({table}, -1, char(1), char(2), '…', {SNIPPET_TOKENS}),
                        highlight({table}, 0, char(1), char(2)),
                        highlight({table}, 1, char(1), char(2)),
                        highlight({table}, 2, char(1), char(2))
                 FROM {table} CROSS JOIN text_file ON text_file.id = {table}.rowid
                 WHERE {table} MATCH ?1 AND {table}.rowid IN ({})",
                ids.join(",")
            ))?;
            let rows = detail.query_map([&expression], |row| {
                let count = |i: usize| -> rusqlite::Result<usize> {
                    Ok(row
                        .get::<_, Option<String>>(i)?
                        .map_or(0, |t| t.matches(OPEN).count()))
                };
                // The text's own words, unless only the title or description matched: the
                // title is shown anyway.
                let text: String = row.get(3)?;
                let snippet = if text.contains(OPEN) {
                    text
                } else {
                    row.get(4)?
                };
                let hits = count(5)? + count(6)? + count(7)?;
                Ok((
                    row.get::<_, i64>(0)?,
                    (row.get(1)?, row.get(2)?, snippet, hits),
                ))
            })?;
            for row in rows {
                let (id, detail) = row?;
                details.insert(id, detail);
            }
        }
        let mut matches = Vec::with_capacity(ranked.len());
        for (id, rank) in ranked {
            // Gone since it was ranked (another folio dropped it): left out.
            let Some((rel, title, snippet, hits)) = details.remove(&id) else {
                continue;
            };
            let (snippet, marks) = unmark(&snippet);
            matches.push(Match {
                file: root.join(&rel),
                path: crate::text::sanitize_line(&rel),
                title,
                score: -rank,
                snippet,
                marks,
                hits,
            });
        }
        Ok(matches)
    }
}

/// Reads a library's folder into a private index and answers `query` from it: the search
/// without a cache, reading every file.
pub fn search_files(root: &Path, query: &str, limit: usize) -> rusqlite::Result<Vec<Match>> {
    let mut index = Index::in_memory()?;
    index.sync(root, &Progress::default())?;
    index.search(root, query, limit)
}

/// The files indexed for a library by relative path (foldhash: SipHash was a tenth of the
/// time spent looking up 100,000 paths).
type KnownFiles = HashMap<String, Known, foldhash::fast::RandomState>;

/// What the index keeps about a file.
struct Known {
    id: i64,
    stamp: Stamp,
    extractor: i64,
    /// Whether the walk found its file.
    found: AtomicBool,
}

/// What is indexed of one article.
struct Doc {
    title: String,
    description: String,
    text: String,
}

impl Doc {
    /// The article at `path` as the reader shows it; `None` when it cannot be read (it is
    /// tried again next time).
    fn read(path: &Path) -> Option<Doc> {
        let (article, body) = crate::library::read_article(path).ok()?;
        let options = crate::markdown::parse::Options { highlight: false };
        let doc =
            crate::markdown::parse::parse_article_with(&article.meta, &body.markdown, options);
        Some(Doc {
            title: article.meta.title,
            description: article.meta.description.unwrap_or_default(),
            text: crate::markdown::plain::body_text(&doc),
        })
    }
}

/// A library's folder as the index keys it: its canonical path, as bytes.
fn root_key(root: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    canonical.as_os_str().as_bytes().to_vec()
}

/// A folder's canonical form, for callers that compare roots.
pub fn canonical_root(root: &Path) -> PathBuf {
    root.canonicalize().unwrap_or_else(|_| root.to_path_buf())
}

/// One part of a query: a word, a quoted phrase, or a word's start (`optim*`).
struct Part<'a> {
    text: &'a str,
    prefix: bool,
}

/// Splits a query into its parts: `"…"` is a phrase, a word ending in `*` a prefix, and a
/// quote that closes nothing is punctuation. Parts with no letter or digit are dropped.
fn parts(query: &str) -> Vec<Part<'_>> {
    let searchable = |text: &str| text.chars().any(char::is_alphanumeric);
    let mut parts = Vec::new();
    let mut rest = query;
    loop {
        rest = rest.trim_start();
        let Some(first) = rest.chars().next() else {
            break;
        };
        if first == '"' {
            let inside = &rest[1..];
            match inside.find('"') {
                Some(end) => {
                    let phrase = &inside[..end];
                    if searchable(phrase) {
                        parts.push(Part {
                            text: phrase,
                            prefix: false,
                        });
                    }
                    rest = &inside[end + 1..];
                }
                None => rest = inside,
            }
            continue;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '"')
            .unwrap_or(rest.len());
        let word = &rest[..end];
        rest = &rest[end..];
        let stem = word.trim_end_matches('*');
        if searchable(stem) {
            parts.push(Part {
                text: stem,
                prefix: stem.len() < word.len(),
            });
        }
    }
    parts
}

impl Part<'_> {
    /// The part as FTS5 reads it: `"a phrase"` stays a phrase, `word*` a prefix, and everything
    /// else is quoted into plain terms, so no text is ever FTS5 syntax (`C++`, `async-std`,
    /// `don't`, `1.0`, `AND`, a lone `"`).
    fn quoted(&self) -> String {
        // Inside quotes FTS5 reads only `""` specially, and no part holds a quote.
        let star = if self.prefix { "*" } else { "" };
        format!("\"{}\"{star}", self.text)
    }
}

/// The parts of a query quoted as [`Index::search`] quotes them (before it spells prefixes
/// out from the index); `None` when nothing is left to search for. For the tests of quoting.
#[cfg(test)]
fn translate(query: &str) -> Option<String> {
    let quoted: Vec<String> = parts(query).iter().map(Part::quoted).collect();
    (!quoted.is_empty()).then(|| quoted.join(" "))
}

/// What to find inside an article opened from a search: the query's words and phrases
/// (without the `*` of a prefix), accents taken off so they find the text with or without
/// them, as the index does.
pub fn find_terms(query: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for part in parts(query) {
        let mut folded = Vec::new();
        for c in part
            .text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
        {
            crate::fold::fold_char(c, false, &mut folded);
        }
        let term: String = folded.into_iter().collect();
        if !terms.contains(&term) {
            terms.push(term);
        }
    }
    terms
}

/// A snippet with its match marks taken out: the plain text (whitespace runs made one space)
/// and the `[start, end)` character offsets of the marked parts.
fn unmark(marked: &str) -> (String, Vec<(usize, usize)>) {
    let mut text = String::with_capacity(marked.len());
    let mut marks = Vec::new();
    let mut chars = 0;
    let mut open = None;
    let mut space = false;
    for c in marked.trim().chars() {
        match c {
            OPEN => open = Some(chars + usize::from(space)),
            CLOSE => {
                if let Some(start) = open.take() {
                    marks.push((start.min(chars), chars));
                }
            }
            c if c.is_whitespace() => space = true,
            c => {
                if space && !text.is_empty() {
                    text.push(' ');
                    chars += 1;
                }
                space = false;
                text.push(c);
                chars += 1;
            }
        }
    }
    (text, marks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_characters_are_quoted_into_terms() {
        assert_eq!(translate("C++").as_deref(), Some("\"C++\""));
        assert_eq!(
            translate("async-std don't 1.0").as_deref(),
            Some("\"async-std\" \"don't\" \"1.0\"")
        );
        assert_eq!(translate("\"").as_deref(), None);
        assert_eq!(translate("say \"hi").as_deref(), Some("\"say\" \"hi\""));
        assert_eq!(translate("++ -- ** ").as_deref(), None);
        assert_eq!(
            translate("AND OR NOT").as_deref(),
            Some("\"AND\" \"OR\" \"NOT\"")
        );
    }

    #[test]
    fn phrases_and_prefixes_keep_their_meaning() {
        assert_eq!(
            translate("\"a phrase\" pref*").as_deref(),
            Some("\"a phrase\" \"pref\"*")
        );
        assert_eq!(translate("x\"y z\"").as_deref(), Some("\"x\" \"y z\""));
    }

    #[test]
    fn find_terms_are_the_parts_folded_without_accents() {
        assert_eq!(
            find_terms("Café \"Quick  brown\" optim* ++ café"),
            ["cafe", "quick brown", "optim"]
        );
    }

    #[test]
    fn unmark_gives_character_offsets_in_the_plain_snippet() {
        let (text, marks) = unmark("…the \u{1}café\u{2}\n\nis \u{1}open\u{2}");
        assert_eq!(text, "…the café is open");
        let chars: Vec<char> = text.chars().collect();
        let marked: Vec<String> = marks
            .iter()
            .map(|&(s, e)| chars[s..e].iter().collect())
            .collect();
        assert_eq!(marked, ["café", "open"]);
    }

    fn library(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).expect("write");
        }
        dir
    }

    #[test]
    fn every_article_with_all_the_words_is_found_best_first() {
        let dir = library(&[
            ("a.md", "# Rust async\n\nAsync Rust is about futures."),
            ("b.md", "# Cooking\n\nRust on a pan; nothing async here."),
            ("c.md", "# Other\n\nOnly rust."),
        ]);
        let found = search_files(dir.path(), "rust async", 50).expect("search");
        let paths: Vec<&str> = found.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(paths, ["a.md", "b.md"]);
        assert!(found[0].score > found[1].score);
        assert_eq!(found[0].hits, 4, "{found:?}");
    }

    #[test]
    fn a_prefix_finds_every_word_it_starts_however_many() {
        // 70 words start with `pre`: more than a prefix is spelled out into, so this one
        // stays FTS5's own prefix; `prefix7*` is spelled out into `prefix7` and `prefix70`…
        let files: Vec<(String, String)> = (0..70)
            .map(|i| {
                (
                    format!("{i:02}.md"),
                    format!("# Note {i}\n\nA word: prefix{i}."),
                )
            })
            .collect();
        let named: Vec<(&str, &str)> = files
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        let dir = library(&named);
        let mut index = Index::in_memory().expect("index");
        index.sync(dir.path(), &Progress::default()).expect("sync");
        assert_eq!(
            index.search(dir.path(), "pre*", 100).expect("search").len(),
            70
        );
        let mut seven: Vec<String> = index
            .search(dir.path(), "PREFIX7*", 100)
            .expect("search")
            .into_iter()
            .map(|m| m.path)
            .collect();
        seven.sort();
        assert_eq!(seven, ["07.md"]);
        // `prefix6` and `prefix60` … `prefix69`, each marked in its snippet.
        let found = index
            .search(dir.path(), "prefix6* note", 100)
            .expect("search");
        assert_eq!(found.len(), 11);
        assert!(found.iter().all(|m| m.marks.len() == 1), "{found:?}");
        // No word starts so: nothing, not an error.
        assert!(
            index
                .search(dir.path(), "zz*", 100)
                .expect("search")
                .is_empty()
        );
        // Not plain ASCII: left to FTS5, which folds the accent as it indexed it.
        let dir = library(&[("a.md", "# Café\n\nA café au lait.")]);
        let mut index = Index::in_memory().expect("index");
        index.sync(dir.path(), &Progress::default()).expect("sync");
        assert_eq!(
            index.search(dir.path(), "caf*", 10).expect("search").len(),
            1
        );
        assert_eq!(
            index.search(dir.path(), "cafè*", 10).expect("search").len(),
            1
        );
    }

    #[test]
    fn libraries_sharing_a_cache_keep_to_their_own_articles() {
        let cache = tempfile::tempdir().expect("cache");
        let one = library(&[("a.md", "# A\n\nshared words, first")]);
        let two = library(&[("b.md", "# B\n\nshared words, second")]);
        let mut index = Index::open(Some(cache.path())).expect("index");
        index.sync(one.path(), &Progress::default()).expect("one");
        index.sync(two.path(), &Progress::default()).expect("two");
        let paths = |index: &Index, root: &Path| -> Vec<String> {
            let found = index.search(root, "shared", 10).expect("search");
            found.into_iter().map(|m| m.path).collect()
        };
        assert_eq!(paths(&index, one.path()), ["a.md"]);
        assert_eq!(paths(&index, two.path()), ["b.md"]);
        // Nothing changed: nothing is read again.
        let again = index.sync(one.path(), &Progress::default()).expect("again");
        assert_eq!((again.files, again.read, again.removed), (1, 0, 0));
        // A library never indexed finds nothing rather than failing.
        assert!(paths(&index, Path::new("/nowhere")).is_empty());
    }

    #[test]
    fn fts5_is_in_the_bundled_sqlite() {
        let index = Index::in_memory().expect("FTS5 available");
        let found = index.search(Path::new("/nowhere"), "x", 5).expect("query");
        assert!(found.is_empty());
    }
}
