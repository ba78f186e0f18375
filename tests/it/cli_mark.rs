//! `folio mark` and the state in `folio list` as a user runs them: marks keyed by the file
//! whatever path names it, the list's new fields and filters, `--no-state`, and a store that
//! cannot be opened.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

use crate::support;

/// A scratch HOME with XDG folders inside, and a small library.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Scratch {
        let dir = tempfile::tempdir().expect("temp dir");
        let lib = dir.path().join("lib");
        fs::create_dir_all(lib.join("sub")).expect("mkdir");
        fs::write(lib.join("alpha.md"), "---\ntitle: Alpha\n---\nFirst.\n").expect("write");
        fs::write(lib.join("sub/beta.md"), "# Beta\n\nSecond.\n").expect("write");
        fs::write(lib.join("gamma.markdown"), "# Gamma\n").expect("write");
        fs::write(lib.join("notes.txt"), "not an article").expect("write");
        Scratch { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn state_dir(&self) -> PathBuf {
        self.path("state/folio")
    }

    fn folio(&self) -> Command {
        let mut std_cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("folio"));
        support::isolate(&mut std_cmd, self.dir.path());
        let mut cmd = Command::from_std(std_cmd);
        cmd.current_dir(self.dir.path());
        cmd
    }

    fn mark(&self, args: &[&str]) {
        self.folio().arg("mark").args(args).assert().success();
    }

    /// `folio list lib --json` and extra flags: path → entry.
    fn list(&self, flags: &[&str]) -> Vec<Value> {
        let out = self
            .folio()
            .args(["list", "lib", "--json", "--sort", "path"])
            .args(flags)
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

    fn entry(&self, rel: &str) -> Value {
        self.list(&[])
            .into_iter()
            .find(|e| e["path"] == rel)
            .unwrap_or_else(|| panic!("{rel} listed"))
    }
}

fn paths(entries: &[Value]) -> Vec<&str> {
    entries
        .iter()
        .map(|e| e["path"].as_str().expect("path"))
        .collect()
}

#[test]
fn list_json_has_state_fields_with_defaults_for_unmarked_articles() {
    let s = Scratch::new();
    let alpha = s.entry("alpha.md");
    assert_eq!(alpha["read"], false);
    assert_eq!(alpha["progress"], 0.0);
    assert_eq!(alpha["saved"], false);
    assert_eq!(alpha["last_opened"], Value::Null);
}

#[test]
fn list_on_a_fresh_machine_creates_no_state() {
    let s = Scratch::new();
    s.list(&[]);
    assert!(!s.path("state").exists(), "folio list wrote a state folder");
}

#[test]
fn mark_read_and_unread_show_in_the_list() {
    let s = Scratch::new();
    s.mark(&["read", "lib/alpha.md", "lib/sub/beta.md"]);
    let alpha = s.entry("alpha.md");
    assert_eq!(
        (alpha["read"].clone(), alpha["progress"].clone()),
        (Value::Bool(true), 1.0.into())
    );
    assert_eq!(s.entry("sub/beta.md")["read"], true);
    assert_eq!(s.entry("gamma.markdown")["read"], false);
    s.mark(&["unread", "lib/alpha.md"]);
    let alpha = s.entry("alpha.md");
    assert_eq!(
        (alpha["read"].clone(), alpha["progress"].clone()),
        (Value::Bool(false), 0.0.into())
    );
}

#[test]
fn mark_saved_and_unsaved_show_in_the_list() {
    let s = Scratch::new();
    s.mark(&["saved", "lib/gamma.markdown"]);
    assert_eq!(s.entry("gamma.markdown")["saved"], true);
    assert_eq!(s.entry("alpha.md")["saved"], false);
    s.mark(&["unsaved", "lib/gamma.markdown"]);
    assert_eq!(s.entry("gamma.markdown")["saved"], false);
}

#[test]
fn marks_are_keyed_by_the_file_whatever_path_names_it() {
    let s = Scratch::new();
    std::os::unix::fs::symlink(s.path("lib"), s.path("link")).expect("symlink");
    // Through `..`, through a symlinked folder, and absolute: one article each time.
    s.mark(&["read", "lib/sub/../alpha.md"]);
    s.mark(&["saved", "link/sub/beta.md"]);
    let absolute = s.path("lib/gamma.markdown");
    s.mark(&["saved", absolute.to_str().expect("utf-8 temp path")]);
    assert_eq!(s.entry("alpha.md")["read"], true);
    assert_eq!(s.entry("sub/beta.md")["saved"], true);
    assert_eq!(s.entry("gamma.markdown")["saved"], true);
    // Listing the library through the link sees the same marks.
    let out = s
        .folio()
        .args(["list", "link", "--json", "--saved"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let items: Vec<Value> = serde_json::from_slice(&out.stdout).expect("json");
    let mut saved = paths(&items);
    saved.sort_unstable();
    assert_eq!(saved, vec!["gamma.markdown", "sub/beta.md"]);
}

#[test]
fn a_renamed_article_keeps_its_mark_in_the_list() {
    let s = Scratch::new();
    s.mark(&["saved", "lib/alpha.md"]);
    fs::rename(s.path("lib/alpha.md"), s.path("lib/sub/renamed.md")).expect("rename");
    assert_eq!(s.entry("sub/renamed.md")["saved"], true);
}

#[test]
fn list_unread_and_saved_filter_and_combine() {
    let s = Scratch::new();
    s.mark(&["read", "lib/alpha.md"]);
    s.mark(&["saved", "lib/alpha.md", "lib/sub/beta.md"]);
    assert_eq!(
        paths(&s.list(&["--unread"])),
        vec!["gamma.markdown", "sub/beta.md"]
    );
    assert_eq!(
        paths(&s.list(&["--saved"])),
        vec!["alpha.md", "sub/beta.md"]
    );
    assert_eq!(
        paths(&s.list(&["--unread", "--saved"])),
        vec!["sub/beta.md"]
    );
    // The columns output filters the same way.
    let out = s
        .folio()
        .args(["list", "lib", "--unread", "--saved"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("sub/beta.md"), "{text}");
}

#[test]
fn mark_a_missing_file_is_one_line_and_exit_2_and_marks_nothing() {
    let s = Scratch::new();
    let out = s
        .folio()
        .args(["mark", "read", "lib/alpha.md", "lib/missing.md"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("lib/missing.md") && stderr.contains("no such file"),
        "{stderr}"
    );
    assert_eq!(
        s.entry("alpha.md")["read"],
        false,
        "checked all before writing any"
    );
}

#[test]
fn mark_a_file_that_is_not_markdown_or_a_folder_is_exit_2() {
    let s = Scratch::new();
    for (arg, says) in [
        ("lib/notes.txt", "not a Markdown file"),
        ("lib/sub", "a folder"),
    ] {
        let out = s
            .folio()
            .args(["mark", "saved", arg])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{arg}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(arg) && stderr.contains(says), "{stderr}");
    }
}

#[test]
fn mark_with_no_state_is_a_usage_error_and_writes_nothing() {
    let s = Scratch::new();
    let out = s
        .folio()
        .args(["--no-state", "mark", "read", "lib/alpha.md"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--no-state"));
    assert!(!s.path("state").exists());
}

#[test]
fn list_with_no_state_neither_reads_nor_writes_the_store() {
    let s = Scratch::new();
    s.mark(&["read", "lib/alpha.md"]);
    let before = fs::read(s.state_dir().join("state.sqlite3")).expect("store");
    let items = s.list(&["--no-state"]);
    let alpha = items
        .iter()
        .find(|e| e["path"] == "alpha.md")
        .expect("alpha");
    assert_eq!(alpha["read"], false, "the store was not read");
    assert_eq!(paths(&s.list(&["--no-state", "--unread"])).len(), 3);
    let after = fs::read(s.state_dir().join("state.sqlite3")).expect("store");
    assert_eq!(before, after);
    let names: Vec<_> = fs::read_dir(s.state_dir()).expect("dir").collect();
    assert_eq!(names.len(), 1, "no -wal or -shm appeared");
}

/// A plain file where the state folder should be.
fn block_state_folder(s: &Scratch) {
    fs::create_dir_all(s.path("state")).expect("mkdir");
    fs::write(s.state_dir(), "in the way").expect("blocker");
}

#[test]
fn list_works_with_one_warning_when_the_store_cannot_be_opened() {
    let s = Scratch::new();
    block_state_folder(&s);
    let out = s
        .folio()
        .args(["list", "lib", "--json"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("warning") && stderr.contains("state folder"),
        "{stderr}"
    );
    let items: Vec<Value> = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(items.len(), 3);
}

#[test]
fn mark_fails_with_exit_1_and_the_reason_when_the_store_cannot_be_opened() {
    let s = Scratch::new();
    block_state_folder(&s);
    let out = s
        .folio()
        .args(["mark", "read", "lib/alpha.md"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("cannot record") && stderr.contains("state folder"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(s.state_dir()).expect("blocker"),
        "in the way"
    );
}

#[test]
fn folio_state_dir_overrides_the_xdg_folder() {
    let s = Scratch::new();
    let custom = s.path("custom-state");
    s.folio()
        .env("FOLIO_STATE_DIR", &custom)
        .args(["mark", "saved", "lib/alpha.md"])
        .assert()
        .success();
    assert!(custom.join("state.sqlite3").exists());
    assert!(!s.path("state").exists());
    assert_eq!(
        s.entry("alpha.md")["saved"],
        false,
        "the XDG store is another one"
    );
    let out = s
        .folio()
        .env("FOLIO_STATE_DIR", &custom)
        .args(["list", "lib", "--json", "--saved"])
        .output()
        .expect("runs");
    let items: Vec<Value> = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(paths(&items), vec!["alpha.md"]);
}

#[test]
fn a_corrupt_store_is_moved_aside_with_one_notice_and_list_still_works() {
    let s = Scratch::new();
    s.mark(&["read", "lib/alpha.md"]);
    fs::write(s.state_dir().join("state.sqlite3"), vec![0x5a; 10_000]).expect("garbage");
    let out = s
        .folio()
        .args(["list", "lib", "--json"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("corrupt-"), "{stderr}");
    let again = s.folio().args(["list", "lib"]).output().expect("runs");
    assert!(again.stderr.is_empty(), "the notice is given once");
    let kept = fs::read_dir(s.state_dir())
        .expect("dir")
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy().contains(".corrupt-"));
    assert!(kept);
}

#[test]
fn mark_never_writes_to_the_library() {
    let s = Scratch::new();
    let snapshot = |root: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        let mut files: Vec<(PathBuf, Vec<u8>)> = walk(root)
            .into_iter()
            .map(|p| {
                let bytes = fs::read(&p).expect("read");
                (p, bytes)
            })
            .collect();
        files.sort();
        files
    };
    let before = snapshot(&s.path("lib"));
    s.mark(&["read", "lib/alpha.md"]);
    s.mark(&["saved", "lib/sub/beta.md"]);
    s.list(&[]);
    assert_eq!(snapshot(&s.path("lib")), before);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).expect("read dir").filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
