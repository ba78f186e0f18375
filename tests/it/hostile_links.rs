//! Links built to hurt: dangerous and made-up schemes in every spelling, paths and symlinks
//! leaving the library, URLs full of shell syntax, link text that lies about its target, a
//! megabyte URL. Driven through `App::update` (what would be opened, what the footer says), and
//! through the real binary in tmux with `$BROWSER` set to a recording script, to prove that the
//! system opener passes a URL as one argument and no shell ever sees it.

use std::fs;
use std::path::{Path, PathBuf};

use folio::app::{App, Command, Msg, Screen, Settings};
use folio::library::{self, SortKey};
use folio::links::percent_decode;
use folio::theme::Theme;
use folio::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::support::{Tmux, have_tmux, quote};

const BIN: &str = env!("CARGO_BIN_EXE_folio");

/// (Markdown link, what must happen): `Ok(url)` opens exactly that URL in the browser,
/// `Err(words)` is refused with a footer message containing `words`.
fn cases() -> Vec<(String, Result<String, &'static str>)> {
    let refused = |md: &str, why: &'static str| (md.to_owned(), Err(why));
    let opens = |md: &str, url: &str| (md.to_owned(), Ok(url.to_owned()));
    vec![
        refused("[a](javascript:alert(1))", "javascript:"),
        refused("[a](JaVaScRiPt:alert(1))", "javascript:"),
        refused("[a](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
        refused("[a](file:///etc/passwd)", "file:"),
        refused("[a](FILE:///etc/shadow)", "file:"),
        refused("[a](vbscript:msgbox(1))", "vbscript:"),
        refused("[a](ms-settings:privacy)", "ms-settings:"),
        refused("[a](x-evil:payload)", "x-evil:"),
        refused("[a](<\u{1}javascript:alert(1)>)", "javascript:"),
        refused("[a](<\u{200b}javascript:alert(1)>)", "javascript:"),
        refused("[a](<\u{1b}[31mjavascript:alert(1)>)", "javascript:"),
        refused("[a](<\u{202e}javascript:alert(1)>)", "javascript:"),
        refused("[a](<\t javascript:alert(1)>)", "javascript:"),
        refused("[a](<x-\u{1b}]0;T\u{7}evil:x>)", "x-evil:"),
        refused("[a](//evil.example/x)", "without a scheme"),
        refused("[a](../../etc/passwd.md)", "leaves the library"),
        refused("[a](%2e%2e/%2e%2e/etc/passwd.md)", "leaves the library"),
        refused("[a](..%2f..%2fetc%2fpasswd.md)", "leaves the library"),
        refused("[a](/etc/passwd.md)", "absolute path"),
        refused("[a](%2fetc%2fpasswd.md)", "absolute path"),
        refused("[a](../../../../../../bin/sh)", "leaves the library"),
        refused("[a](notes.txt)", "Not an article"),
        opens(
            "[a](https://example.org/$(touch$IFS/tmp/PWNED))",
            "https://example.org/$(touch$IFS/tmp/PWNED)",
        ),
        opens(
            "[a](<https://example.org/x;touch /tmp/PWNED;\"q\" 'r' `id`>)",
            "https://example.org/x;touch /tmp/PWNED;\"q\" 'r' `id`",
        ),
        opens("[a](mailto:me@example.org)", "mailto:me@example.org"),
        opens("[a](HTTPS://EXAMPLE.org/Case)", "HTTPS://EXAMPLE.org/Case"),
    ]
}

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).expect("dir");
    }
    fs::write(path, text).expect("write");
}

/// Takes every URL the app hands over (checking nothing), so a test sees what the app itself
/// refused.
struct Handed<'a>(&'a mut Vec<String>);

impl folio::browser::Opener for Handed<'_> {
    fn open(&mut self, url: &str) -> Result<(), folio::browser::OpenError> {
        self.0.push(url.to_owned());
        Ok(())
    }
}

/// The run loop's part, without a terminal: articles are read, URLs handed over.
fn act(app: &mut App, opened: &mut Vec<String>, action: Msg) {
    folio::tui::settle(app, action, &mut Handed(opened));
}

fn reader_on(lib: &Path, width: u16, height: u16) -> App {
    let library = library::load(lib, SortKey::Path).expect("load");
    let mut app = App::new(library, Settings::default());
    let mut none = Vec::new();
    act(&mut app, &mut none, Msg::Resize(width, height));
    act(&mut app, &mut none, Msg::Cmd(Command::Open));
    assert_eq!(app.screen, Screen::Reader);
    app
}

fn screen(app: &App) -> Vec<String> {
    let (w, h) = app.size;
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    term.draw(|f| ui::draw(app, &Theme::plain(), f))
        .expect("draw");
    let buf = term.backend().buffer();
    (0..h)
        .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect::<String>())
        .collect()
}

#[test]
fn every_hostile_link_is_refused_or_opened_exactly_as_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lib = dir.path().join("lib");
    let cases = cases();
    let body: String = cases
        .iter()
        .map(|(md, _)| format!("{md}\n\n"))
        .collect::<String>();
    write(&lib.join("a.md"), &format!("# Links\n\n{body}"));
    write(&lib.join("notes.txt"), "not an article");
    let mut app = reader_on(&lib, 100, 30);
    let links = app.reader.as_ref().map_or(0, |r| r.layout.links.len());
    assert_eq!(links, cases.len(), "every link was laid out");
    for (n, (md, expected)) in cases.iter().enumerate() {
        let mut opened = Vec::new();
        for digit in (n + 1).to_string().bytes() {
            act(&mut app, &mut opened, Msg::LinkDigit(digit - b'0'));
        }
        act(&mut app, &mut opened, Msg::Cmd(Command::Open));
        let status = app.status.clone().unwrap_or_default();
        match expected {
            Ok(url) => {
                assert_eq!(opened, std::slice::from_ref(url), "{md}");
            }
            Err(words) => {
                assert!(opened.is_empty(), "{md} was opened: {opened:?}");
                assert!(
                    status.contains(words),
                    "{md}: message {status:?} lacks {words:?}"
                );
                assert!(
                    !status.chars().any(|c| c.is_control() || c == '\u{202e}'),
                    "{status:?}"
                );
            }
        }
        assert_eq!(app.screen, Screen::Reader, "{md}: still reading");
        let footer = screen(&app).pop().unwrap_or_default();
        assert!(!footer.contains('\u{1b}'), "{footer:?}");
    }
}

#[test]
fn a_hostile_source_in_front_matter_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lib = dir.path().join("lib");
    write(
        &lib.join("a.md"),
        "---\ntitle: T\nsource: \"\\e]0;x\\aJaVaScRiPt:alert(document.cookie)\"\n---\nBody\n",
    );
    let mut app = reader_on(&lib, 80, 24);
    let mut opened = Vec::new();
    act(&mut app, &mut opened, Msg::Cmd(Command::OpenSource));
    assert!(opened.is_empty());
    let status = app.status.clone().unwrap_or_default();
    assert!(status.contains("javascript:"), "{status:?}");
}

#[test]
fn the_footer_and_panel_show_the_real_target_not_the_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lib = dir.path().join("lib");
    write(
        &lib.join("a.md"),
        "Click [https://bank.example/login](https://evil.example/steal) now.\n",
    );
    let mut app = reader_on(&lib, 100, 20);
    let mut opened = Vec::new();
    act(&mut app, &mut opened, Msg::Cmd(Command::NextLink));
    let rows = screen(&app);
    let footer = rows.last().cloned().unwrap_or_default();
    assert!(footer.contains("https://evil.example/steal"), "{footer}");
    assert!(!footer.contains("bank.example"), "{footer}");
    act(&mut app, &mut opened, Msg::Cmd(Command::LinkPanel));
    let panel = screen(&app).join("\n");
    assert!(panel.contains("https://evil.example/steal"), "{panel}");
    act(&mut app, &mut opened, Msg::Cmd(Command::Open));
    assert_eq!(opened, ["https://evil.example/steal"]);
    assert!(
        app.status
            .as_deref()
            .is_some_and(|s| s.contains("evil.example")),
        "{:?}",
        app.status
    );
}

#[test]
fn a_megabyte_url_is_cut_on_screen_and_opened_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lib = dir.path().join("lib");
    let url = format!("https://example.org/{}", "a".repeat(1 << 20));
    write(
        &lib.join("a.md"),
        &format!("[big]({url}) and [small](#x)\n"),
    );
    let mut app = reader_on(&lib, 80, 24);
    let mut opened = Vec::new();
    act(&mut app, &mut opened, Msg::Cmd(Command::NextLink));
    let footer = screen(&app).pop().unwrap_or_default();
    assert!(footer.contains("https://example.org/aaa"), "{footer}");
    act(&mut app, &mut opened, Msg::Cmd(Command::LinkPanel));
    let panel = screen(&app);
    assert!(
        panel
            .iter()
            .any(|row| row.contains("https://example.org/aa"))
    );
    act(&mut app, &mut opened, Msg::Cmd(Command::Open));
    assert_eq!(opened.len(), 1);
    assert_eq!(opened[0].len(), url.len());
    let status = app.status.clone().unwrap_or_default();
    assert!(
        status.len() < 300,
        "the message is cut: {} bytes",
        status.len()
    );
    screen(&app);
}

// ----- the real binary and the system opener, in tmux -----

/// A `$BROWSER` that records how many arguments it got and each one, and never evaluates them.
fn recorder(tmux: &Tmux) -> PathBuf {
    let record = tmux.path("record.sh");
    fs::write(
        &record,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$#\" >> {count}\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> {args}; done\n",
            count = quote(&tmux.path("count")),
            args = quote(&tmux.path("args")),
        ),
    )
    .expect("record.sh");
    let mut perms = fs::metadata(&record).expect("meta").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    fs::set_permissions(&record, perms).expect("chmod");
    record
}

#[test]
fn the_system_opener_passes_shell_syntax_as_one_inert_argument() {
    if !have_tmux() {
        return;
    }
    let tmux = Tmux::start("sleep 60", 120, 30);
    let lib = tmux.path("lib");
    let pwned = |n: usize| tmux.path(&format!("PWNED{n}"));
    // Without spaces where the shell would need them, so that an eval would really run them.
    let urls = [
        format!("https://example.org/$(touch$IFS{})", pwned(1).display()),
        format!("https://example.org/x;touch$IFS{};", pwned(2).display()),
        format!("https://example.org/`touch$IFS{}`", pwned(3).display()),
        format!(
            "https://example.org/'\"$(touch$IFS{})\"'&&touch$IFS{}|cat",
            pwned(4).display(),
            pwned(5).display()
        ),
        "https://example.org/a b\"c'd?q=1&r=$HOME#frag".to_owned(),
    ];
    let body: String = urls
        .iter()
        .enumerate()
        .map(|(i, u)| format!("[link {i}](<{u}>)\n\n"))
        .collect();
    write(&lib.join("a.md"), &format!("# Shell\n\n{body}"));
    let record = recorder(&tmux);
    let line = format!(
        "cd {dir} && env BROWSER={browser} {bin} {file}; sleep 60",
        dir = quote(tmux.dir.path()),
        browser = quote(&record),
        bin = BIN,
        file = quote(&lib.join("a.md")),
    );
    tmux.run(&["respawn-pane", "-k", "-t", "t", &line]);
    tmux.wait_for("link 4");
    for (i, _) in urls.iter().enumerate() {
        tmux.send(&[&(i + 1).to_string(), "Enter"]);
        tmux.wait_lines("count", i + 1);
        tmux.wait_for("Opened");
    }
    let counts = tmux.wait_lines("count", urls.len());
    assert!(
        counts.iter().all(|c| c == "1"),
        "one argument each: {counts:?}"
    );
    let args = tmux.wait_lines("args", urls.len());
    for (url, arrived) in urls.iter().zip(&args) {
        eprintln!("{url}\n  arrived as {arrived}");
        // The webbrowser crate hands over the URL as parsed and re-serialized (spaces and
        // quotes percent-encoded); decoded, it is exactly the link's target.
        assert_eq!(&percent_decode(arrived), url, "arrived as {arrived:?}");
    }
    for n in 1..=5 {
        assert!(!pwned(n).exists(), "{} was created", pwned(n).display());
    }
}

#[test]
fn links_through_symlinks_out_of_the_folder_are_refused_by_the_binary() {
    if !have_tmux() {
        return;
    }
    let tmux = Tmux::start("sleep 60", 120, 30);
    let lib = tmux.path("lib");
    let outside = tmux.path("outside");
    write(&outside.join("secret.md"), "# SECRETTEXT\n");
    write(
        &lib.join("a.md"),
        "# Start\n\n[file link](inside.md) and [folder link](sub/secret.md) and \
         [big](<https://example.org/HUGE>)\n",
    );
    std::os::unix::fs::symlink(outside.join("secret.md"), lib.join("inside.md")).expect("link");
    std::os::unix::fs::symlink(&outside, lib.join("sub")).expect("link");
    let record = recorder(&tmux);
    // A megabyte URL exceeds what one exec argument may hold: the opener must fail cleanly.
    let huge = format!("https://example.org/{}", "h".repeat(1 << 20));
    let text = fs::read_to_string(lib.join("a.md")).expect("read");
    write(
        &lib.join("a.md"),
        &text.replace("https://example.org/HUGE", &huge),
    );
    let line = format!(
        "cd {dir} && env BROWSER={browser} {bin} {file}; echo EXITED $?; sleep 60",
        dir = quote(tmux.dir.path()),
        browser = quote(&record),
        bin = BIN,
        file = quote(&lib.join("a.md")),
    );
    tmux.run(&["respawn-pane", "-k", "-t", "t", &line]);
    tmux.wait_for("Start");
    for n in ["1", "2"] {
        tmux.send(&[n, "Enter"]);
        let screen = tmux.wait_for("leaves the library");
        assert!(!screen.contains("SECRETTEXT"), "{screen}");
        tmux.send(&["j"]);
        tmux.wait_until("the message cleared", |s| !s.contains("leaves the library"));
    }
    tmux.send(&["3", "Enter"]);
    let screen = tmux.wait_until("the open's outcome", |s| {
        s.contains("Opened") || s.contains("No browser") || s.contains("Could not open")
    });
    assert!(!screen.contains("EXITED"), "folio ended: {screen}");
    eprintln!(
        "a 1 MiB URL through the system opener: {}",
        screen.lines().last().unwrap_or_default().trim()
    );
    let last = screen.lines().rfind(|l| !l.trim().is_empty());
    assert!(last.is_some_and(|l| l.chars().count() <= 120), "{screen}");
    tmux.send(&["q", "q"]);
    tmux.wait_for("EXITED 0");
}
