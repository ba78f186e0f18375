//! How the list is arranged: its order (`S`) and the tag it is narrowed to (`#`).

use std::collections::HashMap;

use super::App;
use crate::library::{self, Article, SortKey};

/// The order the list shows articles in; `S` cycles it and the memory keeps it per folder.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    /// Newest first, undated last.
    #[default]
    Date,
    Title,
    Path,
    /// Most recently opened first, then the rest newest first (needs the memory).
    Recent,
}

impl Sort {
    /// The next order after this one; the memory's order is skipped without a memory.
    pub fn next(self, remembers: bool) -> Sort {
        match self {
            Sort::Date => Sort::Title,
            Sort::Title => Sort::Path,
            Sort::Path if remembers => Sort::Recent,
            Sort::Path | Sort::Recent => Sort::Date,
        }
    }

    /// How the header says it.
    pub fn label(self) -> &'static str {
        match self {
            Sort::Date => "by date",
            Sort::Title => "by title",
            Sort::Path => "by path",
            Sort::Recent => "by last read",
        }
    }

    /// The name the memory stores.
    pub fn name(self) -> &'static str {
        match self {
            Sort::Date => "date",
            Sort::Title => "title",
            Sort::Path => "path",
            Sort::Recent => "recent",
        }
    }

    /// Reads a stored name; an unknown one (a newer folio's) is `None`.
    pub fn from_name(name: &str) -> Option<Sort> {
        [Sort::Date, Sort::Title, Sort::Path, Sort::Recent]
            .into_iter()
            .find(|s| s.name() == name)
    }
}

/// Whether an article carries the tag whose [`crate::search::tag_key`] is `want`.
pub(crate) fn carries(article: &Article, want: &str) -> bool {
    article
        .meta
        .tags
        .iter()
        .any(|t| crate::search::tag_key(t.trim()) == want)
}

/// One tag of the library and how many articles carry it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagCount {
    /// The tag as most of its articles spell it.
    pub name: String,
    pub count: usize,
}

/// Every tag in `articles` with its count, most used first, then by name. Tags that differ only
/// in case or accents (`Rust`, `rust`) are one tag, as `#rust` in a search treats them.
pub fn tag_counts(articles: &[Article]) -> Vec<TagCount> {
    // Per folded key: the spellings seen with their counts, and the articles carrying it.
    let mut by_key: HashMap<String, (HashMap<&str, usize>, usize)> = HashMap::new();
    for article in articles {
        let mut keys_here: Vec<String> = Vec::new();
        for tag in &article.meta.tags {
            let tag = tag.trim();
            if tag.is_empty() {
                continue;
            }
            let key = crate::search::tag_key(tag);
            let entry = by_key.entry(key.clone()).or_default();
            *entry.0.entry(tag).or_default() += 1;
            // An article listing a tag twice counts once.
            if !keys_here.contains(&key) {
                entry.1 += 1;
                keys_here.push(key);
            }
        }
    }
    let mut tags: Vec<TagCount> = by_key
        .into_values()
        .map(|(spellings, count)| {
            let name = spellings
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
                .map_or_else(String::new, |(name, _)| name.to_owned());
            TagCount { name, count }
        })
        .collect();
    tags.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    tags
}

impl App {
    /// The library's tags matching `query` (fuzzy, as the outline filters headings), in the
    /// panel's order.
    /// Counted once per library (see [`tag_counts`]), not per frame or key.
    pub fn tags(&self, query: &str) -> Vec<TagCount> {
        if query.trim().is_empty() {
            return self.tag_counts.clone();
        }
        self.tag_counts
            .iter()
            .filter(|t| !crate::search::positions(query, &t.name).is_empty())
            .cloned()
            .collect()
    }

    /// Puts the library's articles in the order in force. Callers refresh what the list shows.
    pub(crate) fn sort_articles(&mut self) {
        let articles = &mut self.library.articles;
        match self.sort {
            Sort::Date => library::sort(articles, SortKey::Date),
            Sort::Title => library::sort(articles, SortKey::Title),
            Sort::Path => library::sort(articles, SortKey::Path),
            Sort::Recent => {
                library::sort(articles, SortKey::Date);
                if let Some(memory) = &self.memory {
                    // Stable: articles never opened keep the date order, after the rest.
                    articles.sort_by_key(|a| {
                        std::cmp::Reverse(memory.mark(&a.path).and_then(|m| m.last_opened))
                    });
                }
            }
        }
        // Search matches and folder hints are by index into the articles: stale now.
        self.searcher = None;
        self.title_hints = library::title_hints(&self.library.articles);
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::app::tests::{article, library};
    use crate::app::{Command, Effect, Mark, Msg, Overlay, Settings, Write};
    use crate::library::Date;

    /// Articles titled by `(title, tags, day of May 2024)`.
    fn tagged(items: &[(&str, &[&str], u8)]) -> App {
        let mut lib = library(&[]);
        for (i, (title, tags, day)) in items.iter().enumerate() {
            let mut a = article("lib", &format!("a{i}.md"), title, None);
            a.meta.tags = tags.iter().map(|t| (*t).to_owned()).collect();
            a.meta.date = Some(Date {
                year: 2024,
                month: 5,
                day: *day,
            });
            lib.articles.push(a);
        }
        crate::library::sort(&mut lib.articles, SortKey::Date);
        let mut app = App::new(lib, Settings::default());
        app.update(Msg::Resize(80, 24));
        app
    }

    fn titles(app: &App) -> Vec<String> {
        (0..app.visible_len())
            .filter_map(|i| app.visible(i).map(|a| a.meta.title.clone()))
            .collect()
    }

    fn keys(app: &mut App, text: &str) {
        for c in text.chars() {
            app.update(Msg::Input(c));
        }
    }

    fn sample() -> App {
        tagged(&[
            ("Async traits", &["Rust", "async"], 5),
            ("Borrow checker", &["rust"], 4),
            ("Channels in Go", &["go", "async"], 3),
            ("Crates", &["RUST", "rust"], 2),
            ("Untagged", &[], 1),
        ])
    }

    #[test]
    fn tags_are_counted_once_per_article_whatever_their_case() {
        let app = sample();
        let tags = app.tags("");
        let named: Vec<(&str, usize)> = tags.iter().map(|t| (t.name.as_str(), t.count)).collect();
        // "rust" is spelled so by two articles (one twice), "Rust" and "RUST" by one each.
        assert_eq!(named, vec![("rust", 3), ("async", 2), ("go", 1)]);
        let filtered: Vec<String> = app.tags("as").into_iter().map(|t| t.name).collect();
        assert_eq!(filtered, vec!["async"]);
    }

    #[test]
    fn enter_in_the_tags_panel_narrows_the_list_and_esc_shows_all_again() {
        let mut app = sample();
        app.update(Msg::Cmd(Command::Tags));
        assert_eq!(
            app.overlay,
            Some(Overlay::Tags {
                query: String::new(),
                selected: 0
            })
        );
        keys(&mut app, "asy");
        app.update(Msg::Cmd(Command::Open));
        assert_eq!(app.overlay, None);
        assert_eq!(app.tag.as_deref(), Some("async"));
        assert_eq!(titles(&app), ["Async traits", "Channels in Go"]);
        // Combined with a title search.
        app.update(Msg::Cmd(Command::Search));
        keys(&mut app, "chan");
        assert_eq!(titles(&app), ["Channels in Go"]);
        // Esc clears the search first, then the tag.
        app.update(Msg::Cmd(Command::ClearSearch));
        assert_eq!(titles(&app), ["Async traits", "Channels in Go"]);
        app.update(Msg::Cmd(Command::ClearSearch));
        assert_eq!(app.tag, None);
        assert_eq!(titles(&app).len(), 5);
    }

    #[test]
    fn choosing_the_tag_in_force_again_shows_every_article() {
        let mut app = sample();
        app.update(Msg::Cmd(Command::Tags));
        app.update(Msg::Cmd(Command::Open));
        assert_eq!(app.tag.as_deref(), Some("rust"));
        assert_eq!(titles(&app), ["Async traits", "Borrow checker", "Crates"]);
        // The panel opens on the tag in force; Enter there lifts it.
        app.update(Msg::Cmd(Command::Tags));
        app.update(Msg::Cmd(Command::Down));
        app.update(Msg::Cmd(Command::Up));
        app.update(Msg::Cmd(Command::Open));
        assert_eq!(app.tag, None);
        assert_eq!(titles(&app).len(), 5);
        // Esc in the panel changes nothing.
        app.update(Msg::Cmd(Command::Tags));
        app.update(Msg::Cmd(Command::Back));
        assert_eq!((app.overlay.clone(), app.tag.clone()), (None, None));
    }

    #[test]
    fn the_selection_stays_on_its_article_when_a_tag_narrows_the_list() {
        let mut app = sample();
        app.update(Msg::Cmd(Command::Down));
        assert_eq!(
            app.selected_article().map(|a| a.meta.title.as_str()),
            Some("Borrow checker")
        );
        app.update(Msg::Cmd(Command::Tags));
        app.update(Msg::Cmd(Command::Open));
        assert_eq!(
            app.selected_article().map(|a| a.meta.title.as_str()),
            Some("Borrow checker")
        );
    }

    #[test]
    fn s_cycles_the_order_and_keeps_the_selected_article() {
        let mut app = sample();
        app.update(Msg::Cmd(Command::Down));
        app.update(Msg::Cmd(Command::CycleSort));
        assert_eq!(app.sort, Sort::Title);
        assert_eq!(app.status.as_deref(), Some("Sorted by title"));
        assert_eq!(
            titles(&app),
            [
                "Async traits",
                "Borrow checker",
                "Channels in Go",
                "Crates",
                "Untagged"
            ]
        );
        assert_eq!(
            app.selected_article().map(|a| a.meta.title.as_str()),
            Some("Borrow checker")
        );
        app.update(Msg::Cmd(Command::CycleSort));
        assert_eq!(app.sort, Sort::Path);
        // Without a memory there is no "last read": back to the date.
        app.update(Msg::Cmd(Command::CycleSort));
        assert_eq!(app.sort, Sort::Date);
        assert_eq!(titles(&app)[0], "Async traits");
    }

    #[test]
    fn a_search_over_a_resorted_list_finds_the_right_articles() {
        let mut app = sample();
        app.update(Msg::Cmd(Command::Search));
        keys(&mut app, "crates");
        app.update(Msg::Cmd(Command::CycleSort));
        assert_eq!(titles(&app), ["Crates"]);
        app.update(Msg::Cmd(Command::Open));
        assert!(
            app.take_effects().is_empty(),
            "opening asks through update's return"
        );
    }

    fn remembering(app: App) -> App {
        let settings = Settings {
            remember: true,
            ..Settings::default()
        };
        let mut app = App::new(app.library, settings);
        app.update(Msg::Resize(80, 24));
        app
    }

    #[test]
    fn last_read_puts_the_recently_opened_first_and_the_order_is_remembered() {
        let mut app = remembering(sample());
        let mut marks = std::collections::HashMap::new();
        for (name, when) in [("a3.md", 300), ("a1.md", 100)] {
            marks.insert(
                PathBuf::from("lib").join(name),
                Mark {
                    last_opened: Some(when),
                    ..Mark::default()
                },
            );
        }
        app.update(Msg::MarksLoaded {
            marks,
            last_selected: None,
            sort: Some(Sort::Recent),
        });
        assert_eq!(app.sort, Sort::Recent);
        assert_eq!(
            titles(&app),
            [
                "Crates",
                "Borrow checker",
                "Async traits",
                "Channels in Go",
                "Untagged"
            ]
        );
        app.update(Msg::Cmd(Command::CycleSort));
        assert_eq!(app.sort, Sort::Date);
        let writes: Vec<Write> = app
            .take_effects()
            .into_iter()
            .flat_map(|e| match e {
                Effect::Remember(writes) => writes,
                _ => Vec::new(),
            })
            .collect();
        assert!(
            writes.contains(&Write::Sort {
                root: PathBuf::from("lib"),
                sort: Sort::Date
            }),
            "{writes:?}"
        );
    }

    #[test]
    fn stored_order_names_round_trip_and_unknown_ones_are_ignored() {
        for sort in [Sort::Date, Sort::Title, Sort::Path, Sort::Recent] {
            assert_eq!(Sort::from_name(sort.name()), Some(sort));
        }
        assert_eq!(Sort::from_name("mood"), None);
    }
}
