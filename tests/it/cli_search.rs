//! `folio search` as a user runs it: every article holding all the words, best first, with
//! snippets; queries that are FTS5 syntax are only text; the index follows edits and deletions.

use std::path::Path;

use serde_json::Value;

use crate::support;

/// A library and a private home (cache, state, config) for one test.
struct Setup {
    home: tempfile::TempDir,
    lib: tempfile::TempDir,
}

fn setup(files: &[(&str, &str)]) -> Setup {
    let setup = Setup {
        home: tempfile::tempdir().expect("home"),
        lib: tempfile::tempdir().expect("library"),
    };
    for (name, text) in files {
        write(&setup.lib.path().join(name), text);
    }
    setup
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("folder");
    }
    std::fs::write(path, text).expect("write");
}

impl Setup {
    fn search(&self, extra: &[&str]) -> Vec<Value> {
        let out = support::folio_in(self.home.path())
            .args(["search", "--json"])
            .args(extra)
            .arg(self.lib.path())
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{extra:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        match serde_json::from_slice(&out.stdout).expect("valid JSON") {
            Value::Array(items) => items,
            other => panic!("expected an array, got {other}"),
        }
    }

    /// The paths found for `query`, best first.
    fn paths(&self, query: &str) -> Vec<String> {
        paths(&self.search(&["--", query]))
    }
}

fn paths(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["path"].as_str().expect("path").to_owned())
        .collect()
}

fn library() -> Setup {
    setup(&[
        (
            "cpp.md",
            "---\ntitle: Modern C++\ndescription: Templates without tears\n---\n\n\
             C++ templates and the 1.0 release of a library. Don't panic.\n",
        ),
        (
            "rust/async.md",
            "# Async in Rust\n\nUsing **async-std** with a *quick brown fox* and an optimisation.\n",
        ),
        (
            "fox.md",
            "# Animals\n\nThe fox was quick, and brown was its coat.\n",
        ),
        (
            "cafe.md",
            "# Paris\n\nA café near the [river](https://example.org) where Tomás reads.\n",
        ),
    ])
}

#[test]
fn every_word_must_appear_and_the_best_match_comes_first() {
    let lib = library();
    let found = lib.search(&["quick brown"]);
    let mut all = paths(&found);
    all.sort();
    assert_eq!(all, ["fox.md", "rust/async.md"]);
    let score = |i: usize| found[i]["score"].as_f64().expect("score");
    assert!(score(0) >= score(1), "{found:?}");
    assert_eq!(lib.paths("quick tears"), Vec::<String>::new());
    // The title and the description are searched too.
    assert_eq!(lib.paths("tears"), ["cpp.md"]);
    assert_eq!(lib.paths("animals"), ["fox.md"]);
}

#[test]
fn a_quoted_phrase_matches_only_the_words_together() {
    let lib = library();
    assert_eq!(lib.paths("\"quick brown fox\""), ["rust/async.md"]);
    assert_eq!(lib.paths("\"brown was\""), ["fox.md"]);
}

#[test]
fn a_star_makes_a_prefix() {
    let lib = library();
    assert_eq!(lib.paths("optim*"), ["rust/async.md"]);
    assert_eq!(lib.paths("optim"), Vec::<String>::new());
}

#[test]
fn accents_are_ignored_either_way() {
    let lib = library();
    assert_eq!(lib.paths("cafe"), ["cafe.md"]);
    assert_eq!(lib.paths("CAFÉ"), ["cafe.md"]);
    assert_eq!(lib.paths("tomas"), ["cafe.md"]);
}

#[test]
fn fts5_syntax_in_a_query_is_only_text() {
    let lib = library();
    assert_eq!(lib.paths("C++"), ["cpp.md"]);
    assert_eq!(lib.paths("async-std"), ["rust/async.md"]);
    assert_eq!(lib.paths("don't"), ["cpp.md"]);
    assert_eq!(lib.paths("1.0"), ["cpp.md"]);
    // Each runs and gives an array (checked in `search`), whatever it holds.
    for query in [
        "\"", "*", "(", ")", "(((", "OR", "''", "\u{7}", "  ", "–", "{}", "+ -", "^", ":",
    ] {
        assert_eq!(lib.search(&["--", query]), Vec::<Value>::new(), "{query:?}");
    }
    // Operators are words like any other: "NOT fox" wants "not" too, "fox AND" an "and".
    let both = vec!["fox.md", "rust/async.md"];
    for (query, expected) in [
        ("\"fox", both.clone()),
        ("fox\"", both.clone()),
        ("fox AND", both.clone()),
        ("NOT fox", vec![]),
        ("-fox", both.clone()),
        ("^fox", both.clone()),
        ("NEAR(fox", vec![]),
        ("title:fox", vec![]),
        ("{fox}", both.clone()),
    ] {
        let mut found = lib.paths(query);
        found.sort();
        assert_eq!(found, expected, "{query:?}");
    }
    assert_eq!(lib.paths("\"brown"), lib.paths("brown"));
}

#[test]
fn json_has_relative_paths_titles_snippets_and_character_marks() {
    let lib = library();
    let found = lib.search(&["café"]);
    assert_eq!(found.len(), 1);
    let item = &found[0];
    assert_eq!(item["path"], "cafe.md");
    assert_eq!(item["title"], "Paris");
    assert_eq!(item["hits"], 1);
    let snippet: Vec<char> = item["snippet"].as_str().expect("snippet").chars().collect();
    let marks = item["marks"].as_array().expect("marks");
    assert_eq!(marks.len(), 1);
    let (start, end) = (
        marks[0][0].as_u64().expect("start") as usize,
        marks[0][1].as_u64().expect("end") as usize,
    );
    let marked: String = snippet[start..end].iter().collect();
    assert_eq!(marked, "café");
    // Markup is gone: no link target, no emphasis marks.
    let text: String = snippet.iter().collect();
    assert!(
        !text.contains("example.org") && !text.contains('['),
        "{text}"
    );
}

#[test]
fn limit_caps_the_rows() {
    let files: Vec<(String, String)> = (0..12)
        .map(|i| (format!("{i:02}.md"), format!("# Note {i}\n\nshared word\n")))
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let lib = setup(&refs);
    assert_eq!(lib.search(&["shared"]).len(), 12);
    assert_eq!(lib.search(&["shared", "--limit", "5"]).len(), 5);
}

#[test]
fn an_edited_file_is_indexed_again_and_a_deleted_one_disappears() {
    let lib = library();
    let mut before = lib.paths("fox");
    before.sort();
    assert_eq!(before, ["fox.md", "rust/async.md"]);
    write(
        &lib.lib.path().join("fox.md"),
        "# Animals\n\nA badger now, nothing else.\n",
    );
    assert_eq!(lib.paths("badger"), ["fox.md"]);
    assert_eq!(lib.paths("fox"), ["rust/async.md"]);
    std::fs::remove_file(lib.lib.path().join("rust/async.md")).expect("remove");
    assert_eq!(lib.paths("fox"), Vec::<String>::new());
    assert_eq!(lib.paths("optim*"), Vec::<String>::new());
    write(&lib.lib.path().join("new.md"), "# New\n\nA fox again.\n");
    assert_eq!(lib.paths("fox"), ["new.md"]);
}

#[test]
fn no_state_reads_the_files_with_the_same_answers_and_keeps_no_cache() {
    let lib = library();
    let home = tempfile::tempdir().expect("home");
    for query in [
        "quick brown",
        "C++",
        "\"quick brown fox\"",
        "optim*",
        "cafe",
    ] {
        let out = support::folio_in(home.path())
            .args(["--no-state", "search", query])
            .arg(lib.lib.path())
            .arg("--json")
            .output()
            .expect("runs");
        assert!(out.status.success());
        let items: Vec<Value> = serde_json::from_slice(&out.stdout).expect("JSON");
        assert_eq!(paths(&items), lib.paths(query), "{query}");
    }
    assert!(!home.path().join("cache").exists(), "a cache was written");
}

#[test]
fn piped_text_output_is_plain_title_path_and_snippet() {
    let lib = library();
    let out = support::folio_in(lib.home.path())
        .args(["search", "coat"])
        .arg(lib.lib.path())
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(!text.contains('\u{1b}'), "{text:?}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with("Animals") && lines[0].ends_with("fox.md"));
    assert!(lines[1].contains("its coat"), "{text}");
}

#[test]
fn a_missing_folder_is_a_usage_error() {
    let home = tempfile::tempdir().expect("home");
    support::folio_in(home.path())
        .args(["search", "x", "/no/such/folder"])
        .assert()
        .code(2);
}
