//! `folio config` and `--check` as a user runs them: the printed file, its round trip, the
//! errors and where the file is looked for.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

use crate::support;

/// folio with HOME and the XDG folders in `home`.
fn folio(home: &Path) -> Command {
    support::folio_in(home)
}

fn write_config(home: &Path, text: &str) -> std::path::PathBuf {
    let dir = home.join("config").join("folio");
    std::fs::create_dir_all(&dir).expect("config dir");
    let path = dir.join("config.toml");
    std::fs::write(&path, text).expect("config");
    path
}

fn stdout(cmd: &mut Command) -> String {
    let out = cmd.output().expect("runs");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn without_a_file_config_prints_the_defaults_and_check_passes() {
    let home = tempfile::tempdir().expect("temp dir");
    let text = stdout(folio(home.path()).arg("config"));
    assert!(text.contains("width = 100"), "{text}");
    assert!(text.contains("theme = \"auto\""), "{text}");
    assert!(text.contains("[keys.reader]"), "{text}");
    assert!(text.contains("\"ctrl-d\" = \"half_page_down\""), "{text}");
    folio(home.path())
        .args(["config", "--check"])
        .assert()
        .success()
        .stdout(predicate::str::contains("OK"));
}

#[test]
fn the_printed_config_passes_check_and_means_the_same() {
    let home = tempfile::tempdir().expect("temp dir");
    write_config(
        home.path(),
        "width = 72\ntheme = \"light\"\n[keys.list]\n\"x\" = \"quit\"\n\"q\" = \"none\"\n",
    );
    let printed = stdout(folio(home.path()).arg("config"));
    assert!(printed.contains("width = 72") && printed.contains("\"x\" = \"quit\""));
    let other = tempfile::tempdir().expect("temp dir");
    let file = other.path().join("printed.toml");
    std::fs::write(&file, &printed).expect("write");
    folio(other.path())
        .arg("--config")
        .arg(&file)
        .args(["config", "--check"])
        .assert()
        .success();
    let again = stdout(folio(other.path()).arg("--config").arg(&file).arg("config"));
    // The same configuration: printed again, only the source line differs.
    let body = |t: &str| t.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert_eq!(body(&again), body(&printed));
}

#[test]
fn check_lists_each_problem_with_file_and_line_and_exits_1() {
    let home = tempfile::tempdir().expect("temp dir");
    write_config(
        home.path(),
        "width = 5\n[keys.reader]\n\"ctrl-q\" = \"fly\"\n\"hyper-x\" = \"quit\"\n",
    );
    let out = folio(home.path())
        .args(["config", "--check"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(lines[0].contains("config.toml:1:") && lines[0].contains("`width`"));
    assert!(lines[1].contains("config.toml:3:") && lines[1].contains("unknown command `fly`"));
    assert!(lines[2].contains("config.toml:4:") && lines[2].contains("unknown modifier"));
}

#[test]
fn a_missing_config_named_on_the_command_line_is_exit_2() {
    let home = tempfile::tempdir().expect("temp dir");
    folio(home.path())
        .args(["--config", "/no/such/folio.toml", "config"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no such config file"));
    folio(home.path())
        .env("FOLIO_CONFIG", "/no/such/folio.toml")
        .arg("config")
        .assert()
        .code(2);
}

#[test]
fn flags_beat_the_environment_which_beats_the_file() {
    let home = tempfile::tempdir().expect("temp dir");
    write_config(home.path(), "width = 70\ntheme = \"dark\"\n");
    let from_file = stdout(folio(home.path()).arg("config"));
    assert!(from_file.contains("width = 70") && from_file.contains("theme = \"dark\""));
    let from_env = stdout(
        folio(home.path())
            .env("FOLIO_WIDTH", "80")
            .env("FOLIO_THEME", "light")
            .arg("config"),
    );
    assert!(from_env.contains("width = 80") && from_env.contains("theme = \"light\""));
    let from_flag = stdout(
        folio(home.path())
            .env("FOLIO_WIDTH", "80")
            .args(["--width", "90", "--theme", "mine", "config"]),
    );
    assert!(from_flag.contains("width = 90") && from_flag.contains("theme = \"mine\""));
}

#[test]
fn hostile_config_files_never_crash_or_reach_the_terminal() {
    let home = tempfile::tempdir().expect("temp dir");
    let cases: Vec<Vec<u8>> = vec![
        b"[[[[[[[[[[".to_vec(),
        vec![0xff, 0xfe, 0x00, 0x1b],
        "\"\u{1b}]0;owned\u{7}\" = 1\n".into(),
        "[keys.list]\n\"\u{1b}[2J\" = \"\u{9b}31m\"\n".into(),
        format!("width = {}\n", "9".repeat(400)).into_bytes(),
        "a = [".repeat(5000).into_bytes(),
        "x = { y = { z = { w = 1 } } }\n".into(),
    ];
    for bytes in cases {
        let path = home.path().join("c.toml");
        std::fs::write(&path, &bytes).expect("write");
        let out = folio(home.path())
            .arg("--config")
            .arg(&path)
            .args(["config", "--check"])
            .output()
            .expect("runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{bytes:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(
            !err.contains('\u{1b}') && !err.contains('\u{9b}'),
            "{err:?}"
        );
        assert!(!err.contains('\u{7}'), "{err:?}");
    }
}
