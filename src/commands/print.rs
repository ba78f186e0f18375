//! `folio print`: one article rendered to stdout.

use std::process::ExitCode;

use crate::cli::PrintArgs;

pub fn run(args: &PrintArgs) -> anyhow::Result<ExitCode> {
    let _ = args;
    unimplemented!("markdown helper")
}
