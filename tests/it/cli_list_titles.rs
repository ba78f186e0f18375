//! Titles with inline Markdown in `folio list`: shown without their marks in the columns, kept
//! raw in `--json`, searched as shown.

use std::fs;

use assert_cmd::Command;

use crate::support;

fn list(dir: &std::path::Path, args: &[&str]) -> String {
    let mut cmd = Command::cargo_bin("folio").expect("binary built");
    cmd.envs(support::private_env());
    for name in support::USER_ENV {
        cmd.env_remove(name);
    }
    let out = cmd.arg("list").arg(dir).args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn inline_markdown_is_plain_in_columns_raw_in_json_and_searched_as_shown() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(
        dir.path().join("a.md"),
        "---\ntitle: \"Why `async fn` took *years*\"\n---\n\nBody.\n",
    )
    .expect("write");
    fs::write(
        dir.path().join("b.md"),
        "---\ntitle: \"1. Not a list\"\n---\n\nBody.\n",
    )
    .expect("write");
    let columns = list(dir.path(), &[]);
    assert!(columns.contains("Why async fn took years"), "{columns}");
    assert!(!columns.contains('`'), "{columns}");
    assert!(columns.contains("1. Not a list"), "{columns}");
    let json = list(dir.path(), &["--json"]);
    assert!(json.contains("Why `async fn` took *years*"), "{json}");
    let found = list(dir.path(), &["--search", "async fn took"]);
    assert!(found.contains("Why async fn took years"), "{found}");
}
