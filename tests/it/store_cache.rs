//! The list cache as a user meets it: the same list with or without it, changes seen at
//! once, and a broken or deleted cache costing nothing but time.

use std::path::Path;

use assert_cmd::Command;

use crate::support;

fn folio(home: &Path) -> Command {
    support::folio_in(home)
}

fn list(home: &Path, lib: &Path, extra: &[&str]) -> String {
    let out = folio(home)
        .arg("list")
        .arg(lib)
        .arg("--json")
        .args(extra)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn library(dir: &Path) {
    std::fs::create_dir_all(dir.join("sub")).expect("lib");
    for i in 0..20 {
        std::fs::write(
            dir.join(format!("a{i:02}.md")),
            format!(
                "---\ntitle: Article {i}\ndate: 2024-01-{:02}\ntags: [t{i}]\n---\n\nBody {i}.\n",
                i + 1
            ),
        )
        .expect("article");
    }
    std::fs::write(dir.join("sub/broken.md"), "---\ntitle: [unclosed\n---\nx\n").expect("broken");
}

#[test]
fn a_cached_list_is_the_same_list_and_changes_show_at_once() {
    let home = tempfile::tempdir().expect("home");
    let lib = home.path().join("lib");
    library(&lib);
    let uncached = list(home.path(), &lib, &["--no-state"]);
    assert!(
        !home.path().join("cache").exists(),
        "--no-state keeps no cache"
    );
    let first = list(home.path(), &lib, &[]);
    assert!(home.path().join("cache/folio/cache.sqlite3").exists());
    let second = list(home.path(), &lib, &[]);
    assert_eq!(first, uncached);
    assert_eq!(
        second, uncached,
        "from the cache, the same entries and problems"
    );
    // An edited, an added and a removed article.
    std::fs::write(
        lib.join("a03.md"),
        "---\ntitle: Renamed Three, longer\n---\n\nNew body.\n",
    )
    .expect("edit");
    std::fs::write(lib.join("new.md"), "---\ntitle: Brand New\n---\n\nHello.\n").expect("add");
    std::fs::remove_file(lib.join("a04.md")).expect("remove");
    let after = list(home.path(), &lib, &[]);
    assert!(after.contains("Renamed Three, longer") && !after.contains("\"Article 3\""));
    assert!(after.contains("Brand New"));
    assert!(!after.contains("\"Article 4\""));
    assert_eq!(after, list(home.path(), &lib, &["--no-state"]));
}

#[test]
fn a_broken_or_deleted_cache_costs_nothing_but_time() {
    let home = tempfile::tempdir().expect("home");
    let lib = home.path().join("lib");
    library(&lib);
    let expected = list(home.path(), &lib, &["--no-state"]);
    list(home.path(), &lib, &[]);
    let file = home.path().join("cache/folio/cache.sqlite3");
    std::fs::write(&file, b"this is not a database at all, just some bytes").expect("garbage");
    let _ = std::fs::remove_file(home.path().join("cache/folio/cache.sqlite3-wal"));
    assert_eq!(list(home.path(), &lib, &[]), expected);
    assert_eq!(list(home.path(), &lib, &[]), expected);
    std::fs::remove_dir_all(home.path().join("cache")).expect("delete");
    assert_eq!(list(home.path(), &lib, &[]), expected);
    // A file where the cache folder should be: listed without a cache.
    std::fs::remove_dir_all(home.path().join("cache")).expect("delete");
    std::fs::write(home.path().join("cache"), b"a file").expect("file");
    assert_eq!(list(home.path(), &lib, &[]), expected);
}
