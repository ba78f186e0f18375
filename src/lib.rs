//! folio: a calm, fast terminal reader for a folder of Markdown articles.
//!
//! Data flows one way: files → [`library`] → [`markdown`] document → layout → screen, and
//! event → [`app`] message → update → effects → [`tui`] jobs → messages.

#![warn(unreachable_pub)]

pub(crate) mod allocator;
pub mod app;
pub mod browser;
pub mod cli;
pub(crate) mod commands;
pub(crate) mod config;
pub mod error;
pub(crate) mod fold;
pub mod library;
pub mod links;
pub mod markdown;
pub mod pictures;
pub mod search;
pub mod store;
pub mod text;
pub mod theme;
pub mod tui;
pub mod ui;
