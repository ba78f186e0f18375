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
        lines: lines.into_iter().collect(),
        blocks: Vec::new(),
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
        pictures: Vec::new(),
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

#[test]
fn tags_panel_and_the_list_narrowed_to_a_tag() {
    let mut app = app(Theme::plain(), 80, 24);
    app.update(Msg::Cmd(Command::Tags));
    insta::assert_snapshot!("tags_80x24", render(&app).backend());
    for c in "tu".chars() {
        app.update(Msg::Input(c));
    }
    insta::assert_snapshot!("tags_filtered_80x24", render(&app).backend());
    app.update(Msg::Cmd(Command::Open));
    insta::assert_snapshot!("list_tagged_80x24", render(&app).backend());
}

/// The header row of the list at `width` columns.
fn header_at(app: &mut Shown, width: u16) -> String {
    app.update(Msg::Resize(width, 24));
    let terminal = render(app);
    let buffer = terminal.backend().buffer();
    (0..width)
        .map(|x| buffer[(x, 0)].symbol().to_owned())
        .collect::<String>()
        .trim_end()
        .to_owned()
}

#[test]
fn the_header_gives_way_folder_first_then_the_order_then_the_unread_count() {
    let settings = Settings {
        remember: true,
        ..Settings::default()
    };
    let mut app = Shown {
        app: App::new(library(), settings),
        theme: Theme::plain(),
    };
    app.library.root = PathBuf::from("/home/reader/documents/saved reading/articles");
    app.update(Msg::MarksLoaded {
        marks: Default::default(),
        last_selected: None,
        sort: None,
    });
    app.update(Msg::Cmd(Command::CycleView));
    app.update(Msg::Cmd(Command::Tags));
    app.update(Msg::Cmd(Command::Open));
    let wide = header_at(&mut app, 120);
    assert_eq!(
        wide,
        " folio  /home/reader/documents/saved reading/articles          \
         Unread · #tui · 1/4 of 12 articles · 12 unread · by date"
    );
    // At 80 columns the folder is cut, and everything else still fits.
    let eighty = header_at(&mut app, 80);
    assert!(eighty.starts_with(" folio  /home/reader…"), "{eighty}");
    assert!(
        eighty.ends_with("Unread · #tui · 1/4 of 12 articles · 12 unread · by date"),
        "{eighty}"
    );
    // Narrower: the order goes first, then the unread count.
    let sixty = header_at(&mut app, 70);
    assert!(
        sixty.ends_with("Unread · #tui · 1/4 of 12 articles · 12 unread"),
        "{sixty}"
    );
    let fifty = header_at(&mut app, 60);
    assert!(
        fifty.ends_with("Unread · #tui · 1/4 of 12 articles"),
        "{fifty}"
    );
    assert!(fifty.starts_with(" folio  /home"), "{fifty}");
}

#[test]
fn inline_markdown_in_a_title_is_styled_without_its_marks_and_found_as_shown() {
    let mut lib = library();
    lib.articles[0].meta.title = "Why `async fn` took *years*".to_owned();
    lib.articles[0].meta.description = Some("The **short** story of `impl Trait`".to_owned());
    let mut app = Shown {
        app: App::new(lib, Settings::default()),
        theme: Theme::default(),
    };
    app.update(Msg::Resize(80, 24));
    let terminal = render(&app);
    let buffer = terminal.backend().buffer();
    let row = |y: u16| -> String {
        (0..80)
            .map(|x| buffer[(x, y)].symbol().to_owned())
            .collect()
    };
    assert!(row(1).contains("Why async fn took years"), "{}", row(1));
    assert!(
        row(2).contains("The short story of impl Trait"),
        "{}",
        row(2)
    );
    let code = Theme::default().get(folio::theme::Meaning::InlineCode);
    // "Why " is plain, then the code, then the emphasis.
    let a = &buffer[(3 + 4, 1)];
    assert_eq!(a.symbol(), "a");
    assert_eq!(Some(a.fg), code.fg, "inline code has the code colour");
    let y = &buffer[(3 + 18, 1)];
    assert_eq!(y.symbol(), "y");
    assert!(y.modifier.contains(Modifier::ITALIC), "{y:?}");
    // The search matches the title as shown: across the code span's missing backticks.
    app.update(Msg::Cmd(Command::Search));
    for c in "why async".chars() {
        app.update(Msg::Input(c));
    }
    assert_eq!(
        app.visible(0).map(|a| a.meta.title.as_str()),
        Some("Why `async fn` took *years*")
    );
    let terminal = render(&app);
    let buffer = terminal.backend().buffer();
    let found: String = (0..80)
        .map(|x| buffer[(x, 1)].symbol().to_owned())
        .collect();
    assert!(found.contains("Why async fn took years"), "{found}");
}

#[test]
fn articles_with_the_same_title_show_their_folder() {
    let article = |rel: &str, title: &str, description: &str| Article {
        path: PathBuf::from("docs").join(rel),
        rel_path: rel.into(),
        meta: Meta {
            title: title.into(),
            description: Some(description.into()),
            ..Meta::default()
        },
        problems: vec![],
    };
    let library = Library {
        root: PathBuf::from("docs"),
        articles: vec![
            article("a/index.md", "Intro", "The first intro."),
            article("b/index.md", "Intro", "The second intro."),
            article("guide.md", "Guide", "Only one of these."),
        ],
    };
    // As the reader gets it: loaded in the background, after the first frame.
    let mut app = Shown {
        app: App::new(Library::default(), Settings::default()),
        theme: Theme::default(),
    };
    app.update(Msg::Resize(60, 10));
    app.update(Msg::LibraryLoaded(Ok(library)));
    let terminal = render(&app);
    let buffer = terminal.backend().buffer();
    let row = |y: u16| -> String {
        (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol())
            .collect::<String>()
    };
    // Undated, so by title: Guide, then the two Intros told apart by their folders.
    assert!(
        row(1).contains("Guide") && !row(1).contains('('),
        "{}",
        row(1)
    );
    assert!(row(3).contains("Intro (a/)"), "{}", row(3));
    assert!(row(5).contains("Intro (b/)"), "{}", row(5));
    // The folder is dimmed beside the title.
    let at = row(5).find("(b/)").expect("hint") as u16;
    assert_eq!(
        buffer[(at, 5)].fg,
        Theme::default().dim().fg.unwrap_or_default()
    );
    app.theme = Theme::plain();
    insta::assert_snapshot!("list_same_titles_60x10", render(&app).backend());
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
