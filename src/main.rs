//! The `folio` binary: parse the command line and hand over to [`folio::cli::run`].

use std::process::ExitCode;

fn main() -> ExitCode {
    folio::cli::run()
}
