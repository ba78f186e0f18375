//! The screens as a user sees them: TestBackend frames at 80×24 and 120×40, snapshotted.

use std::path::PathBuf;

use folio::app::{App, Command, Msg, Settings};
use folio::library::{Article, Date, Library, Meta};
use folio::markdown::{Heading, Layout, Line, LinkTarget, Role, Span, Style};
use folio::theme::Theme;
use folio::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Modifier;

/// Title, description, tags, date.
type Fixture = (
    &'static str,
    &'static str,
    &'static [&'static str],
    (i32, u8, u8),
);

const TITLES: &[Fixture] = &[
    (
        "Writing a terminal reader in Rust",
        "Layouts, wrapping and why we draw a slice.",
        &["rust", "tui"],
        (2025, 3, 14),
    ),
    (
        "The quiet joy of plain text",
        "Files outlive applications.",
        &["writing"],
        (2025, 2, 2),
    ),
    (
        "Fuzzy matching, explained",
        "How a few letters find the right title.",
        &["search", "algorithms"],
        (2024, 12, 24),
    ),
    (
        "A field guide to Markdown tables",
        "Pipes, alignment and the edge cases.",
        &["markdown"],
        (2024, 11, 5),
    ),
    (
        "Notes on terminal colours",
        "Sixteen colours are plenty.",
        &["tui", "design"],
        (2024, 9, 30),
    ),
    (
        "Reading on a small screen",
        "What survives at eighty columns.",
        &["design"],
        (2024, 7, 1),
    ),
    (
        "Why front matter is YAML",
        "And when TOML is the better choice.",
        &["markdown", "yaml"],
        (2024, 5, 18),
    ),
    (
        "Unicode width is hard",
        "Emoji, CJK and combining marks.",
        &["unicode"],
        (2024, 3, 3),
    ),
    (
        "Escape sequences are code",
        "Sanitize everything that reaches a terminal.",
        &["security"],
        (2023, 12, 12),
    ),
    (
        "Scrolling without drift",
        "Anchor the reading position to the text.",
        &["tui"],
        (2023, 10, 10),
    ),
    (
        "Links that lead somewhere",
        "Numbered links and a panel to pick them.",
        &["tui", "links"],
        (2023, 8, 8),
    ),
    ("An article with a broken header", "", &[], (2023, 1, 1)),
];

fn library() -> Library {
    let articles = TITLES
        .iter()
        .enumerate()
        .map(|(i, (title, description, tags, (y, m, d)))| Article {
            path: PathBuf::from(format!("articles/{i:02}.md")),
            rel_path: format!("{i:02}.md"),
            meta: Meta {
                title: (*title).into(),
                description: (!description.is_empty()).then(|| (*description).into()),
                date: Some(Date {
                    year: *y,
                    month: *m,
                    day: *d,
                }),
                authors: vec!["Ada".into()],
                tags: tags.iter().map(|t| (*t).into()).collect(),
                source: Some(format!("https://example.org/{i}")),
                ..Meta::default()
            },
            problems: if title.contains("broken") {
                vec!["front matter: expected a mapping at line 2".into()]
            } else {
                vec![]
            },
        })
        .collect();
    Library {
        root: PathBuf::from("articles"),
        articles,
    }
}

fn span(text: &str, role: Role, link: Option<usize>) -> Span {
    Span {
        text: text.into(),
        style: Style::role(role),
        link,
    }
}

fn line(spans: Vec<Span>) -> Line {
    Line { spans }
}

/// A hand-made layout shaped like the markdown module's: header, headings, text, links.
fn article_layout() -> Layout {
    let mut lines = vec![
        line(vec![span(
            "Writing a terminal reader in Rust",
            Role::Title,
            None,
        )]),
        line(vec![span(
            "Ada · 2025-03-14 · example.org",
            Role::Byline,
            None,
        )]),
        line(vec![span(
            "Layouts, wrapping and why we draw a slice.",
            Role::Description,
            None,
        )]),
        line(vec![]),
        line(vec![span("Lay out once", Role::Heading(2), None)]),
        line(vec![span("────────────", Role::HeadingRule, None)]),
        line(vec![]),
        line(vec![span(
            "A reader wraps the document itself, once per width, and keeps the ",
            Role::Body,
            None,
        )]),
        line(vec![
            span("result. See ", Role::Body, None),
            span("the ratatui docs", Role::Link, Some(1)),
            span("[1]", Role::LinkNumber, None),
            span(" and ", Role::Body, None),
            span("a neighbour article", Role::Link, Some(2)),
            span("[2]", Role::LinkNumber, None),
            span(".", Role::Body, None),
        ]),
        line(vec![]),
    ];
    for i in 0..60 {
        lines.push(line(vec![span(
            &format!("Paragraph line {i}: drawing takes the visible slice of the cached layout."),
            Role::Body,
            None,
        )]));
    }
    Layout {
        width: 76,
        lines,
        links: vec![
            LinkTarget {
                number: 1,
                url: "https://docs.rs/ratatui".into(),
                text: "the ratatui docs".into(),
                places: vec![(8, 12, 28)],
            },
            LinkTarget {
                number: 2,
                url: "neighbour.md#intro".into(),
                text: "a neighbour article".into(),
                places: vec![(8, 36, 55)],
            },
        ],
        headings: vec![Heading {
            row: 4,
            level: 2,
            text: "Lay out once".into(),
            anchor: "lay-out-once".into(),
        }],
    }
}

/// An app and the theme its screens are drawn in (the model itself knows no colours).
struct Shown {
    app: App,
    theme: Theme,
}

impl std::ops::Deref for Shown {
    type Target = App;
    fn deref(&self) -> &App {
        &self.app
    }
}

impl std::ops::DerefMut for Shown {
    fn deref_mut(&mut self) -> &mut App {
        &mut self.app
    }
}

fn app(theme: Theme, width: u16, height: u16) -> Shown {
    let mut app = App::new(library(), Settings::default());
    app.update(Msg::Resize(width, height));
    Shown { app, theme }
}

fn render(shown: &Shown) -> Terminal<TestBackend> {
    let mut terminal =
        Terminal::new(TestBackend::new(shown.size.0, shown.size.1)).expect("backend");
    terminal
        .draw(|frame| ui::draw(shown, &shown.theme, frame))
        .expect("draw");
    terminal
}

fn reader(width: u16, height: u16) -> Shown {
    let mut app = app(Theme::plain(), width, height);
    let article = app.library.articles[0].clone();
    app.show_layout(article, article_layout());
    app
}

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

#[test]
fn list_screen() {
    for (w, h) in SIZES {
        let mut app = app(Theme::plain(), w, h);
        app.update(Msg::Cmd(Command::Down));
        if let Some(width) = app.preview_width() {
            // What the run loop would have loaded for the preview pane.
            let path = app
                .selected_article()
                .map(|a| a.path.clone())
                .expect("selected");
            app.previews.insert((path, width), article_layout());
        }
        insta::assert_snapshot!(format!("list_{w}x{h}"), render(&app).backend());
    }
}

#[test]
fn list_footer_shows_the_selected_articles_problem() {
    let mut app = app(Theme::plain(), 80, 24);
    app.update(Msg::Cmd(Command::Bottom));
    let terminal = render(&app);
    insta::assert_snapshot!("list_problem_80x24", terminal.backend());
}

#[test]
fn search_screen() {
    for (w, h) in SIZES {
        let mut app = app(Theme::plain(), w, h);
        app.update(Msg::Cmd(Command::Search));
        for c in "term".chars() {
            app.update(Msg::Input(c));
        }
        insta::assert_snapshot!(format!("search_{w}x{h}"), render(&app).backend());
    }
}

#[test]
fn search_with_no_match_says_so() {
    let mut app = app(Theme::plain(), 80, 24);
    app.update(Msg::Cmd(Command::Search));
    for c in "zzqx".chars() {
        app.update(Msg::Input(c));
    }
    insta::assert_snapshot!("search_empty_80x24", render(&app).backend());
}

#[test]
fn matched_characters_are_highlighted() {
    let mut app = app(Theme::default(), 80, 24);
    app.update(Msg::Cmd(Command::Search));
    for c in "quiet".chars() {
        app.update(Msg::Input(c));
    }
    let article = app.visible(0).expect("a match");
    let positions = folio::search::positions("quiet", &article.meta.title);
    assert!(!positions.is_empty());
    assert_eq!(article.meta.title, "The quiet joy of plain text");
    let terminal = render(&app);
    let buffer = terminal.backend().buffer();
    // Titles start after the 3-column gutter on the first list row (row 1).
    let matched = Theme::default().matched();
    for (i, _) in article.meta.title.chars().enumerate() {
        let cell = &buffer[(3 + i as u16, 1)];
        let is_match = positions.contains(&(i as u32));
        let has = cell.modifier.contains(Modifier::UNDERLINED)
            && cell.fg == matched.fg.unwrap_or_default();
        assert_eq!(has, is_match, "char {i} {:?}", cell.symbol());
    }
}

#[test]
fn reader_screen() {
    for (w, h) in SIZES {
        let app = reader(w, h);
        insta::assert_snapshot!(format!("reader_{w}x{h}"), render(&app).backend());
    }
}

#[test]
fn reader_with_a_focused_link_shows_its_url() {
    let mut app = reader(80, 24);
    app.update(Msg::Cmd(Command::NextLink));
    app.update(Msg::Cmd(Command::NextLink));
    let terminal = render(&app);
    insta::assert_snapshot!("reader_focus_80x24", terminal.backend());
    // The focused link is reversed, the other is not.
    let buffer = terminal.backend().buffer();
    let x = app.text_left() + 36;
    assert!(buffer[(x, 8)].modifier.contains(Modifier::REVERSED));
    assert!(
        !buffer[(app.text_left() + 12, 8)]
            .modifier
            .contains(Modifier::REVERSED)
    );
}

#[test]
fn link_panel() {
    for (w, h) in SIZES {
        let mut app = reader(w, h);
        app.update(Msg::Cmd(Command::LinkPanel));
        insta::assert_snapshot!(format!("links_{w}x{h}"), render(&app).backend());
    }
}

#[test]
fn help_overlay() {
    for (w, h) in SIZES {
        let mut app = reader(w, h);
        app.update(Msg::Cmd(Command::Help));
        insta::assert_snapshot!(format!("help_reader_{w}x{h}"), render(&app).backend());
        let mut app = self::app(Theme::plain(), w, h);
        app.update(Msg::Cmd(Command::Help));
        insta::assert_snapshot!(format!("help_list_{w}x{h}"), render(&app).backend());
    }
}

#[test]
fn too_small_screen() {
    for (w, h) in [(8, 3), (19, 4), (1, 1)] {
        let app = reader(w, h);
        insta::assert_snapshot!(format!("too_small_{w}x{h}"), render(&app).backend());
    }
    let app = reader(0, 0);
    let mut terminal = Terminal::new(TestBackend::new(0, 0)).expect("backend");
    terminal
        .draw(|frame| ui::draw(&app, &app.theme, frame))
        .expect("draw at 0×0");
}

#[test]
fn every_screen_draws_at_every_small_size() {
    for w in 0..45 {
        for h in 0..12 {
            let mut app = reader(w, h);
            render(&app);
            app.update(Msg::Cmd(Command::LinkPanel));
            render(&app);
            app.update(Msg::Cmd(Command::Back));
            app.update(Msg::Cmd(Command::Help));
            render(&app);
            let mut list = self::app(Theme::default(), w, h);
            list.update(Msg::Cmd(Command::Search));
            list.update(Msg::Input('r'));
            render(&list);
        }
    }
}

#[test]
fn no_color_draws_without_any_colour() {
    use ratatui::style::Color;
    let mut screens = vec![reader(120, 40)];
    let mut search = app(Theme::plain(), 120, 40);
    search.update(Msg::Cmd(Command::Search));
    search.update(Msg::Input('t'));
    screens.push(search);
    let mut panel = reader(80, 24);
    panel.update(Msg::Cmd(Command::NextLink));
    panel.update(Msg::Cmd(Command::LinkPanel));
    screens.push(panel);
    for app in &screens {
        let terminal = render(app);
        for cell in terminal.backend().buffer().content() {
            assert_eq!(
                (cell.fg, cell.bg),
                (Color::Reset, Color::Reset),
                "{:?}",
                cell.symbol()
            );
        }
    }
}

#[test]
fn drawing_survives_a_frame_of_another_size_than_the_app_knows() {
    // Between a resize and its event the frame and the app can disagree for one draw.
    for (aw, ah) in [(200, 60), (30, 8), (120, 40)] {
        for (fw, fh) in [(20, 5), (120, 40), (80, 24), (25, 6)] {
            let mut app = reader(aw, ah);
            app.update(Msg::Cmd(Command::LinkPanel));
            let mut list = self::app(Theme::default(), aw, ah);
            list.update(Msg::Cmd(Command::Search));
            list.update(Msg::Input('e'));
            for app in [&app, &list] {
                let mut terminal = Terminal::new(TestBackend::new(fw, fh)).expect("backend");
                terminal
                    .draw(|frame| ui::draw(app, &app.theme, frame))
                    .expect("draw");
            }
        }
    }
}

#[test]
fn finding_in_the_reader_marks_the_places() {
    let mut app = reader(80, 24);
    app.update(Msg::Cmd(Command::Search));
    for c in "slice".chars() {
        app.update(Msg::Input(c));
    }
    let terminal = render(&app);
    insta::assert_snapshot!("reader_find_80x24", terminal.backend());
    let find = app
        .reader
        .as_ref()
        .and_then(|r| r.find.clone())
        .expect("finding");
    let (row, start, _) = find.hits[find.current.expect("a current place")].parts[0];
    let top = app.reader.as_ref().map_or(0, |r| r.top);
    let cell = &terminal.backend().buffer()[(app.text_left() + start as u16, (row - top) as u16)];
    assert!(
        cell.modifier.contains(Modifier::REVERSED),
        "the current place is reversed"
    );
}

/// The full-text panel with `query` typed and answered with `found`.
fn full_text(theme: Theme, query: &str, found: Vec<folio::app::TextResult>) -> Shown {
    use folio::app::Effect;
    let mut app = app(theme, 80, 24);
    app.update(Msg::Cmd(Command::FullText));
    let mut timer = 0;
    for c in query.chars() {
        if let Some(Effect::Timer { ticket, .. }) = app.update(Msg::Input(c)) {
            timer = ticket;
        }
    }
    let Some(Effect::SearchText { ticket, .. }) = app.update(Msg::TimerDone(timer)) else {
        panic!("the pause after typing asks for a search");
    };
    app.update(Msg::TextFound {
        ticket,
        query: query.to_owned(),
        result: Ok(found),
    });
    app
}

fn found(title: &str, rel: &str, snippet: &str, marked: &str) -> folio::app::TextResult {
    let start = snippet.find(marked).expect("marked word in the snippet");
    let start = snippet[..start].chars().count();
    folio::app::TextResult {
        path: PathBuf::from("lib").join(rel),
        rel_path: rel.to_owned(),
        title: title.to_owned(),
        snippet: snippet.to_owned(),
        marks: vec![(start, start + marked.chars().count())],
        hits: 2,
    }
}

#[test]
fn full_text_panel() {
    let app = full_text(
        Theme::plain(),
        "plain",
        vec![
            found(
                "The quiet joy of plain text",
                "quiet.md",
                "…files in plain text outlive the programs that wrote them, and…",
                "plain",
            ),
            found(
                "Why front matter is YAML",
                "yaml.md",
                "…a plain header any editor can show…",
                "plain",
            ),
        ],
    );
    insta::assert_snapshot!("full_text_80x24", render(&app).backend());
    let empty = full_text(Theme::plain(), "zzz", Vec::new());
    let screen = format!("{:?}", render(&empty).backend());
    assert!(screen.contains("no article holds every word"), "{screen}");
}

#[test]
fn full_text_matches_are_highlighted() {
    let app = full_text(
        Theme::default(),
        "plain",
        vec![found("Plain", "p.md", "just plain words", "plain")],
    );
    let terminal = render(&app);
    let buffer = terminal.backend().buffer();
    let matched = Theme::default().matched();
    let (width, height) = (80u16, 24u16);
    let row = (0..height)
        .find(|&y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol().to_owned())
                .collect::<String>()
                .contains("just plain words")
        })
        .expect("the snippet row");
    let cells: Vec<String> = (0..width)
        .map(|x| buffer[(x, row)].symbol().to_owned())
        .collect();
    let start = (0..width - 5)
        .find(|&x| cells[usize::from(x)..usize::from(x) + 5].concat() == "plain")
        .expect("plain");
    for x in start..start + 5 {
        assert_eq!(
            buffer[(x, row)].fg,
            matched.fg.unwrap_or_default(),
            "col {x}"
        );
    }
    assert_ne!(buffer[(start - 2, row)].fg, matched.fg.unwrap_or_default());
}
