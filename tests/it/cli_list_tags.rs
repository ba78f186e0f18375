//! `folio list --tag`: the articles carrying every tag named, case and accents ignored.

use std::fs;

use assert_cmd::Command;
use serde_json::Value;

use crate::support;

fn titles(dir: &std::path::Path, args: &[&str]) -> Vec<String> {
    let mut cmd = Command::cargo_bin("folio").expect("binary built");
    cmd.envs(support::private_env());
    for name in support::USER_ENV {
        cmd.env_remove(name);
    }
    let out = cmd
        .arg("list")
        .arg(dir)
        .args(args)
        .args(["--json", "--sort", "title"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let items: Vec<Value> = serde_json::from_slice(&out.stdout).expect("JSON");
    items
        .iter()
        .filter_map(|i| i["title"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn tags_filter_case_and_accents_ignored_and_every_tag_must_match() {
    let dir = tempfile::tempdir().expect("tempdir");
    let write = |name: &str, front: &str| {
        fs::write(
            dir.path().join(name),
            format!("---\n{front}\n---\n\nBody.\n"),
        )
        .expect("write")
    };
    write("a.md", "title: Alpha\ntags: [Rust, cli]");
    write("b.md", "title: Beta\ncategories: [rust]");
    write("c.md", "title: Gamma\nkeywords: go, CLI");
    write("d.md", "title: Delta");
    assert_eq!(titles(dir.path(), &["--tag", "rust"]), ["Alpha", "Beta"]);
    assert_eq!(titles(dir.path(), &["--tag", "RÚST"]), ["Alpha", "Beta"]);
    assert_eq!(titles(dir.path(), &["--tag", "cli"]), ["Alpha", "Gamma"]);
    assert_eq!(
        titles(dir.path(), &["--tag", "rust", "--tag", "CLI"]),
        ["Alpha"]
    );
    assert!(titles(dir.path(), &["--tag", "python"]).is_empty());
    // With a title search: both must hold.
    assert_eq!(
        titles(dir.path(), &["--tag", "cli", "--search", "gam"]),
        ["Gamma"]
    );
}
