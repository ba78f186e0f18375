//! Front matter built to hurt: deep nesting, alias bombs, huge values. Every file must be
//! listed, quickly, with a problem where it deserves one, and none may take the scan down.
//! The scan runs on rayon's threads with their ordinary 2 MiB stacks, as in the real program.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use folio::library::{self, Article, SortKey};

/// Far beyond what any step should take; only a hang or a blow-up reaches it.
const LIMIT: Duration = Duration::from_secs(60);

fn load_within_limit(dir: &Path) -> Vec<Article> {
    let (tx, rx) = mpsc::channel();
    let dir = dir.to_path_buf();
    std::thread::spawn(move || {
        let _ = tx.send(library::load(&dir, SortKey::Path).map(|l| l.articles));
    });
    match rx.recv_timeout(LIMIT) {
        Ok(Ok(articles)) => articles,
        Ok(Err(e)) => panic!("library failed: {e}"),
        Err(_) => panic!("scan did not finish within {LIMIT:?} (or crashed)"),
    }
}

fn fixtures() -> Vec<(&'static str, String)> {
    let flow_deep = format!("---\ntitle: {}\n---\n", "[".repeat(100_000));
    let flow_map_deep = format!("---\nx: {}\n---\n", "{a: ".repeat(100_000));
    let block_seq_deep = format!("---\nx: {}1\ntitle: Seq\n---\n", "- ".repeat(100_000));
    let mut block_map_deep = String::from("---\n");
    for depth in 0..3_000 {
        block_map_deep.push_str(&" ".repeat(depth));
        block_map_deep.push_str("k:\n");
    }
    block_map_deep.push_str("---\n");
    let toml_tables = format!("+++\n[{}]\nx = 1\n+++\n", vec!["a"; 100_000].join("."));
    let toml_inline = format!("+++\nx = {}\n+++\n", "{a = ".repeat(100_000));
    let mut alias_bomb =
        String::from("---\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..12 {
        let prev = format!("*a{}", i - 1);
        alias_bomb.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            [prev.as_str(); 9].join(", ")
        ));
    }
    alias_bomb.push_str("title: Bomb\n---\n");
    let huge_title = format!("---\ntitle: \"{}\"\n---\n", "long ".repeat(40_000));
    let flow_deep_small = format!("---\ntitle: {}\n---\n", "[".repeat(30_000));
    let seq_deep_small = format!("---\nx: {}1\ntitle: Seq\n---\n", "- ".repeat(30_000));
    let toml_tables_small = format!("+++\n[{}]\nx = 1\n+++\n", vec!["a"; 30_000].join("."));
    let mut block_map_small = String::from("---\n");
    for depth in 0..300 {
        block_map_small.push_str(&" ".repeat(depth));
        block_map_small.push_str("k:\n");
    }
    block_map_small.push_str("---\n");
    let many_keys: String = (0..5_000).map(|i| format!("k{i}: v\n")).collect();
    let many_keys = format!("---\n{many_keys}title: Many\n---\n");
    vec![
        ("flow-deep.md", flow_deep),
        ("flow-map-deep.md", flow_map_deep),
        ("block-seq-deep.md", block_seq_deep),
        ("block-map-deep.md", block_map_deep),
        ("toml-tables.md", toml_tables),
        ("toml-inline.md", toml_inline),
        ("alias-bomb.md", alias_bomb),
        ("huge-title.md", huge_title),
        ("many-keys.md", many_keys),
        ("flow-deep-small.md", flow_deep_small),
        ("seq-deep-small.md", seq_deep_small),
        ("toml-tables-small.md", toml_tables_small),
        ("block-map-small.md", block_map_small),
        ("scalar.md", "---\n42\n---\n".into()),
        ("null.md", "---\n~\n---\n".into()),
        (
            "tagged.md",
            "---\ntitle: !custom Tagged\ndate: !!str 2020-01-02\n---\n".into(),
        ),
        (
            "binary-tag.md",
            "---\ntitle: !!binary aGVsbG8=\n---\n".into(),
        ),
        (
            "merge-keys.md",
            "---\nbase: &b {title: Base}\n<<: *b\n---\n".into(),
        ),
        ("whitespace.md", " \n\t\n  \n".into()),
        ("only-front-matter.md", "---\ntitle: Alone\n---".into()),
        (
            "control-keys.md",
            "---\n\"ti\\etle\": x\n\"\\u202etitle\": y\n---\n".into(),
        ),
        ("fine.md", "---\ntitle: Fine\n---\nbody\n".into()),
    ]
}

#[test]
fn no_front_matter_can_crash_or_hang_a_scan() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixtures = fixtures();
    for (name, text) in &fixtures {
        std::fs::write(dir.path().join(name), text).expect("write fixture");
    }
    let articles = load_within_limit(dir.path());
    assert_eq!(articles.len(), fixtures.len(), "every file is listed");
    let get = |name: &str| {
        articles
            .iter()
            .find(|a| a.rel_path == name)
            .unwrap_or_else(|| panic!("{name} listed"))
    };
    for name in [
        "flow-deep.md",
        "flow-map-deep.md",
        "block-seq-deep.md",
        "toml-inline.md",
        "alias-bomb.md",
        "flow-deep-small.md",
        "seq-deep-small.md",
        "block-map-small.md",
        "scalar.md",
    ] {
        assert!(!get(name).problems.is_empty(), "{name} has a problem");
    }
    for article in &articles {
        for problem in &article.problems {
            assert!(
                problem.len() < 400,
                "{}: short problem: {problem}",
                article.rel_path
            );
            assert!(!problem.chars().any(char::is_control));
        }
    }
    // Front matter is capped at 64 KiB, in the list and the reader alike.
    let huge = get("huge-title.md");
    assert_eq!(huge.meta.title, "Huge title");
    assert!(huge.problems[0].contains("front matter is longer than 64 KiB"));
    let (read, _) = library::read_article(&huge.path).expect("the reader opens it");
    assert_eq!(read.meta.title, "Huge title");
    assert_eq!(read.problems, huge.problems);
    assert_eq!(get("many-keys.md").meta.title, "Many");
    assert_eq!(get("tagged.md").meta.title, "Tagged");
    assert_eq!(get("only-front-matter.md").meta.title, "Alone");
    assert_eq!(get("whitespace.md").meta.title, "Whitespace");
    assert!(get("whitespace.md").problems.is_empty());
    assert!(get("null.md").problems.is_empty());
    assert_eq!(get("fine.md").meta.title, "Fine");
    // The reader reads each file whole (up to 16 MiB), on a thread with an ordinary stack.
    let paths: Vec<_> = articles.iter().map(|a| a.path.clone()).collect();
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            for path in paths {
                let read = library::read_article(&path).map(|(a, _)| a.problems.len());
                let _ = tx.send((path, read.is_ok()));
            }
        })
        .expect("spawn");
    for _ in &articles {
        let (path, ok) = rx.recv_timeout(LIMIT).expect("each read finishes");
        assert!(ok, "{} opens", path.display());
    }
    assert!(get("fine.md").problems.is_empty());
}
