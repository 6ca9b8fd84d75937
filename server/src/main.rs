//! The `tryout` binary: parses the command line and runs the chosen subcommand.

use anyhow::Context;
use clap::Parser;
use server::cli::{Cli, Command};
use server::config::{database_url, Config};
use server::startup::Application;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    server::telemetry::init(cli.log_json);

    match cli.command {
        Command::Serve(args) => {
            let config = Config::from_serve_args(&args)?;
            let listener = tokio::net::TcpListener::bind(config.listen)
                .await
                .with_context(|| format!("listening on {}", config.listen))?;
            let application = Application::build(&config, listener, None).await?;
            tracing::info!(address = %application.local_addr(), public_url = %config.public_url, "Tryout is serving");
            application.run_until_stopped().await
        }
        Command::Demo(args) => server::demo::run(args).await,
        Command::Migrate(args) => {
            app::ssr::db::connect_and_migrate(&database_url(&args)?, Some(1)).await?;
            println!("Migrations applied.");
            Ok(())
        }
        Command::CreateAdmin(args) => server::admin::create_admin(args).await,
        Command::GenerateKey => {
            println!("{}", app::ssr::crypto::SecretBox::generate_base64_key());
            Ok(())
        }
    }
}
