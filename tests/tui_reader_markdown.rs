//! The reader over real Markdown: parse → layout → screen, resize anchoring, anchors.

use std::path::PathBuf;

use folio::app::{Action, App, Config, Effect};
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
    let mut app = App::new(library, Config::default(), Theme::plain());
    app.update(Action::Resize(width, height));
    let effect = app.update(Action::ArticleLoaded {
        path: article.path.clone(),
        anchor: anchor.map(str::to_owned),
        result: Ok((
            article,
            Body {
                markdown: markdown.into(),
                problems: vec![],
            },
        )),
    });
    assert_eq!(effect, None);
    app
}

fn render(app: &App) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(app.size.0, app.size.1)).expect("backend");
    terminal.draw(|frame| ui::draw(app, frame)).expect("draw");
    terminal
}

fn top_text(app: &App) -> String {
    let reader = app.reader.as_ref().expect("reading");
    reader
        .layout
        .lines
        .get(reader.top)
        .map(|l| l.spans.iter().map(|s| s.text.as_str()).collect())
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
        app.update(Action::Down);
        assert_ne!(
            before,
            app.reader.as_ref().map(|r| r.top),
            "never reached P40x"
        );
    }
    for (w, h) in [(50, 20), (37, 12), (140, 50), (100, 30)] {
        app.update(Action::Resize(w, h));
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
    app.update(Action::NextLink);
    assert_eq!(
        app.update(Action::Open),
        Some(Effect::OpenUrl("https://ratatui.rs".into()))
    );
    app.update(Action::NextLink);
    assert_eq!(
        app.update(Action::Open),
        Some(Effect::LoadArticle {
            path: PathBuf::from("lib/neighbour.md"),
            anchor: Some("intro".into())
        })
    );
    app.update(Action::NextLink);
    assert_eq!(app.update(Action::Open), None);
    assert!(app.status.as_deref().unwrap_or("").contains("javascript:"));
}
