//! Shared by the tests that drive the real binary in tmux: a private tmux server per test,
//! keys in, the screen out, polled until it shows what a test waits for.

// Each test module uses a different part of this.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Far longer than any screen takes to show; only a hang reaches it.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// Whether tmux can run. Without it the end-to-end tests skip with a notice, except under CI
/// (`CI` set), where a missing tmux is a failure: CI installs it.
pub fn have_tmux() -> bool {
    let ok = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "tmux not found, and CI is set: the end-to-end tests must run"
        );
        eprintln!("NOTICE: tmux not found; skipping the end-to-end test");
    }
    ok
}

/// HOME and the XDG folders inside one scratch folder for this test process.
pub fn private_env() -> Vec<(&'static str, PathBuf)> {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let dir = DIR
        .get_or_init(|| tempfile::tempdir().expect("temp dir"))
        .path();
    vec![
        ("HOME", dir.to_path_buf()),
        ("XDG_CONFIG_HOME", dir.join("config")),
        ("XDG_STATE_HOME", dir.join("state")),
        ("XDG_CACHE_HOME", dir.join("cache")),
    ]
}

/// The folio binary with HOME and the XDG folders in `home`, and none of the user's variables
/// that would change what it does.
pub fn folio_in(home: &Path) -> assert_cmd::Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("folio"));
    isolate(&mut cmd, home);
    assert_cmd::Command::from_std(cmd)
}

/// Variables of the user's that would change what folio does.
pub const USER_ENV: &[&str] = &[
    "FOLIO_CONFIG",
    "FOLIO_THEME",
    "FOLIO_WIDTH",
    "FOLIO_STATE_DIR",
];

/// Points HOME and the XDG folders at `dir`, so nothing a test runs reads or writes the
/// user's own config, state or cache.
pub fn isolate<'a>(command: &'a mut Command, dir: &Path) -> &'a mut Command {
    command
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env_remove("FOLIO_CONFIG")
        .env_remove("FOLIO_THEME")
        .env_remove("FOLIO_WIDTH")
        .env_remove("FOLIO_STATE_DIR")
}

/// One tmux server on a private socket, killed on drop, with a scratch folder.
pub struct Tmux {
    pub socket: String,
    pub dir: tempfile::TempDir,
}

impl Tmux {
    /// Starts `command` (run by sh) in a detached session of the given size.
    pub fn start(command: &str, width: u16, height: u16) -> Tmux {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let socket = format!("folio-test-{}-{n}", std::process::id());
        let dir = tempfile::tempdir().expect("temp dir");
        let tmux = Tmux { socket, dir };
        let out = tmux.run(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
            command,
        ]);
        assert!(out.status.success(), "tmux new-session: {out:?}");
        tmux
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs a tmux command. The server the first one starts keeps this environment, so every
    /// program in the session has a private HOME and XDG folders inside the scratch folder.
    pub fn run(&self, args: &[&str]) -> Output {
        let mut command = Command::new("tmux");
        isolate(&mut command, self.dir.path())
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .env_remove("TMUX")
            .env("RUST_BACKTRACE", "0")
            .output()
            .expect("run tmux")
    }

    /// Writes the config file folio reads in this session.
    pub fn write_config(&self, text: &str) {
        let dir = self.dir.path().join("config").join("folio");
        fs::create_dir_all(&dir).expect("config dir");
        fs::write(dir.join("config.toml"), text).expect("config.toml");
    }

    pub fn send(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend_from_slice(keys);
        let out = self.run(&args);
        assert!(out.status.success(), "send-keys {keys:?}: {out:?}");
    }

    /// Sends text literally (no key-name lookup).
    pub fn type_text(&self, text: &str) {
        let out = self.run(&["send-keys", "-t", "t", "-l", text]);
        assert!(out.status.success(), "send-keys -l {text:?}: {out:?}");
    }

    pub fn capture(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }

    pub fn format(&self, format: &str) -> String {
        let out = self.run(&["display-message", "-p", "-t", "t", format]);
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// Polls until the pane's foreground program is `program` (tmux's
    /// `#{pane_current_command}`): keys typed before it has the terminal may still go to the
    /// program leaving it.
    pub fn wait_foreground(&self, program: &str) {
        let start = Instant::now();
        loop {
            let current = self.format("#{pane_current_command}");
            if current == program {
                return;
            }
            if start.elapsed() > TIMEOUT {
                panic!(
                    "timed out waiting for {program} in the foreground (still {current}); the screen:\n{}",
                    self.capture()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Polls the screen until `check` holds; panics with the last screen after the timeout.
    pub fn wait_until(&self, what: &str, check: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.capture();
            if check(&screen) {
                return screen;
            }
            if start.elapsed() > TIMEOUT {
                panic!("timed out waiting for {what}; the screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(text, |screen| screen.contains(text))
    }

    /// Polls until a file exists and `check` holds on its contents.
    pub fn wait_file(&self, name: &str, check: impl Fn(&str) -> bool) -> String {
        let path = self.path(name);
        let start = Instant::now();
        loop {
            if let Ok(text) = fs::read_to_string(&path) {
                if check(&text) {
                    return text;
                }
            }
            if start.elapsed() > TIMEOUT {
                panic!(
                    "timed out waiting for {name}; the screen:\n{}",
                    self.capture()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Polls until the file `name` holds at least `count` lines; returns them.
    pub fn wait_lines(&self, name: &str, count: usize) -> Vec<String> {
        self.wait_file(name, |text| text.lines().count() >= count)
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// Waits for the wrapper script to report that folio exited; returns its exit code.
    pub fn wait_exit(&self) -> String {
        self.wait_file("code", |t| t.ends_with('\n'))
            .trim()
            .to_owned()
    }

    /// The terminal as the shell got it back: not in the alternate screen, cooked, echoing.
    pub fn assert_restored(&self) {
        let stty = self.wait_file("stty", |t| t.contains("icanon"));
        assert!(
            stty.split_whitespace().any(|w| w == "icanon"),
            "canonical mode not restored: {stty}"
        );
        assert!(
            stty.split_whitespace().any(|w| w == "echo"),
            "echo not restored: {stty}"
        );
        assert_eq!(
            self.format("#{alternate_on}"),
            "0",
            "still in the alternate screen"
        );
        let cursor = self.format("#{cursor_flag}");
        assert_eq!(cursor, "1", "cursor left hidden");
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .arg("kill-server")
            .output();
    }
}

pub fn quote(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}

/// An xterm palette index as RGB: the 16 named colours as xterm draws them, the 6×6×6 cube
/// and the grey ramp. What the colour checks measure contrast with.
pub fn xterm_rgb(i: u8) -> (u8, u8, u8) {
    match i {
        0..=15 => [
            (0, 0, 0),
            (205, 0, 0),
            (0, 205, 0),
            (205, 205, 0),
            (0, 0, 238),
            (205, 0, 205),
            (0, 205, 205),
            (229, 229, 229),
            (127, 127, 127),
            (255, 0, 0),
            (0, 255, 0),
            (255, 255, 0),
            (92, 92, 255),
            (255, 0, 255),
            (0, 255, 255),
            (255, 255, 255),
        ][usize::from(i)],
        16..=231 => {
            let level = |v: u8| if v == 0 { 0 } else { 55 + 40 * v };
            let c = i - 16;
            (level(c / 36), level(c / 6 % 6), level(c % 6))
        }
        _ => {
            let v = 8 + 10 * (i - 232);
            (v, v, v)
        }
    }
}

/// The bundled articles' files (`articles/*.md`; the folder also holds their pictures), in
/// name order.
pub fn bundled_articles() -> Vec<PathBuf> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/articles");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("articles folder")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    paths.sort();
    paths
}
