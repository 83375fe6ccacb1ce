//! SIGINT and SIGTERM as a request a long run checks between chunks of steps, so a run cut
//! short stops the device at a step boundary, keeps what it produced and says so. A second
//! signal ends the process at once, as users expect of a second Ctrl-C.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use anyhow::{Context, Result};
use signal_hook::consts::{SIGINT, SIGTERM};

struct Flags {
    requested: Arc<AtomicBool>,
    signal: Arc<AtomicUsize>,
}

static FLAGS: OnceLock<Flags> = OnceLock::new();

/// Start watching for SIGINT and SIGTERM (once per process; later calls do nothing).
pub fn watch() -> Result<()> {
    if FLAGS.get().is_some() {
        return Ok(());
    }
    let flags = Flags {
        requested: Arc::new(AtomicBool::new(false)),
        signal: Arc::new(AtomicUsize::new(0)),
    };
    for sig in [SIGINT, SIGTERM] {
        // Registered first, so it sees the flag as the earlier signal left it.
        signal_hook::flag::register_conditional_shutdown(sig, 128 + sig, Arc::clone(&flags.requested))
            .context("installing a signal handler")?;
        signal_hook::flag::register_usize(sig, Arc::clone(&flags.signal), sig as usize)
            .context("installing a signal handler")?;
        signal_hook::flag::register(sig, Arc::clone(&flags.requested)).context("installing a signal handler")?;
    }
    let _ = FLAGS.set(flags);
    Ok(())
}

/// The signal that asked the run to stop, if one did.
pub fn requested() -> Option<i32> {
    let flags = FLAGS.get()?;
    flags
        .requested
        .load(Ordering::SeqCst)
        .then(|| flags.signal.load(Ordering::SeqCst) as i32)
}

/// A run stopped by a signal: the command exits with 128 + the signal's number.
#[derive(Debug)]
pub struct Interrupted {
    pub signal: i32,
    pub message: String,
}

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Interrupted {}
