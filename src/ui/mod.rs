//! Drawing: `draw(&App, &mut Frame)`, one file per screen area, colours from a theme.

pub mod theme;
