//! The facts the library draws from an article's body: a summary for an article without a
//! description, and its reading time, exact when the whole file was read and estimated from
//! the file's size when the list read only its head.

use std::path::Path;

use folio::library::{self, HEAD_CAP, SortKey};

fn write(root: &Path, rel: &str, text: &str) {
    std::fs::write(root.join(rel), text).expect("write");
}

fn listed(root: &Path, rel: &str) -> library::Article {
    let lib = library::load(root, SortKey::Path).expect("loads");
    lib.articles
        .into_iter()
        .find(|a| a.rel_path == rel)
        .unwrap_or_else(|| panic!("{rel} listed"))
}

#[test]
fn an_article_without_a_description_gets_its_first_sentence_as_summary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "post.md",
        "---\ntitle: Rustup 1.20.0\npath: 2019/10/15/Rustup-1.20.0\n---\n\
         {{< toc >}}\n\nThe rustup working group is happy to announce the release of rustup \
         version 1.20.0. Rustup is the recommended tool.\n",
    );
    let article = listed(d, "post.md");
    assert_eq!(article.meta.description, None);
    let summary =
        "The rustup working group is happy to announce the release of rustup version 1.20.0.";
    assert_eq!(article.meta.summary.as_deref(), Some(summary));
    assert_eq!(article.meta.blurb(), Some(summary));
    let (read, _) = library::read_article(&d.join("post.md")).expect("readable");
    assert_eq!(read.meta.summary, article.meta.summary);
}

#[test]
fn a_description_is_kept_raw_and_no_summary_is_made() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "post.md",
        "---\ndescription: About `async fn`\n---\nThe body starts here.\n",
    );
    let article = listed(d, "post.md");
    assert_eq!(
        article.meta.description.as_deref(),
        Some("About `async fn`")
    );
    assert_eq!(article.meta.summary, None);
    assert_eq!(article.meta.blurb(), Some("About `async fn`"));
}

#[test]
fn hugo_docs_summaries_skip_headings_and_shortcodes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "hugo_build.md",
        "---\ntitle: hugo build\nurl: /commands/hugo_build/\n---\n## hugo build\n\n\
         {{% note %}}\nBuild your site\n{{% /note %}}\n\n### Synopsis\n\nhugo is the main command.\n",
    );
    let article = listed(d, "hugo_build.md");
    assert_eq!(article.meta.summary.as_deref(), Some("Build your site"));
    assert_eq!(article.meta.source, None);
}

#[test]
fn reading_time_counts_the_body_at_230_words_a_minute() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let words = "word ".repeat(230 * 7);
    write(
        d,
        "seven.md",
        &format!("---\ntitle: Seven\n---\n# Seven\n\n{words}\n"),
    );
    write(d, "empty.md", "");
    assert_eq!(listed(d, "seven.md").meta.minutes, 7);
    assert_eq!(listed(d, "empty.md").meta.minutes, 1);
    let (read, _) = library::read_article(&d.join("seven.md")).expect("readable");
    assert_eq!(read.meta.minutes, 7);
}

#[test]
fn reading_time_of_a_file_larger_than_the_head_cap_is_estimated_from_its_size() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    // 60 000 words of 7 bytes each (420 KB, over six times the head cap): 261 minutes.
    let body = "lorem, ".repeat(60_000);
    assert!(body.len() > 6 * HEAD_CAP);
    write(d, "long.md", &format!("---\ntitle: Long\n---\n{body}\n"));
    let listed = listed(d, "long.md");
    let (read, _) = library::read_article(&d.join("long.md")).expect("readable");
    assert_eq!(read.meta.minutes, 261, "the reader counts every word");
    let estimate = i64::from(listed.meta.minutes);
    assert!(
        (estimate - 261).abs() <= 3,
        "the list estimates from the size: {estimate}"
    );
    assert!(listed.problems.is_empty(), "{:?}", listed.problems);
}
