//! Opening URLs: one trait, the system browser and a recording opener for tests.
//!
//! Only http, https and mailto are ever opened (the app refuses the rest before this, and the
//! openers check again). The system opener uses the `webbrowser` crate with its `hardened`
//! feature: it honours `$BROWSER`, and a graphical browser is started with stdin, stdout and
//! stderr on /dev/null so it cannot write over the screen.

use std::process::{Command, Stdio};

use crate::links::scheme;
use crate::text::shown;

/// Why a URL was not opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    #[error("refused to open a {0}: link")]
    Refused(String),
    /// No browser (or no display) on this machine; the URL is shown instead.
    #[error("no browser found")]
    NoBrowser,
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

/// Browsers that draw in the terminal (the `webbrowser` crate runs these in the foreground).
const TEXT_BROWSERS: &[&str] = &[
    "lynx", "links", "links2", "elinks", "w3m", "eww", "netrik", "retawq", "curl", "browsh", "nav",
];

impl Opener for SystemOpener {
    fn open(&mut self, url: &str) -> Result<(), OpenError> {
        allowed(url)?;
        if !has_display() {
            // Over SSH or on a console a desktop opener would "succeed" and show nothing;
            // better to say so and show the URL.
            return Err(OpenError::NoBrowser);
        }
        if scheme(url).as_deref() == Some("mailto") {
            // The hardened crate opens http(s) only; mail goes to the desktop's handler.
            return open_mail(url);
        }
        let mut options = webbrowser::BrowserOptions::new();
        options.with_suppress_output(true);
        webbrowser::open_browser_with_options(webbrowser::Browser::Default, url, &options).map_err(
            |err| match err.kind() {
                std::io::ErrorKind::NotFound => OpenError::NoBrowser,
                _ => OpenError::Failed(shown(&err.to_string(), 80)),
            },
        )
    }

    fn takes_terminal(&self) -> bool {
        std::env::var("BROWSER").is_ok_and(|value| is_text_browser(&value))
    }
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

/// Whether a browser could show anything: `$BROWSER` is set, or (on Linux and the BSDs) there
/// is a graphical session or WSL. macOS and Windows always have their desktop.
fn has_display() -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if cfg!(any(target_os = "macos", windows)) {
        return true;
    }
    set("BROWSER") || set("DISPLAY") || set("WAYLAND_DISPLAY") || set("WSL_DISTRO_NAME")
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
            std::io::ErrorKind::NotFound => OpenError::NoBrowser,
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
    fn the_recording_opener_records_and_refuses() {
        let mut opener = RecordingOpener::default();
        assert!(opener.open("https://a.org").is_ok());
        assert!(opener.open("data:text/html,hi").is_err());
        assert_eq!(opener.opened, vec!["https://a.org".to_string()]);
    }
}
