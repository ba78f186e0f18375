//! Taking and restoring the terminal.
