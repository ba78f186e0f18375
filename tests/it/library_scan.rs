//! Scanning real folders: what counts as an article, and what never blocks or escapes.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;

use folio::library::{self, Library, SortKey};

fn write(dir: &Path, rel: &str, text: impl AsRef<[u8]>) {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("create folder");
    }
    fs::write(path, text).expect("write fixture");
}

fn load(dir: &Path) -> Library {
    library::load(dir, SortKey::Path).expect("library loads")
}

fn paths(lib: &Library) -> Vec<&str> {
    lib.articles.iter().map(|a| a.rel_path.as_str()).collect()
}

#[test]
fn nested_markdown_files_are_found_and_tooling_folders_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "a.md", "# A");
    write(d, "deep/er/b.MARKDOWN", "# B");
    write(d, "c.Md", "# C");
    write(d, "notes.txt", "not markdown");
    write(d, ".hidden.md", "# hidden");
    write(d, ".git/x.md", "# git");
    write(d, ".drafts/y.md", "# drafts");
    write(d, "node_modules/pkg/readme.md", "# dep");
    write(d, "target/doc.md", "# build output");
    fs::create_dir_all(d.join("folder.md")).expect("folder named like an article");
    assert_eq!(paths(&load(d)), ["a.md", "c.Md", "deep/er/b.MARKDOWN"]);
}

#[test]
fn symlinks_never_loop_or_escape_the_folder() {
    let outside = tempfile::tempdir().expect("tempdir");
    write(outside.path(), "secret.md", "---\ntitle: Outside\n---\n");
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "real.md", "---\ntitle: Real\n---\n");
    symlink(d.join("real.md"), d.join("alias.md")).expect("symlink");
    symlink(outside.path().join("secret.md"), d.join("escape.md")).expect("symlink");
    symlink(d.join("missing.md"), d.join("dangling.md")).expect("symlink");
    symlink(d, d.join("loop")).expect("symlink");
    symlink(outside.path(), d.join("linked-folder")).expect("symlink");
    symlink(d.join("self.md"), d.join("self.md")).expect("symlink");
    let lib = load(d);
    assert_eq!(paths(&lib), ["alias.md", "real.md"]);
    assert!(lib.articles.iter().all(|a| a.meta.title == "Real"));
}

#[test]
fn a_fifo_or_device_named_like_an_article_does_not_block() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "ok.md", "# Fine");
    let fifo = std::ffi::CString::new(d.join("pipe.md").as_os_str().as_encoded_bytes())
        .expect("path without NUL");
    // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    symlink("/dev/zero", d.join("zero.md")).expect("symlink");
    assert_eq!(paths(&load(d)), ["ok.md"]);
    // Opening the FIFO directly is refused, not waited on.
    assert!(library::read_article(&d.join("pipe.md")).is_err());
}

#[test]
fn odd_file_names_are_listed_cleanly() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let latin1 = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
    fs::write(d.join(latin1), "body").expect("non-UTF-8 name");
    write(d, "evil\u{1b}]0;pwned\u{7}\u{202e}dm.md", "body");
    let lib = load(d);
    assert_eq!(lib.articles.len(), 2);
    for a in &lib.articles {
        assert!(
            !a.rel_path.chars().any(char::is_control),
            "{:?}",
            a.rel_path
        );
        assert!(
            !a.meta
                .title
                .chars()
                .any(|c| c.is_control() || c == '\u{202e}')
        );
    }
    assert!(paths(&lib).contains(&"caf\u{FFFD}.md"));
}

#[test]
fn broken_files_are_listed_with_their_problem() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "binary.md", b"\x00\x01\x02ELF\x00\xff");
    write(d, "latin1.md", b"# Caf\xe9 cr\xe8me\n");
    write(d, "unclosed.md", "---\ntitle: never closed\n\nbody\n");
    write(
        d,
        "bad-yaml.md",
        "---\ntitle: [oops\n---\n# Heading title\n",
    );
    write(d, "good.md", "---\ntitle: Good\n---\n");
    write(d, "empty.md", "");
    let lib = load(d);
    let problem = |name: &str| -> String {
        lib.articles
            .iter()
            .find(|a| a.rel_path == name)
            .map(|a| a.problems.join("; "))
            .unwrap_or_else(|| panic!("{name} listed"))
    };
    assert!(problem("binary.md").contains("binary"));
    assert!(problem("latin1.md").contains("UTF-8"));
    assert!(problem("unclosed.md").contains("never closed"));
    // The unclosed `[` is on line 2; the parser notices it on line 3 (the closing fence).
    assert_eq!(
        problem("bad-yaml.md"),
        "invalid YAML front matter at line 2: did not find expected ',' or ']' in a [...] list"
    );
    assert_eq!(problem("good.md"), "");
    assert_eq!(problem("empty.md"), "");
    let bad = lib.articles.iter().find(|a| a.rel_path == "bad-yaml.md");
    assert_eq!(bad.map(|a| a.meta.title.as_str()), Some("Heading title"));
    let latin = lib.articles.iter().find(|a| a.rel_path == "latin1.md");
    assert_eq!(
        latin.map(|a| a.meta.title.as_str()),
        Some("Caf\u{FFFD} cr\u{FFFD}me")
    );
}

#[test]
fn only_the_head_of_a_large_file_is_read_for_the_list() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let mut big = b"---\ntitle: Big\n---\n".to_vec();
    big.resize(library::BODY_CAP + 10, b'x');
    write(d, "big.md", &big);
    let mut long_front = b"---\ntitle: x\n".to_vec();
    long_front.resize(library::HEAD_CAP * 2, b'#');
    write(d, "long-front.md", &long_front);
    let lib = load(d);
    let big = &lib.articles[0];
    assert_eq!(big.meta.title, "Big");
    assert!(
        big.problems[0].contains("reader shows only its first 16 MiB"),
        "{:?}",
        big.problems
    );
    assert!(lib.articles[1].problems[0].contains("front matter is longer than 64 KiB"));
    // A preview reads the same head as the list, not the whole file.
    let (head, start) = library::read_head(&d.join("big.md")).expect("readable");
    assert_eq!(head.meta.title, "Big");
    assert_eq!(head.problems, big.problems);
    assert!(start.markdown.len() <= library::HEAD_CAP);
    let (_, body) = library::read_article(&d.join("big.md")).expect("readable");
    assert!(body.markdown.len() <= library::BODY_CAP);
    assert!(
        body.problems
            .iter()
            .any(|p| p.contains("only the start is shown"))
    );
}

#[test]
fn utf16_and_bom_and_crlf_are_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "---\r\ntitle: Wide\r\n---\r\n".encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    write(d, "utf16.md", utf16);
    write(
        d,
        "bom.md",
        "\u{FEFF}---  \r\ntitle: Bom\r\ndate: 2020-02-02\r\n---  \r\nbody",
    );
    write(d, "cr.md", "---\rtitle: Old Mac\r---\rbody");
    let lib = load(d);
    let titles: Vec<&str> = lib.articles.iter().map(|a| a.meta.title.as_str()).collect();
    assert_eq!(titles, ["Bom", "Old Mac", "Wide"]);
    assert!(lib.articles.iter().all(|a| a.problems.is_empty()));
}

#[test]
fn sorting_is_newest_first_then_undated_then_by_title() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "2020-01-01-old.md", "# Old");
    write(d, "new.md", "---\ntitle: New\ndate: 2024-01-01\n---\n");
    write(d, "b.md", "# beta");
    write(d, "a.md", "# Alpha");
    write(
        d,
        "same.md",
        "---\ntitle: Also new\ndate: 2024-01-01T09:00:00Z\n---\n",
    );
    let by = |key| {
        library::load(d, key)
            .expect("loads")
            .articles
            .into_iter()
            .map(|a| a.meta.title)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        by(SortKey::Date),
        ["Also new", "New", "Old", "Alpha", "beta"]
    );
    assert_eq!(
        by(SortKey::Title),
        ["Alpha", "Also new", "beta", "New", "Old"]
    );
    assert_eq!(
        by(SortKey::Path),
        ["Old", "Alpha", "beta", "New", "Also new"]
    );
}

#[test]
fn one_file_or_a_missing_path_or_a_non_markdown_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "one.md", "# One");
    write(d, "x.txt", "text");
    let lib = library::load(&d.join("one.md"), SortKey::Date).expect("one file");
    assert_eq!(paths(&lib), ["one.md"]);
    assert!(matches!(
        library::load(&d.join("nope"), SortKey::Date),
        Err(library::LibraryError::NotFound(_))
    ));
    assert!(matches!(
        library::load(&d.join("x.txt"), SortKey::Date),
        Err(library::LibraryError::NotMarkdown(_))
    ));
}

#[test]
fn an_article_deleted_after_listing_is_an_error_not_a_crash() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "gone.md", "# Gone");
    let lib = load(d);
    fs::remove_file(d.join("gone.md")).expect("remove");
    assert!(matches!(
        library::read_article(&lib.articles[0].path),
        Err(library::LibraryError::NotFound(_))
    ));
}

#[test]
fn the_library_never_writes_to_an_article() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "a.md", "---\ntitle: [broken\n---\n");
    let before = fs::metadata(d.join("a.md"))
        .and_then(|m| m.modified())
        .expect("mtime");
    let bytes = fs::read(d.join("a.md")).expect("read");
    load(d);
    let _ = library::read_article(&d.join("a.md"));
    assert_eq!(fs::read(d.join("a.md")).expect("read"), bytes);
    assert_eq!(
        fs::metadata(d.join("a.md"))
            .and_then(|m| m.modified())
            .expect("mtime"),
        before
    );
}
