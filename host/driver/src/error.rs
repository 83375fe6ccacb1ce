//! Errors of the host library; each keeps its cause.

use std::path::PathBuf;

use memfire_spec::format_error::FormatError;
use memfire_spec::network::NetworkError;
use memfire_spec::params::ParamError;

/// Anything that can go wrong between a user and the neurons.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// A file is malformed or invalid.
    #[error(transparent)]
    Format(#[from] FormatError),
    /// A network is invalid.
    #[error(transparent)]
    Network(#[from] NetworkError),
    /// A parameter is invalid.
    #[error(transparent)]
    Param(#[from] ParamError),
    /// The backend string names no backend this build has.
    #[error("unknown backend `{given}`: {hint}")]
    UnknownBackend {
        /// What the user wrote.
        given: String,
        /// What is available instead.
        hint: String,
    },
    /// An operation needs a loaded network.
    #[error("no network loaded: call load() first")]
    NotLoaded,
    /// A neuron id is out of range.
    #[error("neuron {neuron} is out of range: the network has {neurons} neurons")]
    NeuronOutOfRange {
        /// The id given.
        neuron: u32,
        /// Neurons in the network.
        neurons: u32,
    },
    /// The stimulus refers to neurons the network does not have.
    #[error("stimulus does not fit the network: {0}")]
    Stimulus(String),
}

/// Result with [`EngineError`].
pub type Result<T, E = EngineError> = std::result::Result<T, E>;
