//! Pictures in a real terminal: with `images = "halfblocks"`, a two-colour PNG shows as
//! half-block cells in its colours, under the text that was there before it arrived.

use std::fs;

use crate::support::{Tmux, have_tmux, quote, xterm_rgb};

const BIN: &str = env!("CARGO_BIN_EXE_folio");

pub type Rgb = (u8, u8, u8);

/// A PNG whose left half is red and right half blue.
pub fn red_blue(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, _| {
        if x < width / 2 {
            image::Rgb([255, 0, 0])
        } else {
            image::Rgb([0, 0, 255])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("encode png");
    out.into_inner()
}

/// The (upper, lower) pixel colours of each cell of a `capture-pane -e` row that has a
/// background colour: a half-block's upper half is its foreground, a blank cell is all
/// background (what half-blocks draw where both halves match).
pub fn half_blocks(row: &str) -> Vec<(Rgb, Rgb)> {
    let mut cells = Vec::new();
    let (mut fg, mut bg) = ((0, 0, 0), (0, 0, 0));
    let mut has_bg = false;
    let mut rest = row;
    while let Some(c) = rest.chars().next() {
        if let Some(sgr) = rest.strip_prefix("\x1b[") {
            let end = sgr.find('m').unwrap_or(sgr.len());
            let params: Vec<u16> = sgr[..end]
                .split(';')
                .filter_map(|p| p.parse().ok())
                .collect();
            let mut i = 0;
            while i < params.len() {
                let rgb = |at: usize| -> Option<((u8, u8, u8), usize)> {
                    match params.get(at + 1) {
                        Some(2) => Some((
                            (
                                *params.get(at + 2)? as u8,
                                *params.get(at + 3)? as u8,
                                *params.get(at + 4)? as u8,
                            ),
                            5,
                        )),
                        Some(5) => Some((xterm_rgb(*params.get(at + 2)? as u8), 3)),
                        _ => None,
                    }
                };
                match params[i] {
                    0 | 49 => {
                        if params[i] == 0 {
                            fg = (0, 0, 0);
                        }
                        bg = (0, 0, 0);
                        has_bg = false;
                        i += 1;
                    }
                    38 | 48 => match rgb(i) {
                        Some((colour, used)) => {
                            if params[i] == 38 {
                                fg = colour;
                            } else {
                                bg = colour;
                                has_bg = true;
                            }
                            i += used;
                        }
                        None => i += 1,
                    },
                    _ => i += 1,
                }
            }
            rest = &sgr[(end + 1).min(sgr.len())..];
            continue;
        }
        if has_bg {
            cells.push(match c {
                '▀' => (fg, bg),
                '▄' => (bg, fg),
                _ => (bg, bg),
            });
        }
        rest = &rest[c.len_utf8()..];
    }
    cells
}

pub fn is_red(c: (u8, u8, u8)) -> bool {
    c.0 > 150 && c.1 < 80 && c.2 < 80
}

pub fn is_blue(c: (u8, u8, u8)) -> bool {
    c.2 > 150 && c.0 < 80 && c.1 < 80
}

#[test]
fn halfblocks_show_a_two_colour_png_in_its_colours() {
    if !have_tmux() {
        return;
    }
    let tmux = Tmux::start("sleep 60", 100, 30);
    tmux.write_config("images = \"halfblocks\"\n");
    let lib = tmux.path("lib");
    fs::create_dir_all(lib.join("img")).expect("lib");
    fs::write(lib.join("img/rb.png"), red_blue(400, 200)).expect("png");
    fs::write(
        lib.join("pic.md"),
        "---\ntitle: Picture\n---\n\nBEFORE the picture.\n\n![red and blue](img/rb.png)\n\nAFTER the picture.\n",
    )
    .expect("article");
    let line = format!(
        "cd {} && {} {}; sleep 60",
        quote(tmux.dir.path()),
        BIN,
        quote(&lib.join("pic.md"))
    );
    let out = tmux.run(&["respawn-pane", "-k", "-t", "t", &line]);
    assert!(out.status.success(), "respawn-pane: {out:?}");
    let screen = tmux.wait_for("AFTER the picture");
    assert!(screen.contains("[image: red and blue]"), "{screen}");
    let rows: Vec<String> = screen.lines().map(str::to_owned).collect();
    let before = rows
        .iter()
        .position(|r| r.contains("BEFORE"))
        .expect("before");
    let caption = rows
        .iter()
        .position(|r| r.contains("[image:"))
        .expect("caption");
    // 400×200 pixels in 40 columns of 10×20-pixel cells: 10 rows, kept between the two.
    assert_eq!(caption - before, 12, "{screen}");
    let coloured_rows = || -> (Vec<Vec<_>>, String) {
        let out = tmux.run(&["capture-pane", "-p", "-e", "-N", "-t", "t"]);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let rows = text
            .lines()
            .map(half_blocks)
            .filter(|cells| cells.len() >= 20)
            .collect();
        (rows, text)
    };
    let start = std::time::Instant::now();
    let (picture, coloured) = loop {
        let (rows, text) = coloured_rows();
        if rows.len() >= 10 || start.elapsed() > crate::support::TIMEOUT {
            break (rows, text);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert_eq!(picture.len(), 10, "{coloured}");
    // The text did not move when the picture arrived.
    assert!(
        tmux.capture()
            .lines()
            .nth(caption)
            .is_some_and(|r| r.contains("[image:"))
    );
    for cells in &picture {
        assert_eq!(cells.len(), 40, "{cells:?}");
        let (left, right) = (cells[2], cells[cells.len() - 3]);
        assert!(is_red(left.0) && is_red(left.1), "left {left:?}");
        assert!(is_blue(right.0) && is_blue(right.1), "right {right:?}");
    }
    // Enter on the picture shows it full-screen; Esc returns to the text.
    tmux.send(&["Tab", "Enter"]);
    tmux.wait_until("full screen", |s| {
        s.contains("red and blue") && s.contains("back to the text") && !s.contains("AFTER")
    });
    tmux.send(&["Escape"]);
    tmux.wait_for("AFTER the picture");
}
