//! update() driven by actions; state and effects asserted. Layouts are built by hand.

use std::path::{Path, PathBuf};

use super::*;
use crate::app::memory::{row_at_text, text_before};
use crate::library::{Body, Date, Meta};
use crate::markdown::{self, Heading, Line, LinkTarget, Span, Style};

pub(crate) fn article(dir: &str, name: &str, title: &str, source: Option<&str>) -> Article {
    Article {
        path: PathBuf::from(dir).join(name),
        rel_path: name.to_owned(),
        meta: Meta {
            title: title.to_owned(),
            description: Some(format!("About {title}")),
            date: Some(Date {
                year: 2024,
                month: 5,
                day: 1,
            }),
            authors: vec![],
            tags: vec!["notes".into()],
            source: source.map(str::to_owned),
            ..Meta::default()
        },
        problems: vec![],
    }
}

/// The article an effect asks to read, and the anchor to jump to.
fn loads(effect: Option<Effect>) -> Option<(PathBuf, Option<String>)> {
    match effect {
        Some(Effect::LoadArticle { path, anchor, .. }) => Some((path, anchor)),
        _ => None,
    }
}

/// The article an effect asks to preview.
fn previews(effect: Option<Effect>) -> Option<PathBuf> {
    match effect {
        Some(Effect::LoadPreview { path, .. }) => Some(path),
        _ => None,
    }
}

pub(crate) fn library(titles: &[&str]) -> Library {
    Library {
        root: PathBuf::from("lib"),
        articles: titles
            .iter()
            .enumerate()
            .map(|(i, t)| article("lib", &format!("a{i}.md"), t, None))
            .collect(),
    }
}

fn text_line(text: &str) -> Line {
    Line {
        spans: vec![Span {
            text: text.to_owned(),
            style: Style::default(),
            link: None,
        }],
    }
}

/// `rows` lines of text, with link `n` (1-based) on row `link_rows[n-1]`.
pub(crate) fn layout_with_links(rows: usize, links: &[(usize, &str)]) -> Layout {
    let mut lines: Vec<Line> = (0..rows).map(|i| text_line(&format!("line {i}"))).collect();
    let mut targets = Vec::new();
    for (n, (row, url)) in links.iter().enumerate() {
        let number = n + 1;
        lines[*row].spans.push(Span {
            text: format!(" link{number}"),
            style: Style::role(crate::markdown::Role::Link),
            link: Some(number),
        });
        targets.push(LinkTarget {
            number,
            url: (*url).to_owned(),
            text: format!("link{number}"),
            places: vec![(*row, 8, 14)],
        });
    }
    Layout {
        width: 60,
        lines: lines.into_iter().collect(),
        blocks: Vec::new(),
        links: targets,
        headings: vec![Heading {
            row: 30,
            level: 2,
            text: "Later part".into(),
            anchor: "later-part".into(),
        }],
        pictures: vec![],
    }
}

fn app_with(titles: &[&str]) -> App {
    let mut app = App::new(library(titles), Settings::default());
    app.update(Msg::Resize(80, 24));
    app
}

fn reading(links: &[(usize, &str)]) -> App {
    let mut app = app_with(&["One", "Two"]);
    let mut art = article("lib", "a0.md", "One", Some("https://example.org/one"));
    art.meta.source = Some("https://example.org/one".into());
    app.show_layout(art, layout_with_links(100, links));
    app
}

#[test]
fn moving_down_selects_the_next_article_and_stops_at_the_end() {
    let mut app = app_with(&["a", "b", "c"]);
    app.update(Msg::Cmd(Command::Down));
    assert_eq!(app.list.selected, 1);
    app.update(Msg::Cmd(Command::Bottom));
    app.update(Msg::Cmd(Command::Down));
    assert_eq!(app.list.selected, 2);
    app.update(Msg::Cmd(Command::Top));
    app.update(Msg::Cmd(Command::Up));
    assert_eq!(app.list.selected, 0);
}

#[test]
fn the_list_scrolls_to_keep_the_selection_in_view() {
    let titles: Vec<String> = (0..50).map(|i| format!("t{i}")).collect();
    let refs: Vec<&str> = titles.iter().map(String::as_str).collect();
    let mut app = app_with(&refs);
    let page = app.list_page();
    for _ in 0..page {
        app.update(Msg::Cmd(Command::Down));
    }
    assert_eq!(app.list.selected, page);
    assert_eq!(app.list.offset, 1);
}

#[test]
fn enter_on_the_list_asks_to_load_the_selected_article() {
    let mut app = app_with(&["a", "b"]);
    app.update(Msg::Cmd(Command::Down));
    assert_eq!(
        loads(app.update(Msg::Cmd(Command::Open))),
        Some((PathBuf::from("lib/a1.md"), None))
    );
}

#[test]
fn q_quits_from_the_list() {
    let mut app = app_with(&["a"]);
    assert_eq!(app.update(Msg::Cmd(Command::Quit)), Some(Effect::Quit));
}

#[test]
fn search_filters_on_every_keystroke_and_esc_restores_the_full_list() {
    let mut app = app_with(&["Rust layouts", "Go channels", "Rusty nails"]);
    app.update(Msg::Cmd(Command::Search));
    assert_eq!(app.context(), Context::Search);
    assert_eq!(app.visible_len(), 3);
    for c in "rust".chars() {
        app.update(Msg::Input(c));
    }
    assert_eq!(app.visible_len(), 2);
    let titles: Vec<&str> = (0..2)
        .map(|i| app.visible(i).map(|a| a.meta.title.as_str()).unwrap_or(""))
        .collect();
    assert!(titles.contains(&"Rust layouts") && titles.contains(&"Rusty nails"));
    assert_eq!(app.highlight_query(), Some("rust"));
    app.update(Msg::Input('z'));
    assert_eq!(app.visible_len(), 0);
    app.update(Msg::Cmd(Command::DeleteChar));
    assert_eq!(app.visible_len(), 2);
    app.update(Msg::Cmd(Command::ClearQuery));
    assert_eq!(app.visible_len(), 3);
    app.update(Msg::Input('g'));
    app.update(Msg::Input('o'));
    app.update(Msg::Cmd(Command::ClearSearch));
    assert!(app.search.is_none());
    assert_eq!(app.visible_len(), 3);
    // The article found stays selected in the full list.
    assert_eq!(
        app.selected_article().map(|a| a.meta.title.as_str()),
        Some("Go channels")
    );
}

#[test]
fn enter_in_search_opens_the_best_match() {
    let mut app = app_with(&["Alpha", "Beta"]);
    app.update(Msg::Cmd(Command::Search));
    app.update(Msg::Input('b'));
    assert_eq!(
        loads(app.update(Msg::Cmd(Command::Open))),
        Some((PathBuf::from("lib/a1.md"), None))
    );
}

#[test]
fn back_from_the_reader_keeps_selection_and_search() {
    let mut app = app_with(&["Alpha", "Beta", "Bravo"]);
    app.update(Msg::Cmd(Command::Search));
    app.update(Msg::Input('b'));
    app.update(Msg::Cmd(Command::Down));
    let selected = app.list.selected;
    let art = app.selected_article().cloned().expect("a match");
    app.show_layout(art, layout_with_links(10, &[]));
    assert_eq!(app.context(), Context::Reader);
    app.update(Msg::Cmd(Command::Back));
    assert_eq!(app.screen, Screen::List);
    assert_eq!(app.list.selected, selected);
    assert_eq!(app.search.as_ref().map(|s| s.query.as_str()), Some("b"));
}

#[test]
fn reader_scrolls_by_line_page_half_and_ends() {
    let mut app = reading(&[]);
    let rows = app.reader_rows();
    app.update(Msg::Cmd(Command::Down));
    assert_eq!(app.reader.as_ref().map(|r| r.top), Some(1));
    app.update(Msg::Cmd(Command::PageDown));
    assert_eq!(app.reader.as_ref().map(|r| r.top), Some(1 + rows - 1));
    app.update(Msg::Cmd(Command::Top));
    app.update(Msg::Cmd(Command::HalfPageDown));
    assert_eq!(app.reader.as_ref().map(|r| r.top), Some(rows / 2));
    app.update(Msg::Cmd(Command::Bottom));
    assert_eq!(app.reader.as_ref().map(|r| r.top), Some(100 - rows));
    app.update(Msg::Scroll(5));
    assert_eq!(app.reader.as_ref().map(|r| r.top), Some(100 - rows));
    app.update(Msg::Scroll(-3));
    assert_eq!(app.reader.as_ref().map(|r| r.top), Some(100 - rows - 3));
}

#[test]
fn tab_focuses_links_in_order_and_scrolls_to_them() {
    let mut app = reading(&[(2, "https://a.org"), (60, "https://b.org")]);
    app.update(Msg::Cmd(Command::NextLink));
    assert_eq!(app.reader.as_ref().and_then(|r| r.focus), Some(0));
    app.update(Msg::Cmd(Command::NextLink));
    let reader = app.reader.as_ref().expect("reader");
    assert_eq!(reader.focus, Some(1));
    assert!(reader.top <= 60 && 60 < reader.top + app.reader_rows());
    app.update(Msg::Cmd(Command::PrevLink));
    assert_eq!(app.reader.as_ref().and_then(|r| r.focus), Some(0));
}

#[test]
fn opening_a_focused_link_yields_an_open_url_effect() {
    let mut app = reading(&[(2, "https://a.org/x")]);
    app.update(Msg::Cmd(Command::NextLink));
    assert_eq!(
        app.update(Msg::Cmd(Command::Open)),
        Some(Effect::OpenUrl("https://a.org/x".into()))
    );
}

#[test]
fn a_refused_scheme_yields_a_message_and_no_effect() {
    let mut app = reading(&[(2, "javascript:alert(1)")]);
    app.update(Msg::Cmd(Command::NextLink));
    assert_eq!(app.update(Msg::Cmd(Command::Open)), None);
    let status = app.status.clone().unwrap_or_default();
    assert!(status.contains("javascript:"), "{status}");
}

#[test]
fn typing_a_link_number_then_enter_opens_that_link() {
    let links: Vec<(usize, String)> = (0..12)
        .map(|i| (i * 2, format!("https://x.org/{}", i + 1)))
        .collect();
    let refs: Vec<(usize, &str)> = links.iter().map(|(r, u)| (*r, u.as_str())).collect();
    let mut app = reading(&refs);
    app.update(Msg::LinkDigit(1));
    app.update(Msg::LinkDigit(2));
    assert_eq!(app.reader.as_ref().map(|r| r.number.as_str()), Some("12"));
    assert_eq!(
        app.update(Msg::Cmd(Command::Open)),
        Some(Effect::OpenUrl("https://x.org/12".into()))
    );
    app.update(Msg::LinkDigit(9));
    app.update(Msg::LinkDigit(9));
    assert_eq!(app.update(Msg::Cmd(Command::Open)), None);
    assert!(app.status.as_deref().unwrap_or("").contains("[99]"));
}

#[test]
fn o_opens_the_source_or_says_there_is_none() {
    let mut app = reading(&[(1, "https://a.org")]);
    assert_eq!(
        app.update(Msg::Cmd(Command::OpenSource)),
        Some(Effect::OpenUrl("https://example.org/one".into()))
    );
    if let Some(reader) = &mut app.reader {
        reader.article.meta.source = None;
    }
    assert_eq!(app.update(Msg::Cmd(Command::OpenSource)), None);
    assert!(app.status.as_deref().unwrap_or("").contains("No source"));
}

#[test]
fn the_link_panel_picks_and_opens_a_link() {
    let mut app = reading(&[(1, "https://a.org"), (3, "https://b.org")]);
    app.update(Msg::Cmd(Command::LinkPanel));
    assert_eq!(app.context(), Context::Links);
    app.update(Msg::Cmd(Command::Down));
    assert_eq!(app.overlay, Some(Overlay::Links { selected: 1 }));
    assert_eq!(
        app.update(Msg::Cmd(Command::Open)),
        Some(Effect::OpenUrl("https://b.org".into()))
    );
    assert_eq!(app.overlay, None);
    assert_eq!(app.reader.as_ref().and_then(|r| r.focus), Some(1));
}

#[test]
fn a_relative_markdown_link_loads_the_article_and_back_returns() {
    let mut app = reading(&[(1, "other.md#part-two"), (2, "../../etc/passwd.md")]);
    app.update(Msg::Cmd(Command::NextLink));
    assert_eq!(
        loads(app.update(Msg::Cmd(Command::Open))),
        Some((PathBuf::from("lib/other.md"), Some("part-two".into())))
    );
    app.update(Msg::Cmd(Command::NextLink));
    assert_eq!(app.update(Msg::Cmd(Command::Open)), None);
    assert!(
        app.status
            .as_deref()
            .unwrap_or("")
            .contains("leaves the library")
    );
}

#[test]
fn an_anchor_link_jumps_to_its_heading() {
    let mut app = reading(&[(1, "#later-part")]);
    app.update(Msg::Cmd(Command::NextLink));
    assert_eq!(app.update(Msg::Cmd(Command::Open)), None);
    assert_eq!(app.reader.as_ref().map(|r| r.top), Some(30));
}

#[test]
fn history_returns_to_the_previous_article_where_it_was() {
    let mut app = reading(&[(1, "b.md")]);
    app.update(Msg::Cmd(Command::Down));
    // As the run loop would after LoadArticle: the current reader goes onto the history.
    let previous = app.reader.take().expect("reader");
    app.history.push(previous);
    let other = article("lib", "b.md", "Bee", None);
    app.reader = Some(Reader::with_layout(
        other.path.clone(),
        other,
        layout_with_links(5, &[]),
    ));
    app.update(Msg::Cmd(Command::Back));
    assert_eq!(app.screen, Screen::Reader);
    let reader = app.reader.as_ref().expect("back in the first article");
    assert_eq!(reader.article.meta.title, "One");
    assert_eq!(reader.top, 1);
    app.update(Msg::Cmd(Command::Back));
    assert_eq!(app.screen, Screen::List);
}

#[test]
fn a_failed_load_is_a_message_on_the_list() {
    let mut app = app_with(&["a"]);
    let Some(Effect::LoadArticle { ticket, .. }) = app.update(Msg::Cmd(Command::Open)) else {
        panic!("Enter asks for the article");
    };
    let effect = app.update(Msg::ArticleLoaded {
        ticket,
        path: PathBuf::from("lib/a0.md"),
        anchor: None,
        result: Err("lib/a0.md: no such file or folder".into()),
    });
    assert_eq!(effect, None);
    assert_eq!(app.screen, Screen::List);
    assert!(app.status.as_deref().unwrap_or("").contains("no such file"));
}

#[test]
fn help_opens_over_any_screen_and_closes_with_back() {
    let mut app = app_with(&["a"]);
    app.update(Msg::Cmd(Command::Help));
    assert_eq!(
        app.overlay,
        Some(Overlay::Help {
            from: Context::List,
            scroll: 0
        })
    );
    assert_eq!(app.context(), Context::Help);
    let q = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char('q'));
    let msg = app.config.keymap.msg_for(app.context(), &q);
    assert!(
        matches!(msg, Some(Msg::Cmd(Command::Back))),
        "q in help closes it"
    );
    app.update(Msg::Cmd(Command::Back));
    assert_eq!(app.overlay, None);
}

#[test]
fn ctrl_c_quits_from_anywhere() {
    let mut app = reading(&[]);
    app.update(Msg::Cmd(Command::LinkPanel));
    assert_eq!(app.update(Msg::Cmd(Command::Quit)), Some(Effect::Quit));
}

#[test]
fn tiny_sizes_do_not_panic() {
    let mut app = reading(&[(1, "https://a.org")]);
    for (w, h) in [(0, 0), (1, 1), (8, 3), (200, 1), (500, 1), (1, 500)] {
        app.update(Msg::Resize(w, h));
        app.update(Msg::Cmd(Command::NextLink));
        app.update(Msg::Cmd(Command::PageDown));
        app.update(Msg::Cmd(Command::Bottom));
    }
    assert!(app.too_small());
}

#[test]
fn anchor_text_survives_a_rewrap() {
    let layout = layout_with_links(40, &[]);
    let before = text_before(&layout, 17);
    assert_eq!(row_at_text(&layout, before), 17);
    assert_eq!(row_at_text(&layout, 0), 0);
}

#[test]
fn a_wide_terminal_asks_for_the_selected_preview_once() {
    let mut app = app_with(&["a", "b"]);
    let effect = app.update(Msg::Resize(140, 40));
    assert_eq!(previews(effect), Some(PathBuf::from("lib/a0.md")));
    let width = app.preview_width().expect("wide");
    app.previews.insert(
        (PathBuf::from("lib/a0.md"), width),
        layout_with_links(3, &[]),
    );
    assert_eq!(app.update(Msg::Resize(140, 40)), None);
    assert!(app.preview().is_some());
    assert_eq!(
        previews(app.update(Msg::Cmd(Command::Down))),
        Some(PathBuf::from("lib/a1.md"))
    );
}

#[test]
fn opening_from_the_search_keeps_the_filter_but_gives_the_keys_back() {
    let mut app = app_with(&["Alpha", "Beta", "Bravo"]);
    app.update(Msg::Cmd(Command::Search));
    app.update(Msg::Input('b'));
    assert!(app.update(Msg::Cmd(Command::Open)).is_some());
    assert_eq!(app.context(), Context::List);
    assert_eq!(app.visible_len(), 2);
    // / starts a fresh query; ↑ brings the last one back.
    app.update(Msg::Cmd(Command::Search));
    assert_eq!(app.context(), Context::Search);
    assert_eq!(app.search.as_ref().map(|s| s.query.as_str()), Some(""));
    app.update(Msg::Cmd(Command::Up));
    assert_eq!(app.search.as_ref().map(|s| s.query.as_str()), Some("b"));
    app.update(Msg::Cmd(Command::Open));
    app.update(Msg::Cmd(Command::ClearSearch));
    assert!(app.search.is_none());
    assert_eq!(app.visible_len(), 3);
}

#[test]
fn progress_while_loading_is_counted_and_leaves_the_footer_alone() {
    let mut app = App::new(Library::default(), Settings::default());
    app.loading = true;
    app.update(Msg::Notify("hello".into()));
    assert_eq!(app.update(Msg::LoadProgress(4213)), None);
    assert_eq!(app.loaded, 4213);
    assert_eq!(app.status.as_deref(), Some("hello"));
    let backend = ratatui::backend::TestBackend::new(60, 6);
    let mut terminal = ratatui::Terminal::new(backend).expect("terminal");
    app.update(Msg::Resize(60, 6));
    terminal
        .draw(|frame| crate::ui::draw(&app, &crate::theme::Theme::plain(), frame))
        .expect("draws");
    let header: String = (0..60)
        .map(|x| terminal.backend().buffer()[(x, 0)].symbol().to_owned())
        .collect();
    assert!(header.contains("reading… 4213"), "{header}");
}

#[test]
fn the_library_read_in_the_background_replaces_the_empty_one() {
    let mut app = App::new(Library::default(), Settings::default());
    app.loading = true;
    app.update(Msg::Resize(80, 24));
    app.update(Msg::Cmd(Command::Search));
    app.update(Msg::Input('b'));
    assert_eq!(app.visible_len(), 0);
    app.update(Msg::LibraryLoaded(Ok(library(&["Alpha", "Beta"]))));
    assert!(!app.loading);
    assert_eq!(
        app.visible_len(),
        1,
        "the open search filters the new library"
    );
    app.update(Msg::LibraryLoaded(Err("lib: permission denied".into())));
    assert!(
        app.status
            .as_deref()
            .unwrap_or("")
            .contains("permission denied")
    );
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn action() -> impl Strategy<Value = Msg> {
        prop_oneof![
            Just(Msg::Cmd(Command::Up)),
            Just(Msg::Cmd(Command::Down)),
            Just(Msg::Cmd(Command::PageUp)),
            Just(Msg::Cmd(Command::PageDown)),
            Just(Msg::Cmd(Command::HalfPageUp)),
            Just(Msg::Cmd(Command::HalfPageDown)),
            Just(Msg::Cmd(Command::Top)),
            Just(Msg::Cmd(Command::Bottom)),
            (-50i32..50).prop_map(Msg::Scroll),
            Just(Msg::Cmd(Command::Open)),
            Just(Msg::Cmd(Command::Back)),
            Just(Msg::Cmd(Command::Search)),
            any::<char>().prop_map(Msg::Input),
            Just(Msg::Cmd(Command::DeleteChar)),
            Just(Msg::Cmd(Command::ClearQuery)),
            Just(Msg::Cmd(Command::ClearSearch)),
            Just(Msg::Cmd(Command::OpenSource)),
            Just(Msg::Cmd(Command::NextLink)),
            Just(Msg::Cmd(Command::PrevLink)),
            (0u8..12).prop_map(Msg::LinkDigit),
            Just(Msg::Cmd(Command::LinkPanel)),
            Just(Msg::Cmd(Command::Help)),
            Just(Msg::Cmd(Command::FindNext)),
            Just(Msg::Cmd(Command::FindPrev)),
            (0u16..300, 0u16..100).prop_map(|(column, row)| Msg::Click { column, row }),
            (0u16..300, 0u16..100).prop_map(|(w, h)| Msg::Resize(w, h)),
        ]
    }

    proptest! {
        #[test]
        fn any_sequence_of_actions_keeps_the_state_in_bounds(
            actions in proptest::collection::vec(action(), 0..60),
            reading in any::<bool>(),
        ) {
            let mut app = app_with(&["Alpha", "Beta", "Gamma", "Delta", "Epsilon"]);
            if reading {
                let art = article("lib", "a0.md", "Alpha", Some("https://a.org"));
                app.show_layout(art, layout_with_links(50, &[(1, "https://x.org"), (20, "b.md"), (45, "#later-part")]));
            }
            for action in actions {
                let effect = app.update(action);
                if let Some(Effect::OpenUrl(url)) = &effect {
                    prop_assert!(url.starts_with("https://"));
                }
                prop_assert!(app.visible_len() == 0 || app.list.selected < app.visible_len());
                prop_assert!(app.list.offset <= app.list.selected.max(app.list.offset));
                if let Some(reader) = &app.reader {
                    let max = reader.layout.lines.len().saturating_sub(app.reader_rows());
                    prop_assert!(reader.top <= max, "top {} max {}", reader.top, max);
                    prop_assert!(reader.focus.is_none_or(|f| f < reader.layout.links.len()));
                    if let Some(find) = &reader.find {
                        prop_assert!(find.current.is_none_or(|c| c < find.hits.len()));
                    }
                }
                if let Some(Overlay::Links { selected }) = app.overlay {
                    let count = app.reader.as_ref().map_or(0, |r| r.layout.links.len());
                    prop_assert!(selected < count.max(1));
                }
            }
        }
    }
}

#[test]
fn a_single_relative_file_has_the_current_directory_as_its_folder() {
    let mut app = app_with(&["a"]);
    app.library.root = PathBuf::new();
    assert_eq!(app.library_dir(), Path::new("."));
    app.library.root = PathBuf::from("notes.md");
    assert_eq!(app.library_dir(), Path::new("."));
}

#[test]
fn clicking_an_article_selects_it_and_a_second_click_reads_it() {
    let mut app = app_with(&["a", "b", "c"]);
    assert_eq!(app.update(Msg::Click { column: 10, row: 3 }), None);
    assert_eq!(app.list.selected, 1);
    assert_eq!(
        loads(app.update(Msg::Click { column: 10, row: 4 })),
        Some((PathBuf::from("lib/a1.md"), None))
    );
    // The header and rows past the last article do nothing.
    app.update(Msg::Click { column: 10, row: 0 });
    app.update(Msg::Click {
        column: 10,
        row: 20,
    });
    assert_eq!(app.list.selected, 1);
}

#[test]
fn clicking_a_link_in_the_reader_opens_it() {
    let mut app = reading(&[(2, "https://a.org/clicked")]);
    let left = app.text_left();
    // Row 2 reads "line 2 link1": the link starts at column 6.
    assert_eq!(
        app.update(Msg::Click {
            column: left + 2,
            row: 2
        }),
        None
    );
    assert_eq!(
        app.update(Msg::Click {
            column: left + 8,
            row: 2
        }),
        Some(Effect::OpenUrl("https://a.org/clicked".into()))
    );
    assert_eq!(app.reader.as_ref().and_then(|r| r.focus), Some(0));
}

#[test]
fn slash_in_the_reader_finds_text_and_n_moves_between_places() {
    let mut app = reading(&[]);
    app.update(Msg::Cmd(Command::Search));
    assert_eq!(app.context(), Context::Find);
    for c in "line 4".chars() {
        app.update(Msg::Input(c));
    }
    let find = app
        .reader
        .as_ref()
        .and_then(|r| r.find.clone())
        .expect("finding");
    // "line 4" and "line 40".."line 49".
    assert_eq!(find.hits.len(), 11);
    assert_eq!(find.current, Some(0));
    app.update(Msg::Cmd(Command::FindNext));
    let reader = app.reader.as_ref().expect("reader");
    assert_eq!(reader.find.as_ref().and_then(|f| f.current), Some(1));
    assert!(reader.top <= 40 && 40 < reader.top + app.reader_rows());
    app.update(Msg::Cmd(Command::Open));
    assert_eq!(app.context(), Context::Reader);
    app.update(Msg::Cmd(Command::FindNext));
    app.update(Msg::Cmd(Command::FindPrev));
    app.update(Msg::Cmd(Command::FindPrev));
    app.update(Msg::Cmd(Command::FindPrev));
    assert_eq!(
        app.reader
            .as_ref()
            .and_then(|r| r.find.as_ref())
            .and_then(|f| f.current),
        Some(10),
        "N wraps to the last place"
    );
    // Esc clears the marks first; q goes back in one press, marks or not.
    app.update(Msg::Cmd(Command::ClearSearch));
    assert!(app.reader.as_ref().is_some_and(|r| r.find.is_none()));
    assert_eq!(app.screen, Screen::Reader, "Esc only clears the find");
    app.update(Msg::Cmd(Command::Search));
    app.update(Msg::Input('l'));
    app.update(Msg::Cmd(Command::Open));
    app.update(Msg::Cmd(Command::Back));
    assert_eq!(app.screen, Screen::List);
}

#[test]
fn backspace_takes_back_a_digit_and_moving_cancels_the_number() {
    let mut app = reading(&[(1, "https://a.org/1"), (2, "https://a.org/2")]);
    app.update(Msg::LinkDigit(1));
    app.update(Msg::LinkDigit(2));
    app.update(Msg::Cmd(Command::DeleteChar));
    assert_eq!(app.reader.as_ref().map(|r| r.number.as_str()), Some("1"));
    app.update(Msg::Cmd(Command::Down));
    assert_eq!(app.reader.as_ref().map(|r| r.number.as_str()), Some(""));
    app.update(Msg::LinkDigit(2));
    assert_eq!(
        app.update(Msg::Cmd(Command::Open)),
        Some(Effect::OpenUrl("https://a.org/2".into()))
    );
    // With no number typed, Backspace goes back.
    app.update(Msg::Cmd(Command::DeleteChar));
    assert_eq!(app.screen, Screen::List);
}

#[test]
fn leaving_the_only_article_of_folio_file_quits() {
    let mut app = reading(&[]);
    app.single_file = true;
    assert_eq!(app.update(Msg::Cmd(Command::Back)), Some(Effect::Quit));
}

#[test]
fn esc_on_the_find_line_stops_finding() {
    let mut app = reading(&[]);
    app.update(Msg::Cmd(Command::Search));
    app.update(Msg::Input('z'));
    assert_eq!(
        app.reader
            .as_ref()
            .and_then(|r| r.find.as_ref())
            .map(|f| f.hits.len()),
        Some(0)
    );
    app.update(Msg::Cmd(Command::ClearSearch));
    assert_eq!(app.context(), Context::Reader);
    assert!(app.reader.as_ref().is_some_and(|r| r.find.is_none()));
}

fn loaded(ticket: Ticket, path: &str, title: &str) -> Msg {
    Msg::ArticleLoaded {
        ticket,
        path: PathBuf::from(path),
        anchor: None,
        result: Ok((
            article("lib", path.trim_start_matches("lib/"), title, None),
            Body {
                markdown: format!("# {title}\n\nText of {title}.\n"),
                problems: vec![],
                pictures: vec![],
            },
        )),
    }
}

fn ticket_of(effect: Option<Effect>) -> Ticket {
    match effect {
        Some(Effect::LoadArticle { ticket, .. }) => ticket,
        other => panic!("expected a LoadArticle, got {other:?}"),
    }
}

#[test]
fn a_stale_article_reply_is_dropped() {
    let mut app = app_with(&["a", "b"]);
    let first = ticket_of(app.update(Msg::Cmd(Command::Open)));
    app.update(Msg::Cmd(Command::Down));
    let second = ticket_of(app.update(Msg::Cmd(Command::Open)));
    assert_ne!(first, second);
    // The answer to the first question arrives after the second was asked: ignored.
    assert_eq!(app.update(loaded(first, "lib/a0.md", "a")), None);
    assert_eq!(app.screen, Screen::List);
    assert!(app.opening());
    app.update(loaded(second, "lib/a1.md", "b"));
    assert_eq!(app.screen, Screen::Reader);
    assert_eq!(
        app.reader.as_ref().map(|r| r.path.clone()),
        Some(PathBuf::from("lib/a1.md"))
    );
    assert!(!app.opening());
    // A repeat of an answer already used changes nothing either.
    app.update(Msg::Cmd(Command::Back));
    app.update(loaded(second, "lib/a1.md", "b"));
    assert_eq!(app.screen, Screen::List);
}

#[test]
fn back_while_a_linked_article_is_read_cancels_it() {
    let mut app = reading(&[(1, "other.md")]);
    app.update(Msg::Cmd(Command::NextLink));
    let ticket = ticket_of(app.update(Msg::Cmd(Command::Open)));
    app.update(Msg::Cmd(Command::Back));
    assert_eq!(app.screen, Screen::List);
    app.update(loaded(ticket, "lib/other.md", "Other"));
    assert_eq!(app.screen, Screen::List, "the late article does not pop up");
}

fn footer(app: &App, width: u16, height: u16) -> String {
    let backend = ratatui::backend::TestBackend::new(width, height);
    let mut terminal = ratatui::Terminal::new(backend).expect("terminal");
    terminal
        .draw(|frame| crate::ui::draw(app, &crate::theme::Theme::plain(), frame))
        .expect("draws");
    let buffer = terminal.backend().buffer();
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol().to_owned())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn overrides_reach_the_footer_and_the_help() {
    let mut settings = Settings::default();
    let x = keymap::Key::parse("x").expect("key");
    settings
        .keymap
        .bind(Context::List, x, Some(Command::Quit))
        .expect("binds");
    let q = keymap::Key::parse("q").expect("key");
    settings
        .keymap
        .bind(Context::List, q, None)
        .expect("unbinds");
    let mut app = App::new(library(&["a"]), settings);
    app.update(Msg::Resize(80, 24));
    let screen = footer(&app, 80, 24);
    let last = screen.lines().last().unwrap_or_default();
    assert!(
        last.contains("x quit") && !last.contains("q quit"),
        "{last}"
    );
    // Tall enough for the whole of the list's keys.
    app.update(Msg::Resize(80, 40));
    app.update(Msg::Cmd(Command::Help));
    let help = footer(&app, 80, 40);
    assert!(
        help.lines()
            .any(|l| l.contains(" x ") && l.contains("quit") && !l.contains(" q ")),
        "{help}"
    );
}

#[test]
fn help_lists_every_context_and_scrolls() {
    let mut app = app_with(&["a"]);
    app.update(Msg::Cmd(Command::Search));
    // F1 while typing opens help on the search's keys.
    let f1 = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::F(1));
    let msg = app
        .config
        .keymap
        .msg_for(app.context(), &f1)
        .expect("bound");
    app.update(msg);
    assert!(matches!(
        app.overlay,
        Some(Overlay::Help {
            from: Context::Search,
            ..
        })
    ));
    let first = footer(&app, 80, 24);
    assert!(first.contains("Search"), "{first}");
    app.update(Msg::Cmd(Command::Bottom));
    let last = footer(&app, 80, 24);
    assert!(
        last.contains("Everywhere") && last.contains("Ctrl-C"),
        "{last}"
    );
    assert_ne!(first, last);
    app.update(Msg::Cmd(Command::Top));
    assert_eq!(footer(&app, 80, 24), first);
    app.update(Msg::Cmd(Command::Back));
    assert_eq!(
        app.context(),
        Context::Search,
        "closing help returns to typing"
    );
}

/// An app that remembers, over articles with real Markdown bodies long enough to scroll.
fn remembering(titles: &[&str]) -> App {
    let settings = Settings {
        remember: true,
        ..Settings::default()
    };
    let mut app = App::new(library(titles), settings);
    app.update(Msg::Resize(80, 24));
    app.update(Msg::MarksLoaded {
        marks: Default::default(),
        last_selected: None,
        sort: None,
    });
    app
}

fn long_body(title: &str) -> Body {
    let mut markdown = format!("# {title}\n\n");
    for section in ["First", "Second", "Third"] {
        markdown.push_str(&format!("## {section}\n\n"));
        for p in 0..8 {
            markdown.push_str(&format!(
                "Paragraph {p} of {section} in {title}, long enough to wrap onto a second \
                 row at eighty columns so that there is plenty to scroll through.\n\n"
            ));
        }
    }
    Body {
        markdown,
        problems: vec![],
        pictures: vec![],
    }
}

/// Answers the article request an effect makes, as the loop would.
fn answer(app: &mut App, effect: Option<Effect>) {
    let Some(Effect::LoadArticle {
        ticket,
        path,
        anchor,
    }) = effect
    else {
        panic!("expected a LoadArticle, got {effect:?}");
    };
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("x.md");
    let title = app
        .library
        .articles
        .iter()
        .find(|a| a.path == path)
        .map_or(name.to_owned(), |a| a.meta.title.clone());
    let art = article("lib", name, &title, None);
    app.update(Msg::ArticleLoaded {
        ticket,
        path,
        anchor,
        result: Ok((art, long_body(&title))),
    });
}

fn top_text(app: &App) -> String {
    let reader = app.reader.as_ref().expect("reading");
    reader.layout.plain_lines()[reader.top].clone()
}

#[test]
fn reopening_an_article_lands_where_the_reader_left_it() {
    let mut app = remembering(&["One", "Two"]);
    let open = app.update(Msg::Cmd(Command::Open));
    answer(&mut app, open);
    for _ in 0..30 {
        app.update(Msg::Cmd(Command::Down));
    }
    let left_at = top_text(&app);
    app.update(Msg::Cmd(Command::Back));
    assert_eq!(app.screen, Screen::List);
    let writes = app.take_effects();
    assert!(
        writes.iter().any(|e| matches!(e, Effect::Remember(w)
            if w.iter().any(|w| matches!(w, Write::Position { .. })))),
        "leaving writes the position at once: {writes:?}"
    );
    let open = app.update(Msg::Cmd(Command::Open));
    answer(&mut app, open);
    assert_eq!(top_text(&app), left_at);
    // At another width, the same text is at the top.
    app.update(Msg::Resize(60, 24));
    app.update(Msg::Cmd(Command::Back));
    let open = app.update(Msg::Cmd(Command::Open));
    answer(&mut app, open);
    let words = |t: &str| t.split_whitespace().take(3).collect::<Vec<_>>().join(" ");
    assert!(
        top_text(&app).contains(&words(&left_at)) || left_at.contains(&words(&top_text(&app))),
        "{left_at:?} vs {:?}",
        top_text(&app)
    );
    // g still goes to the top.
    app.update(Msg::Cmd(Command::Top));
    assert_eq!(app.reader.as_ref().map(|r| r.top), Some(0));
}

#[test]
fn scrolling_saves_the_position_only_when_the_timer_it_started_runs_out() {
    let mut app = remembering(&["One"]);
    let open = app.update(Msg::Cmd(Command::Open));
    answer(&mut app, open);
    app.take_effects();
    app.update(Msg::Cmd(Command::Down));
    let effects = app.take_effects();
    let Some(Effect::Timer { ticket, after }) = effects.first().cloned() else {
        panic!("a scroll starts the save timer: {effects:?}");
    };
    assert_eq!(after, std::time::Duration::from_secs(2));
    app.update(Msg::Cmd(Command::Down));
    assert!(app.take_effects().is_empty(), "one timer at a time");
    app.update(Msg::TimerDone(ticket + 1000));
    assert!(
        app.take_effects().is_empty(),
        "a stale timer writes nothing"
    );
    app.update(Msg::TimerDone(ticket));
    let effects = app.take_effects();
    assert!(
        matches!(effects.as_slice(), [Effect::Remember(w)] if matches!(w.as_slice(), [Write::Position { .. }])),
        "{effects:?}"
    );
}

#[test]
fn reaching_the_end_in_the_reader_marks_the_article_read() {
    let mut app = remembering(&["One", "Two"]);
    assert_eq!(app.unread_count(), Some(2));
    let open = app.update(Msg::Cmd(Command::Open));
    answer(&mut app, open);
    let path = PathBuf::from("lib/a0.md");
    assert!(app.memory.as_ref().is_some_and(|m| m.is_unread(&path)));
    app.update(Msg::Cmd(Command::Bottom));
    assert!(app.memory.as_ref().is_some_and(|m| !m.is_unread(&path)));
    assert_eq!(app.unread_count(), Some(1));
    let effects = app.take_effects();
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Remember(w)
            if w.contains(&Write::Read { path: path.clone(), read: true }))),
        "{effects:?}"
    );
    // m in the reader makes it unread again.
    app.update(Msg::Cmd(Command::ToggleRead));
    assert!(app.memory.as_ref().is_some_and(|m| m.is_unread(&path)));
}

#[test]
fn m_s_and_capital_m_mark_from_the_list_and_v_cycles_the_views() {
    let mut app = remembering(&["One", "Two", "Three"]);
    app.update(Msg::Cmd(Command::ToggleRead));
    assert_eq!(app.unread_count(), Some(2));
    app.update(Msg::Cmd(Command::Down));
    app.update(Msg::Cmd(Command::ToggleSaved));
    app.update(Msg::Cmd(Command::CycleView));
    assert_eq!(app.memory.as_ref().map(|m| m.view), Some(View::Unread));
    assert_eq!(app.visible_len(), 2);
    app.update(Msg::Cmd(Command::CycleView));
    assert_eq!(app.memory.as_ref().map(|m| m.view), Some(View::Saved));
    assert_eq!(app.visible_len(), 1);
    assert_eq!(
        app.selected_article().map(|a| a.meta.title.as_str()),
        Some("Two")
    );
    app.update(Msg::Cmd(Command::CycleView));
    assert_eq!(app.memory.as_ref().map(|m| m.view), Some(View::Continue));
    assert_eq!(app.visible_len(), 0);
    app.update(Msg::Cmd(Command::CycleView));
    assert_eq!(app.visible_len(), 3);
    app.update(Msg::Cmd(Command::MarkAllRead));
    assert_eq!(app.unread_count(), Some(0));
    assert_eq!(app.status.as_deref(), Some("Marked 2 articles read."));
    let screen = footer(&app, 80, 24);
    assert!(
        screen
            .lines()
            .next()
            .unwrap_or_default()
            .contains("0 unread"),
        "{screen}"
    );
}

#[test]
fn capital_j_k_and_u_walk_the_list_from_the_reader() {
    let mut app = remembering(&["One", "Two", "Three"]);
    let open = app.update(Msg::Cmd(Command::Open));
    answer(&mut app, open);
    let next = app.update(Msg::Cmd(Command::NextArticle));
    answer(&mut app, next);
    assert_eq!(
        app.reader.as_ref().map(|r| r.article.meta.title.as_str()),
        Some("Two")
    );
    assert!(
        app.history.is_empty(),
        "J replaces the article, it is not a link"
    );
    assert_eq!(app.list.selected, 1);
    let previous = app.update(Msg::Cmd(Command::PrevArticle));
    answer(&mut app, previous);
    assert_eq!(
        app.reader.as_ref().map(|r| r.article.meta.title.as_str()),
        Some("One")
    );
    assert_eq!(app.update(Msg::Cmd(Command::PrevArticle)), None);
    assert!(
        app.status
            .as_deref()
            .unwrap_or("")
            .contains("first article")
    );
    // U skips what is read: mark Two read, U from One goes to Three.
    if let Some(memory) = &mut app.memory {
        memory.set_read(std::path::Path::new("lib/a1.md"), true);
    }
    let unread = app.update(Msg::Cmd(Command::NextUnread));
    answer(&mut app, unread);
    assert_eq!(
        app.reader.as_ref().map(|r| r.article.meta.title.as_str()),
        Some("Three")
    );
    app.update(Msg::Cmd(Command::Back));
    assert_eq!(
        app.selected_article().map(|a| a.meta.title.as_str()),
        Some("Three")
    );
}

#[test]
fn marks_from_the_store_arrive_after_the_list_and_select_the_last_article() {
    let settings = Settings {
        remember: true,
        ..Settings::default()
    };
    let mut app = App::new(library(&["One", "Two", "Three"]), settings);
    app.update(Msg::Resize(80, 24));
    assert_eq!(app.unread_count(), None, "no count until the marks are in");
    let mut marks = std::collections::HashMap::new();
    marks.insert(
        PathBuf::from("lib/a1.md"),
        Mark {
            progress: 0.42,
            ..Mark::default()
        },
    );
    app.update(Msg::MarksLoaded {
        marks,
        last_selected: Some(PathBuf::from("lib/a2.md")),
        sort: None,
    });
    assert_eq!(app.list.selected, 2);
    assert_eq!(app.unread_count(), Some(3));
    let screen = footer(&app, 80, 24);
    assert!(screen.contains("42%"), "{screen}");
    let writes = app.final_writes();
    assert!(writes.contains(&Write::Selected {
        root: PathBuf::from("lib"),
        path: PathBuf::from("lib/a2.md")
    }));
}

#[test]
fn without_memory_the_marking_keys_say_so_and_the_list_is_unchanged() {
    let mut app = app_with(&["One"]);
    app.update(Msg::Cmd(Command::ToggleRead));
    assert!(
        app.status
            .as_deref()
            .unwrap_or("")
            .contains("not remembering")
    );
    assert!(app.take_effects().is_empty());
    assert!(app.final_writes().is_empty());
}

#[test]
fn slash_always_starts_a_fresh_query_and_up_recalls_the_last() {
    let mut app = app_with(&["Rust at work", "Zebras", "Rusty nails"]);
    app.update(Msg::Cmd(Command::Search));
    for c in "rust".chars() {
        app.update(Msg::Input(c));
    }
    app.update(Msg::Cmd(Command::Open));
    app.update(Msg::Cmd(Command::Search));
    assert_eq!(app.search.as_ref().map(|s| s.query.as_str()), Some(""));
    for c in "zzqx".chars() {
        app.update(Msg::Input(c));
    }
    assert_eq!(app.search.as_ref().map(|s| s.query.as_str()), Some("zzqx"));
    // Back to empty, then ↑ brings the last query back.
    app.update(Msg::Cmd(Command::ClearQuery));
    app.update(Msg::Cmd(Command::Up));
    assert_eq!(app.search.as_ref().map(|s| s.query.as_str()), Some("rust"));
    assert_eq!(app.visible_len(), 2);
    // ↓ returns to the empty prompt; with text typed, ↑ and ↓ move between matches again.
    app.update(Msg::Cmd(Command::Down));
    assert_eq!(app.search.as_ref().map(|s| s.query.as_str()), Some(""));
    app.update(Msg::Input('r'));
    app.update(Msg::Cmd(Command::Down));
    assert_eq!(app.list.selected, 1);
}

#[test]
fn the_readers_find_starts_fresh_and_recalls_with_up() {
    let mut app = remembering(&["One"]);
    let open = app.update(Msg::Cmd(Command::Open));
    answer(&mut app, open);
    app.update(Msg::Cmd(Command::Search));
    for c in "second".chars() {
        app.update(Msg::Input(c));
    }
    app.update(Msg::Cmd(Command::Open));
    let found = app
        .reader
        .as_ref()
        .and_then(|r| r.find.as_ref())
        .map(|f| f.hits.len());
    assert!(found.is_some_and(|n| n > 0));
    app.update(Msg::Cmd(Command::Search));
    let find = app
        .reader
        .as_ref()
        .and_then(|r| r.find.clone())
        .expect("finding");
    assert_eq!(find.query, "");
    app.update(Msg::Cmd(Command::FindPrev));
    let find = app
        .reader
        .as_ref()
        .and_then(|r| r.find.clone())
        .expect("finding");
    assert_eq!(find.query, "second");
    assert_eq!(Some(find.hits.len()), found);
}

#[test]
fn hash_and_at_terms_in_the_search_filter_by_tag_and_author() {
    let mut lib = library(&["Async in depth", "Async basics", "Safety first"]);
    lib.articles[0].meta.tags = vec!["security".into()];
    lib.articles[0].meta.authors = vec!["Tomás Okafor".into()];
    lib.articles[2].meta.tags = vec!["Security".into()];
    let mut app = App::new(lib, Settings::default());
    app.update(Msg::Resize(80, 24));
    app.update(Msg::Cmd(Command::Search));
    for c in "#security async".chars() {
        app.update(Msg::Input(c));
    }
    assert_eq!(app.visible_len(), 1);
    assert_eq!(app.highlight_query(), Some("async"));
    app.update(Msg::Cmd(Command::ClearQuery));
    for c in "#security".chars() {
        app.update(Msg::Input(c));
    }
    assert_eq!(app.visible_len(), 2, "a tag alone filters, case ignored");
    assert_eq!(app.highlight_query(), None);
    app.update(Msg::Cmd(Command::ClearQuery));
    for c in "@okafor".chars() {
        app.update(Msg::Input(c));
    }
    assert_eq!(
        app.selected_article().map(|a| a.meta.title.as_str()),
        Some("Async in depth")
    );
}

#[test]
fn a_message_is_never_cut_for_the_hints() {
    // Messages of every length against the list's hints: each is whole on the footer.
    for n in 1..40 {
        let mut app = app_with(&["a", "b"]);
        app.status = Some("x".repeat(n));
        let screen = footer(&app, 80, 24);
        let last = screen.lines().last().unwrap_or_default();
        assert!(last.contains(&"x".repeat(n)), "{n}: {last}");
        assert!(!last.contains('…'), "{n}: {last}");
    }
}

/// The ticket of the timer an effect starts.
fn timer_of(effect: Option<Effect>) -> Ticket {
    match effect {
        Some(Effect::Timer { ticket, .. }) => ticket,
        other => panic!("expected a Timer, got {other:?}"),
    }
}

fn text_result(path: &str, title: &str) -> TextResult {
    TextResult {
        path: PathBuf::from(path),
        rel_path: path.trim_start_matches("lib/").to_owned(),
        title: title.to_owned(),
        snippet: "the quick brown fox".to_owned(),
        marks: vec![(4, 9)],
        hits: 3,
    }
}

/// Types `query` into the open full-text panel and lets its pause run out: the search asked.
fn search_text(app: &mut App, query: &str) -> (Ticket, bool) {
    let mut timer = None;
    for c in query.chars() {
        timer = Some(timer_of(app.update(Msg::Input(c))));
    }
    match app.update(Msg::TimerDone(timer.expect("typed something"))) {
        Some(Effect::SearchText {
            ticket,
            query: asked,
            indexed,
            ..
        }) => {
            assert!(asked.ends_with(query), "{asked:?}");
            (ticket, indexed)
        }
        other => panic!("expected a SearchText, got {other:?}"),
    }
}

fn panel(app: &App) -> TextPanel {
    match &app.overlay {
        Some(Overlay::FullText(panel)) => (**panel).clone(),
        other => panic!("expected the full-text panel, got {other:?}"),
    }
}

#[test]
fn f_searches_the_text_after_a_pause_and_enter_opens_at_the_first_place() {
    let mut app = app_with(&["One", "Two"]);
    app.update(Msg::Cmd(Command::FullText));
    assert_eq!(app.context(), Context::FullText);
    // Every key restarts the pause; only the last timer asks for the search.
    let first = timer_of(app.update(Msg::Input('q')));
    timer_of(app.update(Msg::Input('u')));
    assert_eq!(app.update(Msg::TimerDone(first)), None);
    app.update(Msg::Cmd(Command::ClearQuery));
    let (ticket, indexed) = search_text(&mut app, "quick fox");
    assert!(!indexed, "before the index is ready the files are read");
    assert!(panel(&app).searching);
    app.update(Msg::TextFound {
        ticket,
        query: "quick fox".into(),
        result: Ok(vec![
            text_result("lib/a1.md", "Two"),
            text_result("lib/a0.md", "One"),
        ]),
    });
    let shown = panel(&app);
    assert!(!shown.searching);
    assert_eq!(shown.results.len(), 2);
    assert_eq!(shown.answered, "quick fox");
    app.update(Msg::Cmd(Command::Down));
    let open = app.update(Msg::Cmd(Command::Open));
    let ticket = ticket_of(open.clone());
    assert_eq!(loads(open).map(|l| l.0), Some(PathBuf::from("lib/a0.md")));
    // The article: forty lines, the words on two of them.
    let mut body = String::from("# One\n\n");
    for i in 0..40 {
        let line = match i {
            25 => "A quick reader.",
            33 => "The fox, again.",
            _ => "Nothing here.",
        };
        body.push_str(&format!("{line}\n\n"));
    }
    app.update(Msg::ArticleLoaded {
        ticket,
        path: PathBuf::from("lib/a0.md"),
        anchor: None,
        result: Ok((
            article("lib", "a0.md", "One", None),
            Body {
                markdown: body,
                problems: vec![],
                pictures: vec![],
            },
        )),
    });
    assert_eq!(app.screen, Screen::Reader);
    assert_eq!(app.overlay, None);
    let reader = app.reader.as_ref().expect("reader");
    let find = reader.find.as_ref().expect("the search's words are found");
    assert_eq!(find.query, "quick fox");
    assert_eq!(find.hits.len(), 2);
    assert_eq!(find.current, Some(0));
    let first_row = find.hits[0].row();
    assert!(reader.top <= first_row && first_row < reader.top + app.reader_rows());
    assert!(reader.layout.plain_lines()[first_row].contains("quick"));
    app.update(Msg::Cmd(Command::FindNext));
    let reader = app.reader.as_ref().expect("reader");
    let find = reader.find.as_ref().expect("find");
    assert_eq!(find.current, Some(1));
    assert!(reader.layout.plain_lines()[find.hits[1].row()].contains("fox"));
}

#[test]
fn a_late_answer_to_an_older_query_is_dropped_and_esc_closes() {
    let mut app = app_with(&["One"]);
    app.update(Msg::Cmd(Command::FullText));
    let (old, _) = search_text(&mut app, "a");
    let (new, _) = search_text(&mut app, "b");
    assert_ne!(old, new);
    app.update(Msg::TextFound {
        ticket: old,
        query: "ab".into(),
        result: Ok(vec![text_result("lib/a0.md", "One")]),
    });
    assert!(panel(&app).results.is_empty());
    app.update(Msg::TextFound {
        ticket: new,
        query: "ab".into(),
        result: Err("disk on fire".into()),
    });
    assert_eq!(panel(&app).error.as_deref(), Some("disk on fire"));
    // Enter with nothing found opens nothing.
    assert_eq!(app.update(Msg::Cmd(Command::Open)), None);
    app.update(Msg::Cmd(Command::Back));
    assert_eq!(app.overlay, None);
    assert_eq!(app.context(), Context::List);
}

#[test]
fn the_index_is_built_after_the_library_is_read_and_then_asked() {
    let settings = Settings {
        remember: true,
        ..Settings::default()
    };
    let mut app = App::new(library(&["One"]), settings);
    app.update(Msg::Resize(80, 24));
    app.update(Msg::LibraryLoaded(Ok(library(&["One", "Two"]))));
    let effects = app.take_effects();
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::IndexLibrary { root } if root == Path::new("lib"))),
        "{effects:?}"
    );
    app.update(Msg::IndexProgress { done: 1, total: 2 });
    assert_eq!(app.indexing, Some((1, 2)));
    // A second read while building builds again once this one is done.
    app.update(Msg::LibraryLoaded(Ok(library(&["One", "Two"]))));
    assert!(
        !app.take_effects()
            .iter()
            .any(|e| matches!(e, Effect::IndexLibrary { .. }))
    );
    app.update(Msg::IndexReady(Ok(())));
    assert!(app.index_ready);
    assert!(
        app.take_effects()
            .iter()
            .any(|e| matches!(e, Effect::IndexLibrary { .. }))
    );
    app.update(Msg::IndexReady(Ok(())));
    assert_eq!(app.indexing, None);
    app.update(Msg::Cmd(Command::FullText));
    let (_, indexed) = search_text(&mut app, "two");
    assert!(indexed);
}

#[test]
fn without_memory_no_index_is_built() {
    let mut app = app_with(&["One"]);
    app.update(Msg::LibraryLoaded(Ok(library(&["One"]))));
    assert!(
        !app.take_effects()
            .iter()
            .any(|e| matches!(e, Effect::IndexLibrary { .. }))
    );
    assert_eq!(app.indexing, None);
}

/// An article far bigger than the first part the reader parses before showing it.
fn big_body() -> Body {
    let mut markdown = String::from("Intro with a [far link][far] and a note[^n].\n\n");
    for i in 0..2000 {
        markdown.push_str(&format!(
            "## Section {i}\n\nParagraph {i} with [a link](https://example.org/{i}) and words to wrap.\n\n"
        ));
    }
    markdown.push_str("[far]: https://far.example\n\n[^n]: The note.\n");
    Body {
        markdown,
        problems: vec![],
        pictures: vec![],
    }
}

#[test]
fn a_big_article_shows_its_first_part_and_the_rest_arrives_without_moving_the_view() {
    let mut app = app_with(&["Big"]);
    let rest = open_big(&mut app, PathBuf::from("lib/a0.md"));
    let reader = app.reader.as_ref().expect("reading");
    assert!(reader.rest.is_some());
    let first_rows = reader.layout.plain_lines();
    // The far reference resolves on the first screen, numbered as in the whole.
    assert!(
        first_rows[..9].iter().any(|r| r.contains("far link[1]")),
        "{:?}",
        &first_rows[..9]
    );
    // Scroll a little, then move past what is ready: it stops at the end of the first part.
    app.update(Msg::Scroll(7));
    app.update(Msg::Cmd(Command::Bottom));
    let reader = app.reader.as_ref().expect("reading");
    assert!(reader.top < first_rows.len());
    let top = reader.top;

    let whole = rest.layout.clone();
    // A stale answer changes nothing.
    app.update(Msg::RestParsed {
        ticket: rest.ticket + 100,
        doc: Box::new(rest.doc.clone()),
        layout: Box::new(whole.clone()),
    });
    assert!(app.reader.as_ref().is_some_and(|r| r.rest.is_some()));
    rest.arrive(&mut app);
    let reader = app.reader.as_ref().expect("reading");
    assert!(reader.rest.is_none());
    assert_eq!(reader.top, top, "the view stays");
    assert_eq!(
        reader.layout.plain_lines()[..first_rows.len()],
        first_rows[..]
    );
    assert!(reader.layout.lines.len() > first_rows.len() * 3);
    // The note and the far link are there at the end.
    assert!(whole.plain_lines().iter().any(|l| l.contains("The note.")));
    app.update(Msg::Cmd(Command::Bottom));
    let reader = app.reader.as_ref().expect("reading");
    assert!(reader.top > first_rows.len());
}

#[test]
fn a_remembered_place_past_the_first_part_is_taken_when_the_rest_arrives() {
    let mut app = remembering(&["Big"]);
    let path = app.library.articles[0].path.clone();
    let mark = memory::Mark {
        position: Some(memory::Position {
            heading: Some("section-1500".into()),
            offset: 0,
        }),
        ..memory::Mark::default()
    };
    app.update(Msg::MarksLoaded {
        marks: [(path.clone(), mark)].into_iter().collect(),
        last_selected: None,
        sort: None,
    });
    let rest = open_big(&mut app, path.clone());
    let reader = app.reader.as_ref().expect("reading");
    assert_eq!(reader.top, 0, "waits at the top");
    assert!(reader.rest.as_ref().is_some_and(|r| r.position.is_some()));
    let row = rest
        .layout
        .heading_row("section-1500")
        .expect("the heading");
    rest.arrive(&mut app);
    assert_eq!(app.reader.as_ref().map(|r| r.top), Some(row));
}

#[test]
fn the_rest_of_an_article_left_for_a_link_reaches_it_in_the_history() {
    let mut app = app_with(&["Big"]);
    let rest = open_big(&mut app, PathBuf::from("lib/a0.md"));
    // A link was followed: the big article waits in the history, another one shows.
    let big = app.reader.take().expect("reading");
    app.history.push(big);
    app.show_layout(
        article("lib", "b.md", "Other", None),
        layout_with_links(10, &[]),
    );
    let rows = rest.layout.lines.len();
    rest.arrive(&mut app);
    assert_eq!(app.reader.as_ref().map(|r| r.layout.lines.len()), Some(10));
    let waiting = app.history.last().expect("in the history");
    assert!(waiting.rest.is_none());
    assert_eq!(waiting.layout.lines.len(), rows);
}

/// `big_body()` opened and its rest arrived: a big article read whole.
fn reading_big_article() -> App {
    let mut app = app_with(&["Big"]);
    open_big(&mut app, PathBuf::from("lib/a0.md")).arrive(&mut app);
    app
}

/// The rest of a big article that the reader asked for, parsed and laid out as the job does.
struct Rest {
    ticket: Ticket,
    doc: markdown::Document,
    layout: markdown::Layout,
}

impl Rest {
    /// The job's answer reaching the app.
    fn arrive(self, app: &mut App) {
        app.update(Msg::RestParsed {
            ticket: self.ticket,
            doc: Box::new(self.doc),
            layout: Box::new(self.layout),
        });
    }
}

/// Opens `big_body()` as the app's first article (at `path`): its first part shows, and the
/// rest it asks for is returned made, not yet delivered. The other effects are taken too.
fn open_big(app: &mut App, path: PathBuf) -> Rest {
    let load = ticket_of(app.update(Msg::Cmd(Command::Open)));
    app.update(Msg::ArticleLoaded {
        ticket: load,
        path,
        anchor: None,
        result: Ok((article("lib", "a0.md", "Big", None), big_body())),
    });
    let Some(Effect::ParseRest {
        ticket,
        meta,
        markdown,
        width,
        wrap,
        ..
    }) = app
        .take_effects()
        .into_iter()
        .find(|e| matches!(e, Effect::ParseRest { .. }))
    else {
        panic!("expected the rest to be asked for");
    };
    let doc = markdown::parse::parse_article_with(
        &meta,
        &markdown,
        markdown::parse::Options { highlight: false },
    );
    let layout = markdown::layout_with(&doc, width, wrap);
    Rest {
        ticket,
        doc,
        layout,
    }
}

/// Puts paragraph `n`'s row at the top.
fn put_top_on_paragraph(app: &mut App, n: usize) {
    let label = format!("Paragraph {n} ");
    if let Some(reader) = app.reader.as_mut() {
        let row = reader
            .layout
            .lines
            .iter()
            .position(|r| r.text().starts_with(&label));
        reader.top = row.expect("the paragraph's row");
    }
}

#[test]
fn a_resized_big_article_shows_the_window_around_its_top_then_the_whole_without_moving() {
    let mut app = reading_big_article();
    // Somewhere in the middle, on a paragraph's row.
    put_top_on_paragraph(&mut app, 1234);
    let before = top_text(&app);
    let whole_rows = app.reader.as_ref().map_or(0, |r| r.layout.lines.len());
    assert!(before.contains("Paragraph"), "{before:?}");

    app.update(Msg::Resize(50, 24));
    let layout_job = app.take_effects().into_iter().find_map(|e| match e {
        Effect::LayOut {
            ticket,
            doc,
            width,
            wrap,
        } => Some((ticket, doc, width, wrap)),
        _ => None,
    });
    let Some((ticket, doc, width, wrap)) = layout_job else {
        panic!("expected the whole to be laid out in a job");
    };
    let reader = app.reader.as_ref().expect("reading");
    // Only the blocks around the top are laid out, and the top row is the one a resize laid
    // out whole at once puts there.
    assert!(reader.window.is_some());
    assert!(reader.layout.lines.len() < whole_rows / 10);
    assert_eq!(reader.layout.width, width);
    let window_top = top_text(&app);
    let mut at_once = reading_big_article();
    put_top_on_paragraph(&mut at_once, 1234);
    if let Some(reader) = at_once.reader.as_mut() {
        reader.relayout_now(width, wrap);
    }
    assert_eq!(window_top, top_text(&at_once));
    let first_word = window_top.split_whitespace().next().unwrap_or("?");
    assert!(
        before.contains(first_word),
        "{before:?} became {window_top:?}"
    );

    let whole = markdown::layout_with(&doc, width, wrap);
    // A stale answer changes nothing.
    app.update(Msg::LaidOut {
        ticket: ticket + 100,
        layout: Box::new(whole.clone()),
    });
    assert!(app.reader.as_ref().is_some_and(|r| r.window.is_some()));
    app.update(Msg::LaidOut {
        ticket,
        layout: Box::new(whole.clone()),
    });
    let reader = app.reader.as_ref().expect("reading");
    assert!(reader.window.is_none());
    assert_eq!(reader.layout.lines.len(), whole.lines.len());
    assert_eq!(top_text(&app), window_top, "the top line stays");
    let top = reader.top;
    // Scrolling now reaches the whole article.
    app.update(Msg::Cmd(Command::Bottom));
    assert!(app.reader.as_ref().is_some_and(|r| r.top > top + 1000));
}
