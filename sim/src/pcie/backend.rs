//! `PcieSimBackend`: the driver's `Bus` over the simulated PCIe board — register accesses
//! become BAR0 memory reads and posted writes, waiting for the interrupt waits for an MSI,
//! and DMA memory is the root complex's host memory. The same `Device` code that drives a
//! board through VFIO drives the verilated TLP adapter and core through this.

use std::time::{Duration, Instant};

use memfire_host::bus::{Bus, BusError, DmaRegion};

use crate::dma_buffers::DmaBuffers;

use super::root_complex::{BarReply, LinkStats, RcOptions, RootComplex};

/// Options of the simulated PCIe board.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PcieSimOptions {
    pub link: RcOptions,
    /// Bus address of host memory's first byte (above 4 GiB: 64-bit requests; below: 32-bit).
    pub iova_base: u64,
    /// Most cycles one wait (a register read, an interrupt) may take.
    pub cycle_budget: u64,
}

impl Default for PcieSimOptions {
    fn default() -> Self {
        PcieSimOptions {
            link: RcOptions::default(),
            iova_base: 0x0000_0040_0000_0000,
            cycle_budget: 500_000_000,
        }
    }
}

/// Most packets queued towards the device before a write waits for the link (the credit
/// limit of a real link, and it keeps the queue short).
const MAX_BACKLOG: usize = 256;

/// Cycles a BAR read may take: far beyond the adapter's few-cycle answer.
const BAR_READ_CYCLES: u64 = 100_000;

#[derive(Debug)]
pub struct PcieSimBackend {
    rc: RootComplex,
    cycle_budget: u64,
    /// DMA buffers handed out.
    buffers: DmaBuffers,
    msi_seen: u64,
    /// MSIs still to be lost: the device sends them, the host never wakes for them.
    lose_msis: u32,
    faults_seen: usize,
    violations_seen: usize,
}

impl PcieSimBackend {
    pub fn new(options: PcieSimOptions) -> PcieSimBackend {
        PcieSimBackend {
            rc: RootComplex::new(options.link, options.iova_base),
            cycle_budget: options.cycle_budget,
            buffers: DmaBuffers::default(),
            msi_seen: 0,
            lose_msis: 0,
            faults_seen: 0,
            violations_seen: 0,
        }
    }

    /// What crossed the link so far.
    pub fn stats(&self) -> LinkStats {
        self.rc.stats
    }

    /// Every rule the device broke, in order (empty for a correct adapter).
    pub fn violations(&self) -> &[String] {
        &self.rc.violations
    }

    pub fn cycles(&mut self) -> u64 {
        self.rc.cycles()
    }

    /// The next `count` MSIs are lost on the way to the host.
    pub fn lose_interrupts(&mut self, count: u32) {
        self.lose_msis = count;
    }

    /// The root complex, for tests that play the host by hand.
    pub fn root_complex(&mut self) -> &mut RootComplex {
        &mut self.rc
    }

    /// New protocol violations or DMA faults since the last look become an error.
    fn check(&mut self) -> Result<(), BusError> {
        if let Some(v) = self.rc.violations.get(self.violations_seen) {
            let what = format!("PCIe protocol violation by the device: {v}");
            self.violations_seen = self.rc.violations.len();
            return Err(self.transport(what));
        }
        if let Some(&(write, addr)) = self.rc.faults.get(self.faults_seen) {
            self.faults_seen = self.rc.faults.len();
            return Err(self.transport(format!(
                "DMA fault: the device {} bus address {addr:#x}, on a page the IOMMU does not map",
                if write { "wrote" } else { "read" }
            )));
        }
        Ok(())
    }

    fn transport(&self, what: String) -> BusError {
        BusError::Transport {
            backend: self.describe(),
            what,
            source: None,
        }
    }

    fn timeout(&self, what: String, limit: String) -> BusError {
        BusError::Timeout {
            backend: self.describe(),
            what,
            limit,
        }
    }

    fn bar_offset(&self, addr: u32) -> Result<u32, BusError> {
        addr.checked_mul(4)
            .filter(|&o| o < super::root_complex::BAR0_BYTES)
            .ok_or_else(|| self.transport(format!("word address {addr:#x} is beyond BAR0")))
    }
}

impl Bus for PcieSimBackend {
    fn describe(&self) -> String {
        "sim-pcie (Verilator, TLP adapter)".into()
    }

    fn clock_cycles(&mut self) -> Option<u64> {
        Some(self.cycles())
    }

    fn read32(&mut self, addr: u32) -> Result<u32, BusError> {
        let offset = self.bar_offset(addr)?;
        let tag = self.rc.bar_read(offset);
        let start = self.rc.cycles();
        loop {
            let pos = self.rc.bar_reads.iter().position(|&(t, _)| t == tag);
            if let Some((_, reply)) = pos.and_then(|p| self.rc.bar_reads.remove(p)) {
                self.check()?;
                return match reply {
                    BarReply::Word(w) => Ok(w),
                    BarReply::Status(s) => Err(self.transport(format!(
                        "BAR0 read at {offset:#x} completed with status {s} (not successful)"
                    ))),
                };
            }
            if self.rc.cycles() - start > BAR_READ_CYCLES {
                return Err(self.timeout(
                    format!("BAR0 read at {offset:#x} (no completion)"),
                    format!("{BAR_READ_CYCLES} cycles"),
                ));
            }
            self.rc.tick();
        }
    }

    fn write32(&mut self, addr: u32, value: u32) -> Result<(), BusError> {
        self.write_block(addr, &[value])
    }

    fn write_block(&mut self, addr: u32, data: &[u32]) -> Result<(), BusError> {
        let offset = self.bar_offset(addr)?;
        self.bar_offset(addr + data.len() as u32)?;
        for (i, chunk) in data.chunks(64).enumerate() {
            let start = self.rc.cycles();
            while self.rc.backlog() > MAX_BACKLOG {
                if self.rc.cycles() - start > BAR_READ_CYCLES {
                    return Err(self.timeout(
                        "posted BAR0 writes (the device takes no packets)".into(),
                        format!("{BAR_READ_CYCLES} cycles"),
                    ));
                }
                self.rc.tick();
            }
            self.rc.bar_write(offset + 256 * i as u32, chunk);
        }
        self.check()
    }

    fn wait_irq(&mut self, timeout: Duration) -> Result<bool, BusError> {
        let start = Instant::now();
        let first = self.rc.cycles();
        loop {
            if self.rc.msi_count != self.msi_seen {
                self.msi_seen = self.rc.msi_count;
                if self.lose_msis == 0 {
                    break;
                }
                self.lose_msis -= 1;
            }
            if self.rc.cycles() - first >= self.cycle_budget || start.elapsed() > timeout {
                self.check()?;
                return Ok(false);
            }
            for _ in 0..256 {
                self.rc.tick();
            }
        }
        // Like an eventfd: one wake-up for however many MSIs came.
        self.check()?;
        Ok(true)
    }

    fn dma_alloc(&mut self, len: usize) -> Result<Option<DmaRegion>, BusError> {
        let start = self.rc.map(len);
        Ok(Some(self.buffers.add(start, len, self.rc.iova_base)))
    }

    fn dma_read(&mut self, region: &DmaRegion, offset: usize, out: &mut [u8]) -> Result<(), BusError> {
        let range = self.buffers.range(|| self.describe(), region, offset, out.len())?;
        out.copy_from_slice(&self.rc.memory[range]);
        Ok(())
    }

    fn dma_write(&mut self, region: &DmaRegion, offset: usize, data: &[u8]) -> Result<(), BusError> {
        let range = self.buffers.range(|| self.describe(), region, offset, data.len())?;
        self.rc.memory[range].copy_from_slice(data);
        Ok(())
    }
}
