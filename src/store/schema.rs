//! The store's schema as a list of migration steps; `PRAGMA user_version` counts the steps done.

use rusqlite::{Connection, TransactionBehavior};

/// Step `n` (0-based) takes a store from schema version `n` to `n + 1`. Never edit a step that
/// has shipped: add one. Paths are BLOBs of the OS bytes (a file name need not be UTF-8), so a
/// range `root/ ..= root0` selects one folder's articles through the primary key.
pub(super) const MIGRATIONS: &[&str] = &[
    // 1: article states, libraries (last selection) and the articles each library had last run.
    "CREATE TABLE article (
        path BLOB PRIMARY KEY NOT NULL,
        hash INTEGER NOT NULL,
        is_read INTEGER NOT NULL DEFAULT 0,
        progress REAL NOT NULL DEFAULT 0,
        is_saved INTEGER NOT NULL DEFAULT 0,
        last_opened INTEGER,
        heading TEXT,
        pos_offset INTEGER
    ) WITHOUT ROWID;
    CREATE INDEX article_by_hash ON article (hash);
    CREATE TABLE library (
        root BLOB PRIMARY KEY NOT NULL,
        last_selected BLOB,
        seen_recorded INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    CREATE TABLE seen (
        root BLOB NOT NULL,
        path BLOB NOT NULL,
        hash INTEGER NOT NULL,
        PRIMARY KEY (root, path)
    ) WITHOUT ROWID;",
    // 2: the order each library's list was last shown in (`S` in the reader).
    "ALTER TABLE library ADD COLUMN sort TEXT;",
];

/// The schema version this folio writes; a store with a higher one is a newer folio's.
pub const VERSION: i32 = MIGRATIONS.len() as i32;

/// What [`migrate`] found.
pub(crate) enum Migrated {
    Current,
    /// The store's version, higher than [`VERSION`]: nothing was changed.
    Newer(i32),
}

pub(crate) fn user_version(conn: &Connection) -> rusqlite::Result<i32> {
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
}

/// Brings the store up to [`VERSION`] in one transaction. IMMEDIATE takes the write lock before
/// reading the version, so two folios starting together cannot both run the same step.
pub(crate) fn migrate(conn: &mut Connection) -> rusqlite::Result<Migrated> {
    if user_version(conn)? == VERSION {
        return Ok(Migrated::Current);
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found = user_version(&tx)?;
    if found > VERSION {
        return Ok(Migrated::Newer(found));
    }
    let done = usize::try_from(found).unwrap_or(0);
    for step in &MIGRATIONS[done..] {
        tx.execute_batch(step)?;
    }
    tx.pragma_update(None, "user_version", VERSION)?;
    tx.commit()?;
    Ok(Migrated::Current)
}
