//! `folio list`: the library as aligned columns or JSON.

use std::process::ExitCode;

use crate::cli::ListArgs;

pub fn run(args: &ListArgs) -> anyhow::Result<ExitCode> {
    let _ = args;
    unimplemented!("library helper")
}
