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
    if let Some(background) = answers().background {
        return background;
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
    /// What the terminal can draw pictures with.
    pub(crate) graphics: Graphics,
    /// The DA1 reply came: nothing more will.
    pub(crate) done: bool,
}

/// The terminal's picture protocols, from the same start-up query as the background: the
/// kitty graphics query's reply, sixel in the DA1 attributes, the cell size (`CSI 16 t`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Graphics {
    pub kitty: bool,
    pub sixel: bool,
    /// A cell's size in pixels (width, height), when the terminal said.
    pub cell: Option<(u16, u16)>,
}

/// The terminal's answers, asked once (only when stdin and stdout are both terminals) and
/// shared by whoever needs them.
pub(crate) fn answers() -> Replies {
    static ANSWERS: std::sync::OnceLock<Replies> = std::sync::OnceLock::new();
    *ANSWERS.get_or_init(|| {
        if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
            query_terminal().unwrap_or_default()
        } else {
            Replies::default()
        }
    })
}

/// The picture protocols of the terminal folio runs in.
pub fn graphics() -> Graphics {
    answers().graphics
}

/// Inside tmux, whose own terminal answers only through passthrough.
pub fn in_tmux() -> bool {
    std::env::var_os("TMUX").is_some_and(|v| !v.is_empty())
}

/// The kitty graphics query (a 1×1 image that is only checked, never shown). Inside tmux it is
/// wrapped for passthrough: only with `allow-passthrough` on does the outer terminal see it, so
/// a reply means the picture would get through too.
fn kitty_query(tmux: bool) -> Vec<u8> {
    let query = b"\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\";
    if !tmux {
        return query.to_vec();
    }
    let mut wrapped = b"\x1bPtmux;".to_vec();
    for &b in query {
        if b == 0x1b {
            wrapped.push(0x1b);
        }
        wrapped.push(b);
    }
    wrapped.extend_from_slice(b"\x1b\\");
    wrapped
}

/// Reads everything received so far (replies may arrive split across reads; the caller
/// passes all bytes read up to now).
pub(crate) fn parse_replies(input: &[u8]) -> Replies {
    let mut replies = Replies::default();
    let mut rest = input;
    while let Some(at) = rest.iter().position(|&b| b == 0x1b) {
        rest = &rest[at + 1..];
        if let Some(apc) = rest.strip_prefix(b"_Gi=31;") {
            replies.graphics.kitty |= apc.starts_with(b"OK");
        } else if let Some(csi) = rest.strip_prefix(b"[6;") {
            // `CSI 6 ; height ; width t`: a cell's size in pixels.
            let end = csi.iter().position(|&b| !(b.is_ascii_digit() || b == b';'));
            if let Some(end) = end.filter(|&e| csi[e] == b't') {
                let text = String::from_utf8_lossy(&csi[..end]);
                let mut numbers = text.split(';').map(|n| n.parse::<u16>().ok());
                if let (Some(Some(h)), Some(Some(w))) = (numbers.next(), numbers.next()) {
                    if w > 0 && h > 0 {
                        replies.graphics.cell = Some((w, h));
                    }
                }
            }
        } else if let Some(osc) = rest.strip_prefix(b"]11;") {
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
                    let attributes = String::from_utf8_lossy(&csi[..end]);
                    replies.graphics.sixel = attributes.split(';').any(|a| a == "4");
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
fn query_terminal() -> Option<Replies> {
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
    let tmux = in_tmux();
    let mut query = b"\x1b]11;?\x1b\\".to_vec();
    query.extend(kitty_query(tmux));
    query.extend_from_slice(b"\x1b[16t\x1b[c");
    if out.write_all(&query).and_then(|()| out.flush()).is_ok() {
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
                let mut replies = replies;
                if tmux {
                    // tmux answers DA1 itself; only kitty through passthrough reaches out.
                    replies.graphics.sixel = false;
                }
                result = Some(replies);
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
fn query_terminal() -> Option<Replies> {
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
                graphics: Graphics::default(),
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
                graphics: Graphics::default(),
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
                graphics: Graphics::default(),
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
                graphics: Graphics::default(),
                done: true
            }
        );
    }

    #[test]
    fn picture_protocols_come_from_the_same_replies() {
        let kitty = [
            b"\x1b]11;rgb:0/0/0\x1b\\".as_slice(),
            b"\x1b_Gi=31;OK\x1b\\",
            b"\x1b[6;20;10t",
            b"\x1b[?62;22c",
        ]
        .concat();
        assert_eq!(
            parse_replies(&kitty).graphics,
            Graphics {
                kitty: true,
                sixel: false,
                cell: Some((10, 20))
            }
        );
        let refused = [b"\x1b_Gi=31;ENOTSUPPORTED\x1b\\".as_slice(), b"\x1b[?1;2c"].concat();
        assert_eq!(parse_replies(&refused).graphics, Graphics::default());
        let bad_cell = [b"\x1b[6;0;99999t".as_slice(), b"\x1b[?1;2c"].concat();
        assert_eq!(parse_replies(&bad_cell).graphics.cell, None);
    }

    #[test]
    fn the_kitty_query_is_wrapped_for_tmux_passthrough() {
        let plain = kitty_query(false);
        assert!(plain.starts_with(b"\x1b_G"));
        let wrapped = kitty_query(true);
        assert!(wrapped.starts_with(b"\x1bPtmux;\x1b\x1b_G"));
        assert!(wrapped.ends_with(b"\x1b\x1b\\\x1b\\"));
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
