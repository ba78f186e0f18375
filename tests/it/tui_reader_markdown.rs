//! The reader over real Markdown: parse → layout → screen, resize anchoring, anchors.

use std::path::PathBuf;

use folio::app::{App, Command, Effect, Msg, Settings};
use folio::library::{Article, Body, Date, Library, Meta};
use folio::theme::Theme;
use folio::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const ARTICLE: &str = "\
Folio draws what the layout made, a slice at a time. This paragraph is long enough to wrap \
at every width the tests use, so the snapshots show how wrapping looks.

## A list and a quote

- first item, with `inline code`
- second item that is long enough to wrap onto a second line and keep its hanging indent
  1. nested

> A quotation that also wraps, so that every wrapped line keeps its gutter on the left side.

## Links

See [the ratatui site](https://ratatui.rs), [another article](neighbour.md#intro) and
[a script](javascript:alert(1)).

```rust
fn main() {
    println!(\"hello\");
}
```

| Key | Does |
|-----|------|
| j   | down |
";

fn meta() -> Meta {
    Meta {
        title: "Reading in the terminal".into(),
        description: Some("How folio lays out an article.".into()),
        date: Some(Date {
            year: 2025,
            month: 4,
            day: 1,
        }),
        authors: vec!["Ada".into()],
        tags: vec!["tui".into()],
        source: Some("https://example.org/reading".into()),
        ..Meta::default()
    }
}

fn app_reading(markdown: &str, width: u16, height: u16, anchor: Option<&str>) -> App {
    let article = Article {
        path: PathBuf::from("lib/reading.md"),
        rel_path: "reading.md".into(),
        meta: meta(),
        problems: vec![],
    };
    let library = Library {
        root: PathBuf::from("lib"),
        articles: vec![article.clone()],
    };
    let mut app = App::new(library, Settings::default());
    app.update(Msg::Resize(width, height));
    let Some(Effect::LoadArticle { ticket, .. }) = app.update(Msg::Cmd(Command::Open)) else {
        panic!("Enter on the list asks for the article");
    };
    let effect = app.update(Msg::ArticleLoaded {
        ticket,
        path: article.path.clone(),
        anchor: anchor.map(str::to_owned),
        result: Ok((
            article,
            Body {
                markdown: markdown.into(),
                problems: vec![],
                pictures: vec![],
            },
        )),
    });
    assert_eq!(effect, None);
    app
}

fn render(app: &App) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(app.size.0, app.size.1)).expect("backend");
    terminal
        .draw(|frame| ui::draw(app, &Theme::plain(), frame))
        .expect("draw");
    terminal
}

fn top_text(app: &App) -> String {
    let reader = app.reader.as_ref().expect("reading");
    reader
        .layout
        .lines
        .get(reader.top)
        .map(|l| l.spans().map(|s| s.text).collect())
        .unwrap_or_default()
}

#[test]
fn a_real_article_in_the_reader() {
    for (w, h) in [(80, 24), (120, 40)] {
        let app = app_reading(ARTICLE, w, h, None);
        insta::assert_snapshot!(format!("reader_markdown_{w}x{h}"), render(&app).backend());
    }
}

#[test]
fn resizing_keeps_the_same_paragraph_at_the_top() {
    let body: String = (0..80)
        .map(|i| format!("P{i:02}x starts a paragraph that is long enough to wrap at narrow widths, twice or more.\n\n"))
        .collect();
    let mut app = app_reading(&body, 100, 30, None);
    while !top_text(&app).trim_start().starts_with("P40x") {
        let before = app.reader.as_ref().map(|r| r.top);
        app.update(Msg::Cmd(Command::Down));
        assert_ne!(
            before,
            app.reader.as_ref().map(|r| r.top),
            "never reached P40x"
        );
    }
    for (w, h) in [(50, 20), (37, 12), (140, 50), (100, 30)] {
        app.update(Msg::Resize(w, h));
        assert!(
            top_text(&app).trim_start().starts_with("P40x"),
            "at {w}x{h} the top is {:?}",
            top_text(&app)
        );
    }
}

#[test]
fn a_link_with_an_anchor_opens_at_its_heading() {
    let app = app_reading(ARTICLE, 80, 10, Some("links"));
    assert!(top_text(&app).contains("Links"), "{:?}", top_text(&app));
}

#[test]
fn tab_walks_the_real_links_and_refuses_javascript() {
    let mut app = app_reading(ARTICLE, 80, 24, None);
    app.update(Msg::Cmd(Command::NextLink));
    assert_eq!(
        app.update(Msg::Cmd(Command::Open)),
        Some(Effect::OpenUrl("https://ratatui.rs".into()))
    );
    app.update(Msg::Cmd(Command::NextLink));
    let effect = app.update(Msg::Cmd(Command::Open));
    assert!(
        matches!(
            &effect,
            Some(Effect::LoadArticle { path, anchor, .. })
                if path == &PathBuf::from("lib/neighbour.md") && anchor.as_deref() == Some("intro")
        ),
        "{effect:?}"
    );
    app.update(Msg::Cmd(Command::NextLink));
    assert_eq!(app.update(Msg::Cmd(Command::Open)), None);
    assert!(app.status.as_deref().unwrap_or("").contains("javascript:"));
}

/// An article with a deeper outline than ARTICLE: three levels, repeated words to filter on.
fn outlined() -> String {
    let mut text = String::new();
    for (h2, h3s) in [
        ("Getting started", &["Installing", "First run"][..]),
        (
            "Reading",
            &["Scrolling", "Finding text", "Following links"][..],
        ),
        ("Remembering", &["Positions", "Read and unread"][..]),
    ] {
        text.push_str(&format!("## {h2}\n\n"));
        for h3 in h3s {
            text.push_str(&format!("### {h3}\n\n"));
            for i in 0..4 {
                text.push_str(&format!(
                    "Paragraph {i} under {h3}, long enough to take more than one row at the \
                     narrower of the widths the tests use.\n\n"
                ));
            }
        }
    }
    text
}

#[test]
fn the_outline_lists_headings_by_level_and_marks_where_you_are() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut app = app_reading(&outlined(), w, h, None);
        app.update(Msg::Cmd(Command::NextHeading));
        app.update(Msg::Cmd(Command::NextHeading));
        app.update(Msg::Cmd(Command::NextHeading));
        app.update(Msg::Cmd(Command::Outline));
        insta::assert_snapshot!(format!("outline_{w}x{h}"), render(&app).backend());
    }
}

#[test]
fn typing_in_the_outline_filters_and_enter_puts_the_heading_on_top() {
    let mut app = app_reading(&outlined(), 80, 24, None);
    app.update(Msg::Cmd(Command::Outline));
    for c in "scroll".chars() {
        app.update(Msg::Input(c));
    }
    assert_eq!(app.outline("scroll").len(), 1);
    app.update(Msg::Cmd(Command::Open));
    assert_eq!(app.overlay, None);
    assert_eq!(top_text(&app).trim(), "Scrolling");
    let footer = {
        let terminal = render(&app);
        let buffer = terminal.backend().buffer();
        (0..80u16)
            .map(|x| buffer[(x, 23)].symbol().to_owned())
            .collect::<String>()
    };
    assert!(footer.contains("§ Scrolling"), "{footer}");
    // Esc closes without moving.
    app.update(Msg::Cmd(Command::Outline));
    app.update(Msg::Cmd(Command::Top));
    app.update(Msg::Cmd(Command::Back));
    assert_eq!(top_text(&app).trim(), "Scrolling");
}

#[test]
fn brackets_step_between_headings() {
    let mut app = app_reading(&outlined(), 80, 24, None);
    app.update(Msg::Cmd(Command::NextHeading));
    let first = top_text(&app);
    app.update(Msg::Cmd(Command::NextHeading));
    assert_eq!(top_text(&app).trim(), "Installing");
    app.update(Msg::Cmd(Command::PrevHeading));
    assert_eq!(top_text(&app), first);
    app.update(Msg::Cmd(Command::PrevHeading));
    assert!(
        app.status
            .as_deref()
            .unwrap_or("")
            .contains("No heading above")
    );
}

#[test]
fn back_after_an_anchor_jump_returns_to_where_you_were_reading() {
    let mut text = String::from("Start here. Jump to [the part below](#far-below).\n\n");
    for i in 0..60 {
        text.push_str(&format!("Filler paragraph {i}.\n\n"));
    }
    text.push_str("## Far below\n\n");
    for i in 0..30 {
        text.push_str(&format!("More paragraph {i}.\n\n"));
    }
    let mut app = app_reading(&text, 80, 24, None);
    app.update(Msg::Cmd(Command::NextLink));
    app.update(Msg::Cmd(Command::Open));
    assert_eq!(top_text(&app).trim(), "Far below");
    app.update(Msg::Cmd(Command::Back));
    assert_eq!(
        app.screen,
        folio::app::Screen::Reader,
        "back stays in the article"
    );
    assert_eq!(app.reader.as_ref().map(|r| r.top), Some(0));
    app.update(Msg::Cmd(Command::Back));
    assert_eq!(app.screen, folio::app::Screen::List);
}

/// The code runs of the open article, with whether each has a token (a colour meaning).
fn code_tokens(app: &App) -> Vec<bool> {
    app.reader
        .as_ref()
        .map(|r| {
            r.layout
                .lines
                .iter()
                .flat_map(|l| l.spans())
                .filter(|s| s.style.role == folio::markdown::Role::CodeBlock)
                .map(|s| s.style.token.is_some())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn code_is_drawn_plain_first_and_coloured_when_the_job_answers() {
    let mut app = app_reading(ARTICLE, 80, 24, None);
    assert!(!code_tokens(&app).is_empty());
    assert!(code_tokens(&app).iter().all(|t| !t), "plain at first");
    let top = app.reader.as_ref().map(|r| r.top);
    let effects = app.take_effects();
    let Some(Effect::Highlight { ticket, blocks }) = effects
        .into_iter()
        .find(|e| matches!(e, Effect::Highlight { .. }))
    else {
        panic!("opening asks for the code to be coloured");
    };
    // A stale answer (another ticket) changes nothing.
    app.update(Msg::Highlighted {
        ticket: ticket + 99,
        blocks: blocks.clone(),
    });
    assert!(code_tokens(&app).iter().all(|t| !t));
    // The loop's job: colour the blocks, send them back.
    let mut blocks = blocks;
    for block in &mut blocks {
        folio::markdown::highlight::highlight_block(&block.lang, &mut block.lines);
    }
    app.update(Msg::Highlighted { ticket, blocks });
    assert!(
        code_tokens(&app).iter().any(|t| *t),
        "coloured once the job answers"
    );
    assert_eq!(app.reader.as_ref().map(|r| r.top), top, "nothing moved");
}

#[test]
fn tab_stops_at_footnote_references_and_enter_goes_to_the_note_and_back_returns() {
    let mut text = String::from(
        "A claim[^src] and [a link](https://example.org/x) and another claim[^more].\n\n",
    );
    for i in 0..40 {
        text.push_str(&format!("Filler paragraph {i}.\n\n"));
    }
    text.push_str("[^src]: Where the claim comes from.\n[^more]: A second note.\n");
    let mut app = app_reading(&text, 80, 24, None);
    let reader = |app: &App| app.reader.clone().expect("reading");
    // In reading order: the first note's reference, the link, the second reference.
    app.update(Msg::Cmd(Command::NextLink));
    assert_eq!(reader(&app).note_focus.map(|n| n.3), Some(1));
    assert_eq!(reader(&app).focus, None);
    app.update(Msg::Cmd(Command::NextLink));
    assert_eq!(
        reader(&app).focused_link().map(|l| l.number),
        Some(1),
        "links keep their numbers"
    );
    app.update(Msg::Cmd(Command::NextLink));
    assert_eq!(reader(&app).note_focus.map(|n| n.3), Some(2));
    app.update(Msg::Cmd(Command::Open));
    // The notes end the article: the note is on screen (as near the top as the end allows).
    let shown = reader(&app);
    let on_screen = shown.layout.plain_lines()
        [shown.top..(shown.top + 23).min(shown.layout.lines.len())]
        .iter()
        .any(|l| l.contains("A second note."));
    assert!(on_screen && shown.top > 0, "{:?}", top_text(&app));
    app.update(Msg::Cmd(Command::Back));
    assert_eq!(reader(&app).top, 0, "back returns to the reference");
    assert_eq!(app.screen, folio::app::Screen::Reader);
}
