//! The loop's side of memory: reads marks in a job, makes writes in order on one writer
//! thread, and flushes on the way out.
//!
//! The app only says what to remember ([`Effect::Remember`]); this is where it reaches the
//! store, never on the UI thread. Writes go to a single thread so they land in the order they
//! were made (read, then unread, stays unread).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::{Sender, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::jobs::Jobs;
use crate::app::{Effect, Mark, Msg, Write};

/// How long the exit path waits for the last writes.
const FLUSH_WAIT: Duration = Duration::from_secs(3);

/// Where marks are kept.
pub(crate) trait Backend: Send + 'static {
    /// The marks of these articles, and the folder's last selected article.
    fn load(
        &mut self,
        root: &std::path::Path,
        paths: &[PathBuf],
    ) -> Result<(HashMap<PathBuf, Mark>, Option<PathBuf>), String>;
    /// Makes one write durable.
    fn write(&mut self, write: &Write) -> Result<(), String>;
    /// Another connection to the same store, for reading in a job.
    fn reader(&self) -> Result<Box<dyn Backend>, String>;
}

enum Job {
    Write(Vec<Write>),
    Stop,
}

/// The session's memory as the loop sees it: nothing (`--no-state`, or the store failed), or a
/// writer thread over a backend.
pub(crate) struct Memory {
    writer: Option<(Sender<Job>, JoinHandle<()>)>,
    reader: Option<Box<dyn Backend>>,
    events: super::event::EventSender,
}

impl std::fmt::Debug for Memory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Memory")
            .field("on", &self.writer.is_some())
            .finish()
    }
}

impl Memory {
    /// No memory this session.
    pub(crate) fn off(events: super::event::EventSender) -> Memory {
        Memory {
            writer: None,
            reader: None,
            events,
        }
    }

    /// Memory over `backend`, writing on a thread of its own.
    pub(crate) fn start(
        mut backend: Box<dyn Backend>,
        events: super::event::EventSender,
    ) -> std::io::Result<Memory> {
        let reader = backend.reader().ok();
        let (sender, jobs) = channel::<Job>();
        let failures = events.clone();
        let handle = std::thread::Builder::new()
            .name("memory writer".into())
            .spawn(move || {
                let mut told = false;
                while let Ok(Job::Write(writes)) = jobs.recv() {
                    for write in &writes {
                        if let Err(why) = backend.write(write) {
                            // Once: a full disk would otherwise say so on every scroll.
                            if !told {
                                told = true;
                                let msg = Msg::Notify(crate::text::sanitize_line(&format!(
                                    "Could not save the reading state: {why}"
                                )));
                                let _ = failures.send(super::event::Event::Msg(Box::new(msg)));
                            }
                        }
                    }
                }
            })?;
        Ok(Memory {
            writer: Some((sender, handle)),
            reader,
            events,
        })
    }

    /// Does a memory effect: reads marks in a job, or queues writes.
    pub(crate) fn perform(&self, effect: Effect, jobs: &Jobs) {
        match effect {
            Effect::LoadMarks { root, paths } => {
                let Some(reader) = &self.reader else {
                    return;
                };
                let reader = reader.reader();
                jobs.spawn(move || {
                    let loaded = reader.and_then(|mut r| r.load(&root, &paths));
                    Some(match loaded {
                        Ok((marks, last_selected)) => Msg::MarksLoaded {
                            marks,
                            last_selected,
                        },
                        Err(why) => Msg::MemoryUnavailable(format!(
                            "Could not read the reading state: {why}"
                        )),
                    })
                });
            }
            Effect::Remember(writes) => {
                if let Some((sender, _)) = &self.writer {
                    let _ = sender.send(Job::Write(writes));
                }
            }
            _ => {}
        }
        let _ = &self.events;
    }

    /// The exit path: the last writes, then wait (a little) until everything is written.
    pub(crate) fn flush(self, last: Vec<Write>) {
        let Some((sender, handle)) = self.writer else {
            return;
        };
        if !last.is_empty() {
            let _ = sender.send(Job::Write(last));
        }
        let _ = sender.send(Job::Stop);
        let start = Instant::now();
        while !handle.is_finished() && start.elapsed() < FLUSH_WAIT {
            std::thread::sleep(Duration::from_millis(5));
        }
        if handle.is_finished() {
            let _ = handle.join();
        }
    }
}
