//! Frame times: one reader frame of a big laid-out document while scrolling, one list frame
//! over 100,000 articles, and one search keystroke over their titles. Target: ≤ 2 ms a frame.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use folio::app::{App, Command, Msg, Settings};
use folio::library::{Article, Date, Library, Meta};
use folio::markdown::{Layout, Line, LinkTarget, Role, Span, Style};
use folio::theme::Theme;
use folio::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const WORDS: &[&str] = &[
    "terminal", "reader", "layout", "wrapping", "slice", "Rust", "article", "markdown", "quiet",
    "fast", "scroll", "link", "anchor", "width", "cache", "frame",
];

/// About 2 MB of laid-out text: 30,000 rows of ~70 columns, a link every 10 rows.
fn big_layout() -> Layout {
    let mut lines = Vec::with_capacity(30_000);
    let mut links = Vec::new();
    for row in 0..30_000usize {
        let mut text = String::new();
        let mut i = row;
        while text.len() < 60 {
            text.push_str(WORDS[i % WORDS.len()]);
            text.push(' ');
            i = i.wrapping_mul(31).wrapping_add(7);
        }
        let mut spans = vec![Span {
            text,
            style: Style::role(if row % 40 == 0 {
                Role::Heading(2)
            } else {
                Role::Body
            }),
            link: None,
        }];
        if row % 10 == 0 {
            let number = links.len() + 1;
            spans.push(Span {
                text: "a link".into(),
                style: Style::role(Role::Link),
                link: Some(number),
            });
            links.push(LinkTarget {
                number,
                url: format!("https://example.org/{number}"),
                text: "a link".into(),
                places: vec![(row, 60, 66)],
            });
        }
        lines.push(Line { spans });
    }
    Layout {
        width: 100,
        lines: lines.into_iter().collect(),
        blocks: Vec::new(),
        links,
        headings: Vec::new(),
        pictures: Vec::new(),
    }
}

fn big_library(n: usize) -> Library {
    let articles = (0..n)
        .map(|i| Article {
            path: PathBuf::from(format!("lib/{i}.md")),
            rel_path: format!("{i}.md"),
            meta: Meta {
                title: format!(
                    "{} {} {} number {i}",
                    WORDS[i % WORDS.len()],
                    WORDS[(i / 7) % WORDS.len()],
                    WORDS[(i / 49) % WORDS.len()]
                ),
                description: Some("A description of the article on its second line.".into()),
                date: Some(Date {
                    year: 2000 + (i % 25) as i32,
                    month: 1 + (i % 12) as u8,
                    day: 1 + (i % 28) as u8,
                }),
                authors: vec![],
                tags: vec!["rust".into(), "tui".into()],
                source: None,
                ..Meta::default()
            },
            problems: Vec::new(),
        })
        .collect();
    Library {
        root: PathBuf::from("lib"),
        articles,
    }
}

fn frames(c: &mut Criterion) {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("backend");

    let mut reader = App::new(Library::default(), Settings::default());
    reader.update(Msg::Resize(120, 40));
    let article = big_library(1).articles.remove(0);
    reader.show_layout(article, big_layout());
    c.bench_function("reader frame 120x40, 2 MB article, scrolling", |b| {
        b.iter(|| {
            reader.update(Msg::Cmd(Command::PageDown));
            if reader.reader.as_ref().is_some_and(|r| r.top > 29_000) {
                reader.update(Msg::Cmd(Command::Top));
            }
            terminal
                .draw(|frame| ui::draw(black_box(&reader), &Theme::default(), frame))
                .expect("draw");
        })
    });

    let mut list = App::new(big_library(100_000), Settings::default());
    list.update(Msg::Resize(120, 40));
    c.bench_function("list frame 120x40, 100,000 articles, moving", |b| {
        b.iter(|| {
            list.update(Msg::Cmd(Command::Down));
            terminal
                .draw(|frame| ui::draw(black_box(&list), &Theme::default(), frame))
                .expect("draw");
        })
    });

    let mut search = App::new(big_library(100_000), Settings::default());
    search.update(Msg::Resize(120, 40));
    search.update(Msg::Cmd(Command::Search));
    c.bench_function("search keystroke + frame, 100,000 titles", |b| {
        b.iter(|| {
            search.update(Msg::Input('r'));
            search.update(Msg::Input('t'));
            terminal
                .draw(|frame| ui::draw(black_box(&search), &Theme::default(), frame))
                .expect("draw");
            search.update(Msg::Cmd(Command::ClearQuery));
        })
    });
}

criterion_group!(benches, frames);
criterion_main!(benches);
