//! Reading and writing the documented file formats from disk. Parsing is the spec crate's;
//! this module adds the file system, with errors that name the file.

use std::path::{Path, PathBuf};

use memfire_spec::format_network::{add_weight_matrix_csv, parse_network};
use memfire_spec::format_spikes::{spikes_to_csv, Spike};
use memfire_spec::format_stimulus::{parse_stimulus, Stimulus};
use memfire_spec::network::Network;

use crate::error::{EngineError, Result};

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| EngineError::Io {
        path: path.to_path_buf(),
        source,
    })
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
    let text = read(path)?;
    let name = path.display().to_string();
    let file = parse_network(&name, &text)?;
    let mut network = file.network;
    if let Some(matrix) = file.matrix {
        let matrix_path: PathBuf = path.parent().unwrap_or(Path::new(".")).join(&matrix.file);
        let matrix_text = read(&matrix_path)?;
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
    let text = read(path)?;
    Ok(parse_stimulus(&path.display().to_string(), &text, neurons)?)
}

/// Write spikes as CSV.
pub fn write_spikes(path: &Path, spikes: &[Spike]) -> Result<()> {
    write(path, spikes_to_csv(spikes).as_bytes())
}
