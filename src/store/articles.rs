//! Per-article state: read, progress, saved, last opened and the reading position; looked up
//! by key path, and by content hash for an article that moved.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::types::ValueRef;
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

use super::{ArticleKey, ContentHash, Store, StoreError, blob_path, now, path_blob, range_under};

/// Where the reader was in an article. Opaque to the store: the reader keeps the anchor of the
/// nearest heading above the top row (None: above the first heading) and how many visible
/// characters into that section the top row starts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Position {
    pub heading: Option<String>,
    pub offset: u64,
}

/// What folio remembers about one article. An article the store has never heard of is
/// `ArticleState::default()`: unread, 0 %, not saved, never opened, no position.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ArticleState {
    pub read: bool,
    /// The furthest point reached, 0.0 to 1.0.
    pub progress: f64,
    pub saved: bool,
    /// Unix time, in seconds, when the reader last opened it.
    pub last_opened: Option<i64>,
    pub position: Option<Position>,
}

const SELECT: &str = "SELECT path, hash, is_read, progress, is_saved, last_opened, heading, \
                      pos_offset FROM article";

struct Row {
    path: Vec<u8>,
    hash: ContentHash,
    state: ArticleState,
}

fn read_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    let offset: Option<i64> = row.get(7)?;
    Ok(Row {
        path: row.get(0)?,
        hash: ContentHash::from_sql(row.get(1)?),
        state: ArticleState {
            read: row.get(2)?,
            progress: row.get(3)?,
            saved: row.get(4)?,
            last_opened: row.get(5)?,
            position: offset.map(|offset| Position {
                heading: row.get(6).ok().flatten(),
                offset: u64::try_from(offset).unwrap_or(0),
            }),
        },
    })
}

/// Whether the file a row names is gone (so a file with its content elsewhere is that article,
/// moved). A file still there, or one we cannot tell about, keeps its own state.
fn is_gone(path: &[u8]) -> bool {
    std::fs::symlink_metadata(blob_path(path.to_vec()))
        .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
}

/// 0.0 to 1.0, whatever the caller computed.
fn clamp_progress(progress: f64) -> f64 {
    if progress.is_finite() {
        progress.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

impl Store {
    /// The states of a library's articles, in the order of `paths` (key paths under the
    /// canonical `root`), in one read of the rows under `root`.
    ///
    /// An article whose path has no state but whose content matches a row under `root` whose
    /// file is gone is that article moved or renamed: it gets the state, and the row is re-keyed
    /// to the new path (the only write this makes). `hash_of(i)` gives the hash of `paths[i]`;
    /// it is called (in parallel) only when there is such a lost row, so a caller without
    /// hashes at hand (`folio list`) reads no file in the usual case.
    pub fn states(
        &mut self,
        root: &Path,
        paths: &[PathBuf],
        hash_of: impl Fn(usize) -> Option<ContentHash> + Sync,
    ) -> Result<Vec<Option<ArticleState>>, StoreError> {
        self.try_states(root, paths, hash_of)
            .map_err(|source| self.error(source))
    }

    fn try_states(
        &mut self,
        root: &Path,
        paths: &[PathBuf],
        hash_of: impl Fn(usize) -> Option<ContentHash> + Sync,
    ) -> rusqlite::Result<Vec<Option<ArticleState>>> {
        let (low, high) = range_under(root);
        // A merge of the requested paths, sorted, with the rows in key order: no hash map and
        // no allocation for a row that matches (a map of 100,000 rows measured
        // 420 ms against 110 ms: benches/store.rs).
        let mut order: Vec<usize> = (0..paths.len()).collect();
        order.sort_unstable_by(|&a, &b| path_blob(&paths[a]).cmp(path_blob(&paths[b])));
        let mut found: Vec<Option<ArticleState>> = vec![None; paths.len()];
        let mut unmatched = Vec::new();
        {
            let mut statement = self
                .conn
                .prepare_cached(&format!("{SELECT} WHERE path >= ?1 AND path < ?2"))?;
            let mut rows = statement.query(params![low, high])?;
            let mut next = 0;
            while let Some(row) = rows.next()? {
                let ValueRef::Blob(key) = row.get_ref(0)? else {
                    continue;
                };
                while next < order.len() && path_blob(&paths[order[next]]) < key {
                    next += 1;
                }
                let mut matched = false;
                // The same path asked twice gets the state twice.
                while next < order.len() && path_blob(&paths[order[next]]) == key {
                    found[order[next]] = Some(read_row(row)?.state);
                    matched = true;
                    next += 1;
                }
                if !matched {
                    unmatched.push(read_row(row)?);
                }
            }
        }
        // The unmatched rows are states of files this library no longer lists.
        let mut lost: HashMap<ContentHash, Row> = unmatched
            .into_iter()
            .filter(|row| is_gone(&row.path))
            .map(|row| (row.hash, row))
            .collect();
        if lost.is_empty() {
            return Ok(found);
        }
        use rayon::prelude::*;
        let misses: Vec<(usize, ContentHash)> = (0..paths.len())
            .into_par_iter()
            .filter(|&i| found[i].is_none())
            .filter_map(|i| hash_of(i).map(|hash| (i, hash)))
            .collect();
        let mut moves = Vec::new();
        for (i, hash) in misses {
            if let Some(row) = lost.remove(&hash) {
                found[i] = Some(row.state);
                moves.push((row.path, path_blob(&paths[i]).to_vec()));
            }
        }
        if !moves.is_empty() {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            {
                let mut rekey =
                    tx.prepare_cached("UPDATE OR IGNORE article SET path = ?2 WHERE path = ?1")?;
                for (from, to) in &moves {
                    rekey.execute(params![from, to])?;
                }
            }
            tx.commit()?;
        }
        Ok(found)
    }

    /// One article's state, following a move like [`Store::states`] does.
    pub fn state(&mut self, key: &ArticleKey) -> Result<Option<ArticleState>, StoreError> {
        self.write(|tx| Ok(resolve(tx, key)?.map(|row| row.state)))
    }

    /// Records where the reader is. Progress only grows (the furthest point reached); reaching
    /// 1.0 marks the article read.
    pub fn set_position(
        &mut self,
        key: &ArticleKey,
        position: &Position,
        progress: f64,
    ) -> Result<(), StoreError> {
        let progress = clamp_progress(progress);
        self.update(std::slice::from_ref(key), |state| {
            state.position = Some(position.clone());
            state.progress = state.progress.max(progress);
            if state.progress >= 1.0 {
                state.read = true;
            }
        })
    }

    /// Marks articles read (progress 1.0) or unread (progress back to 0 %), in one transaction.
    /// Unread keeps the reading position: pressing `m` twice by mistake must not lose the place
    /// in a long article, and someone marking an article unread to come back to it expects to
    /// come back where they were. The list shows it unread, not half-read.
    pub fn set_read(&mut self, keys: &[ArticleKey], read: bool) -> Result<(), StoreError> {
        self.update(keys, |state| {
            state.read = read;
            state.progress = if read { 1.0 } else { 0.0 };
        })
    }

    /// Saves articles for later, or takes them off that list, in one transaction.
    pub fn set_saved(&mut self, keys: &[ArticleKey], saved: bool) -> Result<(), StoreError> {
        self.update(keys, |state| state.saved = saved)
    }

    /// Records that the reader opened the article now.
    pub fn opened_now(&mut self, key: &ArticleKey) -> Result<(), StoreError> {
        let now = now();
        self.update(std::slice::from_ref(key), |state| {
            state.last_opened = Some(now);
        })
    }

    /// Read, change and write back each article's state in one IMMEDIATE transaction: it takes
    /// the write lock first, so two processes changing one article cannot lose either change.
    fn update(
        &mut self,
        keys: &[ArticleKey],
        change: impl Fn(&mut ArticleState),
    ) -> Result<(), StoreError> {
        self.write(|tx| {
            let mut save = tx.prepare_cached(
                "INSERT OR REPLACE INTO article (path, hash, is_read, progress, is_saved, \
                 last_opened, heading, pos_offset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for key in keys {
                let mut state = resolve(tx, key)?.map(|row| row.state).unwrap_or_default();
                change(&mut state);
                let (heading, offset) = match &state.position {
                    Some(p) => (
                        p.heading.as_deref(),
                        Some(i64::try_from(p.offset).unwrap_or(i64::MAX)),
                    ),
                    None => (None, None),
                };
                save.execute(params![
                    path_blob(&key.path),
                    key.hash.to_sql(),
                    state.read,
                    state.progress,
                    state.saved,
                    state.last_opened,
                    heading,
                    offset,
                ])?;
            }
            Ok(())
        })
    }

    /// Runs `work` in an IMMEDIATE transaction and commits it.
    pub(super) fn write<T>(
        &mut self,
        work: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        let run = |conn: &mut rusqlite::Connection| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let value = work(&tx)?;
            tx.commit()?;
            Ok(value)
        };
        run(&mut self.conn).map_err(|source| self.error(source))
    }

    pub(super) fn error(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }
}

/// The row for `key`: by path; else a row with the same content whose file is gone, re-keyed
/// to `key.path`. A row found by path whose content changed takes the new hash (an edited
/// article keeps its state).
fn resolve(tx: &Transaction<'_>, key: &ArticleKey) -> rusqlite::Result<Option<Row>> {
    let path = path_blob(&key.path);
    let by_path = tx
        .prepare_cached(&format!("{SELECT} WHERE path = ?1"))?
        .query_row([path], read_row)
        .optional()?;
    if let Some(row) = by_path {
        if row.hash != key.hash {
            tx.prepare_cached("UPDATE article SET hash = ?2 WHERE path = ?1")?
                .execute(params![path, key.hash.to_sql()])?;
        }
        return Ok(Some(row));
    }
    let moved = {
        let mut by_hash = tx.prepare_cached(&format!("{SELECT} WHERE hash = ?1"))?;
        let rows = by_hash.query_map([key.hash.to_sql()], read_row)?;
        let mut moved = None;
        for row in rows {
            let row = row?;
            if is_gone(&row.path) {
                moved = Some(row);
                break;
            }
        }
        moved
    };
    if let Some(row) = &moved {
        tx.prepare_cached("UPDATE article SET path = ?2 WHERE path = ?1")?
            .execute(params![row.path, path])?;
    }
    Ok(moved)
}
