//! The `mlsd-studio` binary: the GUI, or a headless subcommand.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use mlsd_studio::content::{self, CaseLibrary};
use mlsd_studio::export::{ExportFormat, ReportFormat};
use mlsd_studio::{cli, settings, ui};

/// Practise machine-learning system design interviews: a guided 7-step
/// framework on real case studies.
///
/// With no subcommand, opens the app window; `mlsd-studio FILE.mlsd` opens
/// it with that session, as `open` does.
#[derive(Parser)]
#[command(name = "mlsd-studio", version, about, long_about)]
struct Args {
    /// A session (*.mlsd) to open in the app window, as `open FILE` does
    /// (how desktops and file managers start the app on a file).
    #[arg(value_name = "FILE.mlsd")]
    file: Option<PathBuf>,
    /// Read case studies from this folder instead of the ones built into the app.
    #[arg(long, global = true, value_name = "DIR")]
    content: Option<PathBuf>,
    /// Remote mock interviews connect only directly (same network or
    /// loopback), never through iroh's public relays.
    #[arg(long, global = true)]
    no_relay: bool,
    /// Print the time to the first frame, then exit (a start-up benchmark).
    #[arg(long, global = true, hide = true)]
    exit_after_first_frame: bool,
    #[command(subcommand)]
    command: Option<Cmd>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Open a saved session (*.mlsd) in the app window.
    Open {
        /// The session file.
        file: PathBuf,
    },
    /// List the case studies.
    List {
        /// Print a JSON array: id, title, summary, difficulty, tags, questions
        /// (count), scenario, and steps (7 objects with step, name, checklist,
        /// hints, follow_ups, pitfalls and reference_words counts).
        #[arg(long)]
        json: bool,
    },
    /// Export a diagram of a session to a file other tools open.
    Export {
        /// The session file.
        file: PathBuf,
        /// The diagram's name, e.g. "Serving" or "Data & training pipeline".
        #[arg(long, default_value = "Serving")]
        diagram: String,
        /// The output format.
        #[arg(long, value_enum)]
        format: ExportFormatArg,
        /// Where to write it; `-` for standard output. A session file is
        /// never overwritten.
        #[arg(short, long, value_name = "OUT")]
        output: PathBuf,
    },
    /// Simulate the serving diagram of a session: latency percentiles with
    /// confidence intervals, throughput, utilisation, bottleneck and cost.
    Simulate {
        /// The session file.
        file: PathBuf,
        /// The diagram to simulate.
        #[arg(long, default_value = "Serving")]
        diagram: String,
        /// Requests per second (default: the case study's peak).
        #[arg(long)]
        qps: Option<f64>,
        /// Requests per replication.
        #[arg(long, default_value_t = 100_000)]
        requests: u64,
        /// Independent replications, for confidence intervals.
        #[arg(long, default_value_t = 10)]
        replications: u32,
        /// Random seed: the same seed gives the same numbers.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Print the report as JSON (keys in docs/simulator.md).
        #[arg(long)]
        json: bool,
        /// Run over time for this many simulated seconds instead of the
        /// steady state (plays the diagram's saved scenario, if any).
        #[arg(long, value_name = "SECONDS")]
        duration: Option<f64>,
        /// Window of the run over time, seconds (default 1).
        #[arg(long, value_name = "SECONDS")]
        window: Option<f64>,
        /// An event of the run over time: T:qps=N, T:fail=NODE[@FRACTION],
        /// T:recover=NODE, T:cold=NODE, T:spike=FACTOR@SECONDS,
        /// T:ramp=N@SECONDS, T:daily=PEAK, T:rollout=NODE@FACTOR (T in s).
        #[arg(long, value_name = "SPEC")]
        event: Vec<String>,
        /// Play the diagram's saved scenario over time.
        #[arg(long)]
        scenario: bool,
        /// Find the cheapest replica counts per node that keep every node
        /// below load 0.8 and the p99 (upper end of its 95% interval) within
        /// the SLA, and print them as a diff.
        #[arg(long)]
        right_size: bool,
        /// With --right-size: the SLA must also hold with one zone lost.
        #[arg(long, requires = "right_size")]
        zone_loss: bool,
        /// With --right-size: the p99 limit in ms (default: the case's SLA).
        #[arg(long, value_name = "MS", requires = "right_size")]
        sla_p99: Option<f64>,
        /// With --right-size: model nodes may move to other hardware from
        /// the catalog.
        #[arg(long, requires = "right_size")]
        choose_hardware: bool,
        /// With --right-size: write the right-sized session here.
        #[arg(short, long, value_name = "OUT.mlsd", requires = "right_size")]
        output: Option<PathBuf>,
        /// Simulate two diagrams of the session the same way and show B
        /// against A: latency, saturation, cost, availability, bottleneck
        /// and the nodes added, removed or resized.
        #[arg(long, num_args = 2, value_names = ["NAME_A", "NAME_B"], conflicts_with_all = ["right_size", "scenario", "duration", "window", "event"])]
        compare: Option<Vec<String>>,
    },
    /// Write the report of a session: time per step, scores, notes, answers,
    /// missed checklist points and diagrams.
    Report {
        /// The session file.
        file: PathBuf,
        /// md (Markdown) or html (one standalone page).
        #[arg(long, value_enum)]
        format: ReportFormatArg,
        /// Where to write it; `-` for standard output. A session file is
        /// never overwritten.
        #[arg(short, long, value_name = "OUT")]
        output: PathBuf,
    },
    /// Write the reference design of a case study as a session file: its
    /// pipeline and serving diagrams, ready to open, simulate and export.
    Reference {
        /// The case study's id (see `list`).
        case: String,
        /// Where to write the session.
        #[arg(short, long, value_name = "FILE.mlsd")]
        output: PathBuf,
    },
    /// Review a session: findings on its diagrams (rule, severity, nodes,
    /// step, why) and which checklist points each answer appears to cover.
    /// Exits 0 whatever it finds, 2 when the file cannot be read.
    Review {
        /// The session file.
        file: PathBuf,
        /// Print JSON: `findings` and `coverage` (keys in docs/design-review.md).
        #[arg(long)]
        json: bool,
    },
    /// The back-of-envelope estimate: QPS, storage, ANN index memory,
    /// FLOP/s, accelerators, network and cost, each with its formula.
    /// Starts from a case study's figures (or plain defaults); every flag
    /// replaces one figure.
    Estimate {
        /// Start from this case study's scenario and sizing (see `list`).
        #[arg(long, value_name = "ID")]
        case: Option<String>,
        /// Daily active users.
        #[arg(long, value_name = "N")]
        dau: Option<f64>,
        /// Actions (requests) per user per day.
        #[arg(long, value_name = "N")]
        per_user: Option<f64>,
        /// Peak-to-mean factor of the busiest hour.
        #[arg(long, value_name = "N")]
        peak: Option<f64>,
        /// Items in the catalog (the ANN index size).
        #[arg(long, value_name = "N")]
        items: Option<f64>,
        /// New items per day.
        #[arg(long, value_name = "N")]
        new_items: Option<f64>,
        /// Stored bytes per item.
        #[arg(long, value_name = "N")]
        bytes_per_item: Option<f64>,
        /// Logged bytes per event.
        #[arg(long, value_name = "N")]
        bytes_per_event: Option<f64>,
        /// Days of retention.
        #[arg(long, value_name = "N")]
        retention_days: Option<f64>,
        /// Embedding dimensions.
        #[arg(long, value_name = "N")]
        dims: Option<f64>,
        /// Bytes per embedding dimension (4 float32, 2 fp16, 1 int8).
        #[arg(long, value_name = "N")]
        bytes_per_dim: Option<f64>,
        /// Candidates scored per request.
        #[arg(long, value_name = "N")]
        candidates: Option<f64>,
        /// Model GFLOPs per scored candidate.
        #[arg(long, value_name = "N")]
        gflops: Option<f64>,
        /// Accelerator, as a hardware catalog id (e.g. gpu-l4, cpu-c7i-8xlarge).
        #[arg(long, value_name = "ID")]
        hardware: Option<String>,
        /// Fraction of the accelerator's peak FLOP/s reached, (0, 1].
        #[arg(long, value_name = "F")]
        utilisation: Option<f64>,
        /// Request plus response bytes per request.
        #[arg(long, value_name = "N")]
        bytes_per_request: Option<f64>,
        /// Print JSON: one object per output with value, unit and formula.
        #[arg(long)]
        json: bool,
    },
    /// Import a Mermaid flowchart (.mmd) or Graphviz DOT file (.dot) into a
    /// diagram of a session, laid out, with component kinds guessed from
    /// shapes and words. Lines left out print with their line numbers.
    Import {
        /// The Mermaid or DOT file (other extensions: the format is
        /// recognised from the text).
        input: PathBuf,
        /// The session to import into; with --case, the new session to write.
        #[arg(short, long, value_name = "OUT.mlsd")]
        output: PathBuf,
        /// The diagram to add the drawing to (made if missing); by default
        /// one named after the input file.
        #[arg(long, value_name = "NAME")]
        diagram: Option<String>,
        /// Start a new session for this case study (see `list`).
        #[arg(long, value_name = "ID")]
        case: Option<String>,
    },
    /// Share a session read-only with an interviewer on another computer.
    /// Prints the invitation (a ticket) on the first line of output, then
    /// serves until interrupted; a new version of the file is shared as
    /// soon as it is saved.
    Host {
        /// The session file.
        file: PathBuf,
        /// The local address to listen on (default: every interface, a free
        /// port).
        #[arg(long, value_name = "IP:PORT")]
        bind: Option<std::net::SocketAddr>,
        /// The name the interviewer sees.
        #[arg(long, default_value = "the candidate")]
        name: String,
    },
    /// Join a shared session with its ticket and write the session to a
    /// file atomically. Exits 0 once written; non-zero, with the reason,
    /// when the ticket is refused or no session comes.
    Join {
        /// The ticket `host` printed (or the app's invitation).
        ticket: String,
        /// Where to write the candidate's session.
        #[arg(long, value_name = "OUT.mlsd")]
        snapshot: PathBuf,
        /// Keep the file current, reconnecting after drops, until the
        /// candidate ends the sharing.
        #[arg(long)]
        follow: bool,
        /// The local address to connect from (default: any).
        #[arg(long, value_name = "IP:PORT")]
        bind: Option<std::net::SocketAddr>,
        /// The name the candidate sees.
        #[arg(long, default_value = "the interviewer")]
        name: String,
        /// Give up when no session arrived after this many seconds.
        #[arg(long, default_value_t = 30, value_name = "SECONDS")]
        timeout: u64,
    },
    /// Validate every case-study file (*.ron) in a folder; exit status 1 if
    /// anything is wrong. Problems print as file:line:col: message.
    Check {
        /// The folder to check.
        #[arg(default_value = "case_studies")]
        dir: PathBuf,
    },
}

/// The diagram formats as they are spelled on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum ExportFormatArg {
    Svg,
    Png,
    Mermaid,
    Dot,
    Excalidraw,
}

impl From<ExportFormatArg> for ExportFormat {
    fn from(arg: ExportFormatArg) -> ExportFormat {
        match arg {
            ExportFormatArg::Svg => ExportFormat::Svg,
            ExportFormatArg::Png => ExportFormat::Png,
            ExportFormatArg::Mermaid => ExportFormat::Mermaid,
            ExportFormatArg::Dot => ExportFormat::Dot,
            ExportFormatArg::Excalidraw => ExportFormat::Excalidraw,
        }
    }
}

/// The report formats as they are spelled on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum ReportFormatArg {
    Md,
    Html,
}

impl From<ReportFormatArg> for ReportFormat {
    fn from(arg: ReportFormatArg) -> ReportFormat {
        match arg {
            ReportFormatArg::Md => ReportFormat::Md,
            ReportFormatArg::Html => ReportFormat::Html,
        }
    }
}

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    match run(Args::parse(), started) {
        Ok(code) => code,
        Err(e) => {
            // Every error's message already carries its cause.
            eprintln!("mlsd-studio: {e}");
            ExitCode::FAILURE
        }
    }
}

fn library(dir: Option<&PathBuf>) -> Result<CaseLibrary, content::FolderError> {
    dir.map_or_else(|| Ok(content::bundled()), |d| content::load_dir(d))
}

/// A session to open and a subcommand together are a mistake: say so
/// rather than ignore one of them.
fn refuse_file_with_subcommand(args: &Args) -> anyhow::Result<()> {
    if let (Some(file), Some(_)) = (&args.file, &args.command) {
        anyhow::bail!(
            "`{}` and a subcommand were both given; give a session to open or a subcommand",
            file.display()
        );
    }
    Ok(())
}

fn run(args: Args, started: std::time::Instant) -> anyhow::Result<ExitCode> {
    refuse_file_with_subcommand(&args)?;
    let first_frame = args.exit_after_first_frame.then_some(started);
    match args.command {
        None => {
            let file = args.file.map(bare_file).transpose()?;
            gui(
                library(args.content.as_ref())?,
                file,
                first_frame,
                args.no_relay,
            )
        }
        Some(Cmd::Open { file }) => gui(
            library(args.content.as_ref())?,
            Some(file),
            first_frame,
            args.no_relay,
        ),
        Some(Cmd::List { json }) => {
            let lib = library(args.content.as_ref())?;
            for e in lib.errors() {
                eprintln!("{e}");
            }
            if json {
                println!("{}", serde_json::to_string_pretty(&cli::list_json(&lib))?);
            } else {
                print!("{}", cli::list_text(&lib));
            }
            // A script must not mistake "nothing loaded" for an empty list.
            Ok(if lib.studies.is_empty() {
                if lib.failures.is_empty() {
                    eprintln!("mlsd-studio: no case-study files (*.ron) found");
                }
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        Some(Cmd::Import {
            input,
            output,
            diagram,
            case,
        }) => {
            let lib = library(args.content.as_ref())?;
            let summary =
                cli::import_diagram(&lib, &input, &output, diagram.as_deref(), case.as_deref())?;
            for w in &summary.warnings {
                eprintln!("{}:{}: {}", input.display(), w.line, w.message);
            }
            println!("{}", cli::import_text(&summary, &output));
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Export {
            file,
            diagram,
            format,
            output,
        }) => {
            cli::export_diagram(&file, &diagram, format.into(), &output)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Simulate {
            file,
            diagram,
            qps,
            requests,
            replications,
            seed,
            json,
            duration,
            window,
            event,
            scenario,
            right_size,
            zone_loss,
            sla_p99,
            choose_hardware,
            output,
            compare,
        }) => {
            let lib = library(args.content.as_ref())?;
            // A plain run and a comparison simulate with the same options.
            let sim_args = cli::SimulateArgs {
                diagram: diagram.clone(),
                qps,
                requests,
                replications,
                seed,
            };
            if let Some([a, b]) = compare.as_deref() {
                let out =
                    cli::simulate_compare(&file, &lib, &sim_args, a, b, &|l| eprintln!("{l}"))?;
                print_json_or_text(json, || cli::compare_json(&out), || cli::compare_text(&out))?;
                return Ok(ExitCode::SUCCESS);
            }
            if right_size {
                let right_size_args = cli::RightSizeArgs {
                    diagram,
                    qps,
                    sla_p99_ms: sla_p99,
                    zone_loss,
                    seed,
                    output,
                    time_budget: std::time::Duration::from_secs(10),
                    choose_hardware,
                };
                let out = cli::simulate_right_size(&file, &lib, &right_size_args)?;
                print_json_or_text(
                    json,
                    || cli::right_size_json(&out),
                    || cli::right_size_text(&out),
                )?;
                return Ok(ExitCode::SUCCESS);
            }
            if scenario || duration.is_some() || window.is_some() || !event.is_empty() {
                let timeline_args = cli::TimelineArgs {
                    diagram,
                    qps,
                    seed,
                    duration_s: duration,
                    window_s: window,
                    events: event,
                };
                let out = cli::simulate_timeline(&file, &lib, &timeline_args)?;
                print_json_or_text(
                    json,
                    || cli::timeline_json(&out),
                    || cli::timeline_text(&out),
                )?;
                return Ok(ExitCode::SUCCESS);
            }
            let report = cli::simulate(&file, &lib, &sim_args, &|line| eprintln!("{line}"))?;
            print_json_or_text(json, || &report, || cli::simulation_text(&report))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Report {
            file,
            format,
            output,
        }) => {
            cli::write_report(
                &library(args.content.as_ref())?,
                &file,
                format.into(),
                &output,
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Reference { case, output }) => {
            let lib = library(args.content.as_ref())?;
            cli::write_reference(&lib, args.content.as_deref(), &case, &output)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Host { file, bind, name }) => {
            let options = mlsd_studio::remote::LinkOptions {
                relay: !args.no_relay,
                bind,
            };
            cli::host(
                &file,
                &name,
                &options,
                &mut std::io::stdout(),
                &mut std::io::stderr(),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Join {
            ticket,
            snapshot,
            follow,
            bind,
            name,
            timeout,
        }) => {
            let args = cli::JoinArgs {
                ticket,
                snapshot,
                name,
                follow,
                timeout_secs: timeout,
                options: mlsd_studio::remote::LinkOptions {
                    relay: !args.no_relay,
                    bind,
                },
            };
            cli::join(&args, &mut std::io::stderr())?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Review { file, json }) => {
            let lib = library(args.content.as_ref())?;
            match cli::review(&file, &lib) {
                Ok(review) if json => {
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&cli::review_json(&review))?
                    );
                }
                Ok(review) => print!("{}", cli::review_text(&review)),
                Err(e) => {
                    eprintln!("mlsd-studio: {e}");
                    return Ok(ExitCode::from(2));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Estimate {
            case,
            dau,
            per_user,
            peak,
            items,
            new_items,
            bytes_per_item,
            bytes_per_event,
            retention_days,
            dims,
            bytes_per_dim,
            candidates,
            gflops,
            hardware,
            utilisation,
            bytes_per_request,
            json,
        }) => {
            let lib = library(args.content.as_ref())?;
            let estimate_args = cli::EstimateArgs {
                case,
                dau,
                per_user,
                peak,
                items,
                new_items,
                bytes_per_item,
                bytes_per_event,
                retention_days,
                dims,
                bytes_per_dim,
                candidates,
                gflops,
                hardware,
                utilisation,
                bytes_per_request,
            };
            let estimate = cli::estimate_cli(&lib, &estimate_args)?;
            print_json_or_text(
                json,
                || cli::estimate_json(&estimate),
                || cli::estimate_text(&estimate),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Check { dir }) => {
            let report = cli::check(&dir)?;
            for e in &report.errors {
                println!("{e}");
            }
            println!("{}", report.summary());
            Ok(if report.ok() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
    }
}

/// A bare first argument is a file to open, unless it looks like a
/// mistyped subcommand: a word with no dot or slash that names no file.
/// Prints what `value` makes as pretty JSON when `json`, else the text
/// `text` makes: the two outputs of every subcommand with `--json`.
fn print_json_or_text<V: serde::Serialize>(
    json: bool,
    value: impl FnOnce() -> V,
    text: impl FnOnce() -> String,
) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(&value())?);
    } else {
        print!("{}", text());
    }
    Ok(())
}

fn bare_file(path: PathBuf) -> anyhow::Result<PathBuf> {
    let text = path.to_string_lossy();
    let looks_like_a_word = !text.contains(['.', '/', '\\']);
    if looks_like_a_word && !path.exists() {
        anyhow::bail!(
            "`{text}` is neither a subcommand nor a file; `mlsd-studio --help` lists the subcommands"
        );
    }
    Ok(path)
}

fn gui(
    library: CaseLibrary,
    open_file: Option<PathBuf>,
    exit_after_first_frame: Option<std::time::Instant>,
    no_relay: bool,
) -> anyhow::Result<ExitCode> {
    let config = ui::AppConfig {
        library,
        recovery_dir: settings::data_dir().join("recovery"),
        open_file,
        dialogs: Box::new(ui::NativeDialogs),
        progress_path: mlsd_studio::progress::progress_path(),
        exit_after_first_frame,
        docs_dir: mlsd_studio::about::docs_dir(),
        no_relay,
    };
    ui::run(config).map_err(|e| anyhow::anyhow!("could not open the app window: {e}"))?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Args, clap::Error> {
        Args::try_parse_from(std::iter::once("mlsd-studio").chain(args.iter().copied()))
    }

    #[test]
    fn a_bare_path_is_a_file_to_open() {
        let args = parse(&["practice.mlsd"]).unwrap();
        assert!(args.command.is_none());
        assert_eq!(args.file, Some(PathBuf::from("practice.mlsd")));
        let spaced = parse(&["/home/me/My Sessions/a b.mlsd"]).unwrap();
        assert_eq!(
            spaced.file,
            Some(PathBuf::from("/home/me/My Sessions/a b.mlsd"))
        );
    }

    #[test]
    fn subcommands_still_win_over_a_bare_path() {
        let args = parse(&["list", "--json"]).unwrap();
        assert!(matches!(args.command, Some(Cmd::List { json: true })));
        assert_eq!(args.file, None);
        let args = parse(&["--content", "studies", "check", "studies"]).unwrap();
        assert!(matches!(args.command, Some(Cmd::Check { .. })));
        assert_eq!(args.content, Some(PathBuf::from("studies")));
        let args = parse(&["open", "x.mlsd"]).unwrap();
        assert!(matches!(args.command, Some(Cmd::Open { .. })));
    }

    #[test]
    fn a_file_and_a_subcommand_together_are_refused() {
        let both = parse(&["x.mlsd", "list"]).unwrap();
        let err = refuse_file_with_subcommand(&both).unwrap_err().to_string();
        assert!(err.contains("`x.mlsd` and a subcommand"), "{err}");
        assert!(refuse_file_with_subcommand(&parse(&["list"]).unwrap()).is_ok());
        assert!(parse(&["a.mlsd", "b.mlsd"]).is_err());
    }

    #[test]
    fn a_mistyped_subcommand_is_not_opened_as_a_file() {
        let err = bare_file(PathBuf::from("lsit")).unwrap_err().to_string();
        assert!(
            err.contains("`lsit` is neither a subcommand nor a file"),
            "{err}"
        );
        assert_eq!(
            bare_file(PathBuf::from("missing.mlsd")).unwrap(),
            PathBuf::from("missing.mlsd")
        );
    }
}
