//! The loop's side of memory: one thread owns the state store, opens it (the list never
//! waits for that), answers the app's reads and makes its writes in the order they were made,
//! and flushes on the way out.
//!
//! The app only says what to remember ([`Effect::Remember`]); here it reaches SQLite, never on
//! the UI thread. One thread for reads and writes keeps them in order (read, then unread,
//! stays unread) and keeps the store's single connection on the thread that opened it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Sender, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::event::{Event, EventSender};
use crate::app::{Effect, Mark, Msg, Position, Write};
use crate::store::{self, ArticleKey, ContentHash, Store};

/// How long the exit path waits for the last writes.
const FLUSH_WAIT: Duration = Duration::from_secs(3);

enum Job {
    Load { root: PathBuf, paths: Vec<PathBuf> },
    Write(Vec<Write>),
}

/// The session's memory as the loop sees it: nothing (`--no-state`), or the store's thread.
#[derive(Debug)]
pub(crate) struct Memory {
    thread: Option<(Sender<Job>, JoinHandle<()>)>,
}

impl Memory {
    /// No memory this session.
    pub(crate) fn off() -> Memory {
        Memory { thread: None }
    }

    /// Starts the store's thread: it opens the store in `dir` (or the default folder) and
    /// says on `events` if it cannot, or what it had to repair.
    pub(crate) fn start(dir: Option<PathBuf>, events: EventSender) -> std::io::Result<Memory> {
        let (sender, jobs) = channel::<Job>();
        let handle = std::thread::Builder::new()
            .name("memory".into())
            .spawn(move || {
                let send = |msg: Msg| events.send(Event::Msg(Box::new(msg))).is_ok();
                let mut store = match Store::open(dir.as_deref()) {
                    Ok(opened) => {
                        if let Some(notice) = opened.notice {
                            send(Msg::Notify(crate::text::sanitize_line(&notice)));
                        }
                        opened.store
                    }
                    Err(err) => {
                        send(Msg::MemoryUnavailable(format!(
                            "Not remembering this session: {err}"
                        )));
                        return;
                    }
                };
                let mut told = false;
                while let Ok(job) = jobs.recv() {
                    match job {
                        Job::Load { root, paths } => {
                            let msg = load(&mut store, &root, &paths).unwrap_or_else(|why| {
                                Msg::MemoryUnavailable(format!(
                                    "Could not read the reading state: {why}"
                                ))
                            });
                            if !send(msg) {
                                return;
                            }
                        }
                        Job::Write(writes) => {
                            for write in &writes {
                                // Once: a full disk would otherwise say so on every scroll.
                                if let Err(why) = apply(&mut store, write) {
                                    if !told {
                                        told = true;
                                        send(Msg::Notify(crate::text::sanitize_line(&format!(
                                            "Could not save the reading state: {why}"
                                        ))));
                                    }
                                }
                            }
                        }
                    }
                }
            })?;
        Ok(Memory {
            thread: Some((sender, handle)),
        })
    }

    /// Does a memory effect: a read of marks or writes, queued in order.
    pub(crate) fn perform(&self, effect: Effect) {
        let Some((sender, _)) = &self.thread else {
            return;
        };
        let job = match effect {
            Effect::LoadMarks { root, paths } => Job::Load { root, paths },
            Effect::Remember(writes) => Job::Write(writes),
            _ => return,
        };
        // A closed thread (the store could not be opened) has said so already.
        let _ = sender.send(job);
    }

    /// The exit path: the last writes, then wait (a little) until everything is written.
    pub(crate) fn flush(self, last: Vec<Write>) {
        let Some((sender, handle)) = self.thread else {
            return;
        };
        if !last.is_empty() {
            let _ = sender.send(Job::Write(last));
        }
        drop(sender);
        let start = Instant::now();
        while !handle.is_finished() && start.elapsed() < FLUSH_WAIT {
            std::thread::sleep(Duration::from_millis(2));
        }
        if handle.is_finished() {
            let _ = handle.join();
        }
    }
}

/// The marks of a library's articles (keyed by the app's paths), which are new since the last
/// run, the article last selected there and the list's order: a [`Msg::MarksLoaded`].
fn load(store: &mut Store, root: &Path, paths: &[PathBuf]) -> Result<Msg, String> {
    let (root_key, keys) =
        store::key_paths(root, paths.iter().map(PathBuf::as_path)).map_err(|e| e.to_string())?;
    let states = store
        .states(&root_key, &keys, |i| {
            paths.get(i).and_then(|p| ContentHash::of_file(p).ok())
        })
        .map_err(|e| e.to_string())?;
    // "New since last time" compares contents: hash every article (in parallel, off the UI).
    let current: Vec<ArticleKey> = keys
        .par_iter()
        .zip(paths.par_iter())
        .filter_map(|(key, path)| {
            ContentHash::of_file(path).ok().map(|hash| ArticleKey {
                path: key.clone(),
                hash,
            })
        })
        .collect();
    let new = store
        .new_since_last_run(&root_key, &current)
        .map_err(|e| e.to_string())?;
    let mut marks = HashMap::new();
    for ((path, key), state) in paths.iter().zip(&keys).zip(states) {
        let is_new = new.contains(key);
        let mark = match state {
            Some(state) => Mark {
                read: state.read,
                progress: state.progress,
                saved: state.saved,
                last_opened: state.last_opened,
                position: state.position.map(|p| Position {
                    heading: p.heading,
                    offset: usize::try_from(p.offset).unwrap_or(usize::MAX),
                }),
                new: is_new,
            },
            None if is_new => Mark {
                new: true,
                ..Mark::default()
            },
            None => continue,
        };
        marks.insert(path.clone(), mark);
    }
    let last = store.last_selected(&root_key).map_err(|e| e.to_string())?;
    let last_selected = last.and_then(|last| {
        keys.iter()
            .position(|k| *k == last)
            .and_then(|i| paths.get(i).cloned())
    });
    // An order this folio does not know (a newer one's) is the default.
    let sort = store
        .sort(&root_key)
        .map_err(|e| e.to_string())?
        .and_then(|name| crate::app::Sort::from_name(&name));
    Ok(Msg::MarksLoaded {
        marks,
        last_selected,
        sort,
    })
}

/// Makes one write durable.
fn apply(store: &mut Store, write: &Write) -> Result<(), String> {
    let key = |path: &Path| ArticleKey::of_file(path).map_err(|e| e.to_string());
    let done = match write {
        Write::Position {
            path,
            position,
            progress,
        } => {
            let position = store::Position {
                heading: position.heading.clone(),
                offset: u64::try_from(position.offset).unwrap_or(u64::MAX),
            };
            store.set_position(&key(path)?, &position, *progress)
        }
        Write::Read { path, read } => store.set_read(&[key(path)?], *read),
        Write::Saved { path, saved } => store.set_saved(&[key(path)?], *saved),
        Write::Opened { path } => store.opened_now(&key(path)?),
        Write::Selected { root, path } => {
            let root = store::key_paths(root, std::iter::empty::<&Path>())
                .map_err(|e| e.to_string())?
                .0;
            let path = store::key_path(path).map_err(|e| e.to_string())?;
            store.set_last_selected(&root, &path)
        }
        Write::Sort { root, sort } => {
            let root = store::key_paths(root, std::iter::empty::<&Path>())
                .map_err(|e| e.to_string())?
                .0;
            store.set_sort(&root, sort.name())
        }
    };
    done.map_err(|e| e.to_string())
}
