//! Waiting on a card that can lose an interrupt, be reset, or vanish.
//!
//! An interrupt is a wake-up, not the only news: an MSI can be lost (interrupt remapping
//! set up wrong, a VM migrated, a bridge that drops it), so the driver waits for one in
//! short slices and, when a slice passes without one, looks at the card itself. It gives
//! up only when the card has made no progress for the whole timeout, whether or not
//! interrupts came (a card raising interrupts without moving on is as stuck as a silent one).
//!
//! Each look also checks that the card is still the one the driver set up:
//! - a register that reads all ones means the card is gone: PCIe completes a read to a
//!   device that was removed, lost its link or its configuration with all ones;
//! - an interrupt mask that no longer reads what the driver wrote means the card was reset
//!   or reprogrammed, and has forgotten its network and its DMA rings.

use std::time::{Duration, Instant};

use memfire_spec::memmap::reg_addr;
use memfire_spec::regs::offset;
use tracing::trace;

use crate::bus::Bus;
use crate::error::{EngineError, Result};

/// Longest wait for an interrupt before the driver looks at the card itself.
pub const POLL_SLICE: Duration = Duration::from_millis(20);

/// The card is still there and still set up as the driver left it: its interrupt mask
/// reads `mask`. `during` says what the driver was doing, for the error.
pub fn check_card<B: Bus>(bus: &mut B, mask: u32, during: &str) -> Result<()> {
    let read = bus.read32(reg_addr(offset::IRQ_MASK))?;
    if read == mask {
        return Ok(());
    }
    if read == u32::MAX {
        return Err(EngineError::DeviceGone {
            backend: bus.describe(),
            during: during.to_string(),
        });
    }
    Err(EngineError::DeviceReset {
        backend: bus.describe(),
        during: during.to_string(),
        read,
        mask,
    })
}

/// Tells a slow card from a stuck one while the driver waits on it.
#[derive(Debug)]
pub struct Watchdog {
    timeout: Duration,
    /// When the card last made progress, and how much it had made then.
    moved_at: Instant,
    progress: Option<u64>,
}

impl Watchdog {
    pub fn new(timeout: Duration) -> Watchdog {
        Watchdog {
            timeout,
            moved_at: Instant::now(),
            progress: None,
        }
    }

    /// Wait for the card's next interrupt, at most one slice. `progress` is any count that
    /// changes while the card works (steps run, records received, buffers taken). Returns
    /// `false` once the card has not moved on for the whole timeout; an error if it is gone
    /// or was reset (`mask` and `during` as for [`check_card`]).
    pub fn wait<B: Bus>(&mut self, bus: &mut B, progress: u64, mask: u32, during: &str) -> Result<bool> {
        if self.progress != Some(progress) {
            self.progress = Some(progress);
            self.moved_at = Instant::now();
        }
        let left = self.timeout.saturating_sub(self.moved_at.elapsed());
        if left.is_zero() {
            return Ok(false);
        }
        if !bus.wait_irq(left.min(POLL_SLICE))? {
            trace!(during, "a slice without an interrupt: looking at the card");
        }
        check_card(bus, mask, during)?;
        Ok(true)
    }
}
