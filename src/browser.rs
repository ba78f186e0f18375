//! Opening URLs: one trait, the system browser and a recording opener for tests.
//!
//! Only http, https and mailto are ever opened (the app refuses the rest before this, and the
//! openers check again). The system opener runs the commands of `$BROWSER` first, for every
//! scheme, as the `webbrowser` crate does for http(s): each a program with its arguments, the
//! URL one more argument, never through a shell. Without one (or when none of them runs), the
//! desktop's browser opens http(s) through the `webbrowser` crate (with its `hardened`
//! feature) and mail through `xdg-open`. Graphical browsers get stdin, stdout and stderr on
//! /dev/null so they cannot write over the screen.

use std::process::{Command, Stdio};

use crate::links::scheme;
use crate::text::shown;

/// Why a URL was not opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    #[error("refused to open a {0}: link")]
    Refused(String),
    /// Nothing on this machine could open it; says what was tried, for the message that shows
    /// the URL instead.
    #[error("no browser found (tried {0})")]
    NoBrowser(String),
    #[error("the browser failed: {0}")]
    Failed(String),
}

/// Something that can open a URL.
pub trait Opener {
    fn open(&mut self, url: &str) -> Result<(), OpenError>;

    /// True when opening runs a program in this terminal (a text browser such as w3m): the
    /// run loop then gives the terminal to it and takes it back afterwards.
    fn takes_terminal(&self) -> bool {
        false
    }
}

/// The schemes folio opens.
pub fn allowed(url: &str) -> Result<(), OpenError> {
    match scheme(url).as_deref() {
        Some("http" | "https" | "mailto") => Ok(()),
        Some(other) => Err(OpenError::Refused(shown(other, 24))),
        None => Err(OpenError::Refused("relative".into())),
    }
}

/// The system's browser.
#[derive(Debug, Default)]
pub struct SystemOpener;

/// Browsers that draw in the terminal: they run in the foreground, with the terminal.
const TEXT_BROWSERS: &[&str] = &[
    "lynx", "links", "links2", "elinks", "w3m", "eww", "netrik", "retawq", "curl", "browsh", "nav",
];

impl Opener for SystemOpener {
    fn open(&mut self, url: &str) -> Result<(), OpenError> {
        allowed(url)?;
        let mut tried = Vec::new();
        match std::env::var("BROWSER") {
            Ok(value) if !value.trim().is_empty() => match open_with(&value, url) {
                Ok(()) => return Ok(()),
                Err(attempts) => tried.push(format!("$BROWSER: {attempts}")),
            },
            _ => tried.push("$BROWSER unset".to_owned()),
        }
        if !has_display() {
            // Over SSH or on a console a desktop opener would "succeed" and show nothing;
            // better to say so and show the URL.
            tried.push("no display".to_owned());
            return Err(OpenError::NoBrowser(tried.join("; ")));
        }
        let desktop = if scheme(url).as_deref() == Some("mailto") {
            // The hardened crate opens http(s) only; mail goes to the desktop's handler.
            open_mail(url)
        } else {
            let mut options = webbrowser::BrowserOptions::new();
            options.with_suppress_output(true);
            webbrowser::open_browser_with_options(webbrowser::Browser::Default, url, &options)
                .map_err(|err| match err.kind() {
                    std::io::ErrorKind::NotFound => {
                        OpenError::NoBrowser("no desktop browser found".into())
                    }
                    _ => OpenError::Failed(shown(&err.to_string(), 80)),
                })
        };
        desktop.map_err(|err| match err {
            OpenError::NoBrowser(desktop) => {
                tried.push(desktop);
                OpenError::NoBrowser(tried.join("; "))
            }
            other => other,
        })
    }

    fn takes_terminal(&self) -> bool {
        std::env::var("BROWSER").is_ok_and(|value| is_text_browser(&value))
    }
}

/// Runs the commands of a `$BROWSER` value (`cmd args:cmd2 ...`) in turn until one starts;
/// otherwise says what each did (`w3mx not found, lynx exited with 1`).
fn open_with(browser_env: &str, url: &str) -> Result<(), String> {
    let mut attempts = Vec::new();
    for entry in browser_env.split(':').filter(|e| !e.trim().is_empty()) {
        let words = match browser_command(entry, url) {
            Ok(words) => words,
            Err(err) => {
                attempts.push(format!("{} unreadable ({err})", shown(entry, 30)));
                continue;
            }
        };
        let Some((program, args)) = words.split_first() else {
            continue;
        };
        match run_browser(program, args) {
            Ok(()) => return Ok(()),
            Err(why) => attempts.push(format!("{} {why}", shown(program, 30))),
        }
    }
    Err(attempts.join(", "))
}

/// One `$BROWSER` command as its words, split as a shell would, with the URL for `%s` (`%c` is
/// `:`, `%%` is `%`) or, without one, as the last word. The URL is put in after the split, so
/// nothing in it is ever read as quoting or a field code.
fn browser_command(entry: &str, url: &str) -> Result<Vec<String>, shell_words::ParseError> {
    let mut has_url = false;
    let mut words: Vec<String> = shell_words::split(entry)?
        .into_iter()
        .map(|word| {
            let mut out = String::with_capacity(word.len());
            let mut chars = word.chars();
            while let Some(c) = chars.next() {
                if c != '%' {
                    out.push(c);
                    continue;
                }
                match chars.next() {
                    Some('s') => {
                        out.push_str(url);
                        has_url = true;
                    }
                    Some('c') => out.push(':'),
                    Some('%') => out.push('%'),
                    Some(other) => {
                        out.push('%');
                        out.push(other);
                    }
                    None => out.push('%'),
                }
            }
            out
        })
        .collect();
    if !has_url && !words.is_empty() {
        words.push(url.to_owned());
    }
    Ok(words)
}

/// Starts one browser: a text browser in the foreground with the terminal, waited for; any
/// other in the background with its output on /dev/null.
fn run_browser(program: &str, args: &[String]) -> Result<(), String> {
    let mut command = Command::new(program);
    command.args(args);
    let why = |err: std::io::Error| match err.kind() {
        std::io::ErrorKind::NotFound => "not found".to_owned(),
        _ => shown(&err.to_string(), 60),
    };
    if is_text_browser(program) {
        let status = command.status().map_err(why)?;
        return if status.success() {
            Ok(())
        } else {
            Err(format!("exited with {}", status.code().unwrap_or(-1)))
        };
    }
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(why)?;
    // Reaped when it ends, so no finished browser lingers as a zombie.
    let reaped = std::thread::Builder::new()
        .name("browser".into())
        .spawn(move || child.wait());
    drop(reaped);
    Ok(())
}

/// Whether the first command of a `$BROWSER` value (`cmd args:cmd2 ...`) is a text browser.
fn is_text_browser(browser_env: &str) -> bool {
    browser_env
        .split(':')
        .filter_map(|cmd| cmd.split_whitespace().next())
        .next()
        .and_then(|cmd| cmd.rsplit('/').next())
        .is_some_and(|name| TEXT_BROWSERS.contains(&name))
}

/// Whether a desktop browser could show anything: on Linux and the BSDs, a graphical session
/// or WSL. macOS and Windows always have their desktop.
fn has_display() -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if cfg!(any(target_os = "macos", windows)) {
        return true;
    }
    set("DISPLAY") || set("WAYLAND_DISPLAY") || set("WSL_DISTRO_NAME")
}

fn open_mail(url: &str) -> Result<(), OpenError> {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    Command::new(program)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map(|_| ())
        .map_err(|err| match err.kind() {
            std::io::ErrorKind::NotFound => OpenError::NoBrowser(format!("{program} not found")),
            _ => OpenError::Failed(shown(&err.to_string(), 80)),
        })
}

/// Records what it was asked to open; for tests. `fail` makes every open fail with it.
#[derive(Debug, Default)]
pub struct RecordingOpener {
    pub opened: Vec<String>,
    pub fail: Option<OpenError>,
}

impl Opener for RecordingOpener {
    fn open(&mut self, url: &str) -> Result<(), OpenError> {
        allowed(url)?;
        if let Some(err) = &self.fail {
            return Err(err.clone());
        }
        self.opened.push(url.to_owned());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_and_mail_schemes_are_allowed() {
        assert!(allowed("https://example.org").is_ok());
        assert!(allowed("mailto:a@b.c").is_ok());
        assert_eq!(
            allowed("javascript:alert(1)"),
            Err(OpenError::Refused("javascript".into()))
        );
        assert!(allowed("file:///etc/passwd").is_err());
    }

    #[test]
    fn text_browsers_in_browser_take_the_terminal() {
        assert!(is_text_browser("w3m"));
        assert!(is_text_browser("/usr/bin/lynx -accept_all_cookies:firefox"));
        assert!(!is_text_browser("firefox:w3m"));
        assert!(!is_text_browser("/tmp/record.sh"));
        assert!(!is_text_browser(""));
    }

    #[test]
    fn browser_commands_are_split_as_a_shell_would_with_the_url_put_in() {
        let url = "mailto:a@b.c?subject=%s 'x'";
        let words = |entry| browser_command(entry, url).unwrap_or_default();
        assert_eq!(words("w3m"), ["w3m", url]);
        assert_eq!(
            words("'/opt/my browser' --new-tab=%s --x%c%%"),
            ["/opt/my browser", &format!("--new-tab={url}"), "--x:%"]
        );
        assert_eq!(words("run %s %q"), ["run", url, "%q"]);
        assert!(browser_command("open 'unbalanced", url).is_err());
    }

    #[test]
    fn each_browser_entry_is_tried_and_what_happened_is_said() {
        let tried = open_with("/no/such/browser-a:: /no/such/b --x", "mailto:a@b.c");
        assert_eq!(
            tried,
            Err("/no/such/browser-a not found, /no/such/b not found".to_owned())
        );
        let failing = open_with("sh -c 'exit 3' lynx", "https://a.org");
        // `sh` is not a text browser: started in the background, it counts as opened.
        assert_eq!(failing, Ok(()));
    }

    #[test]
    fn the_recording_opener_records_and_refuses() {
        let mut opener = RecordingOpener::default();
        assert!(opener.open("https://a.org").is_ok());
        assert!(opener.open("data:text/html,hi").is_err());
        assert_eq!(opener.opened, vec!["https://a.org".to_string()]);
    }
}
