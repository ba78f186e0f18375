//! The interactive loop: take the terminal, then read one channel of events until the one way
//! out.
//!
//! Everything that can fail because of the user's input (the path, the settings) fails before
//! the terminal is taken. Then the loop blocks on [`event`]'s channel — keys and resizes, job
//! results, signals, a hang-up — hands each to [`App::update`], turns the effects it asks for
//! into [`jobs`], and draws. Every ending (a key, SIGTERM, SIGHUP, SIGINT, a vanished terminal,
//! a panic) comes back to [`run`], which restores the terminal and flushes what is pending.

pub(crate) mod event;
pub(crate) mod jobs;
pub(crate) mod memory;
pub(crate) mod pictures;
pub(crate) mod terminal;
pub(crate) mod watch;

use std::collections::VecDeque;
use std::io::IsTerminal;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::Duration;

use crossterm::event::{Event as TermEvent, MouseButton, MouseEventKind};

use crate::app::{App, Effect, Msg, Settings};
use crate::browser::{OpenError, Opener, SystemOpener};
use crate::error::UsageError;
use crate::library::{self, SortKey};
use crate::text::shown;
use crate::theme::Theme;
use crate::ui;
use event::{Event, EventSender, Input, Timers};
use jobs::Jobs;
use terminal::Tui;

/// Rows one notch of the mouse wheel scrolls.
const WHEEL_ROWS: i32 = 3;
/// How often a library being read reports how far it got.
const PROGRESS_EVERY: Duration = Duration::from_millis(50);

/// Why the loop ended; decides the exit status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Exit {
    /// `q` or Ctrl-C.
    Quit,
    /// SIGTERM, SIGHUP or SIGINT.
    Signal(i32),
    /// The terminal went away.
    HangUp,
    /// The loop panicked.
    Panic,
}

impl Exit {
    fn code(self) -> ExitCode {
        match self {
            Exit::Quit => ExitCode::SUCCESS,
            Exit::Signal(signal) => ExitCode::from(128u8.saturating_add(signal as u8)),
            Exit::HangUp => ExitCode::from(129),
            Exit::Panic => ExitCode::from(101),
        }
    }
}

/// Runs the reader on `path` (a folder or one file) until the user leaves. With
/// `settings.remember`, the state store lives in `state_dir` (or the default folder).
pub fn run(
    path: PathBuf,
    settings: Settings,
    theme: Theme,
    state_dir: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let single_file = path.is_file();
    if single_file {
        if !library::scan::is_markdown_path(&path) {
            let shown = crate::text::sanitize_line(&path.to_string_lossy());
            return Err(UsageError(library::LibraryError::NotMarkdown(shown).to_string()).into());
        }
    } else {
        check_folder(&path)?;
    }
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(UsageError(
            "the reader needs a terminal; try `folio list` or `folio print FILE`".into(),
        )
        .into());
    }
    let empty = library::Library {
        root: path.clone(),
        articles: Vec::new(),
    };
    // The terminal was asked once at start-up (with the background); half-blocks otherwise.
    let picker = pictures::picker(
        settings.images,
        crate::theme::graphics(),
        pictures::iterm2_from_env(),
    );
    let mut app = App::new(empty, settings);
    if let Some((_, cell)) = &picker {
        app.picture_cell = *cell;
    }
    app.loading = true;
    app.single_file = single_file;

    let (sender, events) = event::channel_pair();
    let signals = event::watch_signals(sender.clone())?;
    event::watch_hangup(sender.clone())?;
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 4));
    let jobs = Jobs::start(workers, &sender)?;
    let timers = Timers::start_thread(sender.clone())?;
    let memory = if app.memory.is_some() {
        memory::Memory::start(state_dir, sender.clone())?
    } else {
        memory::Memory::off()
    };
    let cached = app.memory.is_some();
    load_library(&jobs, &sender, path.clone(), single_file, cached);
    let _watch = watch::start(&path, sender.clone());

    let mut terminal = terminal::init()?;
    let guard = terminal::Guard;
    let input = Input::start(sender.clone())?;
    let mut lp = Loop {
        app: &mut app,
        terminal: &mut terminal,
        jobs: &jobs,
        input: &input,
        events: &events,
        timers: &timers,
        memory: &memory,
        theme: &theme,
        sender: sender.clone(),
        path: path.clone(),
        single_file,
        picker: picker.map(|(p, _)| p),
        after_draw: Vec::new(),
    };
    let exit = match catch_unwind(AssertUnwindSafe(|| lp.run())) {
        Ok(Ok(exit)) => Ok(exit),
        Ok(Err(err)) => Err(err),
        // The panic hook has restored the terminal and printed the message.
        Err(_) => Ok(Exit::Panic),
    };
    // The one way out: give the terminal back, then save what must be saved.
    input.pause();
    drop(guard);
    signals.close();
    flush(&mut app, memory, exit.as_ref().ok().copied());
    exit.map(Exit::code)
}

/// Saves what the session must not lose. Called once, on every way out.
fn flush(app: &mut App, memory: memory::Memory, exit: Option<Exit>) {
    memory.flush(app.final_writes());
    #[cfg(feature = "test-hooks")]
    test_hooks::record_exit(app, exit);
    let _ = exit;
}

/// Reads the library in a job, reporting progress until it is done.
/// With `cached`, unchanged files' entries come from the cache (not with `--no-state`).
fn load_library(jobs: &Jobs, events: &EventSender, path: PathBuf, single_file: bool, cached: bool) {
    let progress = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicBool::new(false));
    if !single_file {
        let (progress, done, events) = (Arc::clone(&progress), Arc::clone(&done), events.clone());
        jobs.spawn(move || {
            let mut last = 0;
            while !done.load(Ordering::Relaxed) {
                std::thread::sleep(PROGRESS_EVERY);
                let count = progress.load(Ordering::Relaxed);
                if count != last {
                    last = count;
                    if events
                        .send(Event::Msg(Box::new(Msg::LoadProgress(count))))
                        .is_err()
                    {
                        break;
                    }
                }
            }
            None
        });
    }
    jobs.spawn(move || {
        let result = if cached {
            crate::store::cache::load(&path, SortKey::Date, &progress, None)
        } else {
            library::load_counting(&path, SortKey::Date, &progress)
        }
        .map_err(|err| err.to_string());
        done.store(true, Ordering::Relaxed);
        Some(Msg::LibraryLoaded(result))
    });
}

/// Brings the full-text index of `root` up to date on a thread of its own (the job workers
/// stay free to open articles), reporting progress, then [`Msg::IndexReady`].
fn index_library(root: PathBuf, events: EventSender) -> std::io::Result<()> {
    use crate::store::fts::{Index, Progress};
    let send = |events: &EventSender, msg: Msg| events.send(Event::Msg(Box::new(msg))).is_ok();
    std::thread::Builder::new()
        .name("index".into())
        .spawn(move || {
            let progress = Progress::default();
            let done = AtomicBool::new(false);
            let result = std::thread::scope(|scope| {
                scope.spawn(|| {
                    let mut last = (0, 0);
                    while !done.load(Ordering::Relaxed) {
                        std::thread::sleep(PROGRESS_EVERY);
                        let now = (
                            progress.done.load(Ordering::Relaxed),
                            progress.total.load(Ordering::Relaxed),
                        );
                        if now != last {
                            last = now;
                            let (done, total) = now;
                            if !send(&events, Msg::IndexProgress { done, total }) {
                                break;
                            }
                        }
                    }
                });
                let result = match Index::open(None) {
                    Some(mut index) => index
                        .sync(&root, &progress)
                        .map(|_| ())
                        .map_err(|err| err.to_string()),
                    None => Err("no cache folder".to_owned()),
                };
                done.store(true, Ordering::Relaxed);
                result
            });
            send(&events, Msg::IndexReady(result));
        })
        .map(|_| ())
}

/// Searches every article's text: through the index when it is ready, else by reading the
/// files (the answers are the same).
fn search_text(ticket: crate::app::Ticket, root: &Path, query: String, indexed: bool) -> Msg {
    use crate::store::fts;
    let limit = crate::app::TEXT_RESULTS;
    let index = if indexed {
        fts::Index::open(None)
    } else {
        None
    };
    let found = match index {
        Some(index) => index.search(root, &query, limit),
        None => fts::search_files(root, &query, limit),
    };
    let result = found
        .map(|matches| {
            matches
                .into_iter()
                .map(|m| crate::app::TextResult {
                    path: m.file,
                    rel_path: m.path,
                    title: m.title,
                    snippet: m.snippet,
                    marks: m.marks,
                    hits: m.hits,
                })
                .collect()
        })
        .map_err(|err| err.to_string());
    Msg::TextFound {
        ticket,
        query,
        result,
    }
}

/// Colours code blocks (syntect, in parallel, through the session's cache).
fn highlight(ticket: crate::app::Ticket, mut blocks: Vec<crate::app::CodeBlock>) -> Msg {
    use rayon::prelude::*;
    blocks.par_iter_mut().for_each(|block| {
        crate::markdown::highlight::highlight_block(&block.lang, &mut block.lines);
    });
    Msg::Highlighted { ticket, blocks }
}

/// The whole of a big article whose first part shows: parsed with its code coloured, and
/// laid out.
fn parse_rest(
    ticket: crate::app::Ticket,
    meta: &library::Meta,
    markdown: String,
    (width, wrap): (usize, crate::markdown::Wrap),
    (pictures, images, fit): &crate::app::msg::RestPictures,
) -> Msg {
    let options = crate::markdown::parse::Options { highlight: true };
    let mut doc = crate::markdown::parse::parse_article_with(meta, &markdown, options);
    // Not held while the rows are made: the reader's peak memory counts.
    drop(markdown);
    // The same rows for pictures as the first part reserved.
    crate::app::attach_pictures(&mut doc, pictures, *images, *fit);
    let layout = crate::markdown::layout_with(&doc, width, wrap);
    Msg::RestParsed {
        ticket,
        doc: Box::new(doc),
        layout: Box::new(layout),
    }
}

/// A big article laid out whole at a new width, while a window of it shows.
fn lay_out(
    ticket: crate::app::Ticket,
    doc: &crate::markdown::Document,
    width: usize,
    wrap: crate::markdown::Wrap,
) -> Msg {
    let layout = crate::markdown::layout_with(doc, width, wrap);
    Msg::LaidOut {
        ticket,
        layout: Box::new(layout),
    }
}

/// The user's editor: `$VISUAL`, else `$EDITOR`, split as a shell would split it
/// (`code -w`); `None` when neither is set.
fn editor() -> Option<Vec<String>> {
    ["VISUAL", "EDITOR"].into_iter().find_map(|name| {
        let value = std::env::var(name).ok()?;
        let words = shell_words::split(&value).ok()?;
        (!words.is_empty()).then_some(words)
    })
}

/// Runs the editor on `path`: the path is one more argument, never through a shell, so a file
/// named `a;touch x.md` opens as itself.
fn run_editor(editor: &[String], path: &Path) -> Result<(), String> {
    let (program, args) = editor.split_first().ok_or("No editor")?;
    let status = std::process::Command::new(program)
        .args(args)
        .arg(path)
        .status()
        .map_err(|err| format!("Could not start the editor {program:?}: {err}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("The editor {program:?} exited with {status}."))
    }
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

/// What the loop works with.
struct Loop<'a> {
    app: &'a mut App,
    terminal: &'a mut Tui,
    jobs: &'a Jobs,
    input: &'a Input,
    events: &'a Receiver<Event>,
    timers: &'a Timers,
    memory: &'a memory::Memory,
    /// What the screen's meanings look like; the model knows nothing of colours.
    theme: &'a Theme,
    sender: EventSender,
    /// What folio was started on (a folder or one file), to read again.
    path: PathBuf,
    single_file: bool,
    /// How pictures are encoded for this terminal; `None` with images off.
    picker: Option<ratatui_image::picker::Picker>,
    /// Jobs to start once the next frame is drawn.
    after_draw: Vec<jobs::Job>,
}

impl Loop<'_> {
    fn run(&mut self) -> anyhow::Result<Exit> {
        let size = self.terminal.size()?;
        if let Some(exit) = self.update(Msg::Resize(size.width, size.height))? {
            return Ok(exit);
        }
        loop {
            self.terminal
                .draw(|frame| ui::draw(self.app, self.theme, frame))?;
            #[cfg(feature = "test-hooks")]
            test_hooks::after_frame();
            for job in self.after_draw.drain(..) {
                self.jobs.spawn(job);
            }
            let Ok(first) = self.events.recv() else {
                return Ok(Exit::HangUp);
            };
            // Take everything waiting before drawing again: a held key or a wheel spin is one
            // frame, and a burst of resizes (a window being dragged) is one re-layout.
            let mut resize = None;
            let mut next = Some(first);
            while let Some(event) = next {
                if let Some(exit) = self.handle(event, &mut resize)? {
                    return Ok(exit);
                }
                next = match self.events.try_recv() {
                    Ok(event) => Some(event),
                    Err(TryRecvError::Empty) => None,
                    Err(TryRecvError::Disconnected) => return Ok(Exit::HangUp),
                };
            }
            if let Some((width, height)) = resize {
                if let Some(exit) = self.update(Msg::Resize(width, height))? {
                    return Ok(exit);
                }
            }
        }
    }

    /// One event; a resize is held back in `resize` until the queue is empty.
    fn handle(
        &mut self,
        event: Event,
        resize: &mut Option<(u16, u16)>,
    ) -> anyhow::Result<Option<Exit>> {
        let msg = match event {
            Event::Signal(signal) if signal == signal_hook::consts::SIGCONT => {
                // Stopped from outside (kill -TSTP) and continued: the shell may have reset
                // the tty.
                terminal::enter()?;
                self.terminal.clear()?;
                return Ok(None);
            }
            Event::Signal(signal) => return Ok(Some(Exit::Signal(signal))),
            Event::HangUp => return Ok(Some(Exit::HangUp)),
            Event::InputFailed(err) => return Err(err.into()),
            Event::Msg(msg) => *msg,
            Event::Input(TermEvent::Resize(width, height)) => {
                *resize = Some((width, height));
                return Ok(None);
            }
            Event::Input(input) => match to_msg(self.app, &input) {
                Some(msg) => msg,
                None => return Ok(None),
            },
        };
        if let Some((width, height)) = resize.take() {
            if let Some(exit) = self.update(Msg::Resize(width, height))? {
                return Ok(Some(exit));
            }
        }
        self.update(msg)
    }

    /// Updates the app and starts what it asks for, until nothing more is asked.
    fn update(&mut self, msg: Msg) -> anyhow::Result<Option<Exit>> {
        let mut queue = VecDeque::new();
        self.apply(msg, &mut queue);
        while let Some(effect) = queue.pop_front() {
            let next = match effect {
                Effect::Quit => return Ok(Some(Exit::Quit)),
                Effect::Suspend => {
                    self.input.pause();
                    let suspended = terminal::suspend(self.terminal);
                    self.input.resume();
                    suspended?;
                    let size = self.terminal.size()?;
                    Some(Msg::Resize(size.width, size.height))
                }
                Effect::OpenUrl(url) => {
                    let mut opener = SystemOpener;
                    if opener.takes_terminal() {
                        // A text browser: lend it the terminal, keys included.
                        self.input.pause();
                        terminal::restore()?;
                        let outcome = opener.open(&url);
                        terminal::enter()?;
                        self.input.resume();
                        self.terminal.clear()?;
                        Some(Msg::Notify(open_message(&url, outcome)))
                    } else {
                        self.jobs.spawn(move || {
                            let outcome = opener.open(&url);
                            Some(Msg::Notify(open_message(&url, outcome)))
                        });
                        None
                    }
                }
                Effect::Highlight { ticket, blocks } => {
                    self.jobs.spawn(move || Some(highlight(ticket, blocks)));
                    None
                }
                Effect::ParseRest {
                    ticket,
                    meta,
                    markdown,
                    width,
                    wrap,
                    pictures,
                } => {
                    // Started once the first part is on screen: on a small machine the
                    // whole parse would otherwise take the CPU the first frame needs.
                    self.after_draw.push(Box::new(move || {
                        Some(parse_rest(
                            ticket,
                            &meta,
                            markdown,
                            (width, wrap),
                            &pictures,
                        ))
                    }));
                    None
                }
                Effect::LayOut {
                    ticket,
                    doc,
                    width,
                    wrap,
                } => {
                    // After the window is on screen, as for the rest of an article.
                    self.after_draw
                        .push(Box::new(move || Some(lay_out(ticket, &doc, width, wrap))));
                    None
                }
                Effect::LoadLibrary => {
                    let cached = self.app.memory.is_some();
                    load_library(
                        self.jobs,
                        &self.sender,
                        self.path.clone(),
                        self.single_file,
                        cached,
                    );
                    None
                }
                Effect::Edit(path) => {
                    let outcome = match editor() {
                        Some(editor) => {
                            // Lent the terminal as for Ctrl-Z: no keystroke of its is ours.
                            self.input.pause();
                            terminal::restore()?;
                            let outcome = run_editor(&editor, &path);
                            terminal::enter()?;
                            self.input.resume();
                            self.terminal.clear()?;
                            outcome
                        }
                        None => Err("No editor: set $VISUAL or $EDITOR.".to_owned()),
                    };
                    Some(match outcome {
                        Ok(()) => Msg::FilesChanged(vec![path]),
                        Err(why) => Msg::Notify(crate::text::sanitize_line(&why)),
                    })
                }
                Effect::Copy(text) => {
                    terminal::copy_to_clipboard(&text)?;
                    None
                }
                Effect::Timer { ticket, after } => {
                    self.timers.start(ticket, after);
                    None
                }
                Effect::LoadMarks { .. } | Effect::Remember(_) => {
                    self.memory.perform(effect);
                    None
                }
                Effect::IndexLibrary { root } => {
                    index_library(root, self.sender.clone())?;
                    None
                }
                Effect::SearchText {
                    ticket,
                    root,
                    query,
                    indexed,
                } => {
                    self.jobs
                        .spawn(move || Some(search_text(ticket, &root, query, indexed)));
                    None
                }
                Effect::LoadArticle { .. } | Effect::LoadPreview { .. } => {
                    let root = self.app.library_dir().to_path_buf();
                    let sources = picture_sources(self.app);
                    self.jobs
                        .spawn(move || Some(perform_read(&root, sources.as_ref(), effect)));
                    None
                }
                Effect::DrawPicture { path, cols, rows } => {
                    if let Some(picker) = self.picker.clone() {
                        self.jobs
                            .spawn(move || Some(pictures::draw(&picker, &path, cols, rows)));
                    }
                    None
                }
            };
            if let Some(msg) = next {
                self.apply(msg, &mut queue);
            }
        }
        Ok(None)
    }

    /// One message into the app; what it asks for joins the queue.
    fn apply(&mut self, msg: Msg, queue: &mut VecDeque<Effect>) {
        queue.extend(self.app.update(msg));
        queue.extend(self.app.take_effects());
    }
}

fn to_msg(app: &App, event: &TermEvent) -> Option<Msg> {
    match event {
        TermEvent::Key(key) => app.config.keymap.msg_for(app.context(), key),
        TermEvent::Mouse(mouse) => match mouse.kind {
            MouseEventKind::ScrollDown => Some(Msg::Scroll(WHEEL_ROWS)),
            MouseEventKind::ScrollUp => Some(Msg::Scroll(-WHEEL_ROWS)),
            MouseEventKind::Down(MouseButton::Left) => Some(Msg::Click {
                column: mouse.column,
                row: mouse.row,
            }),
            _ => None,
        },
        TermEvent::Resize(width, height) => Some(Msg::Resize(*width, *height)),
        _ => None,
    }
}

/// Where the open library's images may come from; `None` with images off.
fn picture_sources(app: &App) -> Option<crate::pictures::Sources> {
    (app.config.images != crate::app::ImageMode::Off).then(|| crate::pictures::Sources {
        root: app.library_dir().to_path_buf(),
        site_root: app.config.site_root.clone(),
    })
}

/// Does a read the app asked for: the article (with its local images' headers, unless
/// `sources` is `None`) or preview, as a message carrying its ticket.
fn perform_read(root: &Path, sources: Option<&crate::pictures::Sources>, effect: Effect) -> Msg {
    match effect {
        Effect::LoadArticle {
            ticket,
            path,
            anchor,
        } => {
            let result = inside_library(root, &path)
                .and_then(|()| library::read_article(&path).map_err(|err| err.to_string()))
                .map(|(article, mut body)| {
                    if let Some(sources) = sources {
                        body.pictures =
                            crate::pictures::measure_all(&body.markdown, &path, sources);
                    }
                    (article, body)
                });
            Msg::ArticleLoaded {
                ticket,
                path,
                anchor,
                result,
            }
        }
        Effect::LoadPreview { ticket, path } => {
            let result = library::read_head(&path).map_err(|err| err.to_string());
            Msg::PreviewLoaded {
                ticket,
                path,
                result,
            }
        }
        other => Msg::Notify(format!("folio could not do {other:?} here")),
    }
}

/// Updates the app with `msg` and performs what follows as the loop does, but at once and
/// with no terminal: articles are read here, URLs go to `opener`. Returns the Quit or Suspend
/// that ended it, if one did. Tests drive the whole app through this.
pub fn settle(app: &mut App, msg: Msg, opener: &mut dyn Opener) -> Option<Effect> {
    let mut queue: VecDeque<Effect> = app.update(msg).into_iter().collect();
    queue.extend(app.take_effects());
    while let Some(current) = queue.pop_front() {
        let next = match current {
            Effect::Quit | Effect::Suspend | Effect::Edit(_) => return Some(current),
            Effect::Highlight { ticket, blocks } => highlight(ticket, blocks),
            Effect::ParseRest {
                ticket,
                meta,
                markdown,
                width,
                wrap,
                pictures,
            } => parse_rest(ticket, &meta, markdown, (width, wrap), &pictures),
            Effect::LayOut {
                ticket,
                doc,
                width,
                wrap,
            } => lay_out(ticket, &doc, width, wrap),
            Effect::LoadLibrary => {
                let root = app.library.root.clone();
                Msg::LibraryLoaded(
                    library::load(&root, SortKey::Date).map_err(|err| err.to_string()),
                )
            }
            Effect::SearchText {
                ticket,
                root,
                query,
                indexed,
            } => search_text(ticket, &root, query, indexed),
            // No store, cache, clock or clipboard here: the tests that need them feed the
            // messages.
            Effect::LoadMarks { .. }
            | Effect::Remember(_)
            | Effect::Timer { .. }
            | Effect::IndexLibrary { .. }
            | Effect::Copy(_) => continue,
            Effect::OpenUrl(url) => {
                let outcome = opener.open(&url);
                Msg::Notify(open_message(&url, outcome))
            }
            Effect::DrawPicture { path, cols, rows } => {
                match pictures::picker(app.config.images, Default::default(), false) {
                    Some((picker, _)) => pictures::draw(&picker, &path, cols, rows),
                    None => continue,
                }
            }
            read => {
                let root = app.library_dir().to_path_buf();
                perform_read(&root, picture_sources(app).as_ref(), read)
            }
        };
        queue.extend(app.update(next));
        queue.extend(app.take_effects());
    }
    None
}

/// The footer's word on an attempt to open `url`.
pub fn open_message(url: &str, outcome: Result<(), OpenError>) -> String {
    let url = shown(url, 120);
    match outcome {
        Ok(()) => format!("Opened {url}"),
        Err(OpenError::NoBrowser(tried)) => {
            format!(
                "No browser found. The link: {url} (tried {})",
                shown(&tried, 120)
            )
        }
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

/// Hooks the tests use to see inside a running reader; only with the `test-hooks` feature,
/// which only the tests turn on.
#[cfg(feature = "test-hooks")]
mod test_hooks {
    use super::{App, Exit};

    /// `FOLIO_TEST_PANIC=1`: panic after the first frame, to test that the terminal comes back.
    pub(super) fn after_frame() {
        if std::env::var_os("FOLIO_TEST_PANIC").is_some_and(|v| v == "1") {
            panic!("FOLIO_TEST_PANIC=1: a panic after the first frame, to test restoring");
        }
    }

    /// `FOLIO_TEST_EXIT_LOG=FILE`: the exit path appends how it was reached and what the
    /// reader had open, so a test can see that every way out flushes.
    pub(super) fn record_exit(app: &App, exit: Option<Exit>) {
        let Some(path) = std::env::var_os("FOLIO_TEST_EXIT_LOG") else {
            return;
        };
        let open = app
            .reader
            .as_ref()
            .map(|r| r.article.rel_path.clone())
            .unwrap_or_default();
        let reason = match exit {
            Some(Exit::Quit) => "quit".to_owned(),
            Some(Exit::Signal(signal)) => format!("signal {signal}"),
            Some(Exit::HangUp) => "hang-up".to_owned(),
            Some(Exit::Panic) => "panic".to_owned(),
            None => "error".to_owned(),
        };
        let line = format!("flushed {reason} {open}\n");
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .and_then(|mut file| std::io::Write::write_all(&mut file, line.as_bytes()));
        if let Err(err) = written {
            eprintln!("folio: FOLIO_TEST_EXIT_LOG: {err}");
        }
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
        let none = open_message(
            "https://a.org/x",
            Err(OpenError::NoBrowser("$BROWSER unset; no display".into())),
        );
        assert_eq!(
            none,
            "No browser found. The link: https://a.org/x (tried $BROWSER unset; no display)"
        );
        let refused = open_message("file:///x", Err(OpenError::Refused("file".into())));
        assert!(refused.contains("file:"));
        let odd = open_message(
            "https://a.org/\u{1b}[2J",
            Err(OpenError::Failed("boom".into())),
        );
        assert!(!odd.contains('\u{1b}') && odd.contains("boom"));
    }

    #[test]
    fn exit_codes_follow_the_shell_convention() {
        assert_eq!(Exit::Quit.code(), ExitCode::SUCCESS);
        assert_eq!(Exit::Signal(15).code(), ExitCode::from(143));
        assert_eq!(Exit::Signal(1).code(), ExitCode::from(129));
        assert_eq!(Exit::HangUp.code(), ExitCode::from(129));
    }
}
