//! Any bytes as the records a device writes into host memory: spike events and probe
//! records decode (or are refused as torn) without a panic and encode back to the same
//! bytes; descriptors and every record type round-trip through their byte layout.
#![no_main]

use libfuzzer_sys::fuzz_target;
use memfire_spec::wire::{
    decode_probes_into, decode_spikes, encode_spikes, ConfigWrite, Descriptor, InputEvent, ProbeRecord,
};

fuzz_target!(|data: &[u8]| {
    if let Ok(spikes) = decode_spikes(data) {
        let mut bytes = Vec::new();
        encode_spikes(&spikes, &mut bytes);
        assert_eq!(bytes, data);
    }
    let mut probes = Vec::new();
    if decode_probes_into(data, &mut probes).is_ok() {
        assert_eq!(bytemuck::cast_slice::<ProbeRecord, u8>(&probes), data);
    }
    for chunk in data.chunks_exact(16) {
        let d: Descriptor = bytemuck::pod_read_unaligned(chunk);
        assert_eq!(bytemuck::bytes_of(&d), chunk);
        let e: InputEvent = bytemuck::pod_read_unaligned(chunk);
        assert_eq!(bytemuck::bytes_of(&e), chunk);
    }
    for chunk in data.chunks_exact(8) {
        let c: ConfigWrite = bytemuck::pod_read_unaligned(chunk);
        assert_eq!(bytemuck::bytes_of(&c), chunk);
    }
});
