//! Taking and restoring the terminal.
//!
//! Every way out restores it: [`Guard`] on drop (normal exit and errors), a chained panic hook,
//! and [`suspend`] for Ctrl-Z. In raw mode Ctrl-Z is a key, not a signal, so suspending means
//! restoring, stopping ourselves with SIGTSTP, and taking the terminal again on resume.

use std::io::{self, Stdout, Write, stdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Once};
use std::time::{Duration, Instant};

use crossterm::cursor::{Hide, Show};
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub type Tui = Terminal<CrosstermBackend<Stdout>>;

/// Takes the terminal: raw mode, alternate screen, mouse wheel, hidden cursor; and makes sure a
/// panic gives it back before the message is printed.
pub fn init() -> io::Result<Tui> {
    install_panic_hook();
    if let Err(err) = enter() {
        // Half-taken is worse than not taken.
        restore_quietly();
        return Err(err);
    }
    Terminal::new(CrosstermBackend::new(stdout()))
}

/// Puts the terminal into the state the reader draws in.
pub fn enter() -> io::Result<()> {
    enable_raw_mode()?;
    execute!(stdout(), EnterAlternateScreen, EnableMouseCapture, Hide)
}

/// Gives the terminal back as it was: every step is tried, the first failure reported.
pub fn restore() -> io::Result<()> {
    let mut out = stdout();
    let steps = [
        execute!(out, DisableMouseCapture),
        execute!(out, LeaveAlternateScreen),
        execute!(out, Show),
        disable_raw_mode(),
        out.flush(),
    ];
    steps
        .into_iter()
        .collect::<io::Result<Vec<()>>>()
        .map(|_| ())
}

/// [`restore`] where nobody could be told of a failure (panic, drop); it was best effort.
fn restore_quietly() {
    if restore().is_err() {
        // Nothing else to try: the terminal is gone or closed.
    }
}

fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_quietly();
            previous(info);
        }));
    });
}

/// Restores the terminal when dropped, however the run loop ends.
#[derive(Debug)]
pub struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore_quietly();
    }
}

/// Ctrl-Z: give the terminal back, stop until the shell's `fg`, then take it again.
pub fn suspend(terminal: &mut Tui) -> io::Result<()> {
    restore()?;
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
    // Execution continues here after SIGCONT.
    enter()?;
    terminal.clear()
}

/// How often the watch looks at the terminal.
const WATCH_EVERY: Duration = Duration::from_millis(250);
/// How long a quit request may wait for the event loop before the watch ends the process.
const QUIT_GRACE: Duration = Duration::from_secs(1);

/// Ends the process when its terminal is gone, or when a quit signal goes unanswered.
///
/// crossterm 0.29's event source spins forever reading a terminal that has hung up (its read
/// loop retries `Ok(0)`; crossterm-rs/crossterm#793), so neither `event::poll`'s timeout nor the
/// loop's signal flags are ever looked at again. This thread does not depend on that loop: it
/// polls the terminal for a hang-up, and gives a SIGTERM/SIGHUP flag one second to be acted on.
pub fn watch_for_hangup(quit: Arc<AtomicBool>) -> io::Result<()> {
    std::thread::Builder::new()
        .name("terminal watch".into())
        .spawn(move || {
            let mut quit_since: Option<Instant> = None;
            loop {
                std::thread::sleep(WATCH_EVERY);
                if hung_up() {
                    // Nobody is there to restore the terminal for, or to read a message.
                    std::process::exit(129);
                }
                if quit.load(Ordering::Relaxed) {
                    let since = *quit_since.get_or_insert_with(Instant::now);
                    if since.elapsed() >= QUIT_GRACE {
                        restore_quietly();
                        std::process::exit(143);
                    }
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
