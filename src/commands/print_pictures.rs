//! `folio print --images`: local pictures drawn among the printed lines when stdout is a
//! terminal: through the terminal's graphics protocol when it is known to have one (kitty,
//! iTerm2, sixel), else as coloured half-blocks. Anything that goes wrong with a picture leaves
//! its label and a reason; the text is printed whatever happens to the pictures.

use std::path::{Path, PathBuf};

use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui_image::FontSize;
use ratatui_image::picker::{Picker, ProtocolType};
use ratatui_image::protocol::Protocol;

use crate::app::ImageMode;
use crate::markdown::model::{Document, PictureFit};
use crate::theme::{ColorDepth, Graphics};

/// What the config says about pictures, for `folio print`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PictureConfig {
    pub images: ImageMode,
    /// The most rows a picture takes (0: a third of the terminal, or [`UNKNOWN_HEIGHT_ROWS`]).
    pub image_rows: usize,
    pub site_root: Option<PathBuf>,
    /// The library folder: site-root paths are looked up in it when the article is inside.
    pub library: Option<PathBuf>,
}

/// The row cap when the config leaves it to the screen and the screen's height is unknown.
pub(crate) const UNKNOWN_HEIGHT_ROWS: u16 = 20;

/// Where `folio print` stands: what was asked and what stdout is.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Asked {
    /// `--images`.
    pub images: bool,
    pub mode: ImageMode,
    pub stdout_terminal: bool,
    pub pager: bool,
}

/// How pictures reach the terminal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Way {
    Protocol(ProtocolType),
    Halfblocks,
}

/// What the environment says about the terminal, for choosing a protocol without asking it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct TermEnv {
    /// `KITTY_WINDOW_ID` set or `TERM=xterm-kitty`.
    pub kitty: bool,
    /// `TERM_PROGRAM=iTerm.app|WezTerm` or `LC_TERMINAL=iTerm2`.
    pub iterm2: bool,
    /// Inside tmux: the outer terminal's protocols pass only through passthrough.
    pub tmux: bool,
}

impl TermEnv {
    pub(crate) fn from_env() -> TermEnv {
        let var = |name: &str| std::env::var(name).unwrap_or_default();
        TermEnv {
            kitty: !var("KITTY_WINDOW_ID").is_empty() || var("TERM") == "xterm-kitty",
            iterm2: crate::tui::pictures::iterm2_from_env(),
            tmux: crate::theme::in_tmux(),
        }
    }
}

/// Whether pictures are drawn, and if not why (`None`: not asked, nothing to say).
pub(crate) fn refusal(asked: Asked) -> Option<Option<&'static str>> {
    let why = if !asked.images {
        None
    } else if asked.mode == ImageMode::Off {
        Some("images are off in the config (images = \"off\")")
    } else if asked.pager {
        Some("the pager shows no pictures")
    } else if !asked.stdout_terminal {
        Some("stdout is not a terminal")
    } else {
        return None;
    };
    Some(why)
}

/// The way to draw in a terminal described by `env`; `query` asks the terminal itself (the
/// start-up query the reader uses) and is called only when the environment does not tell.
/// Inside tmux a protocol is used only when the query's kitty probe came back through
/// passthrough; the environment there describes the outer terminal, which tmux may hide.
pub(crate) fn choose(mode: ImageMode, env: TermEnv, query: impl FnOnce() -> Graphics) -> Way {
    if mode != ImageMode::Auto {
        return Way::Halfblocks;
    }
    if env.tmux {
        return if query().kitty {
            Way::Protocol(ProtocolType::Kitty)
        } else {
            Way::Halfblocks
        };
    }
    if env.kitty {
        return Way::Protocol(ProtocolType::Kitty);
    }
    if env.iterm2 {
        return Way::Protocol(ProtocolType::Iterm2);
    }
    let graphics = query();
    if graphics.kitty {
        Way::Protocol(ProtocolType::Kitty)
    } else if graphics.sixel {
        Way::Protocol(ProtocolType::Sixel)
    } else {
        Way::Halfblocks
    }
}

/// The row cap: `image_rows`, else a third of the terminal's height, else
/// [`UNKNOWN_HEIGHT_ROWS`].
pub(crate) fn max_rows(image_rows: usize, height: Option<u16>) -> u16 {
    match (image_rows, height) {
        (0, Some(h)) if h > 0 => (h / 3).max(3),
        (0, _) => UNKNOWN_HEIGHT_ROWS,
        (n, _) => u16::try_from(n).unwrap_or(u16::MAX),
    }
}

/// Encodes pictures for the terminal and writes them row by row.
pub(crate) struct Drawer {
    picker: Picker,
    way: Way,
    /// 24-bit colours for half-blocks; else the 256-colour palette.
    true_color: bool,
    pub(crate) fit: PictureFit,
}

impl Drawer {
    /// A drawer for this terminal, or why pictures are not drawn. Asks the terminal only when
    /// the environment does not say.
    pub(crate) fn for_terminal(
        config: &PictureConfig,
        colour: bool,
        depth: ColorDepth,
    ) -> Result<Drawer, &'static str> {
        let env = TermEnv::from_env();
        let mut asked = None;
        let mut query = || *asked.get_or_insert_with(crate::theme::graphics);
        let way = choose(config.images, env, &mut query);
        if way == Way::Halfblocks && !colour {
            return Err("half-block pictures need colours (--color never or NO_COLOR)");
        }
        let height = crossterm::terminal::size().ok().map(|(_, h)| h);
        let max_rows = max_rows(config.image_rows, height);
        Ok(match way {
            Way::Halfblocks => Drawer::halfblocks(depth == ColorDepth::TrueColor, max_rows),
            Way::Protocol(protocol) => {
                let cell = query().cell.unwrap_or((10, 20));
                #[allow(deprecated)] // The cell size comes from folio's own start-up query.
                let mut picker = Picker::from_fontsize(FontSize::new(cell.0, cell.1));
                picker.set_protocol_type(protocol);
                Drawer {
                    picker,
                    way,
                    true_color: true,
                    fit: PictureFit { cell, max_rows },
                }
            }
        })
    }

    /// Half-blocks in 24-bit colour or the 256-colour palette.
    pub(crate) fn halfblocks(true_color: bool, max_rows: u16) -> Drawer {
        Drawer {
            picker: Picker::halfblocks(),
            way: Way::Halfblocks,
            true_color,
            fit: PictureFit {
                cell: (10, 20),
                max_rows,
            },
        }
    }

    /// The picture's rows as text for the terminal: cells with their colours, or a protocol's
    /// sequence. A protocol that draws the whole picture from its first cell (iTerm2, sixel)
    /// is one row: the terminal moves past the picture itself.
    pub(crate) fn encode(&self, path: &Path, cols: u16, rows: u16) -> Result<Vec<String>, String> {
        use std::fmt::Write as _;
        let protocol = crate::tui::pictures::encode(&self.picker, path, cols, rows)?;
        let size = protocol.size();
        let area = Rect::new(0, 0, size.width.max(1), size.height.max(1));
        let mut buf = Buffer::empty(area);
        ratatui::widgets::Widget::render(ratatui_image::Image::new(&protocol), area, &mut buf);
        let whole = matches!(protocol, Protocol::Sixel(_) | Protocol::ITerm2(_));
        let mut lines = Vec::new();
        for y in 0..area.height {
            let mut line = String::new();
            // Colours written only where they change.
            let (mut fg, mut bg) = (Color::Reset, Color::Reset);
            for x in 0..area.width {
                let cell = &buf[(x, y)];
                if cell.diff_option == CellDiffOption::Skip {
                    continue;
                }
                if cell.fg != fg {
                    let style = anstyle::Style::new().fg_color(self.colour(cell.fg));
                    let _ = write!(line, "{}", style.render());
                    fg = cell.fg;
                }
                if cell.bg != bg {
                    let style = anstyle::Style::new().bg_color(self.colour(cell.bg));
                    let _ = write!(line, "{}", style.render());
                    bg = cell.bg;
                }
                line.push_str(cell.symbol());
            }
            let _ = write!(line, "{}", anstyle::Reset.render());
            lines.push(line);
            if whole {
                break;
            }
        }
        Ok(lines)
    }

    /// An SGR colour (`38` foreground, `48` background) for an RGB cell colour.
    /// A cell's colour as the terminal takes it: 24-bit, or the nearest of the 256.
    fn colour(&self, color: Color) -> Option<anstyle::Color> {
        let Color::Rgb(r, g, b) = color else {
            return None;
        };
        // kitty reads its image's id from the placeholder's 24-bit colour.
        let exact = self.true_color || matches!(self.way, Way::Protocol(_));
        Some(if exact {
            anstyle::RgbColor(r, g, b).into()
        } else {
            anstyle::Ansi256Color(ansi_colours::ansi256_from_rgb((r, g, b))).into()
        })
    }
}

/// The document's local pictures measured and attached, fitted for `drawer`.
pub(crate) fn attach(
    doc: &mut Document,
    markdown: &str,
    article: &Path,
    config: &PictureConfig,
    fit: PictureFit,
) {
    let folder = article
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // The library is the root when the article is inside it; else the article's folder.
    let inside = |lib: &PathBuf| {
        let lib = lib.canonicalize().ok()?;
        let at = folder.canonicalize().ok()?;
        at.starts_with(&lib).then_some(lib)
    };
    let root = config
        .library
        .as_ref()
        .and_then(inside)
        .unwrap_or_else(|| folder.to_path_buf());
    let sources = crate::pictures::Sources {
        root,
        site_root: config.site_root.clone(),
    };
    let pictures = crate::pictures::measure_all(markdown, article, &sources);
    crate::app::attach_pictures(doc, &pictures, config.images, fit);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked(images: bool, stdout_terminal: bool) -> Asked {
        Asked {
            images,
            mode: ImageMode::Auto,
            stdout_terminal,
            pager: false,
        }
    }

    #[test]
    fn pictures_need_the_flag_a_terminal_and_images_on() {
        assert_eq!(refusal(asked(false, true)), Some(None));
        assert_eq!(refusal(asked(true, true)), None);
        assert_eq!(
            refusal(asked(true, false)),
            Some(Some("stdout is not a terminal"))
        );
        let off = Asked {
            mode: ImageMode::Off,
            ..asked(true, true)
        };
        assert!(refusal(off).is_some_and(|why| why.is_some_and(|w| w.contains("off"))));
        let pager = Asked {
            pager: true,
            ..asked(true, true)
        };
        assert!(refusal(pager).is_some_and(|why| why.is_some()));
    }

    #[test]
    fn the_environment_chooses_the_protocol_and_the_query_only_when_it_cannot() {
        let no_query = || -> Graphics { panic!("asked the terminal") };
        let kitty = TermEnv {
            kitty: true,
            ..TermEnv::default()
        };
        assert_eq!(
            choose(ImageMode::Auto, kitty, no_query),
            Way::Protocol(ProtocolType::Kitty)
        );
        let iterm = TermEnv {
            iterm2: true,
            ..TermEnv::default()
        };
        assert_eq!(
            choose(ImageMode::Auto, iterm, no_query),
            Way::Protocol(ProtocolType::Iterm2)
        );
        assert_eq!(
            choose(ImageMode::Halfblocks, kitty, no_query),
            Way::Halfblocks
        );
        let sixel = || Graphics {
            sixel: true,
            ..Graphics::default()
        };
        assert_eq!(
            choose(ImageMode::Auto, TermEnv::default(), sixel),
            Way::Protocol(ProtocolType::Sixel)
        );
        assert_eq!(
            choose(ImageMode::Auto, TermEnv::default(), Graphics::default),
            Way::Halfblocks
        );
    }

    #[test]
    fn inside_tmux_only_a_probe_through_passthrough_allows_a_protocol() {
        let tmux_kitty = TermEnv {
            kitty: true,
            iterm2: true,
            tmux: true,
        };
        assert_eq!(
            choose(ImageMode::Auto, tmux_kitty, Graphics::default),
            Way::Halfblocks
        );
        let sixel = || Graphics {
            sixel: true,
            ..Graphics::default()
        };
        assert_eq!(choose(ImageMode::Auto, tmux_kitty, sixel), Way::Halfblocks);
        let through = || Graphics {
            kitty: true,
            ..Graphics::default()
        };
        assert_eq!(
            choose(ImageMode::Auto, tmux_kitty, through),
            Way::Protocol(ProtocolType::Kitty)
        );
    }

    #[test]
    fn the_row_cap_is_the_config_or_a_third_of_the_screen() {
        assert_eq!(max_rows(7, Some(90)), 7);
        assert_eq!(max_rows(0, Some(60)), 20);
        assert_eq!(max_rows(0, Some(5)), 3);
        assert_eq!(max_rows(0, None), UNKNOWN_HEIGHT_ROWS);
    }

    #[test]
    fn site_root_paths_are_found_in_the_configured_library_around_the_article() {
        use crate::markdown::model::Picture;
        let dir = tempfile::tempdir().expect("dir");
        let lib = dir.path();
        std::fs::create_dir_all(lib.join("static/images")).expect("dir");
        std::fs::create_dir_all(lib.join("posts")).expect("dir");
        image::RgbImage::from_pixel(20, 10, image::Rgb([0, 0, 255]))
            .save(lib.join("static/images/x.png"))
            .expect("save");
        let article = lib.join("posts/a.md");
        let markdown = "![a](/images/x.png)\n";
        let picture = |library: Option<PathBuf>| {
            let config = PictureConfig {
                library,
                ..PictureConfig::default()
            };
            let mut doc = crate::markdown::parse::parse_markdown(markdown);
            attach(&mut doc, markdown, &article, &config, PictureFit::default());
            doc.links.first().and_then(|l| l.picture.clone())
        };
        assert!(matches!(
            picture(Some(lib.to_path_buf())),
            Some(Picture::File {
                width: 20,
                height: 10,
                ..
            })
        ));
        // Outside the configured library, the article's folder is the root.
        assert!(matches!(picture(None), Some(Picture::Problem(why)) if why.contains("not found")));
        let elsewhere = tempfile::tempdir().expect("dir");
        let other = Some(elsewhere.path().to_path_buf());
        assert!(matches!(picture(other), Some(Picture::Problem(_))));
    }

    #[test]
    fn half_blocks_are_cells_in_256_or_24_bit_colour() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("red.png");
        image::RgbImage::from_pixel(40, 40, image::Rgb([255, 0, 0]))
            .save(&path)
            .expect("save");
        let rows = Drawer::halfblocks(true, 10)
            .encode(&path, 4, 2)
            .expect("drawn");
        assert_eq!(rows.len(), 2);
        assert!(rows[0].contains("\x1b[48;2;255;0;0m"), "{:?}", rows[0]);
        let palette = Drawer::halfblocks(false, 10)
            .encode(&path, 4, 2)
            .expect("drawn");
        // Red is 196 in the xterm palette.
        assert!(palette[0].contains("\x1b[48;5;196m"), "{:?}", palette[0]);
        assert!(!palette[0].contains(";2;"));
        let broken = dir.path().join("broken.png");
        std::fs::write(&broken, b"\x89PNG\r\n\x1a\nnot really").expect("write");
        let why = Drawer::halfblocks(true, 10).encode(&broken, 4, 2);
        assert!(why.is_err_and(|w| w.contains("broken")));
    }
}
