//! The interactive run loop: load, take the terminal, draw, read keys, perform effects.
//!
//! Everything that can fail because of the user's input (the path, the settings) fails before
//! the terminal is taken. The loop waits for events with a timeout so that SIGTERM and SIGHUP,
//! which only set a flag, are noticed promptly.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use crossterm::event::{self, Event, MouseButton, MouseEventKind};

use super::links::shown;
use super::{Action, App, Config, Effect, keymap};
use crate::browser::{OpenError, Opener, SystemOpener};
use crate::cli::UsageError;
use crate::library::{self, SortKey};
use crate::terminal::{self, Tui};
use crate::theme::Theme;
use crate::ui;

/// How long the loop waits for an event before looking at the signal flags again.
const TICK: Duration = Duration::from_millis(200);
/// How often the loop looks for the library while it is being read.
const LOADING_TICK: Duration = Duration::from_millis(30);
/// Rows one notch of the mouse wheel scrolls.
const WHEEL_ROWS: i32 = 3;

pub fn run(path: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let path = path.unwrap_or_else(|| PathBuf::from("articles"));
    let config = config_from_env()?;
    let single_file = path.is_file();
    // A single file is read now; a folder is checked now and read once the list shows.
    let (library, pending) = if single_file {
        let library =
            library::load(&path, SortKey::Date).map_err(|err| UsageError(err.to_string()))?;
        (library, None)
    } else {
        check_folder(&path)?;
        let empty = library::Library {
            root: path.clone(),
            articles: Vec::new(),
        };
        (empty, Some(path.clone()))
    };
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(UsageError(
            "the reader needs a terminal; try `folio list` or `folio print FILE`".into(),
        )
        .into());
    }
    let mut app = App::new(library, config, Theme::from_env());
    let signals = Signals::register()?;
    terminal::watch_for_hangup(Arc::clone(&signals.quit))?;
    let progress = Arc::new(AtomicUsize::new(0));
    let loaded = pending.map(|folder| {
        app.loading = true;
        let (sender, receiver) = mpsc::channel();
        let counter = Arc::clone(&progress);
        std::thread::spawn(move || {
            let result = library::load_counting(&folder, SortKey::Date, &counter)
                .map_err(|err| err.to_string());
            // The loop may have ended already; then nobody needs the library.
            if sender.send(result).is_err() {}
        });
        receiver
    });

    let mut terminal = terminal::init()?;
    let _guard = terminal::Guard;
    let mut opener = SystemOpener;
    let size = terminal.size()?;
    let first = app.update(Action::Resize(size.width, size.height));
    let mut flow = perform(&mut app, &mut terminal, &mut opener, first)?;
    if single_file && flow == Flow::Continue {
        let open = app.update(Action::Open);
        flow = perform(&mut app, &mut terminal, &mut opener, open)?;
    }
    if flow == Flow::Continue {
        let loading = loaded.map(|receiver| Loading { receiver, progress });
        event_loop(&mut app, &mut terminal, &mut opener, &signals, loading)?;
    }
    terminal::restore()?;
    Ok(ExitCode::SUCCESS)
}

/// Fails the way `library::load` would for a folder that is missing or cannot be listed.
fn check_folder(path: &Path) -> Result<(), UsageError> {
    let shown = || crate::text::sanitize_line(&path.to_string_lossy());
    let error = match std::fs::read_dir(path) {
        Ok(_) => return Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            library::LibraryError::NotFound(shown())
        }
        Err(_) if !path.is_dir() && path.exists() => library::LibraryError::NotMarkdown(shown()),
        Err(source) => library::LibraryError::Io {
            path: shown(),
            source,
        },
    };
    Err(UsageError(error.to_string()))
}

/// Settings from the environment: `FOLIO_WIDTH`, the widest the reader wraps.
fn config_from_env() -> Result<Config, UsageError> {
    let mut config = Config::default();
    if let Some(value) = std::env::var_os("FOLIO_WIDTH") {
        let text = value.to_string_lossy();
        match text.trim().parse::<usize>() {
            Ok(width) if (20..=1000).contains(&width) => config.max_width = width,
            _ => {
                return Err(UsageError(format!(
                    "FOLIO_WIDTH must be a number of columns from 20 to 1000, not {:?}",
                    shown(&text, 20)
                )));
            }
        }
    }
    Ok(config)
}

/// Flags set by signal handlers, read by the loop.
struct Signals {
    quit: Arc<AtomicBool>,
    resumed: Arc<AtomicBool>,
}

impl Signals {
    fn register() -> std::io::Result<Self> {
        use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGTERM};
        let quit = Arc::new(AtomicBool::new(false));
        let resumed = Arc::new(AtomicBool::new(false));
        for signal in [SIGTERM, SIGHUP, SIGINT] {
            signal_hook::flag::register(signal, Arc::clone(&quit))?;
        }
        signal_hook::flag::register(SIGCONT, Arc::clone(&resumed))?;
        Ok(Signals { quit, resumed })
    }
}

/// A folder being read in the background: the result to come, and how far it got.
struct Loading {
    receiver: mpsc::Receiver<Result<library::Library, String>>,
    progress: Arc<AtomicUsize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Flow {
    Continue,
    Quit,
}

fn event_loop(
    app: &mut App,
    terminal: &mut Tui,
    opener: &mut dyn Opener,
    signals: &Signals,
    mut loading: Option<Loading>,
) -> anyhow::Result<()> {
    let test_panic = std::env::var_os("FOLIO_TEST_PANIC").is_some_and(|v| v == "1");
    let mut dirty = true;
    loop {
        if signals.quit.load(Ordering::Relaxed) {
            return Ok(());
        }
        if signals.resumed.swap(false, Ordering::Relaxed) {
            // Stopped from outside (kill -TSTP) and continued: the shell may have reset the tty.
            terminal::enter()?;
            terminal.clear()?;
            dirty = true;
        }
        if let Some(Loading { receiver, progress }) = &loading {
            let count = progress.load(Ordering::Relaxed);
            if count != app.loaded {
                app.update(Action::LoadProgress(count));
                dirty = true;
            }
            let result = match receiver.try_recv() {
                Ok(result) => Some(result),
                Err(mpsc::TryRecvError::Empty) => None,
                Err(mpsc::TryRecvError::Disconnected) => {
                    Some(Err("reading the articles stopped unexpectedly".into()))
                }
            };
            if let Some(result) = result {
                loading = None;
                dirty = true;
                let effect = app.update(Action::LibraryLoaded(result));
                if perform(app, terminal, opener, effect)? == Flow::Quit {
                    return Ok(());
                }
            }
        }
        if dirty {
            terminal.draw(|frame| ui::draw(app, frame))?;
            dirty = false;
            if test_panic {
                panic!("FOLIO_TEST_PANIC=1: a panic after the first frame, to test restoring");
            }
        }
        let wait = if loading.is_some() {
            LOADING_TICK
        } else {
            TICK
        };
        if !poll(wait)? {
            continue;
        }
        // Take everything waiting before drawing again: a held key or a wheel spin is one
        // frame, and a burst of resizes (a window being dragged) is one re-layout.
        let mut resize = None;
        loop {
            let event = event::read()?;
            match to_action(app, &event) {
                Some(Action::Resize(width, height)) => resize = Some(Action::Resize(width, height)),
                Some(action) => {
                    dirty = true;
                    if let Some(pending) = resize.take() {
                        let effect = app.update(pending);
                        if perform(app, terminal, opener, effect)? == Flow::Quit {
                            return Ok(());
                        }
                    }
                    let effect = app.update(action);
                    if perform(app, terminal, opener, effect)? == Flow::Quit {
                        return Ok(());
                    }
                }
                None => {}
            }
            if !poll(Duration::ZERO)? {
                break;
            }
        }
        if let Some(pending) = resize {
            dirty = true;
            let effect = app.update(pending);
            if perform(app, terminal, opener, effect)? == Flow::Quit {
                return Ok(());
            }
        }
    }
}

/// `event::poll` that treats an interrupted wait (a signal arrived) as no event.
fn poll(timeout: Duration) -> std::io::Result<bool> {
    match event::poll(timeout) {
        Err(err) if err.kind() == std::io::ErrorKind::Interrupted => Ok(false),
        other => other,
    }
}

fn to_action(app: &App, event: &Event) -> Option<Action> {
    match event {
        Event::Key(key) => keymap::action_for(app.context(), key),
        Event::Mouse(mouse) => match mouse.kind {
            MouseEventKind::ScrollDown => Some(Action::Scroll(WHEEL_ROWS)),
            MouseEventKind::ScrollUp => Some(Action::Scroll(-WHEEL_ROWS)),
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
                column: mouse.column,
                row: mouse.row,
            }),
            _ => None,
        },
        Event::Resize(width, height) => Some(Action::Resize(*width, *height)),
        _ => None,
    }
}

/// Performs effects until the app asks for none; failures become footer messages.
fn perform(
    app: &mut App,
    terminal: &mut Tui,
    opener: &mut dyn Opener,
    mut effect: Option<Effect>,
) -> anyhow::Result<Flow> {
    while let Some(current) = effect.take() {
        let action = match current {
            Effect::Quit => return Ok(Flow::Quit),
            Effect::Suspend => {
                terminal::suspend(terminal)?;
                let size = terminal.size()?;
                Action::Resize(size.width, size.height)
            }
            Effect::OpenUrl(url) => {
                let outcome = if opener.takes_terminal() {
                    terminal::restore()?;
                    let outcome = opener.open(&url);
                    terminal::enter()?;
                    terminal.clear()?;
                    outcome
                } else {
                    opener.open(&url)
                };
                Action::Notify(open_message(&url, outcome))
            }
            Effect::LoadArticle { path, anchor } => load_article(app, path, anchor),
            Effect::LoadPreview(path) => load_preview(path),
        };
        effect = app.update(action);
    }
    Ok(Flow::Continue)
}

/// Updates the app with `action` and performs what follows as the run loop does, but with no
/// terminal: articles are read, URLs go to `opener`. Returns the Quit or Suspend that ended it,
/// if one did. Tests drive the whole app through this.
pub fn settle(app: &mut App, action: Action, opener: &mut dyn Opener) -> Option<Effect> {
    let mut effect = app.update(action);
    while let Some(current) = effect.take() {
        let next = match current {
            Effect::Quit | Effect::Suspend => return Some(current),
            Effect::OpenUrl(url) => {
                let outcome = opener.open(&url);
                Action::Notify(open_message(&url, outcome))
            }
            Effect::LoadArticle { path, anchor } => load_article(app, path, anchor),
            Effect::LoadPreview(path) => load_preview(path),
        };
        effect = app.update(next);
    }
    None
}

/// Reads an article the app asked to open, refusing one outside the library folder.
fn load_article(app: &App, path: PathBuf, anchor: Option<String>) -> Action {
    let result = inside_library(app.library_dir(), &path)
        .and_then(|()| library::read_article(&path).map_err(|err| err.to_string()));
    Action::ArticleLoaded {
        path,
        anchor,
        result,
    }
}

fn load_preview(path: PathBuf) -> Action {
    let result = library::read_head(&path).map_err(|err| err.to_string());
    Action::PreviewLoaded { path, result }
}

/// The footer's word on an attempt to open `url`.
pub fn open_message(url: &str, outcome: Result<(), OpenError>) -> String {
    let url = shown(url, 120);
    match outcome {
        Ok(()) => format!("Opened {url}"),
        Err(OpenError::NoBrowser) => format!("No browser found. The link: {url}"),
        Err(OpenError::Refused(scheme)) => {
            format!("Refused to open a {scheme}: link (only http, https and mailto open).")
        }
        Err(OpenError::Failed(why)) => {
            format!("Could not open the browser ({why}). The link: {url}")
        }
    }
}

/// Refuses a path that resolves (through symlinks) outside the library folder. A path that
/// does not resolve at all (deleted, dangling) is left to the read, which says why in the
/// library's words.
fn inside_library(root: &Path, path: &Path) -> Result<(), String> {
    let root = root.canonicalize().map_err(|err| err.to_string())?;
    match path.canonicalize() {
        Ok(target) if target.starts_with(&root) => Ok(()),
        Ok(_) => Err("Refused a file that leaves the library folder through a symlink.".into()),
        Err(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_messages_name_the_url_or_the_reason() {
        assert_eq!(
            open_message("https://a.org", Ok(())),
            "Opened https://a.org"
        );
        let none = open_message("https://a.org/x", Err(OpenError::NoBrowser));
        assert!(none.contains("No browser") && none.contains("https://a.org/x"));
        let refused = open_message("file:///x", Err(OpenError::Refused("file".into())));
        assert!(refused.contains("file:"));
        let odd = open_message(
            "https://a.org/\u{1b}[2J",
            Err(OpenError::Failed("boom".into())),
        );
        assert!(!odd.contains('\u{1b}') && odd.contains("boom"));
    }
}
