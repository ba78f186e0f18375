//! `folio list` as a user runs it: columns, JSON, search, sorting and errors.

use assert_cmd::Command;
use serde_json::Value;

use crate::support;

fn folio() -> Command {
    let mut cmd = Command::cargo_bin("folio").expect("binary built");
    cmd.envs(support::private_env());
    for name in support::USER_ENV {
        cmd.env_remove(name);
    }
    cmd
}

fn json(args: &[&str]) -> Vec<Value> {
    let out = folio()
        .arg("list")
        .args(args)
        .arg("--json")
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    match serde_json::from_slice(&out.stdout).expect("valid JSON") {
        Value::Array(items) => items,
        other => panic!("expected an array, got {other}"),
    }
}

#[test]
fn bundled_articles_are_complete_and_without_problems() {
    let items = json(&["articles"]);
    assert!(items.len() >= 13, "{} articles", items.len());
    for item in &items {
        let path = item["path"].as_str().expect("path");
        for field in ["title", "description", "date", "source"] {
            let value = item[field].as_str().unwrap_or("");
            assert!(!value.is_empty(), "{path}: {field} missing");
        }
        for field in ["authors", "tags"] {
            assert!(
                item[field].as_array().is_some_and(|a| !a.is_empty()),
                "{path}: {field} missing"
            );
        }
        assert_eq!(item["problems"], Value::Array(vec![]), "{path}");
        assert!(
            item["source"]
                .as_str()
                .is_some_and(|s| s.starts_with("https://"))
        );
    }
    let dates: Vec<&str> = items.iter().filter_map(|i| i["date"].as_str()).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "newest first");
}

#[test]
fn broken_files_are_each_listed_with_their_problem() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let files: [(&str, &[u8]); 6] = [
        ("bad-yaml.md", b"---\ntitle: [x\n---\n"),
        ("bad-toml.md", b"+++\ntitle = = 1\n+++\n"),
        ("open.md", b"---\ntitle: open\n"),
        ("binary.md", b"\x7fELF\x00\x00\x01"),
        ("latin1.md", b"caf\xe9"),
        ("ok.md", b"---\ntitle: Fine\n---\n"),
    ];
    for (name, bytes) in files {
        std::fs::write(d.join(name), bytes).expect("write");
    }
    let items = json(&[d.to_str().expect("utf-8 temp path"), "--sort", "path"]);
    let problems: Vec<(String, String)> = items
        .iter()
        .map(|i| {
            let joined = i["problems"]
                .as_array()
                .map(|p| {
                    p.iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join("; ")
                })
                .unwrap_or_default();
            (i["path"].as_str().unwrap_or("").to_owned(), joined)
        })
        .collect();
    let expect = [
        ("bad-toml.md", "invalid TOML front matter at line 2"),
        ("bad-yaml.md", "invalid YAML front matter"),
        ("binary.md", "binary"),
        ("latin1.md", "not valid UTF-8"),
        ("ok.md", ""),
        ("open.md", "never closed"),
    ];
    assert_eq!(problems.len(), expect.len(), "{problems:?}");
    for ((path, got), (want_path, want)) in problems.iter().zip(expect) {
        assert_eq!(path, want_path);
        if want.is_empty() {
            assert!(got.is_empty(), "{path}: {got}");
        } else {
            assert!(got.contains(want), "{path}: {got}");
        }
    }
    let columns = folio()
        .args(["list", "--sort", "path"])
        .arg(d)
        .output()
        .expect("runs");
    let text = String::from_utf8(columns.stdout).expect("utf-8");
    let marked: Vec<&str> = text.lines().filter(|l| l.starts_with('!')).collect();
    assert_eq!(marked.len(), 5, "{text}");
}

#[test]
fn columns_are_aligned_and_search_keeps_fuzzy_matches_best_first() {
    let out = folio().args(["list", "articles"]).output().expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let items = json(&["articles"]);
    assert_eq!(text.lines().count(), items.len());
    let mut path_columns = std::collections::BTreeSet::new();
    for (line, item) in text.lines().zip(&items) {
        let path = item["path"].as_str().expect("path");
        let prefix = line
            .strip_suffix(path)
            .unwrap_or_else(|| panic!("{line:?} ends in {path}"));
        path_columns.insert(folio::text::display_width(prefix));
        let date = item["date"].as_str().expect("date");
        assert!(line.starts_with(&format!("  {date}  ")), "{line:?}");
    }
    assert_eq!(path_columns.len(), 1, "paths start in one column: {text}");
    let found = json(&["articles", "--search", "discord"]);
    assert!(!found.is_empty());
    assert!(
        found[0]["title"]
            .as_str()
            .is_some_and(|t| t.contains("Discord")),
        "{:?}",
        found[0]["title"]
    );
    assert!(json(&["articles", "--search", "qqqqzzzz"]).is_empty());
}

#[test]
fn sort_by_title_and_path() {
    let titles: Vec<String> = json(&["articles", "--sort", "title"])
        .iter()
        .map(|i| i["title"].as_str().unwrap_or("").to_lowercase())
        .collect();
    let mut sorted = titles.clone();
    sorted.sort();
    assert_eq!(titles, sorted);
    let paths: Vec<String> = json(&["articles", "--sort", "path"])
        .iter()
        .map(|i| i["path"].as_str().unwrap_or("").to_owned())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
}

#[test]
fn a_missing_folder_or_a_non_markdown_file_is_one_line_and_status_2() {
    for arg in ["no/such/folder", "Cargo.toml"] {
        let out = folio().args(["list", arg]).output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{arg}");
        let err = String::from_utf8(out.stderr).expect("utf-8");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with("folio: "), "{err}");
        assert!(!err.contains("panicked"));
    }
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::io::Read;
    use std::process::{Command as Std, Stdio};
    let bin = assert_cmd::cargo::cargo_bin("folio");
    let mut child = Std::new(bin)
        .envs(support::private_env())
        .args(["list", "articles", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let status = child.wait().expect("waits");
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        e.read_to_string(&mut err).expect("stderr");
    }
    assert!(status.success(), "{status:?} {err}");
    assert!(err.is_empty(), "{err}");
}

/// A folder with a title and tags far wider than any terminal, and a short article.
fn long_fields() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("2023-05-06-long.md"),
        format!(
            "---\ntitle: {LONG_TITLE}\ndate: 2023-05-06\ntags: [{}]\n---\nBody.\n",
            LONG_TAGS.join(", ")
        ),
    )
    .expect("long");
    std::fs::write(
        dir.path().join("short.md"),
        "---\ntitle: Short\ndate: 2024-01-02\ntags: [one]\n---\nHi.\n",
    )
    .expect("short");
    dir
}

const LONG_TITLE: &str = "A title that goes on well past sixty characters and past a hundred too, \
                          so that no terminal column is wide enough to hold it whole, END";
const LONG_TAGS: [&str; 8] = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "zeta",
    "eta",
    "theta-last",
];

#[test]
fn piped_list_never_cuts_a_field() {
    let dir = long_fields();
    let out = folio().arg("list").arg(dir.path()).output().expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(!text.contains('…'), "{text}");
    let long = text
        .lines()
        .find(|l| l.contains("2023-05-06"))
        .expect("the long article's line");
    assert!(long.contains(LONG_TITLE), "{long}");
    assert!(long.contains(&LONG_TAGS.join(", ")), "{long}");
    assert!(long.ends_with("2023-05-06-long.md"), "{long}");
}

#[test]
fn list_in_a_terminal_fits_its_width_and_nothing_wraps() {
    if !support::have_tmux() {
        return;
    }
    let dir = long_fields();
    for width in [60_u16, 100] {
        let command = format!(
            "{} list {}; echo LISTED; sleep 60",
            support::quote(&assert_cmd::cargo::cargo_bin("folio")),
            support::quote(dir.path())
        );
        let tmux = support::Tmux::start(&command, width, 20);
        let screen = tmux.wait_for("LISTED");
        // `-J` joins rows a long line wrapped onto; the rows are the same only if none did.
        let joined =
            String::from_utf8_lossy(&tmux.run(&["capture-pane", "-p", "-J", "-t", "t"]).stdout)
                .into_owned();
        let rows: Vec<&str> = screen.lines().take_while(|l| *l != "LISTED").collect();
        assert_eq!(rows.len(), 2, "one row per article at {width}:\n{screen}");
        assert_eq!(
            joined.lines().take_while(|l| *l != "LISTED").count(),
            2,
            "a line wrapped at {width}:\n{joined}"
        );
        for row in &rows {
            assert!(
                folio::text::display_width(row) <= usize::from(width),
                "{row:?} is wider than {width}"
            );
        }
        // The title gave way; the date and the short article's fields are whole.
        assert!(rows[0].starts_with("  2024-01-02  Short "), "{screen}");
        assert!(rows[0].ends_with("short.md"), "{screen}");
        assert!(rows[1].contains("  A title that"), "{screen}");
        assert!(!rows[1].contains("END"), "{screen}");
    }
}

#[test]
fn articles_with_the_same_title_show_their_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    for folder in ["a", "b"] {
        std::fs::create_dir(dir.path().join(folder)).expect("folder");
        std::fs::write(
            dir.path().join(folder).join("index.md"),
            "---\ntitle: Intro\n---\nHello.\n",
        )
        .expect("index.md");
    }
    std::fs::write(dir.path().join("guide.md"), "---\ntitle: Guide\n---\n").expect("guide");
    let root = dir.path().to_str().expect("utf-8 temp path");
    let out = folio()
        .args(["list", root, "--sort", "path"])
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[0].contains("Intro (a/)") && lines[0].ends_with("a/index.md"),
        "{text}"
    );
    assert!(
        lines[1].contains("Intro (b/)") && lines[1].ends_with("b/index.md"),
        "{text}"
    );
    assert!(
        lines[2].contains("Guide ") && !lines[2].contains('('),
        "{text}"
    );
    // JSON keeps the title as written; the path is there to tell them apart.
    let titles: Vec<Value> = json(&[root, "--sort", "path"])
        .iter()
        .map(|item| item["title"].clone())
        .collect();
    assert_eq!(titles, ["Intro", "Intro", "Guide"]);
}
