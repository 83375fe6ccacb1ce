//! Any bytes as what a board sends back over the serial link: every bus access through the
//! serial backend ends in a value or an error that names the backend, never a panic or a
//! hang (the link runs dry, as a silent board would).
#![no_main]

use std::collections::VecDeque;
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use memfire_host::bus::Bus;
use memfire_host::serial::{ByteLink, SerialBackend};

/// A link that plays back `bytes` and then stays silent.
struct Replay(VecDeque<u8>);

impl ByteLink for Replay {
    fn describe(&self) -> String {
        "fuzz".into()
    }
    fn send(&mut self, _bytes: &[u8]) -> std::io::Result<()> {
        Ok(())
    }
    fn receive(&mut self, buf: &mut [u8], _timeout: Duration) -> std::io::Result<bool> {
        if self.0.len() < buf.len() {
            self.0.clear();
            return Ok(false);
        }
        for b in buf.iter_mut() {
            *b = self.0.pop_front().unwrap_or(0);
        }
        Ok(true)
    }
}

fuzz_target!(|data: &[u8]| {
    let mut bus = SerialBackend::new(Replay(data.iter().copied().collect()));
    bus.set_timeout(Duration::from_millis(1));
    let _ = bus.read32(0);
    let mut block = [0u32; 5];
    let _ = bus.read_block(16, &mut block);
    let _ = bus.write32(4, 1);
    let _ = bus.write_block(8, &[1, 2, 3]);
});
