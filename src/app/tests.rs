//! update() driven by actions; state and effects asserted. Layouts are built by hand.

use std::path::{Path, PathBuf};

use super::*;
use crate::library::{Date, Meta};
use crate::markdown::{Heading, Line, LinkTarget, Span, Style};

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
        },
        problems: vec![],
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
        lines,
        links: targets,
        headings: vec![Heading {
            row: 30,
            level: 2,
            text: "Later part".into(),
            anchor: "later-part".into(),
        }],
    }
}

fn app_with(titles: &[&str]) -> App {
    let mut app = App::new(library(titles), Config::default(), Theme::plain());
    app.update(Action::Resize(80, 24));
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
    app.update(Action::Down);
    assert_eq!(app.list.selected, 1);
    app.update(Action::Bottom);
    app.update(Action::Down);
    assert_eq!(app.list.selected, 2);
    app.update(Action::Top);
    app.update(Action::Up);
    assert_eq!(app.list.selected, 0);
}

#[test]
fn the_list_scrolls_to_keep_the_selection_in_view() {
    let titles: Vec<String> = (0..50).map(|i| format!("t{i}")).collect();
    let refs: Vec<&str> = titles.iter().map(String::as_str).collect();
    let mut app = app_with(&refs);
    let page = app.list_page();
    for _ in 0..page {
        app.update(Action::Down);
    }
    assert_eq!(app.list.selected, page);
    assert_eq!(app.list.offset, 1);
}

#[test]
fn enter_on_the_list_asks_to_load_the_selected_article() {
    let mut app = app_with(&["a", "b"]);
    app.update(Action::Down);
    assert_eq!(
        app.update(Action::Open),
        Some(Effect::LoadArticle {
            path: PathBuf::from("lib/a1.md"),
            anchor: None
        })
    );
}

#[test]
fn q_quits_from_the_list() {
    let mut app = app_with(&["a"]);
    assert_eq!(app.update(Action::Quit), Some(Effect::Quit));
}

#[test]
fn search_filters_on_every_keystroke_and_esc_restores_the_full_list() {
    let mut app = app_with(&["Rust layouts", "Go channels", "Rusty nails"]);
    app.update(Action::SearchStart);
    assert_eq!(app.context(), Context::Search);
    assert_eq!(app.visible_len(), 3);
    for c in "rust".chars() {
        app.update(Action::SearchInput(c));
    }
    assert_eq!(app.visible_len(), 2);
    let titles: Vec<&str> = (0..2)
        .map(|i| app.visible(i).map(|a| a.meta.title.as_str()).unwrap_or(""))
        .collect();
    assert!(titles.contains(&"Rust layouts") && titles.contains(&"Rusty nails"));
    assert_eq!(app.highlight_query(), Some("rust"));
    app.update(Action::SearchInput('z'));
    assert_eq!(app.visible_len(), 0);
    app.update(Action::SearchBackspace);
    assert_eq!(app.visible_len(), 2);
    app.update(Action::SearchClearLine);
    assert_eq!(app.visible_len(), 3);
    app.update(Action::SearchInput('g'));
    app.update(Action::SearchInput('o'));
    app.update(Action::SearchCancel);
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
    app.update(Action::SearchStart);
    app.update(Action::SearchInput('b'));
    assert_eq!(
        app.update(Action::Open),
        Some(Effect::LoadArticle {
            path: PathBuf::from("lib/a1.md"),
            anchor: None
        })
    );
}

#[test]
fn back_from_the_reader_keeps_selection_and_search() {
    let mut app = app_with(&["Alpha", "Beta", "Bravo"]);
    app.update(Action::SearchStart);
    app.update(Action::SearchInput('b'));
    app.update(Action::Down);
    let selected = app.list.selected;
    let art = app.selected_article().cloned().expect("a match");
    app.show_layout(art, layout_with_links(10, &[]));
    assert_eq!(app.context(), Context::Reader);
    app.update(Action::Back);
    assert_eq!(app.screen, Screen::List);
    assert_eq!(app.list.selected, selected);
    assert_eq!(app.search.as_ref().map(|s| s.query.as_str()), Some("b"));
}

#[test]
fn reader_scrolls_by_line_page_half_and_ends() {
    let mut app = reading(&[]);
    let rows = app.reader_rows();
    app.update(Action::Down);
    assert_eq!(app.reader.as_ref().map(|r| r.top), Some(1));
    app.update(Action::PageDown);
    assert_eq!(app.reader.as_ref().map(|r| r.top), Some(1 + rows - 1));
    app.update(Action::Top);
    app.update(Action::HalfPageDown);
    assert_eq!(app.reader.as_ref().map(|r| r.top), Some(rows / 2));
    app.update(Action::Bottom);
    assert_eq!(app.reader.as_ref().map(|r| r.top), Some(100 - rows));
    app.update(Action::Scroll(5));
    assert_eq!(app.reader.as_ref().map(|r| r.top), Some(100 - rows));
    app.update(Action::Scroll(-3));
    assert_eq!(app.reader.as_ref().map(|r| r.top), Some(100 - rows - 3));
}

#[test]
fn tab_focuses_links_in_order_and_scrolls_to_them() {
    let mut app = reading(&[(2, "https://a.org"), (60, "https://b.org")]);
    app.update(Action::NextLink);
    assert_eq!(app.reader.as_ref().and_then(|r| r.focus), Some(0));
    app.update(Action::NextLink);
    let reader = app.reader.as_ref().expect("reader");
    assert_eq!(reader.focus, Some(1));
    assert!(reader.top <= 60 && 60 < reader.top + app.reader_rows());
    app.update(Action::PrevLink);
    assert_eq!(app.reader.as_ref().and_then(|r| r.focus), Some(0));
}

#[test]
fn opening_a_focused_link_yields_an_open_url_effect() {
    let mut app = reading(&[(2, "https://a.org/x")]);
    app.update(Action::NextLink);
    assert_eq!(
        app.update(Action::Open),
        Some(Effect::OpenUrl("https://a.org/x".into()))
    );
}

#[test]
fn a_refused_scheme_yields_a_message_and_no_effect() {
    let mut app = reading(&[(2, "javascript:alert(1)")]);
    app.update(Action::NextLink);
    assert_eq!(app.update(Action::Open), None);
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
    app.update(Action::LinkDigit(1));
    app.update(Action::LinkDigit(2));
    assert_eq!(app.reader.as_ref().map(|r| r.number.as_str()), Some("12"));
    assert_eq!(
        app.update(Action::Open),
        Some(Effect::OpenUrl("https://x.org/12".into()))
    );
    app.update(Action::LinkDigit(9));
    app.update(Action::LinkDigit(9));
    assert_eq!(app.update(Action::Open), None);
    assert!(app.status.as_deref().unwrap_or("").contains("[99]"));
}

#[test]
fn o_opens_the_source_or_says_there_is_none() {
    let mut app = reading(&[(1, "https://a.org")]);
    assert_eq!(
        app.update(Action::OpenSource),
        Some(Effect::OpenUrl("https://example.org/one".into()))
    );
    if let Some(reader) = &mut app.reader {
        reader.article.meta.source = None;
    }
    assert_eq!(app.update(Action::OpenSource), None);
    assert!(app.status.as_deref().unwrap_or("").contains("No source"));
}

#[test]
fn the_link_panel_picks_and_opens_a_link() {
    let mut app = reading(&[(1, "https://a.org"), (3, "https://b.org")]);
    app.update(Action::LinkPanel);
    assert_eq!(app.context(), Context::Links);
    app.update(Action::Down);
    assert_eq!(app.overlay, Some(Overlay::Links { selected: 1 }));
    assert_eq!(
        app.update(Action::Open),
        Some(Effect::OpenUrl("https://b.org".into()))
    );
    assert_eq!(app.overlay, None);
    assert_eq!(app.reader.as_ref().and_then(|r| r.focus), Some(1));
}

#[test]
fn a_relative_markdown_link_loads_the_article_and_back_returns() {
    let mut app = reading(&[(1, "other.md#part-two"), (2, "../../etc/passwd.md")]);
    app.update(Action::NextLink);
    assert_eq!(
        app.update(Action::Open),
        Some(Effect::LoadArticle {
            path: PathBuf::from("lib/other.md"),
            anchor: Some("part-two".into())
        })
    );
    app.update(Action::NextLink);
    assert_eq!(app.update(Action::Open), None);
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
    app.update(Action::NextLink);
    assert_eq!(app.update(Action::Open), None);
    assert_eq!(app.reader.as_ref().map(|r| r.top), Some(30));
}

#[test]
fn history_returns_to_the_previous_article_where_it_was() {
    let mut app = reading(&[(1, "b.md")]);
    app.update(Action::Down);
    // As the run loop would after LoadArticle: the current reader goes onto the history.
    let previous = app.reader.take().expect("reader");
    app.history.push(previous);
    let other = article("lib", "b.md", "Bee", None);
    app.reader = Some(Reader::with_layout(
        other.path.clone(),
        other,
        layout_with_links(5, &[]),
    ));
    app.update(Action::Back);
    assert_eq!(app.screen, Screen::Reader);
    let reader = app.reader.as_ref().expect("back in the first article");
    assert_eq!(reader.article.meta.title, "One");
    assert_eq!(reader.top, 1);
    app.update(Action::Back);
    assert_eq!(app.screen, Screen::List);
}

#[test]
fn a_failed_load_is_a_message_on_the_list() {
    let mut app = app_with(&["a"]);
    let effect = app.update(Action::ArticleLoaded {
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
    app.update(Action::Help);
    assert_eq!(app.overlay, Some(Overlay::Help(Context::List)));
    assert_eq!(app.context(), Context::Help);
    assert_eq!(app.update(Action::Quit), None, "q in help does not quit");
    app.update(Action::Back);
    assert_eq!(app.overlay, None);
}

#[test]
fn ctrl_c_quits_from_anywhere() {
    let mut app = reading(&[]);
    app.update(Action::LinkPanel);
    assert_eq!(app.update(Action::ForceQuit), Some(Effect::Quit));
}

#[test]
fn tiny_sizes_do_not_panic() {
    let mut app = reading(&[(1, "https://a.org")]);
    for (w, h) in [(0, 0), (1, 1), (8, 3), (200, 1), (500, 1), (1, 500)] {
        app.update(Action::Resize(w, h));
        app.update(Action::NextLink);
        app.update(Action::PageDown);
        app.update(Action::Bottom);
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
    let effect = app.update(Action::Resize(140, 40));
    assert_eq!(
        effect,
        Some(Effect::LoadPreview(PathBuf::from("lib/a0.md")))
    );
    let width = app.preview_width().expect("wide");
    app.previews.insert(
        (PathBuf::from("lib/a0.md"), width),
        layout_with_links(3, &[]),
    );
    assert_eq!(app.update(Action::Resize(140, 40)), None);
    assert!(app.preview().is_some());
    assert_eq!(
        app.update(Action::Down),
        Some(Effect::LoadPreview(PathBuf::from("lib/a1.md")))
    );
}

#[test]
fn opening_from_the_search_keeps_the_filter_but_gives_the_keys_back() {
    let mut app = app_with(&["Alpha", "Beta", "Bravo"]);
    app.update(Action::SearchStart);
    app.update(Action::SearchInput('b'));
    assert!(app.update(Action::Open).is_some());
    assert_eq!(app.context(), Context::List);
    assert_eq!(app.visible_len(), 2);
    app.update(Action::SearchStart);
    assert_eq!(app.context(), Context::Search);
    assert_eq!(app.search.as_ref().map(|s| s.query.as_str()), Some("b"));
    app.update(Action::Open);
    app.update(Action::SearchCancel);
    assert!(app.search.is_none());
    assert_eq!(app.visible_len(), 3);
}

#[test]
fn progress_while_loading_is_counted_and_leaves_the_footer_alone() {
    let mut app = App::new(Library::default(), Config::default(), Theme::plain());
    app.loading = true;
    app.update(Action::Notify("hello".into()));
    assert_eq!(app.update(Action::LoadProgress(4213)), None);
    assert_eq!(app.loaded, 4213);
    assert_eq!(app.status.as_deref(), Some("hello"));
    let backend = ratatui::backend::TestBackend::new(60, 6);
    let mut terminal = ratatui::Terminal::new(backend).expect("terminal");
    app.update(Action::Resize(60, 6));
    terminal
        .draw(|frame| crate::ui::draw(&app, frame))
        .expect("draws");
    let header: String = (0..60)
        .map(|x| terminal.backend().buffer()[(x, 0)].symbol().to_owned())
        .collect();
    assert!(header.contains("reading… 4213"), "{header}");
}

#[test]
fn the_library_read_in_the_background_replaces_the_empty_one() {
    let mut app = App::new(Library::default(), Config::default(), Theme::plain());
    app.loading = true;
    app.update(Action::Resize(80, 24));
    app.update(Action::SearchStart);
    app.update(Action::SearchInput('b'));
    assert_eq!(app.visible_len(), 0);
    app.update(Action::LibraryLoaded(Ok(library(&["Alpha", "Beta"]))));
    assert!(!app.loading);
    assert_eq!(
        app.visible_len(),
        1,
        "the open search filters the new library"
    );
    app.update(Action::LibraryLoaded(Err("lib: permission denied".into())));
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

    fn action() -> impl Strategy<Value = Action> {
        prop_oneof![
            Just(Action::Up),
            Just(Action::Down),
            Just(Action::PageUp),
            Just(Action::PageDown),
            Just(Action::HalfPageUp),
            Just(Action::HalfPageDown),
            Just(Action::Top),
            Just(Action::Bottom),
            (-50i32..50).prop_map(Action::Scroll),
            Just(Action::Open),
            Just(Action::Back),
            Just(Action::SearchStart),
            any::<char>().prop_map(Action::SearchInput),
            Just(Action::SearchBackspace),
            Just(Action::SearchClearLine),
            Just(Action::SearchCancel),
            Just(Action::OpenSource),
            Just(Action::NextLink),
            Just(Action::PrevLink),
            (0u8..12).prop_map(Action::LinkDigit),
            Just(Action::LinkPanel),
            Just(Action::Help),
            Just(Action::FindNext),
            Just(Action::FindPrev),
            (0u16..300, 0u16..100).prop_map(|(column, row)| Action::Click { column, row }),
            (0u16..300, 0u16..100).prop_map(|(w, h)| Action::Resize(w, h)),
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
    assert_eq!(app.update(Action::Click { column: 10, row: 3 }), None);
    assert_eq!(app.list.selected, 1);
    assert_eq!(
        app.update(Action::Click { column: 10, row: 4 }),
        Some(Effect::LoadArticle {
            path: PathBuf::from("lib/a1.md"),
            anchor: None
        })
    );
    // The header and rows past the last article do nothing.
    app.update(Action::Click { column: 10, row: 0 });
    app.update(Action::Click {
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
        app.update(Action::Click {
            column: left + 2,
            row: 2
        }),
        None
    );
    assert_eq!(
        app.update(Action::Click {
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
    app.update(Action::SearchStart);
    assert_eq!(app.context(), Context::Find);
    for c in "line 4".chars() {
        app.update(Action::SearchInput(c));
    }
    let find = app
        .reader
        .as_ref()
        .and_then(|r| r.find.clone())
        .expect("finding");
    // "line 4" and "line 40".."line 49".
    assert_eq!(find.hits.len(), 11);
    assert_eq!(find.current, Some(0));
    app.update(Action::FindNext);
    let reader = app.reader.as_ref().expect("reader");
    assert_eq!(reader.find.as_ref().and_then(|f| f.current), Some(1));
    assert!(reader.top <= 40 && 40 < reader.top + app.reader_rows());
    app.update(Action::Open);
    assert_eq!(app.context(), Context::Reader);
    app.update(Action::FindNext);
    app.update(Action::FindPrev);
    app.update(Action::FindPrev);
    app.update(Action::FindPrev);
    assert_eq!(
        app.reader
            .as_ref()
            .and_then(|r| r.find.as_ref())
            .and_then(|f| f.current),
        Some(10),
        "N wraps to the last place"
    );
    app.update(Action::Back);
    assert!(app.reader.as_ref().is_some_and(|r| r.find.is_none()));
    assert_eq!(
        app.screen,
        Screen::Reader,
        "the first Back only clears the find"
    );
    app.update(Action::Back);
    assert_eq!(app.screen, Screen::List);
}

#[test]
fn esc_on_the_find_line_stops_finding() {
    let mut app = reading(&[]);
    app.update(Action::SearchStart);
    app.update(Action::SearchInput('z'));
    assert_eq!(
        app.reader
            .as_ref()
            .and_then(|r| r.find.as_ref())
            .map(|f| f.hits.len()),
        Some(0)
    );
    app.update(Action::SearchCancel);
    assert_eq!(app.context(), Context::Reader);
    assert!(app.reader.as_ref().is_some_and(|r| r.find.is_none()));
}
