//! A CSV written as a run goes: rows go to a temporary file beside the destination, which
//! is renamed into place only when the run is complete. A destination therefore never holds
//! half a run, and a file of an earlier run is replaced only by a whole new one. A run cut
//! short keeps its rows under `<name>.partial`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

pub struct StreamedCsv {
    path: PathBuf,
    temp: PathBuf,
    out: BufWriter<File>,
    rows: u64,
    /// The first write that failed (row writers cannot return it from inside a callback).
    failed: Option<std::io::Error>,
}

impl StreamedCsv {
    /// Start `path` with its header line (without the newline).
    pub fn create(path: &Path, header: &str) -> Result<StreamedCsv> {
        let temp = crate::out_paths::hidden_sibling(path, "tmp");
        let file = File::create(&temp).with_context(|| format!("creating {}", temp.display()))?;
        let mut out = BufWriter::new(file);
        writeln!(out, "{header}").with_context(|| format!("writing {}", temp.display()))?;
        Ok(StreamedCsv {
            path: path.to_path_buf(),
            temp,
            out,
            rows: 0,
            failed: None,
        })
    }

    /// Append one row (without the newline). A failure is kept and reported by `finish`.
    pub fn row(&mut self, args: std::fmt::Arguments<'_>) {
        if self.failed.is_none() {
            self.failed = self.out.write_fmt(args).and_then(|()| self.out.write_all(b"\n")).err();
            self.rows += 1;
        }
    }

    pub fn rows(&self) -> u64 {
        self.rows
    }

    fn flush(&mut self) -> Result<()> {
        let flushed = self.out.flush();
        self.failed
            .take()
            .map_or(flushed, Err)
            .with_context(|| format!("writing {}", self.temp.display()))
    }

    /// The run is complete: the file takes its name.
    pub fn finish(mut self) -> Result<PathBuf> {
        self.flush()?;
        std::fs::rename(&self.temp, &self.path)
            .with_context(|| format!("renaming {} to {}", self.temp.display(), self.path.display()))?;
        Ok(self.path)
    }

    /// The run was cut short: keep what was written as `<name>.partial` and return that name.
    pub fn keep_partial(mut self) -> Result<PathBuf> {
        self.flush()?;
        let mut partial = self.path.clone().into_os_string();
        partial.push(".partial");
        let partial = PathBuf::from(partial);
        std::fs::rename(&self.temp, &partial)
            .with_context(|| format!("renaming {} to {}", self.temp.display(), partial.display()))?;
        Ok(partial)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_destination_changes_only_when_complete() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("s.csv");
        std::fs::write(&path, "old run\n").expect("write");
        let mut csv = StreamedCsv::create(&path, "step,neuron").expect("create");
        csv.row(format_args!("1,2"));
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            "old run\n",
            "untouched while running"
        );
        csv.finish().expect("finish");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "step,neuron\n1,2\n");

        let mut csv = StreamedCsv::create(&path, "step,neuron").expect("create");
        csv.row(format_args!("3,4"));
        let partial = csv.keep_partial().expect("partial");
        assert_eq!(partial, dir.path().join("s.csv.partial"));
        assert_eq!(std::fs::read_to_string(&partial).expect("read"), "step,neuron\n3,4\n");
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            "step,neuron\n1,2\n",
            "the whole run stays"
        );
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(left.len(), 2, "no temporary file left: {left:?}");
    }
}
