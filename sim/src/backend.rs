//! `SimBackend`: the verilated core as a `memfire_host::Bus`. Bus accesses become bus
//! cycles; waiting for the interrupt runs the clock in slices until the line rises, the
//! cycle budget is spent or the wall-clock timeout passes. An optional slow host (random
//! extra cycles before each interrupt is noticed) exercises the core's backpressure. Host
//! memory for the DMA engine is one window of bytes served by the shim's memory model, with
//! optional random read latency and request backpressure; an access outside the buffers the
//! driver allocated is reported like an IOMMU fault.
//!
//! Faults a board meets can be injected while it runs: lost interrupts, host memory that
//! stops taking DMA requests (a hung bus), a reset or reprogramming (every register back to
//! power-up), and a card that is gone (reads complete with all ones, as PCIe does).

use std::ffi::CString;
use std::path::Path;
use std::time::{Duration, Instant};

use memfire_host::bus::{Bus, BusError, DmaRegion};
use memfire_spec::generate::Gen;

use crate::dma_buffers::DmaBuffers;
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
    /// Host-memory read latency in cycles, drawn uniformly from the range per request.
    pub mem_latency: (u32, u32),
    /// Chance per mille that host memory accepts a DMA request in a given cycle (1000: always).
    pub mem_ready_permille: u32,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            trace: None,
            host_delay: None,
            seed: 1,
            cycle_budget: 2_000_000_000,
            // About a PCIe round trip at 100 MHz would be ~100; short keeps the sim quick.
            mem_latency: (8, 8),
            mem_ready_permille: 1000,
        }
    }
}

/// A fault to inject into the simulated board while it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimFault {
    /// Host memory stops taking DMA requests: the card stalls on its next DMA access.
    HangMemory,
    /// The FPGA is reset or reprogrammed: it forgets everything the driver set up.
    PowerCycle,
    /// The card is pulled: reads complete with all ones, writes go nowhere.
    Unplug,
}

/// The simulated board.
#[derive(Debug)]
pub struct SimBackend {
    model: CoreModel,
    options: SimOptions,
    rng: Gen,
    /// DMA buffers handed out.
    buffers: DmaBuffers,
    faults_seen: u64,
    /// Interrupts still to be lost: the line rises, the host never hears of it.
    lose_irqs: u32,
    /// The card is gone: reads return all ones, writes go nowhere, the clock is still.
    unplugged: bool,
    /// A fault due at this cycle (checked while the host waits for an interrupt).
    scheduled: Option<(u64, SimFault)>,
}

/// Bus address of host memory's first byte: above 4 GiB, so the high address words matter.
const HOST_IOVA: u64 = 0x0000_0040_0000_0000;

/// Cycles per FFI call while waiting for the interrupt.
const SLICE: u64 = 1 << 16;

/// Cycles per FFI call while the host sleeps through a lost interrupt.
const LOST_SLICE: u64 = 1 << 12;

impl SimBackend {
    /// Power up a simulated core.
    pub fn new(options: SimOptions) -> Result<SimBackend, BusError> {
        let trace = match &options.trace {
            None => None,
            Some(path) => Some(trace_path(path)?),
        };
        let mut model = CoreModel::new(trace.as_deref());
        model.set_memory_timing(options.mem_latency, options.mem_ready_permille, options.seed);
        let rng = Gen::new(options.seed, 0x5EED);
        Ok(SimBackend {
            model,
            options,
            rng,
            buffers: DmaBuffers::default(),
            faults_seen: 0,
            lose_irqs: 0,
            unplugged: false,
            scheduled: None,
        })
    }

    /// The next `count` interrupts are lost: the host is not woken (the card runs on).
    pub fn lose_interrupts(&mut self, count: u32) {
        self.lose_irqs = count;
    }

    /// Inject `fault` once the card has run `cycles` more cycles while the host waits for
    /// it (0: now), e.g. in the middle of a run.
    pub fn inject_after(&mut self, cycles: u64, fault: SimFault) {
        let due = self.model.cycles() + cycles;
        self.scheduled = Some((due, fault));
        self.inject_due();
    }

    /// Apply the scheduled fault if its cycle has come.
    fn inject_due(&mut self) {
        let Some((due, fault)) = self.scheduled else {
            return;
        };
        if self.model.cycles() < due {
            return;
        }
        self.scheduled = None;
        match fault {
            SimFault::HangMemory => {
                self.options.mem_ready_permille = 0;
                self.model
                    .set_memory_timing(self.options.mem_latency, 0, self.options.seed);
            }
            SimFault::PowerCycle => self.model.power_cycle(),
            SimFault::Unplug => self.unplugged = true,
        }
    }

    /// Cycles the card may run before the scheduled fault.
    fn until_fault(&mut self) -> u64 {
        match self.scheduled {
            Some((due, _)) => due.saturating_sub(self.model.cycles()).max(1),
            None => u64::MAX,
        }
    }

    /// Clock cycles simulated since power-up.
    pub fn cycles(&mut self) -> u64 {
        self.model.cycles()
    }

    /// DMA requests served so far: (reads, writes).
    pub fn dma_requests(&mut self) -> (u64, u64) {
        let s = self.model.memory_stats();
        (s.reads, s.writes)
    }

    /// Report a DMA access outside every buffer, as an IOMMU would.
    fn check_faults(&mut self) -> Result<(), BusError> {
        let stats = self.model.memory_stats();
        if stats.faults == self.faults_seen {
            return Ok(());
        }
        self.faults_seen = stats.faults;
        Err(BusError::Transport {
            backend: self.describe(),
            what: format!(
                "DMA fault: the device {} bus address {:#x}, outside every buffer the driver mapped ({} faults so far)",
                if stats.fault_write != 0 { "wrote" } else { "read" },
                stats.fault_addr,
                stats.faults
            ),
            source: None,
        })
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

impl Bus for SimBackend {
    fn describe(&self) -> String {
        format!("sim (Verilator, core `{}`)", crate::CORE_CONFIG)
    }

    fn clock_cycles(&mut self) -> Option<u64> {
        Some(self.cycles())
    }

    fn read32(&mut self, addr: u32) -> Result<u32, BusError> {
        let mut w = [0u32];
        self.read_block(addr, &mut w)?;
        Ok(w[0])
    }

    fn write32(&mut self, addr: u32, value: u32) -> Result<(), BusError> {
        self.write_block(addr, &[value])
    }

    fn write_block(&mut self, addr: u32, data: &[u32]) -> Result<(), BusError> {
        if !self.unplugged {
            self.model.write_block(addr, data);
        }
        Ok(())
    }

    fn read_block(&mut self, addr: u32, out: &mut [u32]) -> Result<(), BusError> {
        if self.unplugged {
            out.fill(u32::MAX);
        } else {
            self.model.read_block(addr, out);
        }
        Ok(())
    }

    fn wait_irq(&mut self, timeout: Duration) -> Result<bool, BusError> {
        let start = Instant::now();
        if self.unplugged {
            std::thread::sleep(timeout.min(Duration::from_millis(1)));
            return Ok(false);
        }
        let mut spent = 0u64;
        while !self.model.irq() {
            if self.unplugged || spent >= self.options.cycle_budget || start.elapsed() > timeout {
                return Ok(false);
            }
            let slice = SLICE.min(self.options.cycle_budget - spent).min(self.until_fault());
            spent += self.model.run(slice, true);
            self.inject_due();
        }
        if self.lose_irqs > 0 {
            // The host sleeps on: the card runs until the wait's time is up.
            self.lose_irqs -= 1;
            while spent < self.options.cycle_budget && start.elapsed() <= timeout {
                spent += self.model.run(LOST_SLICE.min(self.options.cycle_budget - spent), false);
            }
            self.check_faults()?;
            return Ok(false);
        }
        if let Some((lo, hi)) = self.options.host_delay {
            let extra = lo
                + u64::from(
                    self.rng
                        .below((hi.saturating_sub(lo) + 1).min(u64::from(u32::MAX)) as u32),
                );
            self.model.run(extra, false);
        }
        self.check_faults()?;
        Ok(true)
    }

    fn dma_alloc(&mut self, len: usize) -> Result<Option<DmaRegion>, BusError> {
        // Page-aligned, as an IOMMU mapping would be.
        let start = self.model.memory().len().next_multiple_of(4096);
        let end = start + len.next_multiple_of(4096);
        self.model.resize_memory(HOST_IOVA, end);
        Ok(Some(self.buffers.add(start, len, HOST_IOVA)))
    }

    fn dma_read(&mut self, region: &DmaRegion, offset: usize, out: &mut [u8]) -> Result<(), BusError> {
        let range = self.buffers.range(|| self.describe(), region, offset, out.len())?;
        out.copy_from_slice(&self.model.memory()[range]);
        Ok(())
    }

    fn dma_write(&mut self, region: &DmaRegion, offset: usize, data: &[u8]) -> Result<(), BusError> {
        let range = self.buffers.range(|| self.describe(), region, offset, data.len())?;
        self.model.memory_mut()[range].copy_from_slice(data);
        Ok(())
    }
}
