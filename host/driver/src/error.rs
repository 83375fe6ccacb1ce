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
    /// The network needs more of something than the device has.
    #[error("the network does not fit the device: it needs {need} {what}, the device has {have}")]
    DoesNotFit {
        /// What runs out.
        what: String,
        /// How much the network needs.
        need: u64,
        /// How much the device has.
        have: u64,
    },
    /// The network has more distinct pulse widths than the core has width classes.
    #[error(
        "the network has {count} distinct pulse widths ({widths}), the FPGA core delivers at most {limit} per \
         network: give some synapses the same width (or use the model backend)"
    )]
    TooManyWidths {
        /// How many distinct widths the network has.
        count: usize,
        /// The widths, in steps, widest first (the first few if there are many).
        widths: String,
        /// Width classes of the core.
        limit: u32,
    },
    /// The device at the end of the backend is not a memfire core of this version.
    #[error("{backend}: not a compatible memfire core: {why}")]
    WrongDevice {
        /// Which backend.
        backend: String,
        /// What the header said.
        why: String,
    },
    /// The device recorded an error and stopped.
    #[error("{backend}: the device reported an error at step {step}: {what} (ERRORS = {bits:#x})")]
    DeviceFault {
        /// Which backend.
        backend: String,
        /// Step at which it stopped.
        step: u64,
        /// Decoded error bits.
        what: String,
        /// Raw ERRORS register.
        bits: u32,
    },
    /// The device stopped answering reads (they complete with all ones).
    #[error(
        "{backend}: the device is gone during {during}: its registers read 0xffffffff (removed, PCIe link \
         down, or an FPGA that lost its configuration); power-cycle or reprogram it and open it again"
    )]
    DeviceGone {
        /// Which backend.
        backend: String,
        /// What the driver was doing.
        during: String,
    },
    /// The device forgot how the driver set it up: it was reset or reprogrammed.
    #[error(
        "{backend}: the device was reset or reprogrammed during {during} (its interrupt mask reads {read:#x}, \
         the driver set {mask:#x}): its network and DMA rings are gone; load the network again"
    )]
    DeviceReset {
        /// Which backend.
        backend: String,
        /// What the driver was doing.
        during: String,
        /// The interrupt mask as read.
        read: u32,
        /// The interrupt mask as written.
        mask: u32,
    },
    /// A VFIO device could not be opened (the message says how to fix the setup).
    #[error(transparent)]
    Vfio(#[from] crate::vfio::VfioError),
    /// The transport to the device failed.
    #[error(transparent)]
    Bus(#[from] crate::bus::BusError),
    /// No such characterisation protocol.
    #[error("unknown protocol `{given}`; known: {known}")]
    UnknownProtocol {
        /// What the user asked for.
        given: String,
        /// The protocols there are.
        known: String,
    },
    /// An asynchronous spike stream failed or timed out.
    #[error("spike stream: {0}")]
    Stream(String),
    /// Driver options that cannot work (e.g. DMA ring sizes).
    #[error("driver options: {0}")]
    Options(String),
    /// The caller asked the work to stop (e.g. Ctrl-C) before it was done.
    #[error("cancelled")]
    Cancelled,
    /// The stimulus refers to neurons the network does not have.
    #[error("stimulus does not fit the network: {0}")]
    Stimulus(String),
    /// `set_params` was given a network that differs from the loaded one in more than its
    /// parameters.
    #[error("set_params takes the loaded network with other parameters only; this one has {0}: load it instead")]
    NotOnlyParams(String),
    /// `set_weights` was given a network that differs from the loaded one in more than its
    /// weights.
    #[error("set_weights takes the loaded network with other weights only; this one has {0}: load it instead")]
    NotOnlyWeights(String),
}

/// Result with [`EngineError`].
pub type Result<T, E = EngineError> = std::result::Result<T, E>;
