//! The `folio` binary: parse the command line and hand over to [`folio::cli::run`].

use std::process::ExitCode;

/// Scanning, parsing and layout allocate many small strings; mimalloc serves them several times
/// faster than the system allocator (see bench/RESULTS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    folio::cli::run()
}
