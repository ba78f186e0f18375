//! `folio print --images`: pictures drawn in a terminal (half-blocks in tmux, in the image's
//! colours), labels everywhere else, with one line on stderr saying why.

use std::fs;
use std::path::Path;

use crate::e2e_images::{Rgb, half_blocks, is_blue, is_red, red_blue};
use crate::support::{Tmux, folio_in, have_tmux, quote};

const BIN: &str = env!("CARGO_BIN_EXE_folio");

/// `pic.md` with a red/blue picture between two lines, a broken one and a remote one.
fn article(dir: &Path) -> std::path::PathBuf {
    fs::create_dir_all(dir.join("img")).expect("img");
    fs::write(dir.join("img/rb.png"), red_blue(400, 200)).expect("png");
    let mut broken = red_blue(64, 64);
    let len = broken.len();
    for b in &mut broken[45..len - 12] {
        *b ^= 0x5A;
    }
    fs::write(dir.join("img/broken.png"), broken).expect("png");
    let path = dir.join("pic.md");
    fs::write(
        &path,
        "---\ntitle: Picture\n---\n\nBEFORE the picture.\n\n![red and blue](img/rb.png)\n\n\
         ![broken one](img/broken.png)\n\n![far away](https://example.com/x.png)\n\n\
         AFTER the picture.\n",
    )
    .expect("article");
    path
}

/// Runs `line` in a fresh tmux pane; returns the pane once `AFTER` shows.
fn in_tmux(line: &str, config: Option<&str>) -> Tmux {
    let tmux = Tmux::start("sleep 60", 100, 40);
    if let Some(config) = config {
        tmux.write_config(config);
    }
    let out = tmux.run(&["respawn-pane", "-k", "-t", "t", line]);
    assert!(out.status.success(), "respawn-pane: {out:?}");
    tmux
}

fn coloured_rows(tmux: &Tmux) -> (Vec<Vec<(Rgb, Rgb)>>, String) {
    let out = tmux.run(&["capture-pane", "-p", "-e", "-N", "-t", "t"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let rows = text
        .lines()
        .map(half_blocks)
        .filter(|cells| cells.len() >= 20)
        .collect();
    (rows, text)
}

#[test]
fn print_images_in_a_terminal_draws_half_blocks_in_the_images_colours() {
    if !have_tmux() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let path = article(dir.path());
    let line = format!(
        "{BIN} print --images --width 60 {}; echo EXITED $?; sleep 60",
        quote(&path)
    );
    let tmux = in_tmux(&line, None);
    let screen = tmux.wait_for("EXITED");
    assert!(screen.contains("EXITED 0"), "{screen}");
    let rows: Vec<&str> = screen.lines().collect();
    let before = rows
        .iter()
        .position(|r| r.contains("BEFORE"))
        .expect("before");
    let caption = rows
        .iter()
        .position(|r| r.contains("[image: red and blue]"))
        .expect("caption");
    // 400×200 pixels in 40 columns of 10×20-pixel cells: 10 rows between the text and the
    // caption, as the reader keeps them.
    assert_eq!(caption - before, 12, "{screen}");
    let (picture, coloured) = coloured_rows(&tmux);
    assert_eq!(picture.len(), 10, "{coloured}");
    for cells in &picture {
        assert_eq!(cells.len(), 40, "{cells:?}");
        let (left, right) = (cells[2], cells[cells.len() - 3]);
        assert!(is_red(left.0) && is_red(left.1), "left {left:?}");
        assert!(is_blue(right.0) && is_blue(right.1), "right {right:?}");
    }
    // The broken picture is its label and why; the remote one a label; the text goes on.
    assert!(
        screen.contains("[image: broken one]") && screen.contains("(a broken image"),
        "{screen}"
    );
    assert!(screen.contains("[image: far away]"), "{screen}");
    assert!(screen.contains("AFTER the picture."), "{screen}");
    assert!(!screen.contains("shown as labels"), "{screen}");
}

#[test]
fn images_off_in_the_config_keeps_labels_even_in_a_terminal() {
    if !have_tmux() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let path = article(dir.path());
    let line = format!(
        "{BIN} print --images --width 60 {}; echo EXITED $?; sleep 60",
        quote(&path)
    );
    let tmux = in_tmux(&line, Some("images = \"off\"\n"));
    let screen = tmux.wait_for("EXITED");
    assert!(screen.contains("EXITED 0"), "{screen}");
    assert!(screen.contains("[image: red and blue]"), "{screen}");
    assert!(
        screen.contains("folio: images are shown as labels: images are off"),
        "{screen}"
    );
    let (picture, coloured) = coloured_rows(&tmux);
    assert!(picture.is_empty(), "{coloured}");
}

#[test]
fn piped_print_images_keeps_labels_writes_only_sgr_and_says_why_once() {
    let dir = tempfile::tempdir().expect("dir");
    let path = article(dir.path());
    for colour in ["always", "never"] {
        let out = folio_in(dir.path())
            .args(["print", "--images", "--color", colour])
            .arg(&path)
            .output()
            .expect("run");
        assert!(out.status.success(), "{out:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("[image: red and blue]"), "{text}");
        assert!(
            !text.contains('▀') && !text.contains('\u{10EEEE}'),
            "{text}"
        );
        // Every ESC starts an SGR (`ESC [ … m`): no picture's bytes, no other sequence.
        for part in text.split('\u{1b}').skip(1) {
            let end = part
                .find(|c: char| !(c == '[' || c.is_ascii_digit() || c == ';'))
                .unwrap_or(part.len());
            assert!(
                part.starts_with('[') && part.get(end..=end) == Some("m"),
                "{part:?}"
            );
        }
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            stderr,
            "folio: images are shown as labels: stdout is not a terminal\n"
        );
    }
    // Without --images nothing is said.
    let out = folio_in(dir.path())
        .arg("print")
        .arg(&path)
        .output()
        .expect("run");
    assert!(out.status.success() && out.stderr.is_empty(), "{out:?}");
}
