//! `SimBackend`: the verilated core as a `memfire_host::Backend`. Bus accesses become bus
//! cycles; waiting for the interrupt runs the clock in slices until the line rises, the
//! cycle budget is spent or the wall-clock timeout passes. An optional slow host (random
//! extra cycles before each interrupt is noticed) exercises the core's backpressure.

use std::ffi::CString;
use std::path::Path;
use std::time::{Duration, Instant};

use memfire_host::bus::{Backend, BusError};
use memfire_spec::generate::Gen;

use crate::ffi::CoreModel;

/// Options of the simulated board.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimOptions {
    /// Write every cycle to this FST file (view with GTKWave; `fst2vcd` converts to VCD).
    pub trace: Option<std::path::PathBuf>,
    /// A slow host: before each interrupt is noticed, run this many extra cycles, drawn
    /// uniformly from the range (seeded by `seed`).
    pub host_delay: Option<(u64, u64)>,
    pub seed: u64,
    /// Most cycles one wait for an interrupt may take before it reports a timeout.
    pub cycle_budget: u64,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            trace: None,
            host_delay: None,
            seed: 1,
            cycle_budget: 2_000_000_000,
        }
    }
}

/// The simulated board.
#[derive(Debug)]
pub struct SimBackend {
    model: CoreModel,
    options: SimOptions,
    rng: Gen,
}

/// Cycles per FFI call while waiting for the interrupt.
const SLICE: u64 = 1 << 16;

impl SimBackend {
    /// Power up a simulated core.
    pub fn new(options: SimOptions) -> Result<SimBackend, BusError> {
        let trace = match &options.trace {
            None => None,
            Some(path) => Some(trace_path(path)?),
        };
        let model = CoreModel::new(trace.as_deref());
        let rng = Gen::new(options.seed, 0x5EED);
        Ok(SimBackend { model, options, rng })
    }

    /// Clock cycles simulated since power-up.
    pub fn cycles(&mut self) -> u64 {
        self.model.cycles()
    }
}

fn trace_path(path: &Path) -> Result<CString, BusError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| BusError::Transport {
            backend: "sim".into(),
            what: format!("cannot create the trace folder {}", dir.display()),
            source: Some(Box::new(e)),
        })?;
    }
    CString::new(path.as_os_str().as_encoded_bytes()).map_err(|e| BusError::Transport {
        backend: "sim".into(),
        what: format!("trace path {} contains a NUL byte", path.display()),
        source: Some(Box::new(e)),
    })
}

impl Backend for SimBackend {
    fn describe(&self) -> String {
        "sim (Verilator)".into()
    }

    fn read32(&mut self, addr: u32) -> Result<u32, BusError> {
        let mut w = [0u32];
        self.model.read_block(addr, &mut w);
        Ok(w[0])
    }

    fn write32(&mut self, addr: u32, value: u32) -> Result<(), BusError> {
        self.model.write_block(addr, &[value]);
        Ok(())
    }

    fn write_block(&mut self, addr: u32, data: &[u32]) -> Result<(), BusError> {
        self.model.write_block(addr, data);
        Ok(())
    }

    fn read_block(&mut self, addr: u32, out: &mut [u32]) -> Result<(), BusError> {
        self.model.read_block(addr, out);
        Ok(())
    }

    fn wait_irq(&mut self, timeout: Duration) -> Result<bool, BusError> {
        let start = Instant::now();
        let mut spent = 0u64;
        while !self.model.irq() {
            if spent >= self.options.cycle_budget || start.elapsed() > timeout {
                return Ok(false);
            }
            spent += self.model.run(SLICE.min(self.options.cycle_budget - spent), true);
        }
        if let Some((lo, hi)) = self.options.host_delay {
            let extra = lo
                + u64::from(
                    self.rng
                        .below((hi.saturating_sub(lo) + 1).min(u64::from(u32::MAX)) as u32),
                );
            self.model.run(extra, false);
        }
        Ok(true)
    }
}
