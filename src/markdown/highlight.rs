//! Syntax highlighting of code blocks, loaded lazily.
