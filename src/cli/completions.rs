//! `runway-assets completions SHELL` and `runway-assets man`: both generated from the same clap
//! definition as the parser (`Cli::command()`), so they cannot drift from the real flags.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::CommandFactory;
use clap_complete::Shell;

use super::Cli;

/// Writes the completion script for `shell` to `out`.
pub fn completions(shell: Shell, out: &mut impl Write) -> io::Result<()> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "runway-assets", &mut script);
    if shell == Shell::Bash {
        // clap_complete 4.6 names a subcommand's case `runway__subcmd__assets__subcmd__list`
        // but sets `cmd` to `runway__assets__subcmd__list` for a name with a hyphen, so no
        // subcommand's flags would complete. tests/completions.rs runs a real bash to check.
        let text = String::from_utf8_lossy(&script).replace("runway__subcmd__assets", "runway__assets");
        script = text.into_bytes();
    }
    out.write_all(&script)?;
    out.flush()
}

/// Writes the roff manual page (its SUBCOMMANDS section lists each subcommand).
pub fn man(out: &mut impl Write) -> io::Result<()> {
    clap_mangen::Man::new(Cli::command()).render(out)?;
    out.flush()
}

/// Prints to stdout; a closed stdout is not an error worth a message.
pub fn run(write: impl FnOnce(&mut io::StdoutLock<'static>) -> io::Result<()>) -> ExitCode {
    let mut out = io::stdout().lock();
    match write(&mut out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("runway-assets: could not write: {e}");
            ExitCode::FAILURE
        }
    }
}
