//! Wire formats between host and card: the records that travel through the DMA rings and
//! the descriptors that point at them. Little-endian, `repr(C)`, `bytemuck::Pod`; sizes and
//! offsets are pinned by compile-time assertions so a change cannot slip through.

use bytemuck::{Pod, Zeroable};
use std::mem::{offset_of, size_of};

/// An output spike, card → host. 8 bytes.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Pod, Zeroable)]
pub struct SpikeEvent {
    /// Step in which the neuron fired (low 32 bits of the step counter).
    pub step: u32,
    /// Neuron id.
    pub neuron: u32,
}

/// A change of a neuron's external input, host → card. 16 bytes.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Pod, Zeroable)]
pub struct InputEvent {
    /// First step at which the value holds (low 32 bits).
    pub step: u32,
    /// Neuron id.
    pub neuron: u32,
    /// External input, Q2.22 volts.
    pub volts: i32,
    /// Reserved, 0.
    pub reserved: u32,
}

/// One neuron's state, card → host (probe records). 32 bytes.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Pod, Zeroable)]
pub struct ProbeRecord {
    /// Step after which the state was read.
    pub step: u32,
    /// Neuron id.
    pub neuron: u32,
    /// Filament, Q1.23.
    pub x1: i32,
    /// Residue, Q1.23.
    pub x2: i32,
    /// Gate voltage, Q2.22.
    pub v: i32,
    /// Migration-rate factor, UQ3.14.
    pub m: i32,
    /// Refractory steps left.
    pub refractory: u32,
    /// Random-stream state.
    pub rng: u32,
}

/// One configuration word, host → card (`Config` buffers): the card applies it as a bus
/// write of `value` at bus word address `addr` (`memmap::word_addr`), exactly as if the host
/// had written it through the memory window, in ring order with the input events. 8 bytes.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Pod, Zeroable)]
pub struct ConfigWrite {
    /// Bus word address: region · 2^20 + index.
    pub addr: u32,
    /// The word written.
    pub value: u32,
}

/// What a descriptor's buffer holds.
#[repr(u16)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DescriptorKind {
    /// `InputEvent`s, host → card.
    Input = 1,
    /// `ConfigWrite`s (coefficients, tables, synapses, state, registers), host → card. The
    /// card applies them while the core is stopped, or during a run at the start of the
    /// step it is holding for them (after the input events posted before them).
    Config = 2,
    /// `SpikeEvent`s, card → host. The host lends card-to-host buffers with this kind; the
    /// card writes back the kind of what it put in each (a buffer holds one kind).
    Spikes = 3,
    /// `ProbeRecord`s, card → host: after every step, one per probe-list entry, in list order.
    Probes = 4,
}

/// Descriptor flag: the card has filled / consumed this buffer.
pub const DESC_DONE: u16 = 1 << 0;
/// Descriptor flag: raise an interrupt when this descriptor completes.
pub const DESC_IRQ: u16 = 1 << 1;

/// One entry of a descriptor ring. 16 bytes.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Pod, Zeroable)]
pub struct Descriptor {
    /// Bus address of the buffer.
    pub addr: u64,
    /// Buffer length in bytes (host → card), or bytes written (card → host, on completion).
    pub len: u32,
    /// A `DescriptorKind`.
    pub kind: u16,
    /// `DESC_*` flags.
    pub flags: u16,
}

const _: () = {
    assert!(size_of::<SpikeEvent>() == 8);
    assert!(offset_of!(SpikeEvent, neuron) == 4);
    assert!(size_of::<InputEvent>() == 16);
    assert!(offset_of!(InputEvent, volts) == 8);
    assert!(size_of::<ProbeRecord>() == 32);
    assert!(offset_of!(ProbeRecord, x1) == 8);
    assert!(offset_of!(ProbeRecord, rng) == 28);
    assert!(size_of::<ConfigWrite>() == 8);
    assert!(offset_of!(ConfigWrite, value) == 4);
    assert!(size_of::<Descriptor>() == 16);
    assert!(offset_of!(Descriptor, len) == 8);
    assert!(offset_of!(Descriptor, kind) == 12);
    assert!(offset_of!(Descriptor, flags) == 14);
};

/// Encode spikes into their wire bytes (appending to `out`).
pub fn encode_spikes(spikes: &[SpikeEvent], out: &mut Vec<u8>) {
    out.extend_from_slice(bytemuck::cast_slice(spikes));
}

/// Decode wire bytes into spikes; errors if the length is not a whole number of records.
pub fn decode_spikes(bytes: &[u8]) -> Result<Vec<SpikeEvent>, String> {
    let mut out = Vec::new();
    decode_spikes_into(bytes, &mut out)?;
    Ok(out)
}

/// Decode wire bytes into `out` (cleared first), reusing its allocation: a single copy when
/// the bytes are 4-byte aligned (DMA buffers are), record by record otherwise.
pub fn decode_spikes_into(bytes: &[u8], out: &mut Vec<SpikeEvent>) -> Result<(), String> {
    out.clear();
    append_records(bytes, out, "spike events")
}

/// Decode wire bytes into probe records (appended to `out`).
pub fn decode_probes_into(bytes: &[u8], out: &mut Vec<ProbeRecord>) -> Result<(), String> {
    append_records(bytes, out, "probe records")
}

/// Append the records in `bytes` to `out`: a single copy when the bytes are aligned for
/// `T`, record by record otherwise; an error (nothing appended) for a torn record.
fn append_records<T: Pod>(bytes: &[u8], out: &mut Vec<T>, what: &str) -> Result<(), String> {
    let size = size_of::<T>();
    if !bytes.len().is_multiple_of(size) {
        return Err(format!(
            "{} bytes is not a whole number of {size}-byte {what}",
            bytes.len()
        ));
    }
    match bytemuck::try_cast_slice::<u8, T>(bytes) {
        Ok(records) => out.extend_from_slice(records),
        Err(_) => out.extend(bytes.chunks_exact(size).map(bytemuck::pod_read_unaligned::<T>)),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spikes_round_trip_and_bad_length_is_an_error() {
        let s = vec![SpikeEvent { step: 7, neuron: 3 }, SpikeEvent { step: 9, neuron: 1 }];
        let mut bytes = Vec::new();
        encode_spikes(&s, &mut bytes);
        assert_eq!(bytes[..8], [7, 0, 0, 0, 3, 0, 0, 0]);
        assert_eq!(decode_spikes(&bytes), Ok(s.clone()));
        assert!(decode_spikes(&bytes[..5]).is_err());
        let mut into = vec![SpikeEvent::default(); 3];
        decode_spikes_into(&bytes, &mut into).expect("whole records");
        assert_eq!(into, s);
        let mut shifted = vec![0u8];
        shifted.extend_from_slice(&bytes);
        decode_spikes_into(&shifted[1..], &mut into).expect("unaligned is fine too");
        assert_eq!(into, s);
    }

    #[test]
    fn probe_records_decode_and_a_torn_record_is_an_error() {
        let p = ProbeRecord {
            step: 4,
            neuron: 9,
            x1: -1,
            rng: 0xDEAD_BEEF,
            ..ProbeRecord::default()
        };
        let mut out = vec![ProbeRecord::default()];
        decode_probes_into(bytemuck::bytes_of(&p), &mut out).expect("one record");
        assert_eq!(out, vec![ProbeRecord::default(), p]);
        let err = decode_probes_into(&bytemuck::bytes_of(&p)[..24], &mut out).expect_err("torn");
        assert!(err.contains("32-byte probe records"), "{err}");
    }
}
