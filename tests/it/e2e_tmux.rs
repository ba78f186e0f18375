//! The real binary in a real terminal: tmux sessions on a private socket, keys sent with
//! send-keys, the screen read with capture-pane and polled until it shows what we expect.
//! Skipped (with a notice) only when tmux is not installed.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::{TIMEOUT, Tmux, have_tmux, quote};

const BIN: &str = env!("CARGO_BIN_EXE_folio");

/// Writes the fixture library and the recording browser into the session's folder.
fn fixtures(tmux: &Tmux) -> PathBuf {
    let lib = tmux.path("lib");
    fs::create_dir_all(&lib).expect("lib dir");
    fs::write(
        lib.join("2024-01-01-alpha.md"),
        "---\ntitle: Alpha Article About Gardens\ndescription: Soil, seeds and patience.\n\
         date: 2024-01-01\ntags: [garden]\nsource: https://example.org/alpha\n---\n\n\
         STARTMARK one two three four five six seven eight nine ten eleven twelve ENDMARK\n\n\
         A paragraph with [the first link](https://example.org/first-link) and \
         [the second](2024-02-02-beta.md).\n",
    )
    .expect("alpha");
    fs::write(
        lib.join("2024-02-02-beta.md"),
        "---\ntitle: Beta Notes On Zebras\ndescription: Stripes.\ndate: 2024-02-02\n---\n\n\
         ## Stripes\n\nZebra text here.\n",
    )
    .expect("beta");
    fs::write(
        lib.join("2024-03-03-gamma.md"),
        "---\ntitle: Gamma Rays Explained\ndate: 2024-03-03\n---\n\nBright.\n",
    )
    .expect("gamma");
    let record = tmux.path("record.sh");
    fs::write(
        &record,
        format!(
            // The noise must not reach folio's screen: the browser's output is not ours.
            "#!/bin/sh\nprintf '%s\\n' \"$1\" >> {}\necho BROWSER-NOISE; echo BROWSER-NOISE >&2\n",
            quote(&tmux.path("opened"))
        ),
    )
    .expect("record.sh");
    let mut perms = fs::metadata(&record).expect("meta").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    fs::set_permissions(&record, perms).expect("chmod");
    lib
}

/// The shell line that runs folio, then records its exit code and the terminal state.
fn wrapped(tmux: &Tmux, env: &str, target: &Path) -> String {
    format!(
        "cd {dir} && env BROWSER={browser} FOLIO_TEST_EXIT_LOG=exits {env} sh -c 'echo $$ > pid; exec {bin} \"$1\"' sh {target}; \
         echo $? > code.tmp; stty -a > stty; mv code.tmp code; sleep 60",
        dir = quote(tmux.dir.path()),
        browser = quote(&tmux.path("record.sh")),
        bin = BIN,
        target = quote(target),
    )
}

/// A session running folio over the fixture library.
fn folio(env: &str, width: u16, height: u16) -> Option<Tmux> {
    if !have_tmux() {
        return None;
    }
    // Start a shell first so the fixtures exist before folio looks.
    let tmux = Tmux::start("sleep 60", width, height);
    let lib = fixtures(&tmux);
    let line = wrapped(&tmux, env, &lib);
    let out = tmux.run(&["respawn-pane", "-k", "-t", "t", &line]);
    assert!(out.status.success(), "respawn-pane: {out:?}");
    Some(tmux)
}

#[test]
fn list_shows_the_articles_and_q_restores_the_terminal() {
    let Some(tmux) = folio("", 100, 30) else {
        return;
    };
    let screen = tmux.wait_for("Gamma Rays Explained");
    assert!(screen.contains("Alpha Article About Gardens"));
    assert!(screen.contains("Beta Notes On Zebras"));
    assert!(screen.contains("3 articles"));
    assert_eq!(tmux.format("#{alternate_on}"), "1");
    tmux.send(&["q"]);
    assert_eq!(tmux.wait_exit(), "0");
    tmux.assert_restored();
}

#[test]
fn slash_and_a_word_filter_the_list() {
    let Some(tmux) = folio("", 100, 30) else {
        return;
    };
    tmux.wait_for("Gamma Rays Explained");
    tmux.send(&["/"]);
    tmux.type_text("zebra");
    let screen = tmux.wait_for("1/1 of 3");
    assert!(screen.contains("Beta Notes On Zebras"));
    assert!(!screen.contains("Gamma Rays Explained"));
    tmux.send(&["Escape"]);
    tmux.wait_for("Gamma Rays Explained");
    tmux.send(&["C-c"]);
    assert_eq!(tmux.wait_exit(), "0");
    tmux.assert_restored();
}

#[test]
fn enter_opens_an_article_and_o_and_tab_enter_open_links() {
    let Some(tmux) = folio("", 100, 30) else {
        return;
    };
    tmux.wait_for("Gamma Rays Explained");
    tmux.send(&["/"]);
    tmux.type_text("alpha");
    tmux.wait_for("1/1 of 3");
    tmux.send(&["Enter"]);
    tmux.wait_for("STARTMARK");
    tmux.send(&["o"]);
    tmux.wait_file("opened", |t| t.contains("https://example.org/alpha\n"));
    tmux.send(&["Tab"]);
    tmux.wait_for("https://example.org/first-link");
    tmux.send(&["Enter"]);
    tmux.wait_file("opened", |t| t.contains("https://example.org/first-link\n"));
    let screen = tmux.wait_for("Opened https://example.org/first-link");
    assert!(!screen.contains("BROWSER-NOISE"), "{screen}");
    // The second link is another article of the library; back returns to this one.
    tmux.send(&["Tab"]);
    tmux.send(&["Enter"]);
    tmux.wait_for("Zebra text here");
    tmux.send(&["q"]);
    tmux.wait_for("STARTMARK");
    // Back on the list, the search is where it was; Esc clears it.
    tmux.send(&["q"]);
    tmux.wait_for("/ alpha");
    tmux.send(&["Escape"]);
    tmux.wait_for("Gamma Rays Explained");
    tmux.send(&["q"]);
    assert_eq!(tmux.wait_exit(), "0");
    tmux.assert_restored();
}

#[test]
fn resizing_re_lays_the_article() {
    let Some(tmux) = folio("", 100, 30) else {
        return;
    };
    tmux.wait_for("Gamma Rays Explained");
    tmux.send(&["/"]);
    tmux.type_text("alpha");
    tmux.wait_for("1/1 of 3");
    tmux.send(&["Enter"]);
    let row_of = |screen: &str, word: &str| screen.lines().position(|l| l.contains(word));
    let wide = tmux.wait_until("one line", |s| {
        row_of(s, "STARTMARK").is_some() && row_of(s, "STARTMARK") == row_of(s, "ENDMARK")
    });
    assert!(wide.contains("STARTMARK"));
    let out = tmux.run(&["resize-window", "-t", "t", "-x", "50", "-y", "20"]);
    assert!(out.status.success(), "resize: {out:?}");
    let narrow = tmux.wait_until(
        "a re-wrap",
        |s| matches!((row_of(s, "STARTMARK"), row_of(s, "ENDMARK")), (Some(a), Some(b)) if b > a),
    );
    assert!(narrow.lines().all(|l| l.chars().count() <= 50));
    tmux.send(&["q", "q"]);
    assert_eq!(tmux.wait_exit(), "0");
}

#[test]
fn tiny_terminals_say_so_and_do_not_crash() {
    let Some(tmux) = folio("", 100, 30) else {
        return;
    };
    tmux.wait_for("Gamma Rays Explained");
    for (w, h) in [(8, 3), (1, 1), (3, 2), (500, 1)] {
        let out = tmux.run(&[
            "resize-window",
            "-t",
            "t",
            "-x",
            &w.to_string(),
            "-y",
            &h.to_string(),
        ]);
        assert!(out.status.success(), "resize: {out:?}");
        if w == 8 {
            tmux.wait_for("small");
        }
        tmux.send(&["j", "Tab", "G"]);
    }
    tmux.run(&["resize-window", "-t", "t", "-x", "100", "-y", "30"]);
    tmux.wait_for("Gamma Rays Explained");
    // A burst of resizes at the end of an article (a window being dragged).
    tmux.send(&["g", "Enter"]);
    tmux.wait_for("q back"); // the reader (the list shows "Bright." too, as the summary)
    tmux.send(&["G"]);
    for i in 0..30u16 {
        let (w, h) = if i % 2 == 0 {
            (40 + i, 10 + i / 3)
        } else {
            (100, 30)
        };
        tmux.run(&[
            "resize-window",
            "-t",
            "t",
            "-x",
            &w.to_string(),
            "-y",
            &h.to_string(),
        ]);
    }
    tmux.wait_for("q back"); // the reader (the list shows "Bright." too, as the summary)
    tmux.send(&["q"]);
    tmux.wait_for("Gamma Rays Explained");
    tmux.send(&["q"]);
    assert_eq!(tmux.wait_exit(), "0");
    tmux.assert_restored();
}

fn signal(tmux: &Tmux, name: &str) {
    let pid = tmux.wait_file("pid", |t| t.ends_with('\n'));
    let status = Command::new("kill")
        .arg(format!("-{name}"))
        .arg(pid.trim())
        .status()
        .expect("kill");
    assert!(status.success());
}

/// What the exit path wrote to the test log (`FOLIO_TEST_EXIT_LOG`): one line per exit.
fn exits(tmux: &Tmux) -> String {
    tmux.wait_file("exits", |t| t.ends_with('\n'))
}

#[test]
fn q_leaves_through_the_exit_path_with_the_article_open() {
    let Some(tmux) = folio("", 100, 30) else {
        return;
    };
    tmux.wait_for("Gamma Rays Explained");
    tmux.send(&["Enter"]);
    tmux.wait_for("q back"); // the reader (the list shows "Bright." too, as the summary)
    tmux.send(&["C-c"]);
    assert_eq!(tmux.wait_exit(), "0");
    tmux.assert_restored();
    assert_eq!(exits(&tmux), "flushed quit 2024-03-03-gamma.md\n");
}

#[test]
fn sigterm_exits_cleanly_through_the_exit_path() {
    let Some(tmux) = folio("", 100, 30) else {
        return;
    };
    tmux.wait_for("Gamma Rays Explained");
    tmux.send(&["Enter"]);
    tmux.wait_for("q back"); // the reader (the list shows "Bright." too, as the summary)
    signal(&tmux, "TERM");
    assert_eq!(tmux.wait_exit(), "143");
    tmux.assert_restored();
    assert_eq!(exits(&tmux), "flushed signal 15 2024-03-03-gamma.md\n");
}

#[test]
fn sighup_exits_cleanly_through_the_exit_path() {
    let Some(tmux) = folio("", 100, 30) else {
        return;
    };
    tmux.wait_for("Gamma Rays Explained");
    signal(&tmux, "HUP");
    assert_eq!(tmux.wait_exit(), "129");
    tmux.assert_restored();
    assert_eq!(exits(&tmux), "flushed signal 1 \n");
}

#[test]
fn a_vanished_terminal_still_leaves_through_the_exit_path() {
    let Some(tmux) = folio("", 100, 30) else {
        return;
    };
    tmux.wait_for("Gamma Rays Explained");
    tmux.send(&["Enter"]);
    tmux.wait_for("q back"); // the reader (the list shows "Bright." too, as the summary)
    // Killing the pane closes the terminal under folio (and sends it SIGHUP).
    tmux.run(&["kill-pane", "-t", "t"]);
    // Which comes first — SIGHUP, the hang-up watch, or a failed write to the dead terminal —
    // is a race; each must leave through the exit path.
    let log = exits(&tmux);
    assert!(
        log.starts_with("flushed ") && log.ends_with(" 2024-03-03-gamma.md\n"),
        "{log:?}"
    );
}

#[test]
fn a_panic_restores_the_terminal() {
    let Some(tmux) = folio("FOLIO_TEST_PANIC=1", 100, 30) else {
        return;
    };
    assert_eq!(tmux.wait_exit(), "101");
    tmux.assert_restored();
    tmux.wait_for("FOLIO_TEST_PANIC");
    assert_eq!(exits(&tmux), "flushed panic \n");
}

#[test]
fn a_config_that_maps_x_to_quit_makes_x_quit() {
    if !have_tmux() {
        return;
    }
    let tmux = Tmux::start("sleep 60", 100, 30);
    let lib = fixtures(&tmux);
    tmux.write_config("[keys.list]\n\"x\" = \"quit\"\n\"q\" = \"none\"\n");
    restart(&tmux, &lib);
    let screen = tmux.wait_for("Gamma Rays Explained");
    // The footer's hint follows the config.
    assert!(screen.contains("x quit"), "{screen}");
    tmux.send(&["q"]);
    tmux.send(&["?"]);
    let help = tmux.wait_for("Keys");
    assert!(help.contains("x ") && help.contains("quit"), "{help}");
    tmux.send(&["Escape"]);
    // Escape and x sent together would read as Alt-x.
    tmux.wait_until("help to close", |s| !s.contains("Keys"));
    tmux.send(&["x"]);
    assert_eq!(tmux.wait_exit(), "0");
    tmux.assert_restored();
}

#[test]
fn a_config_error_is_shown_once_and_folio_starts() {
    if !have_tmux() {
        return;
    }
    let tmux = Tmux::start("sleep 60", 100, 30);
    let lib = fixtures(&tmux);
    tmux.write_config("width = 80\ncolour = \"blue\"\n");
    restart(&tmux, &lib);
    let screen = tmux.wait_for("Gamma Rays Explained");
    assert!(
        screen.contains("config.toml:2: unknown entry `colour`"),
        "{screen}"
    );
    // Once: the next key clears it.
    tmux.send(&["j"]);
    tmux.wait_until("the message to go", |s| !s.contains("colour"));
    tmux.send(&["q"]);
    assert_eq!(tmux.wait_exit(), "0");
}

#[test]
fn ctrl_z_suspends_and_fg_resumes() {
    if !have_tmux() {
        return;
    }
    if !Command::new("bash")
        .arg("-c")
        .arg("true")
        .status()
        .is_ok_and(|s| s.success())
    {
        eprintln!("NOTICE: bash not found; skipping the job-control test");
        return;
    }
    let tmux = Tmux::start("sleep 60", 100, 30);
    let lib = fixtures(&tmux);
    let shell = format!(
        "cd {} && exec bash --norc --noprofile -i",
        quote(tmux.dir.path())
    );
    tmux.run(&[
        "respawn-pane",
        "-k",
        "-t",
        "t",
        "env",
        "PS1=$ ",
        "sh",
        "-c",
        &shell,
    ]);
    tmux.wait_for("$");
    tmux.type_text(&format!("{BIN} {}", quote(&lib)));
    tmux.send(&["Enter"]);
    tmux.wait_for("Gamma Rays Explained");
    tmux.send(&["C-z"]);
    tmux.wait_until("the shell", |s| {
        s.contains("Stopped") || s.contains("stopped")
    });
    assert_eq!(tmux.format("#{alternate_on}"), "0");
    tmux.type_text("stty -a > stty");
    tmux.send(&["Enter"]);
    tmux.wait_file("stty", |t| t.contains("icanon"));
    tmux.type_text("fg");
    tmux.send(&["Enter"]);
    tmux.wait_for("Gamma Rays Explained");
    assert_eq!(tmux.format("#{alternate_on}"), "1");
    tmux.send(&["j", "q"]);
    tmux.wait_until("the prompt again", |s| !s.contains("Gamma Rays Explained"));
    // Off the screen is not yet off the terminal: text typed before the shell has it back can
    // go to folio (CI lost a command so once).
    tmux.wait_foreground("bash");
    tmux.type_text("stty -a > stty2; echo $? > code");
    tmux.send(&["Enter"]);
    tmux.wait_exit();
    let stty = fs::read_to_string(tmux.path("stty2")).expect("stty2");
    assert!(stty.split_whitespace().any(|w| w == "icanon"), "{stty}");
    assert_eq!(tmux.format("#{alternate_on}"), "0");
}

#[test]
fn the_bundled_articles_are_listed() {
    if !have_tmux() {
        return;
    }
    let articles = Path::new(env!("CARGO_MANIFEST_DIR")).join("articles");
    if !articles.is_dir() {
        eprintln!("NOTICE: no ./articles folder; skipping");
        return;
    }
    let listed = Command::new(BIN)
        .args(["list", "--json"])
        .arg(&articles)
        .output()
        .expect("folio list");
    let json: serde_json::Value = serde_json::from_slice(&listed.stdout).expect("json");
    let count = json.as_array().map_or(0, Vec::len);
    assert!(count > 0);
    let tmux = Tmux::start("sleep 60", 100, 30);
    restart(&tmux, &articles);
    tmux.wait_for(&format!("{count} articles"));
    tmux.send(&["Enter"]);
    tmux.wait_until("the reader", |s| s.contains('%') || s.contains(" all "));
    tmux.send(&["q", "q"]);
    assert_eq!(tmux.wait_exit(), "0");
    tmux.assert_restored();
}

#[test]
fn a_single_file_opens_straight_into_the_reader() {
    if !have_tmux() {
        return;
    }
    let tmux = Tmux::start("sleep 60", 100, 30);
    let lib = fixtures(&tmux);
    restart(&tmux, &lib.join("2024-03-03-gamma.md"));
    tmux.wait_for("q back"); // the reader (the list shows "Bright." too, as the summary)
    // One article: q leaves the reader and folio in one press.
    tmux.send(&["q"]);
    assert_eq!(tmux.wait_exit(), "0");
    tmux.assert_restored();
}

#[test]
fn without_a_browser_or_display_the_footer_shows_the_url() {
    if !have_tmux() {
        return;
    }
    let tmux = Tmux::start("sleep 60", 100, 30);
    let lib = fixtures(&tmux);
    let line = format!(
        "env -u BROWSER -u DISPLAY -u WAYLAND_DISPLAY -u WSL_DISTRO_NAME {BIN} {}; sleep 60",
        quote(&lib.join("2024-01-01-alpha.md"))
    );
    tmux.run(&["respawn-pane", "-k", "-t", "t", &line]);
    tmux.wait_for("STARTMARK");
    tmux.send(&["o"]);
    tmux.wait_for(
        "No browser found. The link: https://example.org/alpha (tried $BROWSER unset; no display)",
    );
}

/// An article whose one link is an e-mail address, beside the fixture library.
fn mail_article(tmux: &Tmux) -> PathBuf {
    let file = tmux.path("mail.md");
    fs::write(
        &file,
        "---\ntitle: Letters\n---\n\nMAILMARK Write to [the editor](mailto:editor@example.org?subject=Hi%20there).\n",
    )
    .expect("mail.md");
    file
}

#[test]
fn mailto_links_go_to_browser_as_web_links_do() {
    if !have_tmux() {
        return;
    }
    let tmux = Tmux::start("sleep 60", 100, 30);
    fixtures(&tmux);
    let file = mail_article(&tmux);
    // No display either: $BROWSER alone must be enough, as it is for http(s).
    let line = wrapped(&tmux, "DISPLAY= WAYLAND_DISPLAY= WSL_DISTRO_NAME=", &file);
    tmux.run(&["respawn-pane", "-k", "-t", "t", &line]);
    tmux.wait_for("MAILMARK");
    tmux.send(&["1", "Enter"]);
    tmux.wait_file("opened", |t| {
        t == "mailto:editor@example.org?subject=Hi%20there\n"
    });
    tmux.wait_for("Opened mailto:editor@example.org");
}

#[test]
fn when_nothing_opens_a_link_the_footer_says_what_was_tried_and_shows_it() {
    if !have_tmux() {
        return;
    }
    let tmux = Tmux::start("sleep 60", 160, 30);
    fixtures(&tmux);
    let file = mail_article(&tmux);
    let line = format!(
        "env -u DISPLAY -u WAYLAND_DISPLAY -u WSL_DISTRO_NAME BROWSER='/no/such/browser --x:/no/other' {BIN} {}; sleep 60",
        quote(&file)
    );
    tmux.run(&["respawn-pane", "-k", "-t", "t", &line]);
    tmux.wait_for("MAILMARK");
    tmux.send(&["1", "Enter"]);
    tmux.wait_for(
        "No browser found. The link: mailto:editor@example.org?subject=Hi%20there \
         (tried $BROWSER: /no/such/browser not found, /no/other not found; no display)",
    );
}

#[test]
fn a_single_relative_file_follows_links_to_its_neighbours() {
    if !have_tmux() {
        return;
    }
    let tmux = Tmux::start("sleep 60", 100, 30);
    let lib = fixtures(&tmux);
    let line = format!("cd {} && {BIN} 2024-01-01-alpha.md; sleep 60", quote(&lib));
    tmux.run(&["respawn-pane", "-k", "-t", "t", &line]);
    tmux.wait_for("STARTMARK");
    tmux.send(&["Tab", "Tab"]);
    tmux.wait_for("2024-02-02-beta.md");
    tmux.send(&["Enter"]);
    tmux.wait_for("Zebra text here");
    tmux.send(&["Escape"]);
    tmux.wait_for("STARTMARK");
}

/// Regression: with its terminal gone (tmux killed, an ssh session dropped), folio spun at full
/// CPU forever inside crossterm's read loop, deaf to signals. It must notice and exit.
#[test]
fn a_vanished_terminal_ends_folio() {
    for wrapper in ["", "trap '' HUP;"] {
        let Some(tmux) = folio("", 100, 30) else {
            return;
        };
        if !wrapper.is_empty() {
            // The hang-up signal is ignored: only the terminal's state tells folio to go.
            let line = wrapped(&tmux, "", &tmux.path("lib")).replacen(
                "sh -c '",
                "sh -c 'trap \"\" HUP; ",
                1,
            );
            let out = tmux.run(&["respawn-pane", "-k", "-t", "t", &line]);
            assert!(out.status.success(), "respawn-pane: {out:?}");
        }
        tmux.wait_for("Gamma Rays Explained");
        let pid = tmux
            .wait_file("pid", |t| t.ends_with('\n'))
            .trim()
            .to_owned();
        tmux.run(&["kill-server"]);
        let start = Instant::now();
        while Path::new(&format!("/proc/{pid}")).exists() {
            assert!(
                start.elapsed() < TIMEOUT,
                "folio (pid {pid}, {wrapper:?}) still runs without a terminal"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[test]
fn slash_in_the_reader_finds_text() {
    if !have_tmux() {
        return;
    }
    let tmux = Tmux::start("sleep 60", 100, 30);
    let lib = fixtures(&tmux);
    restart(&tmux, &lib.join("2024-01-01-alpha.md"));
    tmux.wait_for("STARTMARK");
    tmux.send(&["/"]);
    tmux.type_text("endmark");
    tmux.wait_for("/ endmark  1/1");
    tmux.send(&["Enter"]);
    tmux.wait_for("n next");
    // Esc alone: followed at once by a key it would read as Alt-that-key.
    tmux.send(&["Escape"]);
    tmux.wait_until("the find cleared", |s| !s.contains("/ endmark"));
    // One article: q leaves the reader and folio in one press.
    tmux.send(&["q"]);
    assert_eq!(tmux.wait_exit(), "0");
    tmux.assert_restored();
}

/// A long article with sections, an in-page link, and a phrase that wraps at 100 columns.
fn long_article(tmux: &Tmux) -> PathBuf {
    let lib = tmux.path("long");
    fs::create_dir_all(&lib).expect("long dir");
    let mut text = String::from(
        "---\ntitle: A Long Read\n---\n\nOpening words. [Jump to the notes](#closing-notes).\n\n",
    );
    // Two rows at 96 text columns (100 less the margin): the first ends with "because" (95
    // columns; " the" would make 99), the second is long, so greedy and optimal fill agree.
    text.push_str(&format!(
        "{} ab because the phrase was chosen to straddle the break between two rows of text.\n\n",
        "word ".repeat(17).trim_end()
    ));
    for section in ["Early days", "The middle part", "Closing notes", "Appendix"] {
        text.push_str(&format!("## {section}\n\n"));
        for i in 0..12 {
            text.push_str(&format!(
                "Paragraph {i} of {section}: enough words to fill a row or more of the screen.\n\n"
            ));
        }
    }
    let file = lib.join("long.md");
    fs::write(&file, text).expect("long article");
    file
}

#[test]
fn find_matches_a_phrase_across_a_wrapped_line_at_100_columns() {
    if !have_tmux() {
        return;
    }
    let tmux = Tmux::start("sleep 60", 100, 30);
    let file = long_article(&tmux);
    restart(&tmux, &file);
    let screen = tmux.wait_for("Opening words");
    // The phrase really is split over two rows here.
    assert!(
        !screen.lines().any(|l| l.contains("because the")),
        "the fixture should wrap the phrase:\n{screen}"
    );
    tmux.send(&["/"]);
    tmux.type_text("because the");
    tmux.wait_for("/ because the  1/1");
    tmux.send(&["Enter"]);
    tmux.send(&["C-c"]);
    assert_eq!(tmux.wait_exit(), "0");
}

#[test]
fn the_outline_jumps_to_a_heading_and_back_returns_after_an_anchor() {
    if !have_tmux() {
        return;
    }
    let tmux = Tmux::start("sleep 60", 100, 30);
    let file = long_article(&tmux);
    restart(&tmux, &file);
    tmux.wait_for("Opening words");
    tmux.send(&["t"]);
    tmux.wait_for("Outline");
    tmux.type_text("middle");
    tmux.send(&["Enter"]);
    // The whole frame: the heading on top and the footer naming its section.
    tmux.wait_until("the middle part on top, named in the footer", |s| {
        s.lines()
            .next()
            .is_some_and(|l| l.contains("The middle part"))
            && s.contains("§ The middle part")
    });
    // Back to the top, follow the in-page link, then back returns to the opening.
    tmux.send(&["g"]);
    tmux.wait_for("Opening words");
    tmux.send(&["Tab"]);
    tmux.send(&["Enter"]);
    tmux.wait_until("the notes on top", |s| {
        s.lines()
            .next()
            .is_some_and(|l| l.contains("Closing notes"))
    });
    tmux.send(&["h"]);
    tmux.wait_for("Opening words");
    tmux.send(&["C-c"]);
    assert_eq!(tmux.wait_exit(), "0");
    tmux.assert_restored();
}

/// Runs folio on `target` in the session (again: the state store is in the session's folder).
fn restart(tmux: &Tmux, target: &Path) {
    let _ = fs::remove_file(tmux.path("code"));
    let out = tmux.run(&["respawn-pane", "-k", "-t", "t", &wrapped(tmux, "", target)]);
    assert!(out.status.success(), "respawn-pane: {out:?}");
}

fn first_line(screen: &str) -> String {
    screen.lines().next().unwrap_or_default().trim().to_owned()
}

#[test]
fn the_reading_position_survives_a_restart_and_a_width_change() {
    if !have_tmux() {
        return;
    }
    let tmux = Tmux::start("sleep 60", 100, 30);
    let file = long_article(&tmux);
    let lib = file.parent().expect("folder").to_path_buf();
    restart(&tmux, &lib);
    tmux.wait_for("A Long Read");
    tmux.send(&["Enter"]);
    // The reader's footer: the list shows the opening words too, as the summary.
    tmux.wait_for("q back");
    tmux.send(&["t"]);
    tmux.wait_for("Outline");
    tmux.type_text("middle");
    tmux.send(&["Enter"]);
    for _ in 0..5 {
        tmux.send(&["j"]);
    }
    let screen = tmux.wait_until("five rows below the middle heading", |s| {
        first_line(s).starts_with("Paragraph 1 of The middle part")
    });
    let top = first_line(&screen);
    tmux.send(&["q"]);
    tmux.wait_for("1 unread");
    tmux.send(&["q"]);
    assert_eq!(tmux.wait_exit(), "0");

    // Next time, the same place, and the list says how far it got.
    restart(&tmux, &lib);
    let list = tmux.wait_for("A Long Read");
    assert!(list.contains('%'), "progress in the list:\n{list}");
    tmux.send(&["Enter"]);
    tmux.wait_until("the same top row", |s| first_line(s) == top);
    tmux.send(&["q"]);
    tmux.wait_for("A Long Read");
    tmux.send(&["q"]);
    assert_eq!(tmux.wait_exit(), "0");

    // At another width the rows differ but the text at the top is the same paragraph.
    tmux.run(&["resize-window", "-t", "t", "-x", "60", "-y", "30"]);
    restart(&tmux, &lib);
    tmux.wait_for("A Long Read");
    tmux.send(&["Enter"]);
    tmux.wait_until("the same paragraph on top at 60 columns", |s| {
        first_line(s).starts_with("Paragraph 1 of The middle part")
    });
    tmux.send(&["C-c"]);
    assert_eq!(tmux.wait_exit(), "0");
}

#[test]
fn reaching_the_end_marks_an_article_read_in_the_list() {
    if !have_tmux() {
        return;
    }
    let Some(tmux) = folio("", 100, 30) else {
        return;
    };
    let screen = tmux.wait_for("3 articles · 3 unread");
    assert!(screen.contains("• Gamma Rays Explained"), "{screen}");
    tmux.send(&["Enter"]);
    // Gamma is one short paragraph: its end is on screen at once.
    tmux.wait_for("q back"); // the reader (the list shows "Bright." too, as the summary)
    tmux.send(&["q"]);
    let screen = tmux.wait_for("3 articles · 2 unread");
    assert!(!screen.contains("• Gamma Rays Explained"), "{screen}");
    // m marks it unread again; v shows only unread articles.
    tmux.send(&["m"]);
    tmux.wait_for("3 unread");
    tmux.send(&["j", "m"]);
    tmux.wait_for("2 unread");
    tmux.send(&["v"]);
    let unread = tmux.wait_for("Unread · 2/2 of 3 articles");
    assert!(!unread.contains("Beta Notes On Zebras"), "{unread}");
    tmux.send(&["q"]);
    assert_eq!(tmux.wait_exit(), "0");
}

#[test]
fn no_state_runs_without_memory_and_writes_nothing() {
    if !have_tmux() {
        return;
    }
    let tmux = Tmux::start("sleep 60", 100, 30);
    let lib = fixtures(&tmux);
    let line = format!(
        "cd {dir} && {bin} --no-state {lib}; echo $? > code; sleep 60",
        dir = quote(tmux.dir.path()),
        bin = BIN,
        lib = quote(&lib),
    );
    tmux.run(&["respawn-pane", "-k", "-t", "t", &line]);
    let screen = tmux.wait_for("3 articles");
    assert!(!screen.contains("unread"), "{screen}");
    tmux.send(&["m"]);
    tmux.wait_for("not remembering");
    tmux.send(&["q"]);
    assert_eq!(tmux.wait_exit(), "0");
    assert!(
        !tmux.path("state").exists(),
        "nothing written with --no-state"
    );
}

#[test]
fn y_copies_the_focused_link_through_osc_52_and_nothing_else_does() {
    let Some(tmux) = folio("", 100, 30) else {
        return;
    };
    tmux.run(&["set-option", "-g", "set-clipboard", "on"]);
    tmux.wait_for("Gamma Rays Explained");
    tmux.send(&["G", "Enter"]);
    tmux.wait_for("STARTMARK");
    // Reading the article put nothing on the clipboard.
    let before = tmux.run(&["show-buffer"]);
    assert!(
        !before.status.success() || before.stdout.is_empty(),
        "{before:?}"
    );
    tmux.send(&["Tab"]);
    tmux.wait_for("https://example.org/first-link");
    tmux.send(&["y"]);
    tmux.wait_for("Copied https://example.org/first-link");
    let buffer = tmux.run(&["show-buffer"]);
    assert_eq!(
        String::from_utf8_lossy(&buffer.stdout),
        "https://example.org/first-link"
    );
    tmux.send(&["C-c"]);
    assert_eq!(tmux.wait_exit(), "0");
}

#[test]
fn e_opens_the_editor_with_the_path_as_one_argument_and_the_article_reloads() {
    if !have_tmux() {
        return;
    }
    let tmux = Tmux::start("sleep 60", 100, 30);
    let lib = tmux.path("edit");
    fs::create_dir_all(&lib).expect("lib");
    // A hostile name: through a shell it would run `touch x.md`.
    let article = lib.join("a;touch x.md");
    fs::write(&article, "---\ntitle: Edit Me\n---\n\nFirst words.\n").expect("article");
    let editor = tmux.path("editor.sh");
    fs::write(
        &editor,
        format!(
            "#!/bin/sh\nprintf '%s|' \"$@\" >> {log}\necho >> {log}\n\
             printf '\\nWords added in the editor.\\n' >> \"$2\"\n",
            log = quote(&tmux.path("edited")),
        ),
    )
    .expect("editor");
    let mut perms = fs::metadata(&editor).expect("meta").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    fs::set_permissions(&editor, perms).expect("chmod");
    let line = format!(
        "cd {dir} && env EDITOR='{editor} --wait' VISUAL= {bin} {lib}; echo $? > code; sleep 60",
        dir = quote(tmux.dir.path()),
        editor = editor.display(),
        bin = BIN,
        lib = quote(&lib),
    );
    tmux.run(&["respawn-pane", "-k", "-t", "t", &line]);
    tmux.wait_for("Edit Me");
    tmux.send(&["Enter"]);
    tmux.wait_for("q back");
    tmux.send(&["e"]);
    tmux.wait_for("Words added in the editor.");
    let log = tmux.wait_lines("edited", 1);
    assert_eq!(log, [format!("--wait|{}|", article.display())]);
    assert!(!lib.join("x.md").exists() && !tmux.path("x.md").exists());
    tmux.send(&["C-c"]);
    assert_eq!(tmux.wait_exit(), "0");
}

#[test]
fn an_added_and_a_removed_file_show_in_the_list_without_a_key() {
    let Some(tmux) = folio("", 100, 30) else {
        return;
    };
    tmux.wait_for("Gamma Rays Explained");
    let lib = tmux.path("lib");
    fs::write(
        lib.join("2024-04-04-delta.md"),
        "---\ntitle: Delta Arrives Later\n---\n\nNew.\n",
    )
    .expect("delta");
    tmux.wait_for("Delta Arrives Later");
    fs::remove_file(lib.join("2024-02-02-beta.md")).expect("remove beta");
    tmux.wait_until("beta gone", |s| !s.contains("Beta Notes On Zebras"));
    tmux.send(&["q"]);
    assert_eq!(tmux.wait_exit(), "0");
}

#[test]
fn reading_an_article_is_not_a_change_the_watch_reloads_on() {
    // Regression: the watch reported folio's own open of the article, which read it again,
    // which was reported again: the focused link was lost every few hundred milliseconds.
    if !have_tmux() {
        return;
    }
    let tmux = Tmux::start("sleep 60", 100, 30);
    let lib = fixtures(&tmux);
    restart(&tmux, &lib.join("2024-01-01-alpha.md"));
    tmux.wait_for("STARTMARK");
    tmux.send(&["Tab"]);
    tmux.wait_for("https://example.org/first-link");
    std::thread::sleep(Duration::from_millis(1500));
    let screen = tmux.capture();
    assert!(
        screen.contains("https://example.org/first-link"),
        "the focus was lost:\n{screen}"
    );
    tmux.send(&["C-c"]);
    assert_eq!(tmux.wait_exit(), "0");
}

#[test]
fn the_tags_panel_narrows_the_list_and_the_order_survives_a_restart() {
    let Some(tmux) = folio("", 100, 30) else {
        return;
    };
    tmux.wait_for("1/3 articles · 3 unread");
    tmux.send(&["#"]);
    let panel = tmux.wait_for("Tags · 1");
    assert!(panel.contains("garden"), "{panel}");
    tmux.send(&["Enter"]);
    let narrowed = tmux.wait_for("#garden · 1/1 of 3 articles");
    assert!(
        narrowed.contains("Alpha Article About Gardens"),
        "{narrowed}"
    );
    assert!(!narrowed.contains("Gamma Rays Explained"), "{narrowed}");
    // Esc shows every article again.
    tmux.send(&["Escape"]);
    // Still on Alpha, the article chosen under the tag.
    tmux.wait_for("3/3 articles · 3 unread · by date");
    // S sorts by title: Alpha, Beta, Gamma.
    tmux.send(&["S"]);
    let sorted = tmux.wait_for("by title");
    let alpha = sorted.find("Alpha Article").expect("alpha shown");
    let gamma = sorted.find("Gamma Rays").expect("gamma shown");
    assert!(alpha < gamma, "{sorted}");
    tmux.send(&["q"]);
    assert_eq!(tmux.wait_exit(), "0");
    // The next run of the same folder opens in the same order.
    let lib = tmux.path("lib");
    restart(&tmux, &lib);
    tmux.wait_for("by title");
    tmux.send(&["q"]);
    assert_eq!(tmux.wait_exit(), "0");
}

#[test]
fn capital_f_searches_every_article_and_enter_opens_at_the_hit() {
    if !have_tmux() {
        return;
    }
    let tmux = Tmux::start("sleep 60", 100, 30);
    let lib = tmux.path("fts");
    fs::create_dir_all(&lib).expect("lib dir");
    let mut long = String::from("---\ntitle: A Long Voyage\ndate: 2024-05-05\n---\n\n");
    for i in 0..120 {
        let line = match i {
            80 => "Then the zeppelin rose over the harbour.".to_owned(),
            110 => "Nobody forgot the zeppelin.".to_owned(),
            _ => format!("Paragraph {i} of calm water and nothing much."),
        };
        long.push_str(&line);
        long.push_str("\n\n");
    }
    fs::write(lib.join("voyage.md"), long).expect("voyage");
    fs::write(
        lib.join("other.md"),
        "---\ntitle: Other Things\ndate: 2024-01-01\n---\n\nNo airships here.\n",
    )
    .expect("other");
    restart(&tmux, &lib);
    tmux.wait_for("A Long Voyage");
    tmux.send(&["F"]);
    tmux.wait_for("Search the text of every article");
    tmux.type_text("zeppelin harbour");
    let screen = tmux.wait_for("1 article");
    assert!(screen.contains("voyage.md"), "{screen}");
    assert!(
        screen.contains("zeppelin rose over the harbour"),
        "{screen}"
    );
    assert!(!screen.contains("other.md"), "{screen}");
    tmux.send(&["Enter"]);
    // The reader, scrolled to the first place found, with n and N to walk the rest.
    // "zeppelin" twice and "harbour" once.
    let screen = tmux.wait_for("zeppelin harbour  1/3");
    assert!(screen.contains("Then the zeppelin rose"), "{screen}");
    assert!(
        !screen.contains("Paragraph 10 of"),
        "not scrolled:\n{screen}"
    );
    tmux.send(&["n"]);
    tmux.wait_for("2/3");
    tmux.send(&["n"]);
    let screen = tmux.wait_for("3/3");
    assert!(screen.contains("Nobody forgot the zeppelin"), "{screen}");
    tmux.send(&["q"]);
    tmux.wait_for("A Long Voyage");
    tmux.send(&["q"]);
    assert_eq!(tmux.wait_exit(), "0");
}

/// The number of the first paragraph shown (`Paragraph 1234 …`).
fn first_paragraph(screen: &str) -> Option<u32> {
    screen.lines().find_map(|line| {
        let rest = line.trim().strip_prefix("Paragraph ")?;
        rest.split(' ').next()?.parse().ok()
    })
}

#[test]
fn a_resized_big_article_keeps_its_top_paragraph_while_and_after_the_whole_is_laid_out() {
    if !have_tmux() {
        return;
    }
    let tmux = Tmux::start("sleep 60", 100, 30);
    // 4,000 paragraphs: past the size laid out whole on a resize.
    let mut text = String::from("# A Big One\n\n");
    for i in 0..4000 {
        text.push_str(&format!(
            "Paragraph {i} of the big one, with words enough to wrap at sixty columns.\n\n"
        ));
    }
    let file = tmux.path("big.md");
    fs::write(&file, text).expect("big.md");
    restart(&tmux, &file);
    // The whole is read once the footer shows a percentage instead of `…`.
    tmux.wait_until("the whole article", |s| {
        s.contains("q back") && s.contains("0%")
    });
    for _ in 0..40 {
        tmux.send(&["PageDown"]);
    }
    // Every page down handled: the screen stays the same a while.
    let mut before = tmux.wait_until("paged into the middle", |s| {
        first_paragraph(s).is_some_and(|n| n > 400)
    });
    loop {
        std::thread::sleep(Duration::from_millis(300));
        let now = tmux.capture();
        if now == before {
            break;
        }
        before = now;
    }
    let top = first_paragraph(&before);
    tmux.run(&["resize-window", "-t", "t", "-x", "60", "-y", "30"]);
    // Re-wrapped, not only cut by the narrower pane: the first paragraph goes on on a second
    // row.
    let rewrapped = |s: &str| {
        let mut lines = s
            .lines()
            .skip_while(|l| !l.trim_start().starts_with("Paragraph"));
        lines.next().is_some()
            && lines
                .next()
                .is_some_and(|l| !l.trim().is_empty() && !l.trim_start().starts_with("Paragraph"))
    };
    let after = tmux.wait_until("the same paragraph on top at 60 columns", |s| {
        rewrapped(s) && first_paragraph(s) == top
    });
    assert!(after.lines().all(|l| l.chars().count() <= 60), "{after}");
    // Once the whole is laid out (a percentage again), the same paragraph is still on top.
    let whole = tmux.wait_until("the whole at 60 columns", |s| {
        s.lines()
            .last()
            .is_some_and(|l| l.trim_end().ends_with('%'))
    });
    assert_eq!(first_paragraph(&whole), top, "{whole}");
    assert!(rewrapped(&whole), "{whole}");
    tmux.send(&["q"]);
    assert_eq!(tmux.wait_exit(), "0");
}
