//! memfire-sim: the Verilog that memfire-hdl generates, compiled by Verilator and driven
//! from Rust, cycle for cycle. [`SimBackend`] is the simulated board behind the driver's
//! `Device`; CI runs every driver test against it instead of a board.

pub mod backend;
mod dma_buffers;
mod ffi;
pub mod neuron_pipe;
pub mod pcie;
pub mod uart_link;

pub use backend::{SimBackend, SimFault, SimOptions};

/// The core configuration (`memfire_hdl::tops::CORES`) verilated as the simulated board:
/// `core` unless the build set MEMFIRE_SIM_CORE.
pub const CORE_CONFIG: &str = env!("MEMFIRE_SIM_CORE_CONFIG");

/// The board image whose core the simulated board is, with that core's clock on the board
/// (Hz) and where the clock comes from; `None` for a core no image uses.
pub fn board_image() -> Option<(&'static str, f64, &'static str)> {
    let image = env!("MEMFIRE_SIM_IMAGE");
    let hz: f64 = env!("MEMFIRE_SIM_IMAGE_CLOCK_HZ").parse().ok()?;
    (!image.is_empty()).then_some((image, hz, env!("MEMFIRE_SIM_IMAGE_CLOCK")))
}

/// Open the simulated board as a `Device` (the `sim` backend of every front end).
pub fn open_device(options: SimOptions) -> memfire_host::error::Result<memfire_host::Device<SimBackend>> {
    open_device_with(options, memfire_host::DeviceOptions::default())
}

/// Open the simulated board with the driver's options (e.g. without DMA, or small rings).
pub fn open_device_with(
    options: SimOptions,
    device: memfire_host::DeviceOptions,
) -> memfire_host::error::Result<memfire_host::Device<SimBackend>> {
    let backend = SimBackend::new(options)?;
    memfire_host::Device::open_with(backend, device)
}

/// Open the simulated PCIe board (core-small behind the TLP adapter, a root-complex model
/// on the link) as a `Device`.
pub fn open_pcie_device(
    options: pcie::PcieSimOptions,
    device: memfire_host::DeviceOptions,
) -> memfire_host::error::Result<memfire_host::Device<pcie::PcieSimBackend>> {
    memfire_host::Device::open_with(pcie::PcieSimBackend::new(options), device)
}

/// Open any backend as an `Engine`: the simulated boards (`sim` with `options`), everything else
/// through `memfire_host::open`. The one opener of the CLI and the Python bindings.
pub fn open_engine(
    spec: &memfire_host::BackendSpec,
    options: SimOptions,
) -> memfire_host::error::Result<Box<dyn memfire_host::Engine>> {
    match spec {
        memfire_host::BackendSpec::Sim => Ok(Box::new(open_device(options)?)),
        memfire_host::BackendSpec::SimPcie => Ok(Box::new(open_pcie_device(
            pcie::PcieSimOptions::default(),
            memfire_host::DeviceOptions::default(),
        )?)),
        other => memfire_host::open(other),
    }
}

/// Open the simulated serial board (core-small behind the UART bridge) as a `Device`;
/// `timeout` is how long the host waits for each reply (in simulated time).
pub fn open_serial_device(
    faults: uart_link::LineFaults,
    timeout: std::time::Duration,
) -> memfire_host::error::Result<memfire_host::Device<memfire_host::serial::SerialBackend<uart_link::SimUartLink>>> {
    let mut backend = memfire_host::serial::SerialBackend::new(uart_link::SimUartLink::new(faults));
    backend.set_timeout(timeout);
    memfire_host::Device::open(backend)
}
