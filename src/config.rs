//! The log filter every command runs with (`NTM_LOG`); the command-line settings themselves are
//! in [`crate::cli`].

/// Crates that log whole WebSocket frames at `trace`: a `connection_init` frame carries the
/// bearer secret, so they are held at `debug` whatever `NTM_LOG` asks for.
const FRAME_LOGGERS: [&str; 2] = ["tungstenite", "tokio_tungstenite"];

/// The log filter of `spec` (`NTM_LOG`'s syntax), with the frame loggers held at `debug`; a
/// `spec` that does not parse gives `info`, with a warning to show.
pub fn log_filter(spec: &str) -> (tracing_subscriber::EnvFilter, Option<String>) {
    let (mut filter, warning) = match tracing_subscriber::EnvFilter::try_new(spec) {
        Ok(filter) => (filter, None),
        Err(error) => (
            tracing_subscriber::EnvFilter::new("info"),
            Some(format!(
                "NTM_LOG={spec:?} is not a log filter ({error}); logging at info"
            )),
        ),
    };
    for target in FRAME_LOGGERS {
        if let Ok(directive) = format!("{target}=debug").parse() {
            filter = filter.add_directive(directive);
        }
    }
    (filter, warning)
}
