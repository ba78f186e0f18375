//! Taking and restoring the terminal.
//!
//! Every way out restores it: the loop's one exit path, [`Guard`] on drop (errors), a chained
//! panic hook, and [`suspend`] for Ctrl-Z. In raw mode Ctrl-Z is a key, not a signal, so suspending means
//! restoring, stopping ourselves with SIGTSTP, and taking the terminal again on resume.

use std::io::{self, Stdout, Write, stdout};
use std::sync::Once;

use crossterm::cursor::{Hide, Show};
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub(crate) type Tui = Terminal<CrosstermBackend<Stdout>>;

/// Takes the terminal: raw mode, alternate screen, mouse wheel, hidden cursor; and makes sure a
/// panic gives it back before the message is printed.
pub(crate) fn init() -> io::Result<Tui> {
    install_panic_hook();
    if let Err(err) = enter() {
        // Half-taken is worse than not taken.
        restore_quietly();
        return Err(err);
    }
    Terminal::new(CrosstermBackend::new(stdout()))
}

/// Puts the terminal into the state the reader draws in.
pub(crate) fn enter() -> io::Result<()> {
    enable_raw_mode()?;
    execute!(stdout(), EnterAlternateScreen, EnableMouseCapture, Hide)
}

/// Gives the terminal back as it was: every step is tried, the first failure reported.
pub(crate) fn restore() -> io::Result<()> {
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
            // A job's panic is caught by its worker and shown in the footer; printing it would
            // write over the screen, and restoring would pull the terminal from under the loop.
            if std::thread::current().name() != Some("main") {
                return;
            }
            restore_quietly();
            previous(info);
        }));
    });
}

/// Restores the terminal when dropped, however the run loop ends.
#[derive(Debug)]
pub(crate) struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore_quietly();
    }
}

/// Ctrl-Z: give the terminal back, stop until the shell's `fg`, then take it again.
pub(crate) fn suspend(terminal: &mut Tui) -> io::Result<()> {
    restore()?;
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
    // Execution continues here after SIGCONT.
    enter()?;
    terminal.clear()
}

/// Puts `text` on the clipboard with OSC 52, which terminals (and tmux with `set-clipboard on`)
/// honour over SSH too. Only ever on the user's key, with a URL folio chose: sanitized, so the
/// sequence cannot be closed early by what it carries.
pub(crate) fn copy_to_clipboard(text: &str) -> io::Result<()> {
    use base64::Engine;
    let clean = crate::text::sanitize_line(text);
    let encoded = base64::engine::general_purpose::STANDARD.encode(clean.as_bytes());
    let mut out = stdout();
    write!(out, "\x1b]52;c;{encoded}\x07")?;
    out.flush()
}
