use clap::Parser;

#[derive(Parser, Debug)]
#[command(
    name = "ntm",
    about = "Event-sourced tracker of Nông thôn mới criteria"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    /// Criteria catalogue (bộ tiêu chí)
    Catalog {
        #[command(subcommand)]
        cmd: ntm_tracker::catalog_cli::CatalogCommand,
    },
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Catalog { cmd } => {
            ntm_tracker::catalog_cli::run(&cmd, &mut std::io::stdout().lock())
        }
    }
}
