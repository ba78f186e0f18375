//! Live reload: the library folder is watched (the `notify` crate, through its debouncer), and
//! what changed reaches the app as one message a burst, so an article added, edited, renamed or
//! removed shows within a second. If watching cannot start, the footer says so once and `r`
//! still reads the folder again.

use std::path::{Path, PathBuf};
use std::time::Duration;

use notify_debouncer_mini::notify::RecursiveMode;
use notify_debouncer_mini::{DebounceEventResult, Debouncer, new_debouncer};

use super::event::{Event, EventSender};
use crate::app::Msg;

/// How long a burst of changes (an editor's save, a `git pull`) is gathered into one.
const SETTLE: Duration = Duration::from_millis(300);

/// The watch, alive while this is.
pub(crate) struct Watch {
    _debouncer: Option<Debouncer<notify_debouncer_mini::notify::RecommendedWatcher>>,
}

/// What the watch knows of files, to tell a change from a mere read: the debouncer reports
/// every event, and folio's own reading of an article (an open, a close) is one. Without this,
/// reading the open article again on its own access event would never end.
struct Seen {
    started: std::time::SystemTime,
    stamps: std::collections::HashMap<PathBuf, (std::time::SystemTime, u64)>,
}

impl Seen {
    fn new() -> Seen {
        Seen {
            started: std::time::SystemTime::now(),
            stamps: std::collections::HashMap::new(),
        }
    }

    /// Whether `path` changed: it is gone, or its modification time or size differs from the
    /// last event's; a path met for the first time changed if it was modified since folio
    /// started watching.
    fn changed(&mut self, path: &Path) -> bool {
        let Ok(meta) = std::fs::metadata(path) else {
            self.stamps.remove(path);
            return true;
        };
        let Ok(modified) = meta.modified() else {
            return true;
        };
        let stamp = (modified, meta.len());
        match self.stamps.insert(path.to_path_buf(), stamp) {
            Some(previous) => previous != stamp,
            None => modified >= self.started,
        }
    }
}

/// Watches `path` (the folder; for one file, its folder but not the folders inside: walking
/// a big tree under it would hold up the first screen for what one article never needs) and
/// sends what changed to `events`.
pub(crate) fn start(path: &Path, events: EventSender) -> Watch {
    let mode = if path.is_file() {
        RecursiveMode::NonRecursive
    } else {
        RecursiveMode::Recursive
    };
    let folder = if path.is_file() {
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf()
    } else {
        path.to_path_buf()
    };
    let sender = events.clone();
    let mut seen = Seen::new();
    let debouncer = new_debouncer(SETTLE, move |result: DebounceEventResult| {
        let msg = match result {
            Ok(changes) => {
                let paths: Vec<PathBuf> = changes
                    .into_iter()
                    .map(|change| change.path)
                    .filter(|p| crate::library::is_markdown_path(p) || p.is_dir())
                    .filter(|p| seen.changed(p))
                    .collect();
                if paths.is_empty() {
                    return;
                }
                Msg::FilesChanged(paths)
            }
            Err(err) => Msg::Notify(crate::text::sanitize_line(&format!(
                "Watching the folder failed ({err}); r reads it again."
            ))),
        };
        let _ = sender.send(Event::Msg(Box::new(msg)));
    });
    let watching = debouncer
        .and_then(|mut debouncer| debouncer.watcher().watch(&folder, mode).map(|()| debouncer));
    match watching {
        Ok(debouncer) => Watch {
            _debouncer: Some(debouncer),
        },
        Err(err) => {
            let msg = Msg::Notify(crate::text::sanitize_line(&format!(
                "Not watching the folder for changes ({err}); r reads it again."
            )));
            let _ = events.send(Event::Msg(Box::new(msg)));
            Watch { _debouncer: None }
        }
    }
}
