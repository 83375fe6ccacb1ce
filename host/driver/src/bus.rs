//! `Bus`: what a memfire core looks like to the driver — 32-bit reads and writes on its
//! word-addressed bus (`memfire_spec::memmap`) and an interrupt to wait for. The Verilator
//! simulation, VFIO (PCIe BAR0) and the serial bridge implement it; `Device` holds all the
//! logic above it once.

use std::time::Duration;

/// Failures of the transport under the driver.
#[derive(Debug, thiserror::Error)]
pub enum BusError {
    /// The device did not complete an access or raise an interrupt in time.
    #[error("{backend}: the device stopped answering: {what} did not complete within {limit}")]
    Timeout {
        /// Which backend.
        backend: String,
        /// The operation that timed out.
        what: String,
        /// The limit that passed (a duration or a cycle budget).
        limit: String,
    },
    /// The transport failed (I/O error, corrupted frame, closed connection).
    #[error("{backend}: {what}")]
    Transport {
        /// Which backend.
        backend: String,
        /// What failed.
        what: String,
        /// The underlying error, if any.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
}

/// A buffer of host memory that the device reaches by DMA at bus address `iova`. The
/// backend owns the memory (and frees or unmaps it when it is dropped); `id` names the
/// buffer to the backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DmaRegion {
    pub iova: u64,
    pub len: usize,
    pub id: usize,
}

impl DmaRegion {
    /// Bytes `offset..offset + len` lie inside the buffer.
    pub fn holds(&self, offset: usize, len: usize) -> bool {
        offset.checked_add(len).is_some_and(|end| end <= self.len)
    }
}

/// The error for a DMA call on a transport without DMA.
pub fn no_dma(backend: String) -> BusError {
    BusError::Transport {
        backend,
        what: "this transport has no DMA (the driver uses the memory windows instead)".into(),
        source: None,
    }
}

/// The error for an access past a DMA buffer's end.
pub fn outside_region(backend: String, region: &DmaRegion, offset: usize, len: usize) -> BusError {
    BusError::Transport {
        backend,
        what: format!(
            "DMA buffer at {:#x} is {} bytes: bytes {offset}..{} are outside it",
            region.iova,
            region.len,
            offset + len
        ),
        source: None,
    }
}

/// The bus of one memfire core.
pub trait Bus: Send {
    /// Short description, e.g. `sim (Verilator)` or `vfio 0000:01:00.0`.
    fn describe(&self) -> String;
    /// Read the 32-bit word at bus word address `addr`.
    fn read32(&mut self, addr: u32) -> Result<u32, BusError>;
    /// Write the 32-bit word at bus word address `addr`.
    fn write32(&mut self, addr: u32, value: u32) -> Result<(), BusError>;
    /// Write `data` to consecutive word addresses from `addr` (backends batch this).
    fn write_block(&mut self, addr: u32, data: &[u32]) -> Result<(), BusError> {
        for (i, &d) in data.iter().enumerate() {
            self.write32(addr + i as u32, d)?;
        }
        Ok(())
    }
    /// Read `out.len()` consecutive words from `addr`.
    fn read_block(&mut self, addr: u32, out: &mut [u32]) -> Result<(), BusError> {
        for (i, o) in out.iter_mut().enumerate() {
            *o = self.read32(addr + i as u32)?;
        }
        Ok(())
    }
    /// Wait until the interrupt line is raised, at most `timeout` (hardware: wall time;
    /// simulation: its cycle budget). `Ok(false)` when the time passed without one.
    fn wait_irq(&mut self, timeout: Duration) -> Result<bool, BusError>;
    /// Allocate `len` zeroed bytes of host memory that the device can reach by DMA;
    /// `Ok(None)` when this transport has no DMA.
    fn dma_alloc(&mut self, len: usize) -> Result<Option<DmaRegion>, BusError> {
        let _ = len;
        Ok(None)
    }
    /// Copy bytes `offset..offset + out.len()` of a DMA buffer (what the device wrote).
    fn dma_read(&mut self, region: &DmaRegion, offset: usize, out: &mut [u8]) -> Result<(), BusError> {
        let _ = (region, offset, out);
        Err(no_dma(self.describe()))
    }
    /// Write bytes into a DMA buffer for the device to read.
    fn dma_write(&mut self, region: &DmaRegion, offset: usize, data: &[u8]) -> Result<(), BusError> {
        let _ = (region, offset, data);
        Err(no_dma(self.describe()))
    }
    /// The core's clock cycles since power-up where the transport can count them (a
    /// simulation), `None` on a board: how `memfire bench` and the Python study measure
    /// cycles per step.
    fn clock_cycles(&mut self) -> Option<u64> {
        None
    }
}
