//! Odd and changing files through the App and its reader (library_scan.rs covers the scan):
//! empty, blank, front matter only, binary, Latin-1, UTF-16 (both orders, odd length), a file
//! deleted, replaced by a FIFO, a device, a folder or a much larger file between listing and
//! opening, one beyond the reader's size cap, and one without read permission. Each is opened
//! in the App and drawn at several sizes: a message, never a crash or a hang.

use std::fs;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use folio::app::{App, Command, Msg, Screen, Settings};
use folio::library::{self, SortKey};
use folio::theme::Theme;
use folio::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// Far beyond what any step should take; only a hang reaches it.
const LIMIT: Duration = Duration::from_secs(60);

/// Runs `f` on its own thread and fails if it panics or does not finish within [`LIMIT`].
fn within_limit<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(LIMIT) {
        Ok(value) => value,
        Err(_) => panic!("{what}: did not finish within {LIMIT:?} (or panicked)"),
    }
}

/// The run loop's part, without a terminal: articles are read, URLs recorded.
fn act(app: &mut App, action: Msg) {
    folio::tui::settle(app, action, &mut folio::browser::RecordingOpener::default());
}

fn rows(app: &App) -> Vec<String> {
    let (w, h) = app.size;
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    term.draw(|f| ui::draw(app, &Theme::default(), f))
        .expect("draw");
    let buf = term.backend().buffer();
    let rows: Vec<String> = (0..h)
        .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect())
        .collect();
    for row in &rows {
        assert!(
            !row.chars().any(|c| c.is_control()),
            "a control character on screen: {row:?}"
        );
    }
    rows
}

/// Opens the article at `index` of a library loaded earlier and draws it at several sizes,
/// scrolling to its end; returns the footer at 100×30.
fn open_and_draw(app: &mut App, index: usize) -> String {
    act(app, Msg::Resize(100, 30));
    act(app, Msg::Cmd(Command::Top));
    for _ in 0..index {
        act(app, Msg::Cmd(Command::Down));
    }
    act(app, Msg::Cmd(Command::Open));
    let footer = rows(app).pop().unwrap_or_default();
    for (w, h) in [(130, 40), (20, 5), (1, 1), (300, 3), (100, 30)] {
        act(app, Msg::Resize(w, h));
        rows(app);
        act(app, Msg::Cmd(Command::Bottom));
        rows(app);
        act(app, Msg::Cmd(Command::Top));
    }
    footer
}

fn app_for(dir: &Path) -> App {
    let library = library::load(dir, SortKey::Path).expect("load");
    App::new(library, Settings::default())
}

#[test]
fn odd_encodings_and_empty_files_open_in_the_reader() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().to_path_buf();
    let utf16 = |text: &str, be: bool| -> Vec<u8> {
        let mut out = if be {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            out.extend(if be {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        out
    };
    let mut odd = utf16("# Odd length", false);
    odd.push(0x41);
    let mut lone_surrogate = vec![0xFF, 0xFE];
    lone_surrogate.extend([0x00, 0xD8, 0x41, 0x00]);
    // (file, bytes, words the footer must hold once opened: a problem, or the title)
    let files: Vec<(&str, Vec<u8>, &str)> = vec![
        ("a-empty.md", Vec::new(), "A empty"),
        ("b-blank.md", b" \n\t\n   \r\n\x0c\n".to_vec(), "B blank"),
        (
            "c-front-only.md",
            b"---\ntitle: Only Front\n---\n".to_vec(),
            "Only Front",
        ),
        (
            "d-front-unclosed.md",
            b"---\ntitle: x\n".to_vec(),
            "never closed",
        ),
        (
            "e-binary.md",
            b"\x7fELF\x02\x01\x01\x00\x00\x00\xff\xfe\x00\x1b[2J".repeat(200),
            "binary",
        ),
        (
            "f-latin1.md",
            b"# Caf\xe9\n\nCr\xe8me br\xfbl\xe9e \xab quoted \xbb\n".to_vec(),
            "UTF-8",
        ),
        (
            "g-utf16le.md",
            utf16("---\ntitle: Wide LE\n---\n# \u{1F600} body\n", false),
            "Wide LE",
        ),
        (
            "h-utf16be.md",
            utf16("# Wide BE\n\n\u{65E5}\u{672C}\n", true),
            "Wide BE",
        ),
        ("i-utf16-odd.md", odd, "Odd length"),
        ("j-utf16-surrogate.md", lone_surrogate, "J utf16 surrogate"),
        ("k-bom-only.md", b"\xEF\xBB\xBF".to_vec(), "K bom only"),
        ("l-nul-only.md", vec![0; 4096], "binary"),
        (
            "m-crlf-front.md",
            b"---\r\ntitle: CRLF\r\n---\r\n\r\nText\r\n".to_vec(),
            "CRLF",
        ),
        ("n-dashes.md", b"---\n---\n---\n---\n".to_vec(), "N dashes"),
        ("o-plus.md", b"+++\n+++\n+++\n".to_vec(), "O plus"),
    ];
    for (name, bytes, _) in &files {
        fs::write(d.join(name), bytes).expect("write");
    }
    let footers = within_limit("odd files", move || {
        let mut app = app_for(&d);
        assert_eq!(app.library.articles.len(), 15);
        (0..15)
            .map(|i| {
                let footer = open_and_draw(&mut app, i);
                assert_eq!(app.screen, Screen::Reader, "{i} opened");
                act(&mut app, Msg::Cmd(Command::Back));
                footer
            })
            .collect::<Vec<_>>()
    });
    for ((name, _, words), footer) in files.iter().zip(&footers) {
        assert!(
            footer.contains(words),
            "{name}: footer {footer:?} lacks {words:?}"
        );
    }
}

#[test]
fn files_changed_between_listing_and_opening_give_a_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().to_path_buf();
    for name in [
        "a-deleted",
        "b-fifo",
        "c-device",
        "d-folder",
        "e-grown",
        "f-binary",
    ] {
        fs::write(d.join(format!("{name}.md")), format!("# {name}\n")).expect("write");
    }
    let messages = within_limit("changed files", move || {
        let mut app = app_for(&d);
        assert_eq!(app.library.articles.len(), 6);
        fs::remove_file(d.join("a-deleted.md")).expect("rm");
        fs::remove_file(d.join("b-fifo.md")).expect("rm");
        let fifo = std::ffi::CString::new(d.join("b-fifo.md").as_os_str().as_encoded_bytes())
            .expect("path");
        // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
        fs::remove_file(d.join("c-device.md")).expect("rm");
        std::os::unix::fs::symlink("/dev/zero", d.join("c-device.md")).expect("symlink");
        fs::remove_file(d.join("d-folder.md")).expect("rm");
        fs::create_dir(d.join("d-folder.md")).expect("mkdir");
        let grown = format!("# grown\n\n{}", "A sentence that repeats. ".repeat(40_000));
        fs::write(d.join("e-grown.md"), grown).expect("grow");
        fs::write(
            d.join("f-binary.md"),
            b"\x00\x01\x1b]0;x\x07\xff".repeat(1000),
        )
        .expect("bin");
        let mut out = Vec::new();
        for i in 0..6 {
            act(&mut app, Msg::Resize(100, 30));
            act(&mut app, Msg::Cmd(Command::Top));
            for _ in 0..i {
                act(&mut app, Msg::Cmd(Command::Down));
            }
            act(&mut app, Msg::Cmd(Command::Open));
            let footer = rows(&app).pop().unwrap_or_default();
            out.push((app.screen, app.status.clone(), footer));
            if app.screen == Screen::Reader {
                open_and_draw(&mut app, i);
                act(&mut app, Msg::Cmd(Command::Back));
            }
        }
        out
    });
    let expect_message = |i: usize, words: &str| {
        let (screen, status, footer) = &messages[i];
        assert_eq!(*screen, Screen::List, "{i}: stays on the list");
        let status = status.clone().unwrap_or_default();
        assert!(status.contains(words), "{i}: {status:?} lacks {words:?}");
        assert!(footer.contains(words), "{i}: footer {footer:?}");
    };
    expect_message(0, "no such file");
    expect_message(1, "not a regular file");
    // Swapped for a symlink to /dev/zero: it resolves outside the folder, so it is not read.
    expect_message(2, "leaves the library folder");
    expect_message(3, "not a Markdown file");
    assert_eq!(messages[4].0, Screen::Reader, "the grown file opens whole");
    assert_eq!(messages[5].0, Screen::Reader);
    assert!(messages[5].2.contains("binary"), "{:?}", messages[5]);
}

#[test]
fn a_file_beyond_the_cap_opens_cut_and_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().to_path_buf();
    let mut big = b"# Big\n\nThe start.\n".to_vec();
    // Blank lines: cheap to parse even in a debug build, and still past the cap.
    big.resize(library::BODY_CAP + 4096, b'\n');
    big.extend_from_slice(b"THE END THAT IS NEVER SHOWN\n");
    fs::write(d.join("big.md"), &big).expect("write");
    drop(big);
    let (footer, lines) = within_limit("a huge file", move || {
        let mut app = app_for(&d);
        act(&mut app, Msg::Resize(100, 30));
        act(&mut app, Msg::Cmd(Command::Open));
        let footer = rows(&app).pop().unwrap_or_default();
        act(&mut app, Msg::Cmd(Command::Bottom));
        let lines = rows(&app).join("\n");
        (footer, lines)
    });
    assert!(footer.contains("only the start"), "{footer:?}");
    assert!(!lines.contains("NEVER SHOWN"));
}

#[test]
fn an_unreadable_file_gives_a_message() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        eprintln!("NOTICE: running as root, where chmod 000 denies nothing; skipping");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().to_path_buf();
    let file = d.join("locked.md");
    fs::write(&file, "# Locked\n").expect("write");
    let mut perms = fs::metadata(&file).expect("meta").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o000);
    fs::set_permissions(&file, perms).expect("chmod");
    let (problem, status) = within_limit("unreadable", move || {
        let mut app = app_for(&d);
        let problem = app.library.articles[0].problems.join("; ");
        act(&mut app, Msg::Resize(100, 30));
        rows(&app);
        act(&mut app, Msg::Cmd(Command::Open));
        rows(&app);
        (problem, app.status.clone().unwrap_or_default())
    });
    assert!(problem.contains("permission denied"), "{problem:?}");
    assert!(status.contains("ermission denied"), "{status:?}");
}
