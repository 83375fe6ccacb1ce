//! `SimUartLink`: the simulated serial board (the core behind its UART bridge, under
//! Verilator) as a `ByteLink`, so the host's `SerialBackend` runs against the real RTL. It can
//! corrupt chosen bytes on the wire and go silent, to test what the driver does then.

use std::collections::VecDeque;
use std::time::Duration;

use memfire_host::serial::ByteLink;

use crate::ffi::UartModel;

/// Clock cycles per bit of the simulated board (from memfire-hdl, via build.rs).
pub const CLOCKS_PER_BIT: u32 = match u32::from_str_radix(env!("MEMFIRE_UART_CPB"), 10) {
    Ok(v) => v,
    Err(_) => panic!("MEMFIRE_UART_CPB is not a number"),
};

/// Faults to inject on the wire.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineFaults {
    /// Flip bit 0 of these bytes (counted over everything the host sends).
    pub corrupt_sent: Vec<u64>,
    /// Flip bit 0 of these bytes (counted over everything the board sends).
    pub corrupt_received: Vec<u64>,
    /// After this many bytes from the host, the board hears nothing more (unplugged).
    pub cut_after: Option<u64>,
}

/// The simulated serial board.
#[derive(Debug)]
pub struct SimUartLink {
    model: UartModel,
    pending: VecDeque<u8>,
    faults: LineFaults,
    sent: u64,
    received: u64,
    cycles_per_second: u64,
}

impl SimUartLink {
    pub fn new(faults: LineFaults) -> SimUartLink {
        SimUartLink {
            model: UartModel::new(CLOCKS_PER_BIT),
            pending: VecDeque::new(),
            faults,
            sent: 0,
            received: 0,
            // A wait of `timeout` is worth this many simulated cycles.
            cycles_per_second: 50_000_000,
        }
    }

    fn flip(list: &[u64], index: u64, byte: u8) -> u8 {
        if list.contains(&index) {
            byte ^ 1
        } else {
            byte
        }
    }

    fn run(&mut self, out: &[u8], want: usize, max_cycles: u64) {
        let mut buf = vec![0u8; want.max(64)];
        let (got, _) = self.model.exchange(out, &mut buf, want, max_cycles);
        for &b in &buf[..got] {
            let b = Self::flip(&self.faults.corrupt_received, self.received, b);
            self.received += 1;
            self.pending.push_back(b);
        }
    }
}

impl ByteLink for SimUartLink {
    fn describe(&self) -> String {
        "sim-uart (Verilator)".into()
    }

    fn send(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let mut wire = Vec::with_capacity(bytes.len());
        for &b in bytes {
            if self.faults.cut_after.is_some_and(|cut| self.sent >= cut) {
                break;
            }
            wire.push(Self::flip(&self.faults.corrupt_sent, self.sent, b));
            self.sent += 1;
        }
        // Clock the bytes in; collect whatever the board answers meanwhile.
        self.run(&wire, 0, 0);
        Ok(())
    }

    fn receive(&mut self, buf: &mut [u8], timeout: Duration) -> std::io::Result<bool> {
        let need = buf.len().saturating_sub(self.pending.len());
        if need > 0 {
            let budget = (timeout.as_secs_f64() * self.cycles_per_second as f64) as u64;
            self.run(&[], need, budget.max(1));
        }
        if self.pending.len() < buf.len() {
            return Ok(false);
        }
        for b in buf.iter_mut() {
            *b = self.pending.pop_front().unwrap_or(0);
        }
        Ok(true)
    }
}
