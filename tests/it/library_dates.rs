//! Articles without a front-matter date are dated from their address or where they lie, as
//! static-site generators file them: Zola's `path`, Jekyll's `_posts/YYYY-MM-DD-title.md`, Hugo
//! page bundles and `YYYY/MM/DD/` folders.

use std::path::Path;

use folio::library::{self, Date, SortKey};

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

/// Each listed article's path and date, in list order.
fn dates(root: &Path) -> Vec<(String, Option<String>)> {
    let lib = library::load(root, SortKey::Date).expect("loads");
    lib.articles
        .iter()
        .map(|a| (a.rel_path.clone(), a.meta.date.map(|d| d.to_string())))
        .collect()
}

fn date_of(root: &Path, rel: &str) -> Option<String> {
    dates(root)
        .into_iter()
        .find(|(path, _)| path == rel)
        .unwrap_or_else(|| panic!("{rel} listed"))
        .1
}

#[test]
fn a_zola_blog_is_dated_from_its_toml_path_and_sorted_newest_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "content/a-rustup.md",
        "+++\ntitle = \"Announcing Rustup 1.20.0\"\npath = \"2019/10/15/Rustup-1.20.0\"\n+++\n",
    );
    write(
        d,
        "content/b-rust.md",
        "+++\ntitle = \"Announcing Rust 1.40.0\"\npath = \"2019/12/19/Rust-1.40.0\"\n+++\n",
    );
    write(d, "content/c-undated.md", "+++\ntitle = \"About\"\n+++\n");
    assert_eq!(
        dates(d),
        [
            ("content/b-rust.md".into(), Some("2019-12-19".into())),
            ("content/a-rustup.md".into(), Some("2019-10-15".into())),
            ("content/c-undated.md".into(), None),
        ]
    );
}

#[test]
fn slug_permalink_and_url_values_carry_a_date() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "slug.md", "---\nslug: 2020-02-29-leap\n---\n");
    write(d, "permalink.md", "---\npermalink: /2018/01/02/x/\n---\n");
    write(d, "url.md", "---\nurl: https://e.com/2017/03/04/y\n---\n");
    assert_eq!(date_of(d, "slug.md").as_deref(), Some("2020-02-29"));
    assert_eq!(date_of(d, "permalink.md").as_deref(), Some("2018-01-02"));
    assert_eq!(date_of(d, "url.md").as_deref(), Some("2017-03-04"));
}

#[test]
fn jekyll_posts_hugo_bundles_and_date_folders_are_dated() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "_posts/2019-10-15-title.md", "# Jekyll\n");
    write(d, "post/2018-05-06-bundle/index.md", "# Bundle\n");
    write(d, "2017/08/09/folders.md", "# Folders\n");
    write(d, "2016/01/02/bundle/index.md", "# Folders and bundle\n");
    assert_eq!(
        date_of(d, "_posts/2019-10-15-title.md").as_deref(),
        Some("2019-10-15")
    );
    assert_eq!(
        date_of(d, "post/2018-05-06-bundle/index.md").as_deref(),
        Some("2018-05-06")
    );
    assert_eq!(
        date_of(d, "2017/08/09/folders.md").as_deref(),
        Some("2017-08-09")
    );
    assert_eq!(
        date_of(d, "2016/01/02/bundle/index.md").as_deref(),
        Some("2016-01-02")
    );
}

#[test]
fn impossible_dates_in_addresses_and_folders_leave_the_article_undated() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "a.md", "---\npath: 2019/13/40/title\n---\n");
    write(d, "2019/13/40/b.md", "# B\n");
    write(d, "2019-02-30-c.md", "# C\n");
    write(d, "2019-13-01-bundle/index.md", "# D\n");
    for (path, date) in dates(d) {
        assert_eq!(date, None, "{path}");
    }
}

#[test]
fn the_front_matter_date_wins_over_the_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "2019/10/15/2019-10-15-x.md",
        "---\ndate: 2021-01-01\npath: 2020/01/01/x\n---\n",
    );
    assert_eq!(
        date_of(d, "2019/10/15/2019-10-15-x.md").as_deref(),
        Some("2021-01-01")
    );
}

#[test]
fn an_article_opened_alone_has_the_date_the_list_gives_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "2017/08/09/folders.md", "# Folders\n");
    write(d, "post/2018-05-06-bundle/index.md", "# Bundle\n");
    for (rel, date) in [
        ("2017/08/09/folders.md", Date::new(2017, 8, 9)),
        ("post/2018-05-06-bundle/index.md", Date::new(2018, 5, 6)),
    ] {
        let (article, _) = library::read_article(&d.join(rel)).expect("readable");
        assert_eq!(article.meta.date, date, "{rel}");
        let lib = library::load(&d.join(rel), SortKey::Date).expect("loads");
        assert_eq!(lib.articles[0].meta.date, date, "{rel} alone");
    }
}
