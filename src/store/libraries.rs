//! Per-library state, keyed by the library's canonical folder: the article last selected, the
//! list's order, and the articles seen at the previous run (to tell which are new since).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rusqlite::{OptionalExtension, params};

use super::{ArticleKey, ContentHash, Store, StoreError, blob_path, path_blob};

impl Store {
    /// The article selected when the reader last left the library at `root`.
    pub fn last_selected(&self, root: &Path) -> Result<Option<PathBuf>, StoreError> {
        self.conn
            .prepare_cached("SELECT last_selected FROM library WHERE root = ?1")
            .and_then(|mut s| {
                s.query_row([path_blob(root)], |row| row.get::<_, Option<Vec<u8>>>(0))
                    .optional()
            })
            .map(|found| found.flatten().map(blob_path))
            .map_err(|source| self.error(source))
    }

    /// Remembers the article selected in the library at `root`.
    pub fn set_last_selected(&mut self, root: &Path, article: &Path) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.prepare_cached(
                "INSERT INTO library (root, last_selected) VALUES (?1, ?2)
                 ON CONFLICT (root) DO UPDATE SET last_selected = excluded.last_selected",
            )?
            .execute(params![path_blob(root), path_blob(article)])
            .map(drop)
        })
    }

    /// The order the list of the library at `root` was last shown in, as the reader names it.
    pub fn sort(&self, root: &Path) -> Result<Option<String>, StoreError> {
        self.conn
            .prepare_cached("SELECT sort FROM library WHERE root = ?1")
            .and_then(|mut s| {
                s.query_row([path_blob(root)], |row| row.get::<_, Option<String>>(0))
                    .optional()
            })
            .map(Option::flatten)
            .map_err(|source| self.error(source))
    }

    /// Remembers the order the list of the library at `root` is shown in.
    pub fn set_sort(&mut self, root: &Path, sort: &str) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.prepare_cached(
                "INSERT INTO library (root, sort) VALUES (?1, ?2)
                 ON CONFLICT (root) DO UPDATE SET sort = excluded.sort",
            )?
            .execute(params![path_blob(root), sort])
            .map(drop)
        })
    }

    /// The articles of `current` that are new since the previous call for `root` (added, or
    /// changed: another hash at the same path), and records `current` for next time. The first
    /// call for a library marks nothing new. An article that only moved (its hash was seen at
    /// another path) is not new. Writes only the difference, so a library that did not change
    /// costs one read of its rows.
    pub fn new_since_last_run(
        &mut self,
        root: &Path,
        current: &[ArticleKey],
    ) -> Result<HashSet<PathBuf>, StoreError> {
        let root_blob = path_blob(root);
        self.write(|tx| {
            let recorded: bool = tx
                .prepare_cached("SELECT seen_recorded FROM library WHERE root = ?1")?
                .query_row([root_blob], |row| row.get(0))
                .optional()?
                .unwrap_or(false);
            let mut previous: HashMap<Vec<u8>, ContentHash> = tx
                .prepare_cached("SELECT path, hash FROM seen WHERE root = ?1")?
                .query_map([root_blob], |row| {
                    Ok((row.get(0)?, ContentHash::from_sql(row.get(1)?)))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let previous_hashes: HashSet<ContentHash> = previous.values().copied().collect();
            let mut new = HashSet::new();
            let mut upsert = tx.prepare_cached(
                "INSERT OR REPLACE INTO seen (root, path, hash) VALUES (?1, ?2, ?3)",
            )?;
            for key in current {
                let path = path_blob(&key.path);
                match previous.remove(path) {
                    Some(hash) if hash == key.hash => continue,
                    Some(_) => {
                        new.insert(key.path.clone());
                    }
                    None if !previous_hashes.contains(&key.hash) => {
                        new.insert(key.path.clone());
                    }
                    None => {}
                }
                upsert.execute(params![root_blob, path, key.hash.to_sql()])?;
            }
            let mut forget = tx.prepare_cached("DELETE FROM seen WHERE root = ?1 AND path = ?2")?;
            for gone in previous.keys() {
                forget.execute(params![root_blob, gone])?;
            }
            tx.prepare_cached(
                "INSERT INTO library (root, seen_recorded) VALUES (?1, 1)
                 ON CONFLICT (root) DO UPDATE SET seen_recorded = 1",
            )?
            .execute([root_blob])?;
            Ok(if recorded { new } else { HashSet::new() })
        })
    }
}
