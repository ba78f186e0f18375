//! The one channel the loop reads: terminal input, job results, signals and hang-ups.
//!
//! Each source is a thread that blocks on its own thing and sends an [`Event`]; the loop blocks
//! on the channel, so nothing is noticed late and nothing spins. The input thread can be paused
//! while another program (a text browser, the shell after Ctrl-Z) has the terminal, so no
//! keystroke meant for it is read by folio.

use std::io;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

use crossterm::event as term;

use crate::app::Msg;

/// Something for the loop.
#[derive(Debug)]
pub(crate) enum Event {
    /// A key, mouse or resize event from the terminal.
    Input(term::Event),
    /// Reading the terminal failed; the loop ends.
    InputFailed(io::Error),
    /// A job's result, or anything else for the app. Boxed: a loaded library or article is
    /// large, and every key event would pay for its size.
    Msg(Box<Msg>),
    /// SIGTERM, SIGHUP, SIGINT or SIGCONT arrived.
    Signal(i32),
    /// The terminal went away.
    HangUp,
}

/// The sending side, cloned into every source.
pub(crate) type EventSender = Sender<Event>;

pub(crate) fn channel_pair() -> (EventSender, Receiver<Event>) {
    channel()
}

/// How long the input thread waits for a key before looking at its gate again.
const INPUT_POLL: Duration = Duration::from_millis(50);
/// How often the hang-up watch looks at the terminal.
const WATCH_EVERY: Duration = Duration::from_millis(250);
/// The longest a pause waits for the input thread to stop reading.
const PAUSE_WAIT: Duration = Duration::from_millis(500);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Gate {
    Open,
    PauseAsked,
    Paused,
    /// The thread has ended (the channel closed or the terminal failed).
    Gone,
}

/// The input thread's gate: the loop closes it before lending the terminal out.
#[derive(Debug)]
pub(crate) struct Input {
    gate: Arc<(Mutex<Gate>, Condvar)>,
}

impl Input {
    /// Starts reading the terminal into `events`.
    pub(crate) fn start(events: EventSender) -> io::Result<Input> {
        let gate = Arc::new((Mutex::new(Gate::Open), Condvar::new()));
        let shared = Arc::clone(&gate);
        std::thread::Builder::new()
            .name("input".into())
            .spawn(move || read_input(&shared, &events))?;
        Ok(Input { gate })
    }

    /// Stops reading until [`Input::resume`]; returns once the thread is not reading.
    pub(crate) fn pause(&self) {
        let (lock, cond) = &*self.gate;
        let mut gate = lock.lock().unwrap_or_else(PoisonError::into_inner);
        if *gate == Gate::Open {
            *gate = Gate::PauseAsked;
        }
        let (gate, _) = cond
            .wait_timeout_while(gate, PAUSE_WAIT, |g| *g == Gate::PauseAsked)
            .unwrap_or_else(PoisonError::into_inner);
        drop(gate);
    }

    pub(crate) fn resume(&self) {
        let (lock, cond) = &*self.gate;
        let mut gate = lock.lock().unwrap_or_else(PoisonError::into_inner);
        if *gate != Gate::Gone {
            *gate = Gate::Open;
        }
        cond.notify_all();
    }
}

fn read_input(gate: &(Mutex<Gate>, Condvar), events: &EventSender) {
    let (lock, cond) = gate;
    let set = |state: Gate| {
        *lock.lock().unwrap_or_else(PoisonError::into_inner) = state;
        cond.notify_all();
    };
    loop {
        {
            let mut state = lock.lock().unwrap_or_else(PoisonError::into_inner);
            while *state != Gate::Open {
                if *state == Gate::PauseAsked {
                    *state = Gate::Paused;
                    cond.notify_all();
                }
                state = cond.wait(state).unwrap_or_else(PoisonError::into_inner);
            }
        }
        let event = match term::poll(INPUT_POLL) {
            Ok(false) => continue,
            Ok(true) => term::read(),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => Err(err),
        };
        let sent = match event {
            Ok(event) => events.send(Event::Input(event)),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => {
                set(Gate::Gone);
                // The loop ends on this; nobody else needs the error.
                let _ = events.send(Event::InputFailed(err));
                return;
            }
        };
        if sent.is_err() {
            // The loop is gone.
            set(Gate::Gone);
            return;
        }
    }
}

/// Forwards the signals that end or resume folio, as events (signal-hook's iterator: the
/// handler only wakes this thread).
pub(crate) fn watch_signals(events: EventSender) -> io::Result<signal_hook::iterator::Handle> {
    use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGCONT])?;
    let handle = signals.handle();
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                if events.send(Event::Signal(signal)).is_err() {
                    return;
                }
            }
        })?;
    Ok(handle)
}

/// Says when the terminal hangs up.
///
/// crossterm 0.29's event source spins forever reading a terminal that has hung up (its read
/// loop retries `Ok(0)`; crossterm-rs/crossterm#793), so the input thread never reports it.
/// This thread looks at standard input itself and tells the loop, which leaves by its one way
/// out; the spinning thread ends with the process.
pub(crate) fn watch_hangup(events: EventSender) -> io::Result<()> {
    std::thread::Builder::new()
        .name("hang-up watch".into())
        .spawn(move || {
            loop {
                std::thread::sleep(WATCH_EVERY);
                if hung_up() {
                    let _ = events.send(Event::HangUp);
                    return;
                }
            }
        })
        .map(|_| ())
}

/// Whether standard input, the terminal the reader runs in, has hung up or closed.
fn hung_up() -> bool {
    let mut fd = libc::pollfd {
        fd: libc::STDIN_FILENO,
        events: 0,
        revents: 0,
    };
    // SAFETY: one valid pollfd, a zero timeout; poll only writes `revents`.
    let ready = unsafe { libc::poll(&mut fd, 1, 0) };
    ready > 0 && fd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
}

/// Timers the app asks for (the position is saved two seconds after scrolling stops): one
/// thread that sleeps until the nearest deadline.
#[derive(Debug)]
pub(crate) struct Timers {
    requests: Sender<(std::time::Instant, crate::app::Ticket)>,
}

impl Timers {
    pub(crate) fn start_thread(events: EventSender) -> io::Result<Timers> {
        let (requests, incoming) = channel::<(std::time::Instant, crate::app::Ticket)>();
        std::thread::Builder::new()
            .name("timers".into())
            .spawn(move || {
                let mut pending: Vec<(std::time::Instant, crate::app::Ticket)> = Vec::new();
                loop {
                    let now = std::time::Instant::now();
                    let (due, later): (Vec<_>, Vec<_>) =
                        pending.into_iter().partition(|(at, _)| *at <= now);
                    pending = later;
                    for (_, ticket) in due {
                        let msg = Box::new(Msg::TimerDone(ticket));
                        if events.send(Event::Msg(msg)).is_err() {
                            return;
                        }
                    }
                    let next = pending.iter().map(|(at, _)| *at).min();
                    let request = match next {
                        Some(at) => {
                            match incoming.recv_timeout(at.saturating_duration_since(now)) {
                                Ok(request) => Some(request),
                                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => None,
                                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
                            }
                        }
                        None => match incoming.recv() {
                            Ok(request) => Some(request),
                            Err(_) => return,
                        },
                    };
                    pending.extend(request);
                }
            })?;
        Ok(Timers { requests })
    }

    /// Sends [`Msg::TimerDone`] with `ticket` after `after`.
    pub(crate) fn start(&self, ticket: crate::app::Ticket, after: Duration) {
        // The thread ends only with the process.
        let _ = self
            .requests
            .send((std::time::Instant::now() + after, ticket));
    }
}
