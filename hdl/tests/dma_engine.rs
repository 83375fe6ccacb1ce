//! The DMA engine in rust-hdl's simulator, against the spec's wire formats: a host memory
//! that accepts requests only some of the time and answers reads after a random delay, an
//! output ring of spikes on the core side, and the core's step counter. Spikes must land in
//! the lent buffers as `SpikeEvent`s, descriptors must come back DONE with the right length,
//! input events must be applied at their steps, configuration words must reach the core in
//! ring order with them, probe records must share the card-to-host ring with the spikes one
//! kind per buffer, and a malformed descriptor must halt the engine. Set MEMFIRE_SEED to
//! replay.

use std::collections::{HashMap, VecDeque};
use std::mem::size_of;

use memfire_hdl::dma::DmaEngine;
use memfire_hdl::testbench::cycle;
use memfire_spec::regs::{dma_ctrl, offset};
use memfire_spec::rng::xorshift32;
use memfire_spec::wire::{
    decode_probes_into, decode_spikes, ConfigWrite, Descriptor, DescriptorKind, InputEvent, ProbeRecord, SpikeEvent,
    DESC_DONE,
};
use rust_hdl::prelude::*;

/// Host memory as 8-byte words, with a port that is often busy and slow to answer.
struct Host {
    words: HashMap<u64, u64>,
    /// Reads waiting for their answer: (cycle due, data, fails).
    reads: VecDeque<(u64, u64, bool)>,
    /// Reads of this address fail (as an IOMMU fault would), while set.
    failing: Option<u64>,
    rng: u32,
    now: u64,
}

impl Host {
    fn new(seed: u32) -> Host {
        Host {
            words: HashMap::new(),
            reads: VecDeque::new(),
            failing: None,
            rng: seed | 1,
            now: 0,
        }
    }

    fn draw(&mut self, n: u32) -> u32 {
        self.rng = xorshift32(self.rng);
        self.rng % n
    }

    fn write_bytes(&mut self, addr: u64, bytes: &[u8]) {
        for (i, chunk) in bytes.chunks(8).enumerate() {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            self.words.insert(addr + 8 * i as u64, u64::from_le_bytes(w));
        }
    }

    fn read_bytes(&self, addr: u64, len: usize) -> Vec<u8> {
        (0..len.div_ceil(8))
            .flat_map(|i| {
                self.words
                    .get(&(addr + 8 * i as u64))
                    .copied()
                    .unwrap_or(0)
                    .to_le_bytes()
            })
            .take(len)
            .collect()
    }
}

/// The engine, its host memory and the core side it talks to.
struct Bench {
    uut: DmaEngine,
    host: Host,
    spikes: VecDeque<SpikeEvent>,
    read_faults: u32,
    ext_writes: Vec<(u64, u32, i32)>,
    /// Configuration words the core took: (cycle, address, value).
    cfg_writes: Vec<(u64, u32, u32)>,
    /// The core may take configuration words (idle, bus quiet) — some of the time.
    cfg_ok: bool,
    /// Probe records the core will present, one at a time, and cycles until the next.
    probes: VecDeque<ProbeRecord>,
    probe_gap: u32,
    step: u32,
    in_check: bool,
    idle: bool,
    irqs: u32,
}

impl Bench {
    fn new(seed: u32) -> Bench {
        let mut uut = DmaEngine::default();
        uut.connect_all();
        let mut b = Bench {
            uut,
            host: Host::new(seed),
            spikes: VecDeque::new(),
            read_faults: 0,
            ext_writes: Vec::new(),
            cfg_writes: Vec::new(),
            cfg_ok: false,
            probes: VecDeque::new(),
            probe_gap: 0,
            step: 0,
            in_check: false,
            idle: false,
            irqs: 0,
        };
        b.tick();
        b
    }

    /// One clock: drive the inputs, serve the memory port, collect outputs, clock.
    fn tick(&mut self) {
        let u = &mut self.uut;
        let h = &mut self.host;
        let ready = h.draw(3) != 0;
        let respond = h.reads.front().is_some_and(|&(due, _, _)| due <= h.now);
        u.mem_req_ready.next = ready;
        u.mem_rsp_valid.next = respond;
        u.mem_rsp_data.next = h.reads.front().map_or(0, |r| r.1).into();
        u.mem_rsp_error.next = respond && h.reads.front().is_some_and(|r| r.2);
        u.out_avail.next = !self.spikes.is_empty();
        let head = self.spikes.front().copied().unwrap_or_default();
        // The core's output ring keeps (step << 32 | neuron).
        u.out_data.next = ((u64::from(head.step) << 32) | u64::from(head.neuron)).into();
        u.step_lo.next = u64::from(self.step).into();
        u.in_check.next = self.in_check;
        u.core_idle.next = self.idle;
        let take = self.cfg_ok && u.cfg_valid.val() && h.draw(2) == 0;
        u.cfg_take.next = take;
        let presenting = self.probe_gap == 0 && !self.probes.is_empty();
        u.prb_valid.next = presenting;
        let words: [u64; 4] = bytemuck::cast(self.probes.front().copied().unwrap_or_default());
        u.prb_w0.next = words[0].into();
        u.prb_w1.next = words[1].into();
        u.prb_w2.next = words[2].into();
        u.prb_w3.next = words[3].into();
        self.probe_gap = self.probe_gap.saturating_sub(1);
        memfire_hdl::testbench::settle(u).expect("settles");
        if take {
            self.cfg_writes
                .push((h.now, u.cfg_addr.val().index() as u32, u.cfg_data.val().index() as u32));
        }
        if u.prb_ack.val() {
            assert!(presenting, "an acknowledgement without a record");
            self.probes.pop_front();
            // The core's next record takes a few cycles to read.
            self.probe_gap = 4;
        }
        if u.mem_req_valid.val() && ready {
            let addr = u.mem_req_addr.val().to_u64();
            if u.mem_req_write.val() {
                h.words.insert(addr, u.mem_req_wdata.val().to_u64());
            } else {
                let data = h.words.get(&addr).copied().unwrap_or(0);
                let delay = u64::from(h.draw(6));
                h.reads.push_back((h.now + 1 + delay, data, h.failing == Some(addr)));
            }
        }
        if u.out_pop.val() {
            self.spikes.pop_front();
        }
        if u.ext_we.val() {
            self.ext_writes.push((
                h.now,
                u.ext_neuron.val().index() as u32,
                u.ext_volts.val().index() as u32 as i32,
            ));
        }
        if u.irq_pulse.val() {
            self.irqs += 1;
        }
        if u.read_fault.val() {
            self.read_faults += 1;
        }
        cycle(u, |u| &mut u.clock).expect("settles");
        if respond {
            h.reads.pop_front();
        }
        h.now += 1;
        u.reg_we.next = false;
    }

    fn write_reg(&mut self, byte_offset: u32, value: u32) {
        self.uut.reg_index.next = u64::from(byte_offset / 4).into();
        self.uut.reg_wdata.next = u64::from(value).into();
        self.uut.reg_we.next = true;
        self.tick();
    }

    fn read_reg(&mut self, byte_offset: u32) -> u32 {
        self.uut.reg_index.next = u64::from(byte_offset / 4).into();
        self.tick();
        self.tick();
        self.uut.reg_value.val().index() as u32
    }

    fn ring(&mut self, lo: u32, size: u32, base: u64, entries: u32) {
        self.write_reg(lo, base as u32);
        self.write_reg(lo + 4, (base >> 32) as u32);
        self.write_reg(size, entries);
    }

    fn descriptor(&self, base: u64, index: u64) -> Descriptor {
        bytemuck::pod_read_unaligned(&self.host.read_bytes(base + 16 * index, 16))
    }
}

fn seed() -> u32 {
    std::env::var("MEMFIRE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(11)
}

/// Over 100 cycles the engine raises exactly one fault pulse and stays halted.
fn assert_halts_once(b: &mut Bench) {
    let mut faults = 0;
    for _ in 0..100 {
        b.tick();
        faults += u32::from(b.uut.fault.val());
    }
    assert_eq!(faults, 1, "one fault pulse");
    assert!(b.uut.halted.val());
}

const RING: u64 = 0x1_2345_0000;
const BUFFERS: u64 = 0x1_2346_0000;

/// `count` card-to-host descriptors lending buffers of `len` bytes, 0x100 apart.
fn lend_buffers(b: &mut Bench, count: u64, len: u32) {
    for i in 0..count {
        let d = Descriptor {
            addr: BUFFERS + 0x100 * i,
            len,
            kind: DescriptorKind::Spikes as u16,
            flags: 0,
        };
        b.host.write_bytes(RING + 16 * i, bytemuck::bytes_of(&d));
    }
}

#[test]
fn spikes_fill_the_lent_buffers_in_order_and_come_back_done() {
    let seed = seed();
    let mut b = Bench::new(seed);
    // Three buffers of four spikes each; ten spikes to send.
    lend_buffers(&mut b, 3, 32);
    let sent: Vec<SpikeEvent> = (0..10)
        .map(|i| SpikeEvent {
            step: 100 + i / 3,
            neuron: 7 * i + 1,
        })
        .collect();
    b.spikes.extend(sent.iter().copied());
    b.ring(offset::C2H_RING_LO, offset::C2H_RING_SIZE, RING, 4);
    b.write_reg(offset::IRQ_COALESCE_COUNT, 1);
    b.write_reg(offset::DMA_CTRL, dma_ctrl::C2H);
    b.write_reg(offset::C2H_TAIL, 3);
    for _ in 0..400 {
        b.tick();
    }
    assert!(b.spikes.is_empty(), "seed {seed}: every spike left the output ring");
    // The last buffer is partly full: it comes back once the core is idle.
    assert_eq!(
        b.descriptor(RING, 2).flags & DESC_DONE,
        0,
        "seed {seed}: not handed back while running"
    );
    b.idle = true;
    for _ in 0..100 {
        b.tick();
    }
    let mut got = Vec::new();
    for i in 0..3 {
        let d = b.descriptor(RING, i);
        assert_eq!(d.flags & DESC_DONE, DESC_DONE, "seed {seed}: descriptor {i} done");
        assert_eq!(d.kind, DescriptorKind::Spikes as u16);
        assert_eq!(d.len, if i < 2 { 32 } else { 16 }, "seed {seed}: bytes in buffer {i}");
        let bytes = b.host.read_bytes(d.addr, d.len as usize);
        got.extend(memfire_spec::wire::decode_spikes(&bytes).expect("whole records"));
    }
    assert_eq!(got, sent, "seed {seed}");
    assert_eq!(b.read_reg(offset::C2H_HEAD), 3);
    assert_eq!(
        b.irqs, 3,
        "seed {seed}: one interrupt per completion at COALESCE_COUNT 1"
    );
}

#[test]
fn input_events_are_applied_at_their_steps_and_the_gate_holds_at_the_horizon() {
    let seed = seed();
    let mut b = Bench::new(seed);
    let events = [
        InputEvent {
            step: 0,
            neuron: 3,
            volts: 1 << 22,
            reserved: 0,
        },
        InputEvent {
            step: 0,
            neuron: 5,
            volts: -7,
            reserved: 0,
        },
        InputEvent {
            step: 2,
            neuron: 3,
            volts: 12345,
            reserved: 0,
        },
    ];
    b.host.write_bytes(BUFFERS, bytemuck::cast_slice(&events));
    let d = Descriptor {
        addr: BUFFERS,
        len: (events.len() * size_of::<InputEvent>()) as u32,
        kind: DescriptorKind::Input as u16,
        flags: 0,
    };
    b.host.write_bytes(RING, bytemuck::bytes_of(&d));
    b.ring(offset::H2C_RING_LO, offset::H2C_RING_SIZE, RING, 2);
    b.write_reg(offset::IN_HORIZON, 4);
    b.write_reg(offset::DMA_CTRL, dma_ctrl::H2C | dma_ctrl::INPUT_GATE);
    b.write_reg(offset::H2C_TAIL, 1);
    // The core checks each step until the engine stops holding it, then moves on.
    let mut released = Vec::new();
    b.in_check = true;
    for _ in 0..600 {
        b.tick();
        if !b.uut.hold.val() {
            released.push(b.step);
            b.step += 1;
            if b.step == 6 {
                break;
            }
        }
    }
    let applied: Vec<(u32, i32)> = b.ext_writes.iter().map(|w| (w.1, w.2)).collect();
    assert_eq!(applied, vec![(3, 1 << 22), (5, -7), (3, 12345)], "seed {seed}");
    assert_eq!(
        released,
        vec![0, 1, 2, 3],
        "seed {seed}: the gate holds step 4 (= IN_HORIZON)"
    );
    assert!(b.uut.hold.val(), "seed {seed}: still held at the horizon");
    let done = b.descriptor(RING, 0);
    assert_eq!(
        done.flags & DESC_DONE,
        DESC_DONE,
        "seed {seed}: input buffer handed back"
    );
    assert_eq!(b.read_reg(offset::H2C_HEAD), 1);
}

#[test]
fn a_failed_read_halts_the_engine_and_the_same_read_is_retried_on_restart() {
    let seed = seed();
    let mut b = Bench::new(seed);
    let events: Vec<InputEvent> = (0..3)
        .map(|i| InputEvent {
            step: 0,
            neuron: 10 + i,
            volts: 1000 * i as i32 + 1,
            reserved: 0,
        })
        .collect();
    b.host.write_bytes(BUFFERS, bytemuck::cast_slice(&events));
    let d = Descriptor {
        addr: BUFFERS,
        len: (events.len() * size_of::<InputEvent>()) as u32,
        kind: DescriptorKind::Input as u16,
        flags: 0,
    };
    b.host.write_bytes(RING, bytemuck::bytes_of(&d));
    // The second record's volts word cannot be read.
    b.host.failing = Some(BUFFERS + size_of::<InputEvent>() as u64 + 8);
    b.ring(offset::H2C_RING_LO, offset::H2C_RING_SIZE, RING, 2);
    b.write_reg(offset::DMA_CTRL, dma_ctrl::H2C);
    b.write_reg(offset::H2C_TAIL, 1);
    b.in_check = true;
    for _ in 0..300 {
        b.tick();
    }
    assert_eq!(b.read_faults, 1, "seed {seed}: one read-fault pulse");
    assert!(b.uut.halted.val(), "seed {seed}: halted after the failed read");
    let applied: Vec<u32> = b.ext_writes.iter().map(|w| w.1).collect();
    assert_eq!(applied, vec![10], "seed {seed}: only the record before the failed read");
    assert_eq!(
        b.descriptor(RING, 0).flags & DESC_DONE,
        0,
        "seed {seed}: buffer not handed back"
    );
    // The host maps the page and restarts the engine: the same read succeeds.
    b.host.failing = None;
    b.write_reg(offset::DMA_CTRL, dma_ctrl::H2C);
    for _ in 0..300 {
        b.tick();
    }
    assert!(!b.uut.halted.val(), "seed {seed}: running again");
    let applied: Vec<(u32, i32)> = b.ext_writes.iter().map(|w| (w.1, w.2)).collect();
    assert_eq!(
        applied,
        vec![(10, 1), (11, 1001), (12, 2001)],
        "seed {seed}: nothing lost or repeated"
    );
    assert_eq!(b.descriptor(RING, 0).flags & DESC_DONE, DESC_DONE, "seed {seed}");
    assert_eq!(b.read_faults, 1, "seed {seed}");
}

#[test]
fn a_malformed_descriptor_halts_the_engine() {
    let mut b = Bench::new(seed());
    let d = Descriptor {
        addr: BUFFERS,
        len: 20, // not whole 16-byte input events
        kind: DescriptorKind::Input as u16,
        flags: 0,
    };
    b.host.write_bytes(RING, bytemuck::bytes_of(&d));
    b.ring(offset::H2C_RING_LO, offset::H2C_RING_SIZE, RING, 1);
    b.write_reg(offset::DMA_CTRL, dma_ctrl::H2C);
    b.write_reg(offset::H2C_TAIL, 1);
    assert_halts_once(&mut b);
    assert!(b.ext_writes.is_empty(), "nothing from the bad buffer was applied");
    b.write_reg(offset::DMA_CTRL, 0);
    b.tick();
    assert!(!b.uut.halted.val(), "writing DMA_CTRL resumes the engine");
}

#[test]
fn config_words_reach_the_core_in_ring_order_with_the_inputs() {
    let seed = seed();
    let mut b = Bench::new(seed);
    let input = |step, neuron| InputEvent {
        step,
        neuron,
        volts: 100 + neuron as i32,
        reserved: 0,
    };
    let first = [input(0, 1), input(0, 2)];
    let config: Vec<ConfigWrite> = (0..5)
        .map(|i| ConfigWrite {
            addr: 0x0040_0000 + i,
            value: 0xC0DE_0000 + i,
        })
        .collect();
    let last = [input(1, 3)];
    b.host.write_bytes(BUFFERS, bytemuck::cast_slice(&first));
    b.host.write_bytes(BUFFERS + 0x100, bytemuck::cast_slice(&config));
    b.host.write_bytes(BUFFERS + 0x200, bytemuck::cast_slice(&last));
    let descriptors = [
        (BUFFERS, 32, DescriptorKind::Input),
        (BUFFERS + 0x100, 40, DescriptorKind::Config),
        (BUFFERS + 0x200, 16, DescriptorKind::Input),
    ];
    for (i, &(addr, len, kind)) in descriptors.iter().enumerate() {
        let d = Descriptor {
            addr,
            len,
            kind: kind as u16,
            flags: 0,
        };
        b.host.write_bytes(RING + 16 * i as u64, bytemuck::bytes_of(&d));
    }
    b.ring(offset::H2C_RING_LO, offset::H2C_RING_SIZE, RING, 4);
    b.write_reg(offset::DMA_CTRL, dma_ctrl::H2C);
    b.write_reg(offset::H2C_TAIL, 3);
    // The core checks step 0; it takes configuration words only when it may (here: from
    // cycle 300 on), and the input behind them waits.
    b.in_check = true;
    for _ in 0..300 {
        b.tick();
    }
    assert_eq!(b.ext_writes.len(), 2, "seed {seed}: the first buffer's inputs applied");
    assert!(
        b.cfg_writes.is_empty(),
        "seed {seed}: nothing taken while the core may not"
    );
    assert!(b.uut.hold.val(), "seed {seed}: the step is held for the ring");
    b.cfg_ok = true;
    b.step = 1;
    for _ in 0..400 {
        b.tick();
    }
    let taken: Vec<ConfigWrite> = b
        .cfg_writes
        .iter()
        .map(|&(_, addr, value)| ConfigWrite { addr, value })
        .collect();
    assert_eq!(taken, config, "seed {seed}: every word once, in order");
    assert_eq!(b.ext_writes.len(), 3, "seed {seed}: the input behind them applied");
    let last_cfg = b.cfg_writes.last().map(|w| w.0);
    assert!(
        last_cfg < Some(b.ext_writes[2].0),
        "seed {seed}: the configuration before the input behind it"
    );
    for (i, &(_, len, kind)) in descriptors.iter().enumerate() {
        let d = b.descriptor(RING, i as u64);
        assert_eq!(d.flags & DESC_DONE, DESC_DONE, "seed {seed}: descriptor {i} done");
        assert_eq!((d.len, d.kind), (len, kind as u16), "seed {seed}: descriptor {i}");
    }
    assert_eq!(b.read_reg(offset::H2C_HEAD), 3);
}

#[test]
fn probe_records_and_spikes_share_the_ring_one_kind_per_buffer() {
    let seed = seed();
    let mut b = Bench::new(seed);
    // Buffers of 64 bytes: 8 spikes or 2 probe records.
    lend_buffers(&mut b, 8, 64);
    let spikes: Vec<SpikeEvent> = (0..5).map(|i| SpikeEvent { step: 7, neuron: i * 3 }).collect();
    let probes: Vec<ProbeRecord> = (0..3)
        .map(|i| ProbeRecord {
            step: 7,
            neuron: 40 + i,
            x1: -(i as i32) - 1,
            x2: 1 << 20,
            v: -5,
            m: 1 << 14,
            refractory: i,
            rng: 0x9E37_79B9 ^ i,
        })
        .collect();
    let later: Vec<SpikeEvent> = (0..2).map(|i| SpikeEvent { step: 8, neuron: i }).collect();
    b.ring(offset::C2H_RING_LO, offset::C2H_RING_SIZE, RING, 8);
    b.write_reg(offset::DMA_CTRL, dma_ctrl::C2H);
    b.write_reg(offset::C2H_TAIL, 8);
    // A step's spikes, then its probe records (the core stops while they go), then the
    // next step's spikes.
    b.spikes.extend(spikes.iter().copied());
    for _ in 0..200 {
        b.tick();
    }
    b.probes.extend(probes.iter().copied());
    for _ in 0..400 {
        b.tick();
    }
    assert!(b.probes.is_empty(), "seed {seed}: every probe record taken");
    b.spikes.extend(later.iter().copied());
    for _ in 0..200 {
        b.tick();
    }
    b.idle = true;
    for _ in 0..100 {
        b.tick();
    }
    let mut got_spikes = Vec::new();
    let mut got_probes = Vec::new();
    let mut kinds = Vec::new();
    for i in 0..b.read_reg(offset::C2H_HEAD) {
        let d = b.descriptor(RING, u64::from(i));
        assert_eq!(d.flags & DESC_DONE, DESC_DONE, "seed {seed}: descriptor {i}");
        let bytes = b.host.read_bytes(d.addr, d.len as usize);
        kinds.push((d.kind, d.len));
        if d.kind == DescriptorKind::Probes as u16 {
            decode_probes_into(&bytes, &mut got_probes).expect("whole probe records");
        } else {
            got_spikes.extend(decode_spikes(&bytes).expect("whole spikes"));
        }
    }
    let (s, p) = (DescriptorKind::Spikes as u16, DescriptorKind::Probes as u16);
    assert_eq!(kinds, vec![(s, 40), (p, 64), (p, 32), (s, 16)], "seed {seed}");
    assert_eq!(got_probes, probes, "seed {seed}");
    assert_eq!(got_spikes, [spikes, later].concat(), "seed {seed}");
}

#[test]
fn a_buffer_too_short_for_a_probe_record_halts_the_engine() {
    let mut b = Bench::new(seed());
    let d = Descriptor {
        addr: BUFFERS,
        len: 24,
        kind: DescriptorKind::Spikes as u16,
        flags: 0,
    };
    b.host.write_bytes(RING, bytemuck::bytes_of(&d));
    b.ring(offset::C2H_RING_LO, offset::C2H_RING_SIZE, RING, 1);
    b.write_reg(offset::DMA_CTRL, dma_ctrl::C2H);
    b.write_reg(offset::C2H_TAIL, 1);
    b.probes.push_back(ProbeRecord::default());
    assert_halts_once(&mut b);
    assert_eq!(b.probes.len(), 1, "the record is still the core's");
}
