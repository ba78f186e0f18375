//! The state store: what folio remembers between runs (reading positions, read and saved
//! marks, the last selection and the articles seen per library), in one SQLite file.
//!
//! **Threading.** A [`Store`] owns one SQLite connection: it is `Send`, not `Sync`. The intended
//! use is one store owned by one background thread that receives writes in order (so a later
//! position never loses to an earlier one) and answers reads; [`Store::reconnect`] gives another
//! thread a connection of its own without redoing the checks of [`Store::open`]. Every call is
//! its own short transaction, and other processes (a second reader, `folio mark`) may write at
//! the same time: WAL lets readers run beside a writer, and writers wait for each other through
//! the busy timeout instead of failing.
//!
//! **Durability.** WAL with `synchronous=NORMAL`: a committed transaction is in the WAL file in
//! the kernel's page cache before the call returns, so `kill -9` of folio loses nothing that
//! was acknowledged. Only a power cut or an OS crash can lose the last transactions before a
//! checkpoint, and even then the file stays consistent; the fsync per commit that `FULL` costs
//! buys nothing a reader's marks need.

mod articles;
mod key;
mod libraries;
mod schema;

pub mod cache;
pub mod fts;

pub use articles::{ArticleState, Position};
pub use key::{ArticleKey, ContentHash, key_path, key_paths};
pub use schema::VERSION as SCHEMA_VERSION;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use rusqlite::{Connection, ErrorCode, OpenFlags};

/// The file in the state folder.
pub const FILE_NAME: &str = "state.sqlite3";

/// How long a write waits for another process's write to finish before giving up. Writes are
/// a few milliseconds; this only runs out if another process hangs holding the lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Why the store cannot be used this session. Each says what happened in one line; the caller
/// shows it once and runs without memory.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no folder for the reading state: set FOLIO_STATE_DIR, XDG_STATE_HOME or HOME")]
    NoFolder,
    #[error("cannot use {} as the state folder: {source}", dir.display())]
    Folder {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{} was written by a newer folio (schema {found}, this one knows {known}); left it \
         untouched, running without memory",
        path.display()
    )]
    Newer {
        path: PathBuf,
        found: i32,
        known: i32,
    },
    #[error("the reading state {}: {source}", path.display())]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("cannot move the unreadable reading state {} aside: {source}", path.display())]
    MoveAside {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// An open store, and what the caller should tell the user once (in the footer, or on stderr).
#[derive(Debug)]
pub struct Opened {
    pub store: Store,
    pub notice: Option<String>,
}

/// The state store: one connection to `state.sqlite3`. See the module documentation for the
/// threading model.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// The state folder: `FOLIO_STATE_DIR`, else `config_dir` (the config's `state_dir`), else
/// `$XDG_STATE_HOME/folio` (only if absolute, as the XDG spec says), else
/// `~/.local/state/folio`.
pub fn state_dir(config_dir: Option<&Path>) -> Result<PathBuf, StoreError> {
    state_dir_in(|name| std::env::var_os(name), config_dir)
}

/// [`state_dir`] with the environment as a function, so tests need not change the process's.
fn state_dir_in(
    var: impl Fn(&str) -> Option<std::ffi::OsString>,
    config_dir: Option<&Path>,
) -> Result<PathBuf, StoreError> {
    let env = |name: &str| var(name).filter(|v| !v.is_empty());
    if let Some(dir) = env("FOLIO_STATE_DIR") {
        return Ok(PathBuf::from(dir));
    }
    if let Some(dir) = config_dir {
        return Ok(dir.to_path_buf());
    }
    if let Some(dir) = env("XDG_STATE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
    {
        return Ok(dir.join("folio"));
    }
    env("HOME")
        .map(|home| PathBuf::from(home).join(".local/state/folio"))
        .ok_or(StoreError::NoFolder)
}

impl Store {
    /// Opens (creating it if needed) the store in the state folder [`state_dir`] picks.
    pub fn open(dir_override: Option<&Path>) -> Result<Opened, StoreError> {
        Store::open_in(&state_dir(dir_override)?)
    }

    /// Opens the store only if one exists, creating nothing: for commands that only read, so
    /// `folio list` on a fresh machine leaves no state folder behind.
    pub fn open_existing(dir_override: Option<&Path>) -> Result<Option<Opened>, StoreError> {
        let dir = state_dir(dir_override)?;
        // A plain file in the folder's place is worth a warning even to a reader.
        if dir.metadata().is_ok_and(|m| !m.is_dir()) {
            return Err(StoreError::Folder {
                dir,
                source: std::io::Error::new(
                    std::io::ErrorKind::NotADirectory,
                    "a file is in the way of the folder",
                ),
            });
        }
        if dir.join(FILE_NAME).exists() {
            Store::open_in(&dir).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Opens (creating it if needed) the store in exactly `dir`. An unreadable file (garbage,
    /// truncated) is moved aside with its `-wal` and `-shm` and a fresh store started; the
    /// notice says where it went. A newer folio's store is left untouched.
    pub fn open_in(dir: &Path) -> Result<Opened, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Folder {
            dir: dir.to_path_buf(),
            source,
        })?;
        let path = dir.join(FILE_NAME);
        match Store::connect(&path) {
            Ok(store) => Ok(Opened {
                store,
                notice: None,
            }),
            Err(StoreError::Sqlite { source, .. }) if is_corruption(&source) => {
                let aside = move_aside(&path)?;
                let store = Store::connect(&path)?;
                Ok(Opened {
                    store,
                    notice: Some(format!(
                        "The reading state was unreadable; moved it to {} and started fresh",
                        aside.display()
                    )),
                })
            }
            Err(e) => Err(e),
        }
    }

    /// Another connection to the same store, for another thread.
    pub fn reconnect(&self) -> Result<Store, StoreError> {
        let conn = configure(&self.path).map_err(|source| StoreError::Sqlite {
            path: self.path.clone(),
            source,
        })?;
        Ok(Store {
            conn,
            path: self.path.clone(),
        })
    }

    /// The store's file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// SQLite's own check of the whole file: `Ok(())` when it says "ok".
    pub fn integrity_check(&self) -> Result<(), String> {
        let result: rusqlite::Result<String> =
            self.conn
                .query_row("PRAGMA integrity_check", [], |row| row.get(0));
        match result {
            Ok(text) if text == "ok" => Ok(()),
            Ok(text) => Err(text),
            Err(e) => Err(e.to_string()),
        }
    }

    fn connect(path: &Path) -> Result<Store, StoreError> {
        let sqlite = |source| StoreError::Sqlite {
            path: path.to_path_buf(),
            source,
        };
        // Read the version from the header before SQLite opens the file: even a read-only
        // connection leaves `-wal` and `-shm` behind, and switching the journal mode rewrites
        // the header; a newer folio's store must stay exactly as it was.
        let existed = path.metadata().is_ok_and(|m| m.len() > 0);
        if existed {
            if let Some(found) = header_version(path).filter(|v| *v > schema::VERSION) {
                return Err(StoreError::Newer {
                    path: path.to_path_buf(),
                    found,
                    known: schema::VERSION,
                });
            }
            // A truncated file can still have a readable header; only a walk of its pages
            // finds the missing ones (opening a store of 100,000 states, this check included,
            // measured 35 ms: benches/store.rs). Read-only, because a read-write connection
            // that closes checkpoints and deletes the `-wal`, which must be moved aside as it
            // was if the file turns out to be damaged.
            let probe = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(sqlite)?;
            probe.busy_timeout(BUSY_TIMEOUT).map_err(sqlite)?;
            quick_check(&probe).map_err(sqlite)?;
        }
        let mut conn = configure(path).map_err(sqlite)?;
        match schema::migrate(&mut conn).map_err(sqlite)? {
            schema::Migrated::Current => Ok(Store {
                conn,
                path: path.to_path_buf(),
            }),
            // Another folio upgraded it between the probe and now.
            schema::Migrated::Newer(found) => Err(StoreError::Newer {
                path: path.to_path_buf(),
                found,
                known: schema::VERSION,
            }),
        }
    }
}

/// A connection with folio's settings: busy timeout, WAL, `synchronous=NORMAL`.
fn configure(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        // Another connection holds the file in another mode; not corruption, but not safe
        // to share either.
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            Some(format!("could not switch to WAL (journal mode is {mode})")),
        ));
    }
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(conn)
}

/// The schema version in a SQLite file's header (bytes 60..64, big-endian), or None when the
/// file does not start like a SQLite database (SQLite itself then says it is not one).
fn header_version(path: &Path) -> Option<i32> {
    use std::io::Read;
    let mut header = [0u8; 64];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .ok()?;
    if !header.starts_with(b"SQLite format 3\0") {
        return None;
    }
    Some(i32::from_be_bytes([
        header[60], header[61], header[62], header[63],
    ]))
}

/// `PRAGMA quick_check`: turns any answer but "ok" into a corruption error.
fn quick_check(conn: &Connection) -> rusqlite::Result<()> {
    let text: String = conn.query_row("PRAGMA quick_check(1)", [], |row| row.get(0))?;
    if text == "ok" {
        Ok(())
    } else {
        Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
            Some(text),
        ))
    }
}

/// Whether an error means the file is not a usable database (as opposed to busy, full, or
/// not permitted, where moving it aside would throw away good state).
fn is_corruption(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt)
    )
}

/// Renames `state.sqlite3` and its `-wal` and `-shm` to `state.sqlite3.corrupt-<UTC time>`
/// (and `…-wal`, `…-shm`); returns the new name of the main file.
fn move_aside(path: &Path) -> Result<PathBuf, StoreError> {
    let stamp: String = humantime::format_rfc3339_seconds(SystemTime::now())
        .to_string()
        .chars()
        .filter(|c| !matches!(c, '-' | ':'))
        .collect();
    let base = path.as_os_str().to_owned();
    let named = |suffix: &str| {
        let mut name = base.clone();
        name.push(suffix);
        PathBuf::from(name)
    };
    // Two corruptions in one second must not overwrite the first one kept.
    let mut n = 0;
    let aside = loop {
        let suffix = if n == 0 {
            format!(".corrupt-{stamp}")
        } else {
            format!(".corrupt-{stamp}.{n}")
        };
        let candidate = named(&suffix);
        if !candidate.exists() {
            break suffix;
        }
        n += 1;
    };
    let fail = |source| StoreError::MoveAside {
        path: path.to_path_buf(),
        source,
    };
    for extra in ["-wal", "-shm"] {
        let from = named(extra);
        if from.exists() {
            std::fs::rename(&from, named(&format!("{aside}{extra}"))).map_err(fail)?;
        }
    }
    let to = named(&aside);
    match std::fs::rename(path, &to) {
        // Another folio starting at the same moment moved it first.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(to),
        other => other.map(|()| to).map_err(fail),
    }
}

/// Now, as stored: whole seconds since the Unix epoch.
fn now() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// A path as stored: its OS bytes (file names need not be UTF-8).
fn path_blob(path: &Path) -> &[u8] {
    use std::os::unix::ffi::OsStrExt;
    path.as_os_str().as_bytes()
}

fn blob_path(bytes: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(bytes))
}

/// The key range `[root/, root0)` that holds exactly the paths inside `root` ('0' follows '/').
fn range_under(root: &Path) -> (Vec<u8>, Vec<u8>) {
    let mut low = path_blob(root).to_vec();
    if low.last() != Some(&b'/') {
        low.push(b'/');
    }
    let mut high = low.clone();
    if let Some(last) = high.last_mut() {
        *last = b'0';
    }
    (low, high)
}

#[cfg(test)]
mod tests;
