//! `pishkhan`: the server and the staff's command-line tool. Parses arguments, then hands over to
//! [`server::cli::batch`] (the rules subcommands), [`server::http`] (the HTTP server),
//! [`server::cli::users`] (the `user` subcommands), [`server::cli::roster`] (the `roster`
//! subcommands), [`server::cli::retention`] (`purge`), [`server::cli::reminders`] (`reminders`), [`server::cli::refunds`] (`refunds`) or [`server::cli::backup`] (`backup`,
//! `restore`).

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use rules::Tool;
use server::cli::roster::{self, RosterCommand};
use server::cli::users;
use server::cli::{batch, CommandError};
use server::http;

/// mimalloc rather than the C library's allocator: a request's many small allocations, freed
/// on other threads, cost the server a tenth of its time in glibc's `malloc` and `free`
/// (bench/server-results.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "pishkhan",
    version,
    about = "Pishkhan (پیشخوان): educational-exemption rules, deadlines and requests."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

const STREAM_HELP: &str = "Reads one JSON object, or JSON Lines (one object per line), on standard input and \
writes one JSON answer per input value on standard output, in order. A bad value is answered with \
{\"error\":{\"code\":\"INVALID_INPUT\",\"field\":…,\"message\":…}} on its line, the others are still \
answered, and the exit status is then 2. Dates are Jalali YYYY-MM-DD (or with /), in Latin, Persian \
or Arabic-Indic digits. The fields are those of shared/spec/rules.md §8.";

#[derive(Subcommand)]
enum Command {
    /// Educational-exemption pre-check (Art. 31, 33, 34, 35; consular rules).
    #[command(after_help = STREAM_HELP, long_about = "Educational-exemption pre-check (Art. 31, 33, 34, 35; consular rules).\n\nInput: {\"today\",\"level\",\"study_start\",\"birth_date\",\"previous_graduation\",\"institution_approved\",\"unjustified_absence\",\"prior_exemption_same_level\",\"withdrew_from_same_level\",\"withdrawn_renewals_used\",\"commission_extension\",\"abroad\"}\nOutput: {\"verdict\",\"exemption_until\",\"study_until\",\"study_until_with_commission\",\"reasons\",\"abroad\"}\n\nExample:\n  echo '{\"today\":\"1403-07-15\",\"level\":\"bachelor_continuous\",\"study_start\":\"1401-07-01\",\"institution_approved\":true,\"unjustified_absence\":false}' | pishkhan precheck")]
    Precheck,
    /// Withdrawal revocation deadline (withdrawal procedure, note 2).
    #[command(after_help = STREAM_HELP, long_about = "Withdrawal revocation deadline (withdrawal procedure, note 2).\n\nInput: {\"today\",\"submitted\",\"revocations_used\"}\nOutput: {\"revocation_deadline\",\"can_revoke\",\"final_ruling_from\",\"reasons\"}\n\nExample:\n  echo '{\"today\":\"1403-07-15\",\"submitted\":\"1403-06-01\",\"revocations_used\":0}' | pishkhan revocation")]
    Revocation,
    /// Presentation deadline after withdrawal, dropout, expulsion or graduation (Art. 34 n.1).
    #[command(after_help = STREAM_HELP, long_about = "Presentation deadline after withdrawal, dropout, expulsion or graduation (Art. 34 n.1).\n\nInput: {\"today\",\"event\":\"withdrawal|dropout|expulsion|graduation\",\"event_date\"}\nOutput: {\"present_by\",\"overdue\",\"reasons\"}\n\nExample:\n  echo '{\"today\":\"1403-07-15\",\"event\":\"graduation\",\"event_date\":\"1403-04-31\"}' | pishkhan presentation")]
    Presentation,
    /// Temporary travel abroad: is a guarantee needed (Art. 103, notes 1 and 3).
    #[command(after_help = STREAM_HELP, long_about = "Temporary travel abroad: is a guarantee needed (Art. 103, notes 1 and 3).\n\nInput: {\"has_valid_exemption\",\"admitted_via_national_exam\",\"university_letter\",\"seminary_council_confirmation\"}\nOutput: {\"guarantee_required\",\"options\",\"reasons\"}\n\nExample:\n  echo '{\"has_valid_exemption\":true,\"admitted_via_national_exam\":true,\"university_letter\":true}' | pishkhan travel")]
    Travel,
    /// Discharge from service to continue studies (Art. 35 n.2).
    #[command(after_help = STREAM_HELP, long_about = "Discharge from service to continue studies (Art. 35 n.2).\n\nInput: {\"had_initial_absence\",\"target_level\",\"emergency_or_war\"}\nOutput: {\"discharge_allowed\",\"reasons\"}\n\nExample:\n  echo '{\"had_initial_absence\":false,\"target_level\":\"master_noncontinuous\",\"emergency_or_war\":false}' | pishkhan discharge")]
    Discharge,
    /// Serve the app and the API over HTTP.
    Serve {
        /// Address to listen on (port 0 picks a free port; the bound address is printed).
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// The built app to serve (Trunk's output directory).
        #[arg(long, default_value = "dist")]
        dist: PathBuf,
        /// Where the database (`pishkhan.sqlite3`) and uploaded files live; created on first
        /// start.
        #[arg(long, default_value = "data")]
        data_dir: PathBuf,
        /// A PostgreSQL database (`postgres://user:password@host:port/name`) that several
        /// server instances share, instead of the SQLite file in the data directory (which
        /// still holds the server key, the uploads being received and, with `--sms-log`, the
        /// SMS log; uploaded files are kept in the database).
        #[arg(long, env = "PISHKHAN_DATABASE")]
        database: Option<String>,
        /// Request lookups each client address may make per minute.
        #[arg(long, default_value_t = 10)]
        lookups_per_minute: u32,
        /// Staff login attempts each client address may make per minute.
        #[arg(long, default_value_t = http::LOGINS_PER_MINUTE)]
        logins_per_minute: u32,
        /// Longest a request may take, reading its body included, in seconds.
        #[arg(long, default_value_t = 60)]
        request_timeout: u64,
        /// The server is behind TLS: mark the session cookies `Secure` and send
        /// `Strict-Transport-Security` (a year, subdomains included).
        #[arg(long)]
        secure_cookies: bool,
        /// A reverse proxy (an IP address or a CIDR block; repeatable) whose `X-Forwarded-For`
        /// names the client. Without it the header is ignored and the socket's peer is the
        /// client (docs/deploy.md).
        #[arg(long, value_parser = http::limit::parse_proxy)]
        trusted_proxy: Vec<ipnet::IpNet>,
        /// Create the demo staff users (one per role, password `pishkhan-demo`) when missing,
        /// and import the demo roster (README, "Demo roster").
        #[arg(long)]
        demo_users: bool,
        /// The exemption's service fee (seed 000 A1 step 5), in rials.
        #[arg(long, default_value_t = 1_000_000)]
        exemption_fee_rials: u64,
        /// The configuration file (`pishkhan.toml`): the OpenID providers applicants sign in
        /// with, `[[oidc.providers]]` (docs/signin.md), and the SMS gateway, `[sms]`
        /// (docs/sms.md). Without it, no provider or gateway is configured.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Tests only: rate-limit buckets never refill, so a limit is reached after exactly its
        /// number of attempts however slow the machine.
        #[arg(long, hide = true)]
        frozen_rate_limits: bool,
        /// Sign-in codes one person may ask for per 15 minutes.
        #[arg(long, default_value_t = http::CODES_PER_PERSON)]
        codes_per_person: u32,
        /// The payment gateway of the service fee. `sandbox` is a test gateway inside this
        /// server (anyone reaching it "pays"): development and tests only. `zarinpal` is
        /// Zarinpal's bank gateway, configured by `[payments]` in `--config` (docs/payments.md;
        /// `[payments].gateway` names it too). Without either nothing can be paid (503
        /// PAYMENT_UNAVAILABLE) and no sandbox page exists.
        #[arg(long, value_enum)]
        payment_gateway: Option<server::services::payments::GatewayKind>,
        /// Development only: write every SMS, one-time codes included, to
        /// `<data-dir>/sms.log` instead of sending it (ignored when `--config` has an `[sms]`
        /// gateway). Without either no SMS is sent.
        #[arg(long)]
        sms_log: bool,
        /// Files one person may upload per day.
        #[arg(long, default_value_t = http::UploadLimits::default().files_per_day)]
        uploads_per_day: u64,
        /// Bytes one person may upload per day.
        #[arg(long, default_value_t = http::UploadLimits::default().bytes_per_day)]
        upload_bytes_per_day: u64,
        /// Bytes an upload must leave free on the data directory's disk, else it is refused
        /// (507).
        #[arg(long, default_value_t = http::UploadLimits::default().min_free_disk)]
        min_free_disk: u64,
        /// Tests only: how often, in seconds, the uploads no request references are looked for
        /// (removed once a day old).
        #[arg(long, hide = true, default_value_t = 3600)]
        upload_sweep_seconds: u64,
        /// Who must sign in with a second factor (TOTP): `admin` (administrators; other staff
        /// may enrol) or `all` (every staff member).
        #[arg(long, default_value = "admin", value_parser = ["admin", "all"])]
        staff_totp: String,
    },
    /// Manage the staff accounts (passwords are read from standard input).
    User {
        /// The data directory (as `serve --data-dir`); opening it runs the migrations.
        #[arg(long, default_value = "data", global = true)]
        data_dir: PathBuf,
        /// A PostgreSQL database (`postgres://user:password@host:port/name`) that several
        /// server instances share, instead of the SQLite file in the data directory (which
        /// still holds the server key and, with `--sms-log`, the SMS log).
        #[arg(long, env = "PISHKHAN_DATABASE", global = true)]
        database: Option<String>,
        #[command(subcommand)]
        command: users::UserCommand,
    },
    /// Manage the universities (issue 14): add one, list them; add or list a university's
    /// faculties (`university faculty add|list`).
    University {
        /// The data directory (as `serve --data-dir`); opening it runs the migrations.
        #[arg(long, default_value = "data", global = true)]
        data_dir: PathBuf,
        /// A PostgreSQL database instead of the SQLite file in the data directory.
        #[arg(long, env = "PISHKHAN_DATABASE", global = true)]
        database: Option<String>,
        #[command(subcommand)]
        command: server::cli::universities::UniversityCommand,
    },
    /// Erase what the retention table says is due (docs/retention.md); the server also does
    /// this daily. Prints the count per kind of record.
    Purge {
        /// The data directory (as `serve --data-dir`); opening it runs the migrations.
        #[arg(long, default_value = "data")]
        data_dir: PathBuf,
        /// A PostgreSQL database (`postgres://user:password@host:port/name`) that several
        /// server instances share, instead of the SQLite file in the data directory (which
        /// still holds the server key and, with `--sms-log`, the SMS log).
        #[arg(long, env = "PISHKHAN_DATABASE")]
        database: Option<String>,
        /// Count what is due, erase nothing.
        #[arg(long)]
        dry_run: bool,
        /// On PostgreSQL: rewrite the tables erased from (`VACUUM FULL`), so that the erased
        /// values leave the database's files now; it locks each table while it runs (a quiet
        /// hour's job). On SQLite the erased values leave the file in any case.
        #[arg(long)]
        compact: bool,
        /// Tests only: purge as of this moment (Unix seconds) instead of the clock's now.
        #[arg(long, hide = true)]
        now: Option<i64>,
    },
    /// Queue the deadline reminders due on a day (docs/reminders.md); the server also does this
    /// hourly for today in Tehran. Each reminder is queued once, however often this runs.
    Reminders {
        /// The data directory (as `serve --data-dir`); opening it runs the migrations.
        #[arg(long, default_value = "data")]
        data_dir: PathBuf,
        /// A PostgreSQL database instead of the SQLite file in the data directory.
        #[arg(long, env = "PISHKHAN_DATABASE")]
        database: Option<String>,
        /// The day, Jalali YYYY-MM-DD (Persian, Arabic-Indic or Latin digits).
        #[arg(long)]
        today: String,
    },
    /// Try again the refunds the payment gateway did not make (failed, past their back-off, or
    /// left `refunding` by a crash; docs/payments.md, "Refunds"); the server also does this
    /// hourly. Each refund is asked of the gateway once per pass, however many passes run.
    Refunds {
        /// The data directory (as `serve --data-dir`); opening it runs the migrations.
        #[arg(long, default_value = "data")]
        data_dir: PathBuf,
        /// A PostgreSQL database instead of the SQLite file in the data directory.
        #[arg(long, env = "PISHKHAN_DATABASE")]
        database: Option<String>,
        /// The configuration file (as `serve --config`): its `[payments]` names the gateway.
        #[arg(long)]
        config: Option<PathBuf>,
        /// The payment gateway (as `serve --payment-gateway`).
        #[arg(long, value_enum)]
        payment_gateway: Option<server::services::payments::GatewayKind>,
        /// Tests only: run the pass as of this moment (Unix seconds) instead of the clock's now.
        #[arg(long, hide = true)]
        now: Option<i64>,
    },
    /// Count the offices' dashboard's summary again from the whole audit trail (docs/staff-api.md,
    /// "Dashboard"); the server keeps it current by itself, this is for a summary in doubt.
    DashboardRebuild {
        /// The data directory (as `serve --data-dir`); opening it runs the migrations.
        #[arg(long, default_value = "data")]
        data_dir: PathBuf,
        /// A PostgreSQL database instead of the SQLite file in the data directory.
        #[arg(long, env = "PISHKHAN_DATABASE")]
        database: Option<String>,
    },
    /// Copy a data directory, while the server runs, into one archive (docs/deploy.md, "Backups").
    Backup {
        /// The data directory (as `serve --data-dir`).
        #[arg(long, default_value = "data")]
        data_dir: PathBuf,
        /// The archive to write (tar, mode 0600; written under a temporary name, then renamed).
        #[arg(long)]
        to: PathBuf,
    },
    /// Bring an archive of `pishkhan backup` back into an empty data directory, and verify it.
    Restore {
        /// The archive.
        #[arg(long)]
        from: PathBuf,
        /// The data directory to restore into: missing or empty.
        #[arg(long)]
        data_dir: PathBuf,
    },
    /// The university's roster, whose people sign in with a code by SMS (docs/signin.md).
    Roster {
        /// The data directory (as `serve --data-dir`); opening it runs the migrations.
        #[arg(long, default_value = "data", global = true)]
        data_dir: PathBuf,
        /// A PostgreSQL database (`postgres://user:password@host:port/name`) that several
        /// server instances share, instead of the SQLite file in the data directory (which
        /// still holds the server key and, with `--sms-log`, the SMS log).
        #[arg(long, env = "PISHKHAN_DATABASE", global = true)]
        database: Option<String>,
        #[command(subcommand)]
        command: RosterCommand,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let tool = match cli.command {
        Command::Precheck => Tool::Precheck,
        Command::Revocation => Tool::Revocation,
        Command::Presentation => Tool::Presentation,
        Command::Travel => Tool::Travel,
        Command::Discharge => Tool::Discharge,
        Command::Serve {
            addr,
            dist,
            data_dir,
            database,
            lookups_per_minute,
            logins_per_minute,
            request_timeout,
            secure_cookies,
            trusted_proxy,
            demo_users,
            exemption_fee_rials,
            frozen_rate_limits,
            codes_per_person,
            sms_log,
            uploads_per_day,
            upload_bytes_per_day,
            min_free_disk,
            upload_sweep_seconds,
            staff_totp,
            config: config_file,
            payment_gateway,
        } => {
            let loaded = match config_file
                .as_deref()
                .map(server::domain::oidc::load_config)
            {
                Some(Ok(loaded)) => loaded,
                Some(Err(e)) => {
                    eprintln!("pishkhan: {e}");
                    return ExitCode::from(2);
                }
                None => Default::default(),
            };
            let server::domain::oidc::Loaded {
                providers: oidc_providers,
                sms,
                payments,
            } = loaded;
            let payment_gateway =
                match server::domain::payments::choose(payment_gateway, payments.as_ref()) {
                    Ok(kind) => kind,
                    Err(e) => {
                        eprintln!("pishkhan: {e}");
                        return ExitCode::from(2);
                    }
                };
            let config = http::Config {
                lookups_per_minute,
                logins_per_minute,
                request_timeout: std::time::Duration::from_secs(request_timeout.max(1)),
                secure_cookies,
                trusted_proxies: http::limit::TrustedProxies(trusted_proxy),
                demo_users,
                exemption_fee_rials,
                frozen_rate_limits,
                codes_per_person,
                oidc_providers,
                payment_gateway,
                payments,
                sms_log,
                sms,
                uploads: http::UploadLimits {
                    files_per_day: uploads_per_day,
                    bytes_per_day: upload_bytes_per_day,
                    min_free_disk,
                },
                upload_sweep: std::time::Duration::from_secs(upload_sweep_seconds.max(1)),
                staff_totp: server::domain::second_factor::StaffTotp::parse(&staff_totp)
                    .unwrap_or_default(),
                database,
                ..http::Config::new(dist, data_dir)
            };
            return run_server(addr, config);
        }
        Command::User {
            data_dir,
            database,
            command,
        } => {
            let mut input = std::io::stdin().lock();
            return run_command(users::run_user_command(
                &data_dir,
                database.as_deref(),
                command,
                &mut input,
            ));
        }
        Command::University {
            data_dir,
            database,
            command,
        } => {
            return run_command(server::cli::universities::run_university_command(
                &data_dir,
                database.as_deref(),
                command,
            ));
        }
        Command::Roster {
            data_dir,
            database,
            command,
        } => {
            return run_command(roster::run_roster_command(
                &data_dir,
                database.as_deref(),
                command,
            ));
        }
        Command::Purge {
            data_dir,
            database,
            dry_run,
            compact,
            now,
        } => {
            let now = now.unwrap_or_else(server::domain::clock::now_unix);
            return run_command(server::cli::retention::run_purge(
                &data_dir,
                database.as_deref(),
                now,
                dry_run,
                compact,
            ));
        }
        Command::Reminders {
            data_dir,
            database,
            today,
        } => {
            return run_command(server::cli::reminders::run_reminders(
                &data_dir,
                database.as_deref(),
                &today,
                server::domain::clock::now_unix(),
            ));
        }
        Command::Refunds {
            data_dir,
            database,
            config,
            payment_gateway,
            now,
        } => {
            return run_command(server::cli::refunds::run_refunds(
                &data_dir,
                database.as_deref(),
                config.as_deref(),
                payment_gateway,
                now.unwrap_or_else(server::domain::clock::now_unix),
            ));
        }
        Command::DashboardRebuild { data_dir, database } => {
            return run_command(server::cli::dashboard::run_rebuild(
                &data_dir,
                database.as_deref(),
            ));
        }
        Command::Backup { data_dir, to } => {
            return run_command(server::cli::backup::backup(&data_dir, &to));
        }
        Command::Restore { from, data_dir } => {
            return run_command(server::cli::backup::restore(&from, &data_dir));
        }
    };
    run_batch(tool)
}

fn run_batch(tool: Tool) -> ExitCode {
    let mut input = Vec::new();
    if let Err(e) = std::io::stdin().lock().read_to_end(&mut input) {
        eprintln!("pishkhan: cannot read standard input: {e}");
        return ExitCode::from(1);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let refused =
        batch::answer_stream(tool, &input, &mut out).and_then(|n| out.flush().map(|()| n));
    match refused {
        Ok(0) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(2),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pishkhan: cannot write standard output: {e}");
            ExitCode::from(1)
        }
    }
}

fn run_server(addr: SocketAddr, config: http::Config) -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    match runtime.block_on(http::serve(addr, config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pishkhan: server error on {addr}: {e}");
            ExitCode::from(1)
        }
    }
}

/// Runs a `user` or `roster` command: its output on standard output; bad input on standard
/// error (exit 2), a fault too (exit 1).
fn run_command(
    command: impl std::future::Future<Output = Result<String, CommandError>>,
) -> ExitCode {
    let runtime = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    match runtime.block_on(command) {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(CommandError::Input(errors)) => {
            for e in errors {
                eprintln!("pishkhan: {}", e.message_en);
            }
            ExitCode::from(2)
        }
        Err(CommandError::Fault(e)) => {
            eprintln!("pishkhan: {e}");
            ExitCode::from(1)
        }
    }
}

/// The async runtime the server and the `user` and `roster` commands run on.
fn runtime() -> Result<tokio::runtime::Runtime, ExitCode> {
    tokio::runtime::Runtime::new().map_err(|e| {
        eprintln!("pishkhan: cannot start the runtime: {e}");
        ExitCode::from(1)
    })
}
