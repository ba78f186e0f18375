//! Choosing how pictures reach the terminal, and the job that decodes one and encodes it for
//! the terminal at a size.

use std::path::Path;
use std::sync::Arc;

use ratatui::layout::Size;
use ratatui_image::picker::{Picker, ProtocolType};
use ratatui_image::{FontSize, Resize};

use crate::app::pictures::Drawn;
use crate::app::{ImageMode, Msg};
use crate::theme::Graphics;

/// The encoder for `mode` in a terminal that can do `graphics`, and the cell size pictures are
/// fitted with. Half-blocks unless the terminal answered for a protocol and said its cell
/// size; `None` when images are off.
pub(crate) fn picker(
    mode: ImageMode,
    graphics: Graphics,
    iterm2: bool,
) -> Option<(Picker, (u16, u16))> {
    let protocol = match (mode, graphics.cell) {
        (ImageMode::Off, _) => return None,
        (ImageMode::Halfblocks, _) | (ImageMode::Auto, None) => None,
        (ImageMode::Auto, Some(_)) if graphics.kitty => Some(ProtocolType::Kitty),
        (ImageMode::Auto, Some(_)) if iterm2 && !crate::theme::in_tmux() => {
            Some(ProtocolType::Iterm2)
        }
        (ImageMode::Auto, Some(_)) if graphics.sixel => Some(ProtocolType::Sixel),
        (ImageMode::Auto, Some(_)) => None,
    };
    match (protocol, graphics.cell) {
        (Some(protocol), Some(cell)) => {
            #[allow(deprecated)] // The cell size comes from folio's own start-up query.
            let mut picker = Picker::from_fontsize(FontSize::new(cell.0, cell.1));
            picker.set_protocol_type(protocol);
            Some((picker, cell))
        }
        _ => Some((Picker::halfblocks(), (10, 20))),
    }
}

/// Whether the terminal says it is iTerm2 (or one that speaks its protocol); there is no query
/// for it.
pub(crate) fn iterm2_from_env() -> bool {
    let program = std::env::var("TERM_PROGRAM").unwrap_or_default();
    let lc = std::env::var("LC_TERMINAL").unwrap_or_default();
    matches!(program.as_str(), "iTerm.app" | "WezTerm") || lc == "iTerm2"
}

/// Decodes `path` and encodes it for `picker` to fit `cols`×`rows` cells: the reader's
/// pictures and `folio print --images` alike.
pub(crate) fn encode(
    picker: &Picker,
    path: &Path,
    cols: u16,
    rows: u16,
) -> Result<ratatui_image::protocol::Protocol, String> {
    let image = crate::pictures::decode(path)?;
    picker
        .new_protocol(
            image,
            Size::new(cols, rows),
            Resize::Scale(Some(ratatui_image::FilterType::Triangle)),
        )
        .map_err(|e| crate::text::sanitize_line(&format!("cannot draw: {e}")))
}

/// [`encode`], as the message the reader's job answers with.
pub(crate) fn draw(picker: &Picker, path: &Path, cols: u16, rows: u16) -> Msg {
    let result = encode(picker, path, cols, rows).map(|p| Drawn(Arc::new(p)));
    Msg::PictureDrawn {
        path: path.to_path_buf(),
        cols,
        rows,
        result,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_png_becomes_half_blocks_of_the_size_asked() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("rb.png");
        image::RgbImage::from_pixel(400, 200, image::Rgb([255, 0, 0]))
            .save(&path)
            .expect("save");
        let (picker, cell) = picker(ImageMode::Halfblocks, Graphics::default(), false).expect("on");
        assert_eq!(cell, (10, 20));
        let Msg::PictureDrawn { result, .. } = draw(&picker, &path, 40, 10) else {
            panic!("not a picture");
        };
        let drawn = result.expect("drawn");
        assert_eq!((drawn.0.size().width, drawn.0.size().height), (40, 10));
    }

    #[test]
    fn images_off_has_no_encoder() {
        assert!(picker(ImageMode::Off, Graphics::default(), true).is_none());
    }
}
