//! The driver's half of the DMA descriptor rings (`memfire_spec::wire::Descriptor`): the
//! card-to-host ring that brings spikes and probe records back and the host-to-card ring
//! that carries input events and configuration words. Both live in backend-allocated DMA memory; the card advances `*_HEAD`, the host
//! `*_TAIL`. Nothing here knows which backend it runs on.

use std::mem::size_of;

use bytemuck::Pod;
use memfire_spec::memmap::reg_addr;
use memfire_spec::regs::offset;
use memfire_spec::wire::{
    decode_probes_into, decode_spikes_into, ConfigWrite, Descriptor, DescriptorKind, InputEvent, ProbeRecord,
    SpikeEvent, DESC_DONE,
};

use crate::bus::{Bus, BusError, DmaRegion};

const DESC: usize = size_of::<Descriptor>();

/// Sizes of the rings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RingSizes {
    /// Card-to-host descriptors (a power of two) and bytes per buffer (a multiple of 32: a
    /// buffer holds 8-byte spikes or 32-byte probe records).
    pub c2h_entries: u32,
    pub c2h_buffer_bytes: u32,
    /// Host-to-card descriptors (a power of two) and input events per buffer (twice as many
    /// 8-byte configuration words fit).
    pub h2c_entries: u32,
    pub h2c_buffer_events: u32,
}

impl RingSizes {
    /// Why these sizes cannot work, if they cannot.
    pub fn problem(&self) -> Option<String> {
        if !self.c2h_entries.is_power_of_two() || !self.h2c_entries.is_power_of_two() {
            return Some(format!(
                "ring entries must be powers of two (card-to-host {}, host-to-card {})",
                self.c2h_entries, self.h2c_entries
            ));
        }
        let record = size_of::<ProbeRecord>() as u32;
        if self.c2h_buffer_bytes == 0 || !self.c2h_buffer_bytes.is_multiple_of(record) {
            return Some(format!(
                "card-to-host buffers of {} bytes do not hold whole {record}-byte probe records (use a multiple of {record})",
                self.c2h_buffer_bytes
            ));
        }
        if self.h2c_buffer_events == 0 || self.h2c_buffer_events > (1 << 20) {
            return Some(format!(
                "input buffers of {} events: use 1 to 1048576",
                self.h2c_buffer_events
            ));
        }
        None
    }
}

impl Default for RingSizes {
    fn default() -> Self {
        RingSizes {
            c2h_entries: 64,
            c2h_buffer_bytes: 4096,
            h2c_entries: 64,
            h2c_buffer_events: 256,
        }
    }
}

fn read_descriptor<B: Bus>(bus: &mut B, ring: &DmaRegion, index: u32, entries: u32) -> Result<Descriptor, BusError> {
    let mut bytes = [0u8; DESC];
    bus.dma_read(ring, (index % entries) as usize * DESC, &mut bytes)?;
    Ok(bytemuck::pod_read_unaligned(&bytes))
}

fn write_descriptor<B: Bus>(
    bus: &mut B,
    ring: &DmaRegion,
    index: u32,
    entries: u32,
    d: &Descriptor,
) -> Result<(), BusError> {
    bus.dma_write(ring, (index % entries) as usize * DESC, bytemuck::bytes_of(d))
}

fn write_ring_base<B: Bus>(
    bus: &mut B,
    lo: u32,
    hi: u32,
    size: u32,
    ring: &DmaRegion,
    entries: u32,
) -> Result<(), BusError> {
    bus.write32(reg_addr(lo), ring.iova as u32)?;
    bus.write32(reg_addr(hi), (ring.iova >> 32) as u32)?;
    bus.write32(reg_addr(size), entries)
}

fn malformed(backend: String, what: String) -> BusError {
    BusError::Transport {
        backend,
        what,
        source: None,
    }
}

/// Card → host: buffers lent to the card, which fills each with spikes or probe records.
#[derive(Debug)]
pub struct C2hRing {
    ring: DmaRegion,
    buffers: DmaRegion,
    entries: u32,
    buffer_bytes: u32,
    /// Next descriptor to reap (free-running, equals the card's head once reaped).
    head: u32,
    bytes: Vec<u8>,
    events: Vec<SpikeEvent>,
}

/// What a card-to-host buffer came back with, if it is well formed.
fn returned_kind(d: &Descriptor, buffer_bytes: u32) -> Option<DescriptorKind> {
    let fits = |record: usize| d.len <= buffer_bytes && d.len.is_multiple_of(record as u32);
    if d.kind == DescriptorKind::Spikes as u16 && fits(size_of::<SpikeEvent>()) {
        Some(DescriptorKind::Spikes)
    } else if d.kind == DescriptorKind::Probes as u16 && fits(size_of::<ProbeRecord>()) {
        Some(DescriptorKind::Probes)
    } else {
        None
    }
}

impl C2hRing {
    /// Allocate the ring and its buffers; `None` when the backend has no DMA.
    pub fn allocate<B: Bus>(bus: &mut B, sizes: &RingSizes) -> Result<Option<C2hRing>, BusError> {
        let Some(ring) = bus.dma_alloc(sizes.c2h_entries as usize * DESC)? else {
            return Ok(None);
        };
        let Some(buffers) = bus.dma_alloc(sizes.c2h_entries as usize * sizes.c2h_buffer_bytes as usize)? else {
            return Ok(None);
        };
        Ok(Some(C2hRing {
            ring,
            buffers,
            entries: sizes.c2h_entries,
            buffer_bytes: sizes.c2h_buffer_bytes,
            head: 0,
            bytes: Vec::new(),
            events: Vec::new(),
        }))
    }

    fn fresh(&self, index: u32) -> Descriptor {
        Descriptor {
            addr: self.buffers.iova + u64::from(index % self.entries) * u64::from(self.buffer_bytes),
            len: self.buffer_bytes,
            kind: DescriptorKind::Spikes as u16,
            flags: 0,
        }
    }

    /// After the card's rings were cleared (CTRL.CLEAR): lend it every buffer.
    pub fn start<B: Bus>(&mut self, bus: &mut B) -> Result<(), BusError> {
        self.head = 0;
        for i in 0..self.entries {
            write_descriptor(bus, &self.ring, i, self.entries, &self.fresh(i))?;
        }
        write_ring_base(
            bus,
            offset::C2H_RING_LO,
            offset::C2H_RING_HI,
            offset::C2H_RING_SIZE,
            &self.ring,
            self.entries,
        )?;
        bus.write32(reg_addr(offset::C2H_TAIL), self.entries)
    }

    /// Take every buffer the card has handed back, in order, append its spikes to `spikes`
    /// and its probe records to `probes`, and lend the buffers again. Returns how many
    /// buffers came back.
    pub fn reap<B: Bus>(
        &mut self,
        bus: &mut B,
        spikes: &mut Vec<SpikeEvent>,
        probes: &mut Vec<ProbeRecord>,
    ) -> Result<u32, BusError> {
        let mut reaped = 0;
        loop {
            let d = read_descriptor(bus, &self.ring, self.head, self.entries)?;
            if d.flags & DESC_DONE == 0 {
                break;
            }
            let Some(kind) = returned_kind(&d, self.buffer_bytes) else {
                return Err(malformed(
                    bus.describe(),
                    format!(
                        "card-to-host descriptor {} came back with {} bytes of kind {} in a {}-byte buffer",
                        self.head, d.len, d.kind, self.buffer_bytes
                    ),
                ));
            };
            self.bytes.resize(d.len as usize, 0);
            let at = (self.head % self.entries) as usize * self.buffer_bytes as usize;
            bus.dma_read(&self.buffers, at, &mut self.bytes)?;
            if kind == DescriptorKind::Probes {
                decode_probes_into(&self.bytes, probes).map_err(|e| malformed(bus.describe(), e))?;
            } else {
                decode_spikes_into(&self.bytes, &mut self.events).map_err(|e| malformed(bus.describe(), e))?;
                spikes.extend_from_slice(&self.events);
            }
            write_descriptor(bus, &self.ring, self.head, self.entries, &self.fresh(self.head))?;
            self.head = self.head.wrapping_add(1);
            reaped += 1;
        }
        if reaped > 0 {
            bus.write32(reg_addr(offset::C2H_TAIL), self.head.wrapping_add(self.entries))?;
        }
        Ok(reaped)
    }
}

/// Host → card: buffers of input events or of configuration words.
#[derive(Debug)]
pub struct H2cRing {
    ring: DmaRegion,
    buffers: DmaRegion,
    entries: u32,
    buffer_bytes: u32,
    /// Descriptors posted (free-running) and the card's count of consumed ones.
    tail: u32,
    head: u32,
}

impl H2cRing {
    /// Allocate the ring and its buffers; `None` when the backend has no DMA.
    pub fn allocate<B: Bus>(bus: &mut B, sizes: &RingSizes) -> Result<Option<H2cRing>, BusError> {
        let Some(ring) = bus.dma_alloc(sizes.h2c_entries as usize * DESC)? else {
            return Ok(None);
        };
        let buffer_bytes = sizes.h2c_buffer_events as usize * size_of::<InputEvent>();
        let Some(buffers) = bus.dma_alloc(sizes.h2c_entries as usize * buffer_bytes)? else {
            return Ok(None);
        };
        Ok(Some(H2cRing {
            ring,
            buffers,
            entries: sizes.h2c_entries,
            buffer_bytes: buffer_bytes as u32,
            tail: 0,
            head: 0,
        }))
    }

    /// After the card's rings were cleared: an empty ring.
    pub fn start<B: Bus>(&mut self, bus: &mut B) -> Result<(), BusError> {
        self.tail = 0;
        self.head = 0;
        write_ring_base(
            bus,
            offset::H2C_RING_LO,
            offset::H2C_RING_HI,
            offset::H2C_RING_SIZE,
            &self.ring,
            self.entries,
        )
    }

    /// Descriptors posted that the card has not finished reading.
    pub fn in_flight<B: Bus>(&mut self, bus: &mut B) -> Result<u32, BusError> {
        self.head = bus.read32(reg_addr(offset::H2C_HEAD))?;
        Ok(self.tail.wrapping_sub(self.head))
    }

    /// Post as many of `events` (in step order) as there are free buffers for; returns how
    /// many were posted. The card applies each at its step.
    pub fn post<B: Bus>(&mut self, bus: &mut B, events: &[InputEvent]) -> Result<usize, BusError> {
        self.post_records(bus, events, DescriptorKind::Input)
    }

    /// Post as many configuration words as there are free buffers for; returns how many
    /// were posted. The card applies them in order, after the inputs posted before them.
    pub fn post_config<B: Bus>(&mut self, bus: &mut B, words: &[ConfigWrite]) -> Result<usize, BusError> {
        self.post_records(bus, words, DescriptorKind::Config)
    }

    fn post_records<B: Bus, T: Pod>(
        &mut self,
        bus: &mut B,
        records: &[T],
        kind: DescriptorKind,
    ) -> Result<usize, BusError> {
        let free = self.entries - self.in_flight(bus)?;
        let per_buffer = self.buffer_bytes as usize / size_of::<T>();
        let mut posted = 0;
        for chunk in records.chunks(per_buffer).take(free as usize) {
            let slot = self.tail % self.entries;
            let at = u64::from(slot) * u64::from(self.buffer_bytes);
            bus.dma_write(&self.buffers, at as usize, bytemuck::cast_slice(chunk))?;
            let d = Descriptor {
                addr: self.buffers.iova + at,
                len: std::mem::size_of_val(chunk) as u32,
                kind: kind as u16,
                flags: 0,
            };
            write_descriptor(bus, &self.ring, self.tail, self.entries, &d)?;
            self.tail = self.tail.wrapping_add(1);
            posted += chunk.len();
        }
        if posted > 0 {
            bus.write32(reg_addr(offset::H2C_TAIL), self.tail)?;
        }
        Ok(posted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_ring_sizes_are_named() {
        assert_eq!(RingSizes::default().problem(), None);
        let odd = RingSizes {
            c2h_entries: 3,
            ..RingSizes::default()
        };
        assert!(odd.problem().is_some_and(|w| w.contains("powers of two")));
        let ragged = RingSizes {
            c2h_buffer_bytes: 40,
            ..RingSizes::default()
        };
        assert!(ragged
            .problem()
            .is_some_and(|w| w.contains("whole 32-byte probe records")));
        let empty = RingSizes {
            h2c_buffer_events: 0,
            ..RingSizes::default()
        };
        assert!(empty.problem().is_some_and(|w| w.contains("input buffers of 0 events")));
    }
}
