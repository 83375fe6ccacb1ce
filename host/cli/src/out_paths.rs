//! Output paths, checked before a run starts so that a long run never ends in "cannot
//! write": each output can be written where it is, is not a directory, and is neither one
//! of the run's inputs nor another output (writing one would destroy the other).

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// One output: the flag that names it and its path.
pub struct Output<'a> {
    pub flag: &'static str,
    pub path: &'a Path,
}

/// Check `outputs` against each other and against `inputs` (flag, path), creating missing
/// parent folders. Nothing an output names is modified.
pub fn check(inputs: &[(&'static str, &Path)], outputs: &[Output<'_>]) -> Result<()> {
    let mut seen: Vec<(&'static str, &Path, PathBuf)> = Vec::new();
    for &(flag, path) in inputs {
        if let Some(id) = identity(path) {
            seen.push((flag, path, id));
        }
    }
    for out in outputs {
        let path = out.path;
        if path.is_dir() {
            bail!("{} {}: is a directory: name a file to write", out.flag, path.display());
        }
        if let Some(dir) = parent(path) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("{} {}: creating {}", out.flag, path.display(), dir.display()))?;
        }
        check_writable(path).with_context(|| format!("{} {}: cannot be written", out.flag, path.display()))?;
        let id = identity(path).with_context(|| format!("{} {}: cannot resolve the path", out.flag, path.display()))?;
        if let Some((flag, other, _)) = seen.iter().find(|(_, _, seen_id)| *seen_id == id) {
            bail!(
                "{} {} is the same file as {flag} {}: writing it would destroy the other; choose another name",
                out.flag,
                path.display(),
                other.display()
            );
        }
        seen.push((out.flag, path, id));
    }
    Ok(())
}

/// `path`'s folder, if it names one.
fn parent(path: &Path) -> Option<&Path> {
    path.parent().filter(|d| !d.as_os_str().is_empty())
}

/// A hidden file beside `path`, named after it, `tag` and this process:
/// `<folder>/.<name>.memfire-<tag>-<pid>` (a probe of the folder, or a file being written).
pub fn hidden_sibling(path: &Path, tag: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    parent(path)
        .unwrap_or(Path::new("."))
        .join(format!(".{name}.memfire-{tag}-{}", std::process::id()))
}

/// The file `path` names, whether or not it exists yet: its canonical path, or its
/// folder's canonical path joined with its name.
fn identity(path: &Path) -> Option<PathBuf> {
    if let Ok(id) = path.canonicalize() {
        return Some(id);
    }
    let dir = parent(path).unwrap_or(Path::new("."));
    Some(dir.canonicalize().ok()?.join(path.file_name()?))
}

/// Open the existing file for writing without truncating it, or create (and remove) a
/// probe file beside where it will be.
fn check_writable(path: &Path) -> std::io::Result<()> {
    if path.exists() {
        return OpenOptions::new().write(true).open(path).map(drop);
    }
    let probe = hidden_sibling(path, "check");
    OpenOptions::new().write(true).create_new(true).open(&probe)?;
    std::fs::remove_file(&probe)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_directories_inputs_and_duplicates() {
        let dir = tempfile::tempdir().expect("temp dir");
        let input = dir.path().join("net.toml");
        std::fs::write(&input, "x").expect("write");
        let out = |flag, path| Output { flag, path };
        let a = dir.path().join("a.csv");
        let b = dir.path().join("sub/b.csv");
        check(&[("--network", &input)], &[out("--out", &a), out("--probe-out", &b)]).expect("distinct files");
        assert!(b.parent().is_some_and(Path::is_dir), "parent folder created");
        let e = format!(
            "{:#}",
            check(&[], &[out("--out", dir.path())]).expect_err("a directory")
        );
        assert!(e.contains("is a directory"), "{e}");
        let e = format!(
            "{:#}",
            check(&[("--network", &input)], &[out("--out", &input)]).expect_err("an input")
        );
        assert!(e.contains("same file as --network"), "{e}");
        // The same file under another spelling.
        let again = dir.path().join("sub/../a.csv");
        let e = format!(
            "{:#}",
            check(&[], &[out("--out", &a), out("--raster", &again)]).expect_err("twice")
        );
        assert!(e.contains("--raster") && e.contains("same file as --out"), "{e}");
        assert_eq!(
            std::fs::read_to_string(&input).expect("read"),
            "x",
            "the input is untouched"
        );
    }
}
