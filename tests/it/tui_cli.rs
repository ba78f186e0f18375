//! The interactive command's failures before it takes the terminal: one line, exit status 2.

use assert_cmd::Command;
use predicates::prelude::*;

use crate::support;

fn folio() -> Command {
    let mut cmd = Command::cargo_bin("folio").expect("the folio binary");
    cmd.envs(support::private_env());
    for name in support::USER_ENV {
        cmd.env_remove(name);
    }
    cmd
}

#[test]
fn a_missing_folder_is_a_one_line_error_with_status_2() {
    folio()
        .arg("/no/such/folder/for/folio")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::starts_with("folio: "))
        .stderr(predicate::str::contains("no such file or folder"))
        .stderr(predicate::function(|s: &str| s.lines().count() == 1));
}

#[test]
fn a_file_that_is_not_markdown_is_refused_before_the_terminal_is_taken() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "hello").expect("write");
    folio()
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a Markdown file"));
}

#[test]
fn piped_a_folder_is_listed_and_a_file_printed_as_bat_and_glow_do() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("a.md");
    std::fs::write(&file, "---\ntitle: Alpha Piped\n---\n\nThe body text.\n").expect("write");
    folio()
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("Alpha Piped"))
        .stdout(predicate::str::contains("a.md"));
    folio()
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("Alpha Piped"))
        .stdout(predicate::str::contains("The body text."));
}

#[test]
fn with_a_terminal_out_but_none_in_the_reader_says_what_to_use_instead() {
    // stdout a terminal is not available here; stdin not one is enough to refuse, and the
    // message names the commands that work without one. (`script` gives us a tty for stdout.)
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("NOTICE: script(1) not found; skipping");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("a.md"), "# A\n").expect("write");
    let bin = assert_cmd::cargo::cargo_bin("folio");
    let out = std::process::Command::new("script")
        .args(["-qec"])
        .arg(format!(
            "{} {} < /dev/null",
            bin.display(),
            dir.path().display()
        ))
        .arg("/dev/null")
        .envs(support::private_env())
        .output()
        .expect("script runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("folio list"), "{text}");
}

#[test]
fn a_bad_folio_width_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    folio()
        .arg(dir.path())
        .env("FOLIO_WIDTH", "wide")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("FOLIO_WIDTH"));
}

#[test]
fn completions_and_the_man_page_are_generated() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        folio()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("folio"))
            .stdout(predicate::str::contains("print"));
    }
    folio()
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::starts_with(".ie"))
        .stdout(predicate::str::contains(".TH folio 1"));
    folio().args(["completions", "tcsh"]).assert().code(2);
}
