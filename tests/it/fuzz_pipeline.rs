//! The whole pipeline under proptest: bytes → a file → `library::read_article` → parse →
//! layout at a random width → the App's list and reader drawn into a TestBackend of a random
//! size (including zero). No panic, no hang, every laid-out row within its width, no control
//! character in any cell.
//!
//! A third property drives the App with random key sequences, resizes and search queries over
//! a small library of such files, drawing after every step.
//!
//! 200 cases per property by default; `PROPTEST_CASES=20000 cargo test --release --test
//! fuzz_pipeline` for a long run.

use std::sync::mpsc;
use std::time::Duration;

use folio::app::{App, Command, Msg, Settings};
use folio::library;
use folio::markdown::{layout, parse::parse_article};
use folio::theme::Theme;
use folio::ui;
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// Far beyond what one case should take; only a hang reaches it.
const LIMIT: Duration = Duration::from_secs(60);

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Pieces that make front matter, YAML, TOML and Markdown, plus text that hurts terminals and
/// width measurement.
fn piece() -> impl Strategy<Value = String> {
    let fixed: &[&str] = &[
        "---\n",
        "---  \r\n",
        "+++\n",
        "...\n",
        "\u{feff}---\n",
        "title: ",
        "title: \"t\\e]0;x\\a\"\n",
        "description: >\n  folded\n",
        "date: 2024-02-30\n",
        "date: 2024-01-01T10:00:00+25:00\n",
        "tags: [a, b\n",
        "tags:\n  - x\n  - [y, {z: 1}]\n",
        "authors: {name: [1, 2]}\n",
        "a: &a [*a, *a]\n",
        "b: *undefined\n",
        "x: !!binary aGk=\n",
        "? complex\n: key\n",
        "source: javascript:alert(1)\n",
        "title = \"toml\"\n",
        "[a.b.c]\n",
        "x = {a = 1\n",
        "date = 1979-05-27T07:32:00Z\n",
        "# ",
        "## ",
        "###### ",
        "> ",
        "> [!WARNING]\n",
        "- ",
        "  - ",
        "1. ",
        "99999999999. ",
        "- [ ] ",
        "```rust\n",
        "```\n",
        "~~~\n",
        "    indented code\n",
        "| a | b |\n|---|:-:|\n",
        "| c |",
        "[link](https://example.org/x)",
        "[ref][r]\n\n[r]: http://r.example \"t\"\n",
        "<https://auto.example>",
        "![alt](i.png)",
        "[^1]",
        "[^1]: note\n",
        "**",
        "*",
        "_",
        "`",
        "~~",
        "$x$",
        "<div>",
        "</div>",
        "<!--",
        "-->",
        "<a href=\"",
        "javascript:",
        "\">",
        "</a>",
        "<img alt=\"",
        "<details><summary>",
        "<script>",
        "{{< ",
        "{{% ",
        " >}}",
        " %}}",
        "{% ",
        " %}",
        "{{</* ",
        " */>}}",
        "{{< highlight go >}}\n",
        "{{< /highlight >}}\n",
        "{{< figure src=\"",
        "{{< ref \"",
        "{% raw %}\n",
        "{% endraw %}\n",
        "{% comment %}",
        "&amp;&#x1b;&#0;&#x202e;",
        "\\",
        "***\n",
        "\n",
        "\n\n",
        "\t",
        "\r",
        "\r\n",
        "\u{1b}[2J",
        "\u{1b}]52;c;eA==\u{7}",
        "\u{1b}P",
        "\u{1b}",
        "\u{9b}31m",
        "\u{9d}",
        "\u{0}",
        "\u{7}\u{8}\u{7f}",
        "\u{202e}\u{2066}",
        "\u{200b}\u{200d}\u{feff}",
        "\u{2028}\u{2029}",
        "日本語の文章",
        "👩‍💻",
        "🇯🇵",
        "❤️",
        "e\u{301}\u{302}\u{303}",
        "\u{0e01}\u{0e34}\u{0e48}",
        "ﷺ",
        "\u{1100}\u{1161}",
        "\u{fffd}",
    ];
    let fixed: Vec<String> = fixed.iter().map(|s| (*s).to_owned()).collect();
    prop_oneof![
        6 => prop::sample::select(fixed),
        2 => "[a-z ]{1,20}",
        1 => "[a-zA-Z]{40,400}",
        1 => any::<char>().prop_map(String::from),
        1 => ".{0,8}",
    ]
}

fn markdownish() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(piece(), 0..80).prop_map(|p| p.concat().into_bytes())
}

/// Raw bytes, sometimes behind a byte-order mark so the UTF-16 and BOM paths run too.
fn raw_bytes() -> impl Strategy<Value = Vec<u8>> {
    let prefix = prop::sample::select(vec![
        Vec::new(),
        vec![0xFF, 0xFE],
        vec![0xFE, 0xFF],
        vec![0xEF, 0xBB, 0xBF],
        b"---\n".to_vec(),
    ]);
    (prefix, prop::collection::vec(any::<u8>(), 0..4096)).prop_map(|(mut p, rest)| {
        p.extend(rest);
        p
    })
}

/// The run loop's part, without a terminal: articles are read, URLs recorded.
fn act(app: &mut App, action: Msg) {
    folio::tui::settle(app, action, &mut folio::browser::RecordingOpener::default());
}

fn draw_clean(app: &App, w: u16, h: u16) -> Result<(), String> {
    let mut term = Terminal::new(TestBackend::new(w, h)).map_err(|e| e.to_string())?;
    term.draw(|f| ui::draw(app, &Theme::default(), f))
        .map_err(|e| e.to_string())?;
    for cell in term.backend().buffer().content() {
        if cell.symbol().chars().any(char::is_control) {
            return Err(format!("control character in cell {:?}", cell.symbol()));
        }
    }
    Ok(())
}

/// One case, off the test thread so that a hang becomes a failure.
fn pipeline(bytes: Vec<u8>, width: usize, w: u16, h: u16) -> Result<(), String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(run_case(&bytes, width, w, h));
    });
    match rx.recv_timeout(LIMIT) {
        Ok(result) => result,
        Err(_) => Err(format!("no result within {LIMIT:?} (a hang or a panic)")),
    }
}

fn run_case(bytes: &[u8], width: usize, w: u16, h: u16) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let path = dir.path().join("fuzz.md");
    std::fs::write(&path, bytes).map_err(|e| e.to_string())?;
    let (article, body) = library::read_article(&path).map_err(|e| e.to_string())?;
    let doc = parse_article(&article.meta, &body.markdown);
    let laid = layout(&doc, width);
    for (row, line) in laid.lines.iter().enumerate() {
        let text = line.text();
        if line.width() > width {
            return Err(format!(
                "row {row} is {} wide at {width}: {text:?}",
                line.width()
            ));
        }
        if text.chars().any(char::is_control) {
            return Err(format!("control character in row {row}: {text:?}"));
        }
    }
    for link in &laid.links {
        if link.url.chars().any(char::is_control) {
            return Err(format!("control character in a URL: {:?}", link.url));
        }
    }
    // The list (as the scan reads it), then the reader, through the App.
    let library = library::load(dir.path(), library::SortKey::Date).map_err(|e| e.to_string())?;
    if library.articles.len() != 1 {
        return Err(format!("{} articles listed", library.articles.len()));
    }
    let mut app = App::new(library, Settings::default());
    act(&mut app, Msg::Resize(w, h));
    draw_clean(&app, w, h)?;
    act(&mut app, Msg::Cmd(Command::Open));
    draw_clean(&app, w, h)?;
    for action in [
        Msg::Cmd(Command::NextLink),
        Msg::Cmd(Command::PageDown),
        Msg::Cmd(Command::Bottom),
        Msg::Cmd(Command::LinkPanel),
    ] {
        act(&mut app, action);
        draw_clean(&app, w, h)?;
    }
    act(&mut app, Msg::Cmd(Command::Back));
    act(
        &mut app,
        Msg::Resize(w.saturating_add(37), h.saturating_add(11)),
    );
    draw_clean(&app, w.saturating_add(37), h.saturating_add(11))?;
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn markdown_flavoured_files_pass_the_whole_pipeline(
        bytes in markdownish(),
        width in 1usize..=300,
        w in 0u16..200,
        h in 0u16..60,
    ) {
        if let Err(why) = pipeline(bytes.clone(), width, w, h) {
            prop_assert!(false, "{}\ninput: {:?}", why, String::from_utf8_lossy(&bytes));
        }
    }

    #[test]
    fn arbitrary_bytes_pass_the_whole_pipeline(
        bytes in raw_bytes(),
        width in 1usize..=300,
        w in 0u16..200,
        h in 0u16..60,
    ) {
        if let Err(why) = pipeline(bytes.clone(), width, w, h) {
            prop_assert!(false, "{}\ninput: {:?}", why, bytes);
        }
    }
}

fn action() -> impl Strategy<Value = Msg> {
    prop_oneof![
        3 => prop::sample::select(vec![
            Msg::Cmd(Command::Up),
            Msg::Cmd(Command::Down),
            Msg::Cmd(Command::PageUp),
            Msg::Cmd(Command::PageDown),
            Msg::Cmd(Command::HalfPageUp),
            Msg::Cmd(Command::HalfPageDown),
            Msg::Cmd(Command::Top),
            Msg::Cmd(Command::Bottom),
            Msg::Cmd(Command::Open),
            Msg::Cmd(Command::Back),
            Msg::Cmd(Command::Search),
            Msg::Cmd(Command::DeleteChar),
            Msg::Cmd(Command::ClearQuery),
            Msg::Cmd(Command::ClearSearch),
            Msg::Cmd(Command::OpenSource),
            Msg::Cmd(Command::NextLink),
            Msg::Cmd(Command::PrevLink),
            Msg::Cmd(Command::LinkPanel),
            Msg::Cmd(Command::Help),
        ]),
        2 => any::<char>().prop_map(Msg::Input),
        1 => (0u8..12).prop_map(Msg::LinkDigit),
        1 => (-1000i32..1000).prop_map(Msg::Scroll),
        1 => (0u16..220, 0u16..70).prop_map(|(w, h)| Msg::Resize(w, h)),
        1 => ".{0,40}".prop_map(Msg::Notify),
    ]
}

fn run_session(files: &[Vec<u8>], actions: &[Msg]) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    for (i, bytes) in files.iter().enumerate() {
        std::fs::write(dir.path().join(format!("{i}.md")), bytes).map_err(|e| e.to_string())?;
    }
    let library = library::load(dir.path(), library::SortKey::Date).map_err(|e| e.to_string())?;
    let mut app = App::new(library, Settings::default());
    act(&mut app, Msg::Resize(80, 24));
    for action in actions {
        act(&mut app, action.clone());
        let (w, h) = app.size;
        draw_clean(&app, w, h)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_sessions_over_hostile_files_never_crash(
        files in prop::collection::vec(markdownish(), 1..6),
        actions in prop::collection::vec(action(), 0..60),
    ) {
        let (tx, rx) = mpsc::channel();
        let (f, a) = (files.clone(), actions.clone());
        std::thread::spawn(move || {
            let _ = tx.send(run_session(&f, &a));
        });
        let result = rx
            .recv_timeout(LIMIT)
            .unwrap_or_else(|_| Err(format!("no result within {LIMIT:?} (a hang or a panic)")));
        if let Err(why) = result {
            prop_assert!(false, "{}\nactions: {:?}", why, actions);
        }
    }
}

/// Above 4096 titles the search takes a greedy first pass: a library that large, with titles
/// from the same hostile pieces (sanitized, as the library makes every title).
fn big_library() -> library::Library {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let titles = prop::collection::vec(piece(), 1..6);
    let articles = (0..5000)
        .map(|i| {
            let title = titles
                .new_tree(&mut runner)
                .map(|tree| tree.current().concat())
                .unwrap_or_default();
            library::Article {
                path: std::path::PathBuf::from(format!("/nonexistent/{i}.md")),
                rel_path: format!("{i}.md"),
                meta: library::Meta {
                    title: folio::text::sanitize_line(&title),
                    ..library::Meta::default()
                },
                problems: Vec::new(),
            }
        })
        .collect();
    library::Library {
        root: std::path::PathBuf::from("/nonexistent"),
        articles,
    }
}

fn few() -> ProptestConfig {
    let base = config();
    ProptestConfig {
        cases: (base.cases / 10).max(10),
        ..base
    }
}

proptest! {
    #![proptest_config(few())]

    #[test]
    fn searching_a_large_hostile_library_never_crashes(
        query in prop::collection::vec(prop_oneof![piece(), any::<char>().prop_map(String::from)], 0..6),
        w in 0u16..220,
        h in 0u16..70,
    ) {
        static LIBRARY: std::sync::OnceLock<library::Library> = std::sync::OnceLock::new();
        let library = LIBRARY.get_or_init(big_library).clone();
        let mut app = App::new(library, Settings::default());
        act(&mut app, Msg::Resize(w, h));
        act(&mut app, Msg::Cmd(Command::Search));
        for c in query.concat().chars() {
            act(&mut app, Msg::Input(c));
        }
        if let Err(why) = draw_clean(&app, w, h) {
            prop_assert!(false, "{}", why);
        }
        act(&mut app, Msg::Cmd(Command::Bottom));
        act(&mut app, Msg::Cmd(Command::DeleteChar));
        if let Err(why) = draw_clean(&app, w, h) {
            prop_assert!(false, "{}", why);
        }
    }
}
