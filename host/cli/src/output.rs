//! Standard output that fails politely: `memfire … | head` closes the pipe early, and the
//! command should then stop quietly instead of panicking as `println!` does.

use std::io::{self, Write};

/// Write one line to standard output, returning the error (e.g. a closed pipe) to the caller.
pub fn line(args: std::fmt::Arguments<'_>) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_fmt(args)?;
    out.write_all(b"\n")
}

/// Whether an error is the reader of our standard output having gone away.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<io::Error>())
        .any(|io| io.kind() == io::ErrorKind::BrokenPipe)
}

/// `println!` that returns a closed-pipe error from the enclosing function instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::output::line(format_args!($($arg)*))?
    };
}
pub(crate) use say;
