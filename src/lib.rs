//! folio: a calm, fast terminal reader for a folder of Markdown articles.
//!
//! Data flows one way: files → [`library`] → [`markdown`] document → layout → screen, and
//! key → [`app`] action → update → effect.

pub mod app;
pub mod browser;
pub mod cli;
pub mod commands;
pub mod library;
pub mod markdown;
pub mod search;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod ui;
