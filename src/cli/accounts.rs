//! `runway-assets accounts`: the Runway accounts linked to the token — each email, and whether
//! it is in an error state (with the error, cleaned). Nothing else of an account is read, so
//! its password and session token cannot be printed. Exit 0, 1 after an API failure, 2 for a
//! missing token or bad base URL.

use std::io::{self, Write};
use std::process::ExitCode;

use crate::api::{AccountSummary, ClientOptions};
use crate::present::api_error::describe;
use crate::sanitize;

pub async fn run(json: bool, options: ClientOptions, config_file: &str) -> ExitCode {
    let client = match super::get::client(options, config_file) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let accounts = match client.accounts().await {
        Ok(a) => a,
        Err(e) => {
            eprintln!("runway-assets: {}", describe(&e, config_file));
            return ExitCode::from(1);
        }
    };
    if accounts.is_empty() {
        eprintln!("runway-assets: no Runway account is linked to this token: add one at useapi.net.");
        return ExitCode::SUCCESS;
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let written = if json { write_json(&mut out, &accounts) } else { write_table(&mut out, &accounts) };
    if written.and_then(|()| out.flush()).is_err() {
        return ExitCode::from(1); // stdout closed: stop quietly
    }
    ExitCode::SUCCESS
}

fn write_json(out: &mut impl Write, accounts: &[AccountSummary]) -> io::Result<()> {
    for a in accounts {
        let line = serde_json::json!({ "email": a.email, "error": a.error });
        writeln!(out, "{}", sanitize::escape_json(&line.to_string()))?;
    }
    Ok(())
}

fn write_table(out: &mut impl Write, accounts: &[AccountSummary]) -> io::Result<()> {
    let width = accounts.iter().map(|a| a.email.chars().count()).max().unwrap_or(0);
    for a in accounts {
        match &a.error {
            None => writeln!(out, "{:<width$}  ok", a.email)?,
            Some(e) => writeln!(out, "{:<width$}  error: {e} (re-add the account at useapi.net)", a.email)?,
        }
    }
    Ok(())
}
