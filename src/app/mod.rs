//! The reader's model and its pure update: no I/O, no terminal.

pub mod run;
