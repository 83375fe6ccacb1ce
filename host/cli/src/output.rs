//! Standard output that fails politely: `memfire … | head` closes the pipe early. The
//! command then goes on without printing — its files are what the user asked for, and
//! `head` having read enough says nothing about them — instead of panicking as `println!`
//! does or stopping half-way.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// The reader of standard output has gone away: print nothing more.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Write one line to standard output. A closed pipe is remembered and not an error; any
/// other failure is returned to the caller.
pub fn line(args: std::fmt::Arguments<'_>) -> io::Result<()> {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return Ok(());
    }
    let mut out = io::stdout().lock();
    match out.write_fmt(args).and_then(|()| out.write_all(b"\n")) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
            Ok(())
        }
        other => other,
    }
}

/// Whether an error is the reader of our standard output having gone away.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<io::Error>())
        .any(|io| io.kind() == io::ErrorKind::BrokenPipe)
}

/// `println!` that returns a write error from the enclosing function instead of panicking
/// (a closed pipe is not one: see `line`).
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::output::line(format_args!($($arg)*))?
    };
}
pub(crate) use say;
