//! Reading and writing the documented file formats from disk. Parsing is the spec crate's;
//! this module adds the file system, with errors that name the file.

use std::path::{Path, PathBuf};

use memfire_spec::format_network::{add_weight_matrix_csv, parse_network};
use memfire_spec::format_spikes::{spikes_to_csv, Spike};
use memfire_spec::format_stimulus::{parse_stimulus, Stimulus};
use memfire_spec::format_synapse_list::add_synapse_list_csv;
use memfire_spec::network::Network;

use crate::error::{EngineError, Result};

/// Largest network file (TOML) read, bytes. A `[[synapse]]` table costs kilobytes while it
/// is parsed, so a larger file would take gigabytes: large networks list their synapses in
/// a CSV synapse list instead, which is read as a stream.
pub const MAX_TOML_BYTES: u64 = 16 << 20;
/// Largest dense weight matrix or stimulus read whole, bytes.
pub const MAX_CSV_BYTES: u64 = 2 << 30;

/// `path`, opened if it is a regular file of at most `limit` bytes (not a directory, a
/// device such as /dev/zero, or a pipe that could be endless). `hint` follows a size error.
fn open_input(path: &Path, limit: u64, hint: &str) -> Result<(std::fs::File, u64)> {
    let io = |source| EngineError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(io(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file (memfire reads inputs only from files)",
        )));
    }
    if meta.len() > limit {
        return Err(io(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{} bytes, more than the {limit} this input may have{hint}", meta.len()),
        )));
    }
    Ok((file, meta.len()))
}

fn read_limited(path: &Path, limit: u64, hint: &str) -> Result<String> {
    use std::io::Read;
    let (file, len) = open_input(path, limit, hint)?;
    let mut text = String::with_capacity(len as usize);
    file.take(limit)
        .read_to_string(&mut text)
        .map_err(|source| EngineError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    Ok(text)
}

/// Write `text` to `path`, creating parent folders.
pub fn write(path: &Path, text: &[u8]) -> Result<()> {
    let io = |source| EngineError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    std::fs::write(path, text).map_err(io)
}

/// Load a network file (TOML) and the dense weight matrix it names, if any.
pub fn load_network(path: &Path) -> Result<Network> {
    let text = read_limited(
        path,
        MAX_TOML_BYTES,
        ": list the synapses of a large network in a CSV synapse list \
         ([synapses] file = \"synapses.csv\", docs/file-formats.md)",
    )?;
    let name = path.display().to_string();
    let file = parse_network(&name, &text)?;
    drop(text);
    let mut network = file.network;
    let beside = |file: &str| -> PathBuf { path.parent().unwrap_or(Path::new(".")).join(file) };
    if let Some(list) = file.synapse_list {
        let list_path = beside(&list);
        let (reader, _) = open_input(&list_path, u64::MAX, "")?;
        add_synapse_list_csv(
            &mut network,
            &list_path.display().to_string(),
            std::io::BufReader::with_capacity(1 << 16, reader),
        )?;
    }
    if let Some(matrix) = file.matrix {
        let matrix_path = beside(&matrix.file);
        let matrix_text = read_limited(&matrix_path, MAX_CSV_BYTES, "")?;
        add_weight_matrix_csv(
            &mut network,
            &matrix_path.display().to_string(),
            &matrix_text,
            matrix.width,
        )?;
    }
    Ok(network)
}

/// Load a stimulus file (CSV) for a network of `neurons` neurons.
pub fn load_stimulus(path: &Path, neurons: u32) -> Result<Stimulus> {
    let text = read_limited(path, MAX_CSV_BYTES, "")?;
    Ok(parse_stimulus(&path.display().to_string(), &text, neurons)?)
}

/// Write spikes as CSV.
pub fn write_spikes(path: &Path, spikes: &[Spike]) -> Result<()> {
    write(path, spikes_to_csv(spikes).as_bytes())
}
