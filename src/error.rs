//! The one error type every command shares: a mistake the user made on the command line.

/// A failure the user caused (bad path, wrong file type): one line on stderr, exit status 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);
