//! Worker threads for everything that touches the disk: reading articles and previews,
//! scanning the library, opening the browser. A job's result goes back on the loop's channel as
//! a message; a job that panics says so in the footer instead of taking folio down.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};

use super::event::{Event, EventSender};
use crate::app::Msg;

pub(crate) type Job = Box<dyn FnOnce() -> Option<Msg> + Send>;

/// A small pool of workers fed from one queue.
#[derive(Debug)]
pub(crate) struct Jobs {
    queue: Sender<Job>,
}

impl Jobs {
    /// Starts `workers` threads (at least one) that send results to `events`.
    pub(crate) fn start(workers: usize, events: &EventSender) -> std::io::Result<Jobs> {
        let (queue, jobs) = channel::<Job>();
        let jobs = Arc::new(Mutex::new(jobs));
        for n in 0..workers.max(1) {
            let jobs = Arc::clone(&jobs);
            let events = events.clone();
            std::thread::Builder::new()
                .name(format!("job {n}"))
                .spawn(move || work(&jobs, &events))?;
        }
        Ok(Jobs { queue })
    }

    /// Runs `job` on a worker; its message, if any, comes back as an event.
    pub(crate) fn spawn(&self, job: impl FnOnce() -> Option<Msg> + Send + 'static) {
        // The workers end only with the process, so the queue is always open.
        let _ = self.queue.send(Box::new(job));
    }
}

fn work(jobs: &Mutex<Receiver<Job>>, events: &EventSender) {
    loop {
        let job = {
            let queue = jobs.lock().unwrap_or_else(PoisonError::into_inner);
            match queue.recv() {
                Ok(job) => job,
                Err(_) => return,
            }
        };
        let msg = match catch_unwind(AssertUnwindSafe(job)) {
            Ok(msg) => msg,
            Err(panic) => {
                let why = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                Some(Msg::Notify(crate::text::sanitize_line(&format!(
                    "A background job failed: {why}"
                ))))
            }
        };
        if let Some(msg) = msg {
            if events.send(Event::Msg(Box::new(msg))).is_err() {
                return;
            }
        }
    }
}
