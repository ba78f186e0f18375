//! Is the terminal's background dark or light? Asked once at start-up, before input is read.
//!
//! The terminal is asked for its background colour (OSC 11) and then for its device
//! attributes (DA1). Every terminal answers DA1, and answers in order, so the DA1 reply marks
//! the end of the wait: a terminal that ignores OSC 11 (tmux without passthrough, the Linux
//! console) costs one round trip, not a timeout. 100 ms caps it for one that answers nothing.

use std::io::IsTerminal;
use std::time::Duration;

use super::color::luminance;

/// The longest start-up waits for the terminal's answers.
const TIMEOUT: Duration = Duration::from_millis(100);

/// Which of the built-in themes suits the terminal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Background {
    #[default]
    Dark,
    Light,
}

/// Asks the terminal (only when stdin and stdout are both terminals), then `COLORFGBG`, else
/// dark. Call before anything else reads the terminal's input: it reads the replies itself.
pub fn detect_background() -> Background {
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        if let Some(background) = query_terminal() {
            return background;
        }
    }
    std::env::var("COLORFGBG")
        .ok()
        .and_then(|v| from_colorfgbg(&v))
        .unwrap_or_default()
}

/// `COLORFGBG` is `fg;bg` (rxvt, Konsole; sometimes `fg;default;bg`): the last field is the
/// background's palette index, 0–6 and 8 dark, 7 and 9–15 light.
pub(crate) fn from_colorfgbg(value: &str) -> Option<Background> {
    let last = value.rsplit(';').next()?.trim();
    match last.parse::<u8>().ok()? {
        0..=6 | 8 => Some(Background::Dark),
        7 | 9..=15 => Some(Background::Light),
        _ => None,
    }
}

/// What the replies read so far say.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Replies {
    /// The background from an OSC 11 reply, when one came and parsed.
    pub(crate) background: Option<Background>,
    /// The DA1 reply came: nothing more will.
    pub(crate) done: bool,
}

/// Reads everything received so far (replies may arrive split across reads; the caller
/// passes all bytes read up to now).
pub(crate) fn parse_replies(input: &[u8]) -> Replies {
    let mut replies = Replies::default();
    let mut rest = input;
    while let Some(at) = rest.iter().position(|&b| b == 0x1b) {
        rest = &rest[at + 1..];
        if let Some(osc) = rest.strip_prefix(b"]11;") {
            // The reply ends with BEL or ST (`ESC \`); one cut short is not used.
            let end = osc.iter().position(|&b| b == 0x07 || b == 0x1b);
            if let Some(end) = end {
                replies.background = parse_rgb(&osc[..end]).map(classify);
                rest = &osc[end..];
            }
        } else if let Some(csi) = rest.strip_prefix(b"[?") {
            let params = csi.iter().position(|&b| !(b.is_ascii_digit() || b == b';'));
            if let Some(end) = params {
                if csi[end] == b'c' {
                    replies.done = true;
                    return replies;
                }
            }
        }
    }
    replies
}

/// `rgb:RRRR/GGGG/BBBB` (1 to 4 hex digits a channel) → channels from 0.0 to 1.0.
pub(crate) fn parse_rgb(text: &[u8]) -> Option<(f64, f64, f64)> {
    let text = std::str::from_utf8(text).ok()?;
    let body = text.strip_prefix("rgb:")?;
    let mut channels = body.split('/').map(|c| {
        if c.is_empty() || c.len() > 4 {
            return None;
        }
        let value = u32::from_str_radix(c, 16).ok()?;
        let max = (1u32 << (4 * c.len())) - 1;
        Some(f64::from(value) / f64::from(max))
    });
    let rgb = (channels.next()??, channels.next()??, channels.next()??);
    channels.next().is_none().then_some(rgb)
}

/// Light when the colour is brighter than a middle grey.
fn classify(rgb: (f64, f64, f64)) -> Background {
    if luminance(rgb) > 0.2 {
        Background::Light
    } else {
        Background::Dark
    }
}

#[cfg(unix)]
fn query_terminal() -> Option<Background> {
    use std::io::Write;
    use std::os::fd::AsRawFd;
    use std::time::Instant;

    let was_raw = crossterm::terminal::is_raw_mode_enabled().unwrap_or(false);
    // Raw mode: the replies must not echo on screen nor wait for a newline.
    if !was_raw && crossterm::terminal::enable_raw_mode().is_err() {
        return None;
    }
    let stdin = std::io::stdin();
    let fd = stdin.as_raw_fd();
    let mut out = std::io::stdout();
    let mut received = Vec::new();
    let mut result = None;
    if out
        .write_all(b"\x1b]11;?\x1b\\\x1b[c")
        .and_then(|()| out.flush())
        .is_ok()
    {
        let start = Instant::now();
        while let Some(left) = TIMEOUT.checked_sub(start.elapsed()) {
            let mut poll = libc::pollfd {
                fd,
                events: libc::POLLIN,
                revents: 0,
            };
            let millis = libc::c_int::try_from(left.as_millis()).unwrap_or(0).max(1);
            // SAFETY: one valid pollfd, and its count is 1.
            let ready = unsafe { libc::poll(&mut poll, 1, millis) };
            if ready <= 0 {
                break;
            }
            let mut buf = [0u8; 256];
            // SAFETY: reads at most buf.len() bytes into buf, which lives across the call.
            let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
            let Ok(n) = usize::try_from(n) else { break };
            if n == 0 {
                break;
            }
            received.extend_from_slice(&buf[..n]);
            let replies = parse_replies(&received);
            if replies.done {
                result = replies.background;
                break;
            }
            // A terminal that answers neither would fill memory with whatever it sends.
            if received.len() > 4096 {
                break;
            }
        }
    }
    if !was_raw {
        let _ = crossterm::terminal::disable_raw_mode();
    }
    result
}

#[cfg(not(unix))]
fn query_terminal() -> Option<Background> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const DA1: &[u8] = b"\x1b[?64;1;2;6;9;15;18;21;22c";

    #[test]
    fn a_dark_and_a_light_background_are_told_apart() {
        let dark = [b"\x1b]11;rgb:1e1e/1e1e/2e2e\x1b\\".as_slice(), DA1].concat();
        assert_eq!(
            parse_replies(&dark),
            Replies {
                background: Some(Background::Dark),
                done: true
            }
        );
        let light = [b"\x1b]11;rgb:ffff/ffff/ffff\x07".as_slice(), DA1].concat();
        assert_eq!(parse_replies(&light).background, Some(Background::Light));
        let solarized = [b"\x1b]11;rgb:fdfd/f6f6/e3e3\x07".as_slice(), DA1].concat();
        assert_eq!(
            parse_replies(&solarized).background,
            Some(Background::Light)
        );
    }

    #[test]
    fn a_reply_split_across_reads_is_read_whole() {
        let all = [b"\x1b]11;rgb:ffff/ffff/ffff\x1b\\".as_slice(), DA1].concat();
        for cut in 1..all.len() {
            let first = parse_replies(&all[..cut]);
            assert!(!first.done, "done after {cut} bytes");
        }
        assert_eq!(
            parse_replies(&all),
            Replies {
                background: Some(Background::Light),
                done: true
            }
        );
    }

    #[test]
    fn a_terminal_that_ignores_osc_11_still_ends_the_wait() {
        assert_eq!(
            parse_replies(DA1),
            Replies {
                background: None,
                done: true
            }
        );
    }

    #[test]
    fn garbage_is_no_answer() {
        for input in [
            b"".as_slice(),
            b"hello",
            b"\x1b]11;rgb:zz/00/00\x07",
            b"\x1b]11;rgb:ffff/ffff\x07",
            b"\x1b]11;rgb:fffff/0/0\x07",
            b"\x1b[?64;1",
            b"\x1b[64c",
            b"\x1b\x1b\x1b]11;",
        ] {
            assert_eq!(parse_replies(input).background, None, "{input:?}");
            assert!(!parse_replies(input).done, "{input:?}");
        }
        let garbled = [b"\x1b]11;cmy:1/2/3\x07".as_slice(), DA1].concat();
        assert_eq!(
            parse_replies(&garbled),
            Replies {
                background: None,
                done: true
            }
        );
    }

    #[test]
    fn channels_of_any_hex_width_scale_to_one() {
        assert_eq!(parse_rgb(b"rgb:f/f/f"), Some((1.0, 1.0, 1.0)));
        assert_eq!(parse_rgb(b"rgb:00/80/ff").map(|c| c.2), Some(1.0));
        assert_eq!(parse_rgb(b"rgb:0000/0000/0000"), Some((0.0, 0.0, 0.0)));
        assert_eq!(parse_rgb(b"rgba:0/0/0/0"), None);
    }

    #[test]
    fn colorfgbg_names_the_background_last() {
        assert_eq!(from_colorfgbg("15;0"), Some(Background::Dark));
        assert_eq!(from_colorfgbg("0;15"), Some(Background::Light));
        assert_eq!(from_colorfgbg("0;default;7"), Some(Background::Light));
        assert_eq!(from_colorfgbg("7;8"), Some(Background::Dark));
        assert_eq!(from_colorfgbg("default;default"), None);
        assert_eq!(from_colorfgbg("0;42"), None);
        assert_eq!(from_colorfgbg(""), None);
    }
}
