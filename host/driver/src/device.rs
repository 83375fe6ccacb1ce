//! `Device<B>`: all device logic, once, over any [`Bus`]: open with the ID/version check,
//! load a network, run with stimulus, bring the spikes back, probe, and surface the device's
//! counters and errors. The code a board runs is the code CI runs against the RTL.
//!
//! Two transports for spikes and inputs, chosen at open: with a DMA engine (FEATURES.DMA) and
//! a backend that can allocate DMA memory, spikes arrive through the card-to-host descriptor
//! ring and input events leave through the host-to-card ring while the core runs; otherwise
//! the driver reads the output-ring window and writes inputs between runs. A core that also
//! has FEATURES.DMA_CONFIG_PROBES takes the network as configuration words through the
//! host-to-card ring and streams per-step probe records back with the spikes; without it,
//! the network goes through the memory windows and per-step probes stop the core each step.

use std::time::Duration;

use memfire_spec::fixed::{q_to_volts, qx_to_f64, volts_to_q, ONE_M};
use memfire_spec::format_stimulus::Stimulus;
use memfire_spec::kernel::Probe;
use memfire_spec::memmap::{reg_addr, word_addr, Region};
use memfire_spec::network::Network;
use memfire_spec::regs::{self, offset};
use memfire_spec::wire::{ConfigWrite, InputEvent, ProbeRecord, SpikeEvent};
use tracing::{debug, info_span, warn};

use crate::bus::{Bus, BusError};
use crate::device_image::{self, Capacity};
use crate::dma_rings::{C2hRing, H2cRing, RingSizes};
use crate::engine::{
    check_probes, check_same_synapses, check_same_wiring, run_probed_stepwise, Engine, RunStats, Wiring,
};
use crate::error::{EngineError, Result};
use crate::live_weights::{self, RecentSpikes};
use crate::watchdog::{check_card, Watchdog};

/// Longest a device may make no progress (whether or not it interrupts) before a run fails.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Counters the device keeps, read after each run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DeviceCounters {
    pub step: u64,
    pub spikes_out: u32,
    pub spikes_in: u32,
    pub syn_events: u32,
    pub stall_cycles: u32,
    pub drops: u32,
    pub errors: u32,
}

/// How to open a device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeviceOptions {
    /// Use the DMA rings when the core and the backend have them (else the memory windows).
    pub dma: bool,
    pub rings: RingSizes,
    /// Interrupt coalescing: a DMA interrupt after this many completed descriptors, or this
    /// many cycles after the first unannounced one.
    pub coalesce_count: u32,
    pub coalesce_cycles: u32,
    /// A partly filled spike buffer is handed back this many cycles after its first spike.
    pub flush_cycles: u32,
}

impl Default for DeviceOptions {
    fn default() -> Self {
        DeviceOptions {
            dma: true,
            rings: RingSizes::default(),
            coalesce_count: 8,
            coalesce_cycles: 20_000,
            flush_cycles: 50_000,
        }
    }
}

/// The DMA rings of a device that has them.
#[derive(Debug)]
struct Rings {
    c2h: C2hRing,
    h2c: H2cRing,
    /// The core takes configuration words and sends probe records through them.
    config_probes: bool,
}

/// Where a run's results go: each complete step's spikes, and probed states (step, slot
/// in the probe list, state).
struct Sinks<'a> {
    spikes: &'a mut dyn FnMut(u64, &[u32]),
    probes: &'a mut dyn FnMut(u64, usize, &Probe),
}

/// The probe list of a run whose probe records stream through the card-to-host ring.
#[derive(Debug)]
struct ProbeStream {
    list: Vec<u32>,
    /// The step the run started at, and records received since.
    start: u64,
    received: u64,
}

/// A memfire core behind a backend.
#[derive(Debug)]
pub struct Device<B: Bus> {
    bus: B,
    cap: Capacity,
    options: DeviceOptions,
    /// Output-ring entries (fixed by the bitstream; read once at open).
    out_ring: u32,
    rings: Option<Rings>,
    loaded: Option<Network>,
    step: u64,
    timeout: Duration,
    /// The step after the running chunk's last: no spike of the run can be of it or later.
    run_end: u64,
    /// Spikes of the newest step seen, held until the step is known to be complete.
    pending: (u64, Vec<u32>),
    /// Spikes received since CLEAR (wrapping, as the card's SPIKES_OUT).
    spikes_seen: u32,
    inbox: Vec<SpikeEvent>,
    probe_inbox: Vec<ProbeRecord>,
    /// Entries of the core's probe list (0 without probe records).
    probe_slots: u32,
    probing: Option<ProbeStream>,
    /// The interrupts the driver enabled; a card that reads otherwise was reset.
    irq_mask: u32,
    /// The spikes of the last steps, for the pulses still on when weights change.
    recent: RecentSpikes,
}

/// How long a board left running by another process may take to stop when opened.
const RECOVER_TIMEOUT: Duration = Duration::from_secs(5);

/// Bring a board to a clean, stopped state before this process uses it. A process that died
/// can leave the core running (a free run, or a run stalled for a host that is gone) with
/// its DMA rings in memory that is no longer mapped: stop the core at its next step (a stall
/// stops at once), and if it does not stop, turn its DMA off so a step waiting on it can end;
/// then clear it and its errors. `Device::load` writes everything else.
fn recover<B: Bus>(bus: &mut B) -> Result<()> {
    let running =
        |bus: &mut B| -> Result<bool> { Ok(bus.read32(reg_addr(offset::STATUS))? & regs::status::RUNNING != 0) };
    if running(bus)? {
        warn!("the board was left running (another process?): stopping it");
        bus.write32(reg_addr(offset::CTRL), regs::ctrl::STOP)?;
        let start = std::time::Instant::now();
        let mut dma_off = false;
        while running(bus)? {
            if !dma_off && start.elapsed() > RECOVER_TIMEOUT / 2 {
                bus.write32(reg_addr(offset::DMA_CTRL), 0)?;
                dma_off = true;
            }
            if start.elapsed() > RECOVER_TIMEOUT {
                return Err(BusError::Timeout {
                    backend: bus.describe(),
                    what: "stopping a board left running by another process (power-cycle or reprogram it)".into(),
                    limit: format!("{RECOVER_TIMEOUT:?}"),
                }
                .into());
            }
            bus.wait_irq(Duration::from_millis(1))?;
        }
    }
    bus.write32(reg_addr(offset::DMA_CTRL), 0)?;
    bus.write32(reg_addr(offset::CTRL), regs::ctrl::CLEAR)?;
    bus.write32(reg_addr(offset::ERRORS), u32::MAX)?;
    bus.write32(reg_addr(offset::IRQ_STATUS), u32::MAX)?;
    Ok(())
}

impl<B: Bus> Device<B> {
    /// Open the core on `bus` with the default options.
    pub fn open(bus: B) -> Result<Device<B>> {
        Device::open_with(bus, DeviceOptions::default())
    }

    /// Open the core on `bus`: check its ID and major version, read its capacity, set up
    /// the DMA rings if it has them (and `options.dma`).
    pub fn open_with(mut bus: B, options: DeviceOptions) -> Result<Device<B>> {
        if let Some(why) = options.rings.problem() {
            return Err(EngineError::Options(why));
        }
        let id = bus.read32(reg_addr(offset::ID))?;
        let version = bus.read32(reg_addr(offset::VERSION))?;
        if id != regs::MAGIC {
            return Err(EngineError::WrongDevice {
                backend: bus.describe(),
                why: format!(
                    "ID reads {id:#010x}, a memfire core has {:#010x} (\"MFIR\")",
                    regs::MAGIC
                ),
            });
        }
        if version >> 16 != regs::VERSION >> 16 {
            return Err(EngineError::WrongDevice {
                backend: bus.describe(),
                why: format!(
                    "register map version {}.{} is not {}.x: update memfire or the bitstream",
                    version >> 16,
                    version & 0xFFFF,
                    regs::VERSION >> 16
                ),
            });
        }
        recover(&mut bus)?;
        let cap = Capacity {
            neurons: bus.read32(reg_addr(offset::NEURONS))?,
            synapses: bus.read32(reg_addr(offset::SYNAPSES))?,
            max_width: bus.read32(reg_addr(offset::MAX_WIDTH))?,
            width_classes: bus.read32(reg_addr(offset::WIDTH_CLASSES))?,
            param_sets: bus.read32(reg_addr(offset::PARAM_SETS))?,
            lanes: bus.read32(reg_addr(offset::LANES))?.max(1),
        };
        let out_ring = bus.read32(reg_addr(offset::OUT_RING))?.max(1);
        let features = bus.read32(reg_addr(offset::FEATURES))?;
        let rings = if options.dma && features & regs::features::DMA != 0 {
            match (
                C2hRing::allocate(&mut bus, &options.rings)?,
                H2cRing::allocate(&mut bus, &options.rings)?,
            ) {
                (Some(c2h), Some(h2c)) => Some(Rings {
                    c2h,
                    h2c,
                    config_probes: features & regs::features::DMA_CONFIG_PROBES != 0,
                }),
                _ => None,
            }
        } else {
            None
        };
        debug!(dma = rings.is_some(), "device opened");
        let data = if rings.is_some() {
            regs::irq::DMA
        } else {
            regs::irq::DATA
        };
        let irq_mask = data | regs::irq::DONE | regs::irq::ERROR;
        bus.write32(reg_addr(offset::IRQ_MASK), irq_mask)?;
        let probe_slots = if rings.as_ref().is_some_and(|r| r.config_probes) {
            bus.read32(reg_addr(offset::PROBES))?
        } else {
            0
        };
        Ok(Device {
            bus,
            cap,
            options,
            out_ring,
            rings,
            loaded: None,
            step: 0,
            timeout: DEFAULT_TIMEOUT,
            run_end: 0,
            pending: (0, Vec::new()),
            spikes_seen: 0,
            inbox: Vec::new(),
            probe_inbox: Vec::new(),
            probe_slots,
            probing: None,
            irq_mask,
            recent: RecentSpikes::default(),
        })
    }

    /// Spikes and inputs travel through the DMA rings (else through the memory windows).
    pub fn uses_dma(&self) -> bool {
        self.rings.is_some()
    }

    /// Per-step probes of `neurons` neurons stream from the card as probe records while it
    /// runs (else the driver stops the core after every step to read them).
    pub fn streams_probes(&self, neurons: usize) -> bool {
        neurons <= self.probe_slots as usize
    }

    /// What the core can hold.
    pub fn capacity(&self) -> Capacity {
        self.cap
    }

    /// How long the device may stay silent before a run fails.
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// The backend, e.g. to change its simulation options.
    pub fn backend_mut(&mut self) -> &mut B {
        &mut self.bus
    }

    /// Give the backend back as it is, the board in whatever state it is in (running,
    /// rings posted): what a process that dies leaves for the next one to open.
    pub fn into_backend(self) -> B {
        self.bus
    }

    /// The device's counters now.
    pub fn counters(&mut self) -> Result<DeviceCounters> {
        let r = |bus: &mut B, off| bus.read32(reg_addr(off));
        let lo = r(&mut self.bus, offset::STEP_LO)?;
        let hi = r(&mut self.bus, offset::STEP_HI)?;
        Ok(DeviceCounters {
            step: (u64::from(hi) << 32) | u64::from(lo),
            spikes_out: r(&mut self.bus, offset::SPIKES_OUT)?,
            spikes_in: r(&mut self.bus, offset::SPIKES_IN)?,
            syn_events: r(&mut self.bus, offset::SYN_EVENTS)?,
            stall_cycles: r(&mut self.bus, offset::STALL_CYCLES)?,
            drops: r(&mut self.bus, offset::DROPS)?,
            errors: r(&mut self.bus, offset::ERRORS)?,
        })
    }

    fn network(&self) -> Result<&Network> {
        self.loaded.as_ref().ok_or(EngineError::NotLoaded)
    }

    /// Write `net`'s parameter sets (coefficients, drive-law and square-root tables) and each
    /// neuron's set, nothing else: states, inputs, synapses, the step and the history stay.
    fn write_params(&mut self, net: &Network) -> Result<()> {
        let (blocks, _) = device_image::param_blocks(net, &self.cap)?;
        let _span = info_span!("params", backend = %self.bus.describe(), sets = net.param_sets().len()).entered();
        for block in &blocks {
            self.bus.write_block(block.addr, &block.words)?;
        }
        Ok(())
    }

    fn write_image(&mut self, net: &Network) -> Result<()> {
        let image = device_image::build(net, &self.cap)?;
        let _span = info_span!("upload", backend = %self.bus.describe(), neurons = image.neurons).entered();
        // Again here: a card that was reset since it was opened has forgotten it.
        self.bus.write32(reg_addr(offset::IRQ_MASK), self.irq_mask)?;
        if self.rings.as_ref().is_some_and(|r| r.config_probes) {
            let words: Vec<ConfigWrite> = image
                .blocks
                .iter()
                .flat_map(|b| {
                    (b.addr..)
                        .zip(&b.words)
                        .map(|(addr, &value)| ConfigWrite { addr, value })
                })
                .collect();
            self.upload_through_ring(&words)?;
        } else {
            for block in &image.blocks {
                self.bus.write_block(block.addr, &block.words)?;
            }
        }
        // Step counter, history, output ring and counters start from zero (after the
        // upload, so its zero inputs do not count as input updates).
        self.bus.write32(reg_addr(offset::CTRL), regs::ctrl::CLEAR)?;
        self.bus.write32(reg_addr(offset::CLASSES), image.classes)?;
        self.bus.write32(reg_addr(offset::ACTIVE), image.neurons)?;
        self.bus.write32(reg_addr(offset::ERRORS), u32::MAX)?;
        self.bus.write32(reg_addr(offset::IRQ_STATUS), u32::MAX)?;
        if let Some(rings) = &mut self.rings {
            // CLEAR emptied the card's rings; lend it fresh buffers.
            rings.c2h.start(&mut self.bus)?;
            rings.h2c.start(&mut self.bus)?;
            write_coalescing(&mut self.bus, &self.options)?;
            self.bus
                .write32(reg_addr(offset::C2H_FLUSH_CYCLES), self.options.flush_cycles)?;
            self.bus.write32(reg_addr(offset::IN_HORIZON), 0)?;
            self.bus.write32(
                reg_addr(offset::DMA_CTRL),
                regs::dma_ctrl::C2H | regs::dma_ctrl::H2C | regs::dma_ctrl::INPUT_GATE,
            )?;
        }
        self.step = 0;
        self.pending = (0, Vec::new());
        self.spikes_seen = 0;
        self.recent = RecentSpikes::new(net.synapses().iter().map(|s| s.width).max().unwrap_or(0));
        Ok(())
    }

    /// Send `words` through the host-to-card ring as configuration buffers and wait until
    /// the card has applied them all (it is idle: each is applied as it arrives).
    fn upload_through_ring(&mut self, words: &[ConfigWrite]) -> Result<()> {
        let Some(rings) = &mut self.rings else {
            return Ok(());
        };
        // Forget what the card's engine held from before, then a ring for the words alone.
        self.bus.write32(reg_addr(offset::CTRL), regs::ctrl::CLEAR)?;
        rings.h2c.start(&mut self.bus)?;
        write_coalescing(&mut self.bus, &self.options)?;
        self.bus.write32(reg_addr(offset::ERRORS), u32::MAX)?;
        self.bus.write32(reg_addr(offset::DMA_CTRL), regs::dma_ctrl::H2C)?;
        let mut posted = 0;
        let mut watchdog = Watchdog::new(self.timeout);
        loop {
            self.bus.write32(reg_addr(offset::IRQ_STATUS), u32::MAX)?;
            posted += rings.h2c.post_config(&mut self.bus, &words[posted..])?;
            let in_flight = rings.h2c.in_flight(&mut self.bus)?;
            if posted == words.len() && in_flight == 0 {
                return Ok(());
            }
            if self.bus.read32(reg_addr(offset::ERRORS))? != 0 {
                return Err(self.fault()?);
            }
            let progress = ((posted as u64) << 32) | u64::from(in_flight);
            if !watchdog.wait(&mut self.bus, progress, self.irq_mask, "the network upload")? {
                return Err(BusError::Timeout {
                    backend: self.bus.describe(),
                    what: format!(
                        "the network upload: {posted} of {} configuration words posted, {in_flight} buffers not yet applied",
                        words.len()
                    ),
                    limit: format!("{:?}", self.timeout),
                }
                .into());
            }
        }
    }

    /// The full step number of a record from the card, which sends its low 32 bits (the
    /// run's position gives the rest).
    fn widen_step(&self, step_lo: u32) -> u64 {
        let step = (self.step & !0xFFFF_FFFF) | u64::from(step_lo);
        if step < self.step.saturating_sub(1 << 31) {
            step + (1 << 32)
        } else {
            step
        }
    }

    /// One spike from the card: complete steps go to the spike sink. A spike the card cannot
    /// have sent — a neuron the network does not have, a step outside the running chunk or
    /// before one already received — is an error: a card that re-sends stale ring entries
    /// would otherwise stream plausible spikes forever.
    fn accept(
        &mut self,
        step_lo: u32,
        neuron: u32,
        sink: &mut dyn FnMut(u64, &[u32]),
        stats: &mut RunStats,
    ) -> Result<()> {
        let step = self.widen_step(step_lo);
        let neurons = self.network()?.neurons();
        let why = if neuron >= neurons {
            Some(format!("the network has {neurons} neurons"))
        } else if step < self.step || step >= self.run_end {
            Some(format!("the running chunk is steps {}..{}", self.step, self.run_end))
        } else if !self.pending.1.is_empty() && step < self.pending.0 {
            Some(format!("a spike of step {} came before it", self.pending.0))
        } else {
            None
        };
        if let Some(why) = why {
            return Err(BusError::Transport {
                backend: self.bus.describe(),
                what: format!("the card sent a spike of neuron {neuron} at step {step}, but {why}"),
                source: None,
            }
            .into());
        }
        if step != self.pending.0 && !self.pending.1.is_empty() {
            stats.spikes += self.pending.1.len() as u64;
            sink(self.pending.0, &self.pending.1);
            self.pending.1.clear();
        }
        self.pending.0 = step;
        self.pending.1.push(neuron);
        self.spikes_seen = self.spikes_seen.wrapping_add(1);
        Ok(())
    }

    /// Take the buffers the card has handed back.
    fn reap(&mut self, sinks: &mut Sinks, stats: &mut RunStats) -> Result<()> {
        let Some(rings) = &mut self.rings else {
            return self.drain(sinks.spikes, stats);
        };
        let mut inbox = std::mem::take(&mut self.inbox);
        let mut probe_inbox = std::mem::take(&mut self.probe_inbox);
        inbox.clear();
        probe_inbox.clear();
        rings.c2h.reap(&mut self.bus, &mut inbox, &mut probe_inbox)?;
        for e in &inbox {
            self.accept(e.step, e.neuron, sinks.spikes, stats)?;
        }
        let delivered = self.deliver_probes(&probe_inbox, sinks.probes);
        self.inbox = inbox;
        self.probe_inbox = probe_inbox;
        delivered
    }

    /// Probe records from the card, in list order step after step: each to the probe sink
    /// with its slot in the list.
    fn deliver_probes(&mut self, records: &[ProbeRecord], sink: &mut dyn FnMut(u64, usize, &Probe)) -> Result<()> {
        for r in records {
            let step = self.widen_step(r.step);
            let Some(stream) = &mut self.probing else {
                return Err(self.stray_record(r, "no probes were asked for"));
            };
            let slot = (stream.received % stream.list.len() as u64) as usize;
            let expected_step = stream.start + stream.received / stream.list.len() as u64;
            if stream.list[slot] != r.neuron || step != expected_step {
                let why = format!(
                    "expected neuron {} of step {expected_step} (probe-list entry {slot})",
                    stream.list[slot]
                );
                return Err(self.stray_record(r, &why));
            }
            stream.received += 1;
            sink(step, slot, &probe_state(r));
        }
        Ok(())
    }

    fn stray_record(&self, r: &ProbeRecord, why: &str) -> EngineError {
        BusError::Transport {
            backend: self.bus.describe(),
            what: format!(
                "the card sent a probe record of neuron {} at step {}, but {why}",
                r.neuron, r.step
            ),
            source: None,
        }
        .into()
    }

    /// Read every spike the device has put in the output ring, pass completed steps to `sink`.
    fn drain(&mut self, sink: &mut dyn FnMut(u64, &[u32]), stats: &mut RunStats) -> Result<()> {
        let head = self.bus.read32(reg_addr(offset::OUT_HEAD))?;
        let tail = self.bus.read32(reg_addr(offset::OUT_TAIL))?;
        let count = head.wrapping_sub(tail);
        if count == 0 {
            return Ok(());
        }
        let ring = self.out_ring;
        let mut words = vec![0u32; 2 * count as usize];
        // The ring may wrap: read it in up to two contiguous pieces.
        let first_entry = tail % ring;
        let first_len = count.min(ring - first_entry);
        self.bus.read_block(
            word_addr(Region::OutRing, 2 * first_entry),
            &mut words[..2 * first_len as usize],
        )?;
        if first_len < count {
            self.bus
                .read_block(word_addr(Region::OutRing, 0), &mut words[2 * first_len as usize..])?;
        }
        self.bus.write32(reg_addr(offset::OUT_TAIL), head)?;
        for pair in words.chunks_exact(2) {
            self.accept(pair[0], pair[1], sink, stats)?;
        }
        Ok(())
    }

    fn flush(&mut self, sinks: &mut Sinks, stats: &mut RunStats) {
        if !self.pending.1.is_empty() {
            stats.spikes += self.pending.1.len() as u64;
            (sinks.spikes)(self.pending.0, &self.pending.1);
            self.pending.1.clear();
        }
    }

    /// Post input events to the host-to-card ring (as many as fit) and tell the card how
    /// far its inputs are known: up to the first event not posted, or the chunk's end.
    fn post_inputs(&mut self, inputs: &[InputEvent], end_lo: u32) -> Result<usize> {
        let Some(rings) = &mut self.rings else {
            return Ok(0);
        };
        let posted = rings.h2c.post(&mut self.bus, inputs)?;
        let horizon = inputs.get(posted).map_or(end_lo, |e| e.step);
        self.bus.write32(reg_addr(offset::IN_HORIZON), horizon)?;
        Ok(posted)
    }

    /// Run `steps` steps on the device and bring the spikes back as it goes. With DMA,
    /// `inputs` (all inside these steps) are streamed to the card meanwhile; without, there
    /// are none (the caller wrote them through the EXT window).
    fn run_chunk(&mut self, steps: u32, inputs: &[InputEvent], sinks: &mut Sinks, stats: &mut RunStats) -> Result<()> {
        self.run_end = self.step + u64::from(steps);
        let end_lo = self.run_end as u32;
        let mut posted = self.post_inputs(inputs, end_lo)?;
        self.bus.write32(reg_addr(offset::RUN_STEPS), steps)?;
        self.bus.write32(reg_addr(offset::IRQ_STATUS), u32::MAX)?;
        self.bus.write32(reg_addr(offset::CTRL), regs::ctrl::RUN)?;
        let mut watchdog = Watchdog::new(self.timeout);
        loop {
            self.bus.write32(reg_addr(offset::IRQ_STATUS), u32::MAX)?;
            self.reap(sinks, stats)?;
            if posted < inputs.len() {
                posted += self.post_inputs(&inputs[posted..], end_lo)?;
            }
            let status = self.bus.read32(reg_addr(offset::STATUS))?;
            if status & regs::status::ERROR != 0 {
                return Err(self.fault_after_records(sinks, stats)?);
            }
            if status & regs::status::RUNNING == 0 {
                // Stopped with no error: at the chunk's end, or reset (it forgot its mask).
                check_card(&mut self.bus, self.irq_mask, "a run")?;
                return self.await_records(self.step + u64::from(steps), sinks, stats);
            }
            let step_lo = self.bus.read32(reg_addr(offset::STEP_LO))?;
            // Steps run, spikes and probe records received: any of them moving is progress.
            let progress = (u64::from(step_lo) << 32) | (u64::from(self.spikes_seen) ^ self.probes_received());
            if !watchdog.wait(&mut self.bus, progress, self.irq_mask, "a run")? {
                let step = self.counters()?.step;
                return Err(BusError::Timeout {
                    backend: self.bus.describe(),
                    what: format!("step {step} (STATUS = {status:#x}, no progress)"),
                    limit: format!("{:?}", self.timeout),
                }
                .into());
            }
        }
    }

    /// Probe records received in this run.
    fn probes_received(&self) -> u64 {
        self.probing.as_ref().map_or(0, |p| p.received)
    }

    /// Probe records still to come for a run that has reached `end_step`.
    fn probes_missing(&self, end_step: u64) -> u64 {
        self.probing
            .as_ref()
            .map_or(0, |p| (end_step - p.start) * p.list.len() as u64 - p.received)
    }

    /// After a run up to `end_step`: every spike the card counted and every probe record
    /// of those steps must reach the host (the last DMA buffers may still be on their way);
    /// one that never arrives is an error, not a silence.
    fn await_records(&mut self, end_step: u64, sinks: &mut Sinks, stats: &mut RunStats) -> Result<()> {
        let mut watchdog = Watchdog::new(self.timeout);
        loop {
            self.reap(sinks, stats)?;
            let counted = self.bus.read32(reg_addr(offset::SPIKES_OUT))?;
            if counted == self.spikes_seen && self.probes_missing(end_step) == 0 {
                return Ok(());
            }
            // Both count since CLEAR and wrap together: ahead by less than half the range
            // means more spikes arrived than the card made.
            let surplus = self.spikes_seen.wrapping_sub(counted);
            if surplus != 0 && surplus < 1 << 31 {
                return Err(BusError::Transport {
                    backend: self.bus.describe(),
                    what: format!(
                        "the card counted {counted} spikes since the upload but {} reached the host ({surplus} more than it made)",
                        self.spikes_seen
                    ),
                    source: None,
                }
                .into());
            }
            let progress = u64::from(self.spikes_seen) ^ (self.probes_received() << 32);
            if !watchdog.wait(&mut self.bus, progress, self.irq_mask, "the last records of a run")? {
                self.reap(sinks, stats)?;
                let missing = self.probes_missing(end_step);
                if counted == self.spikes_seen && missing == 0 {
                    return Ok(());
                }
                return Err(BusError::Timeout {
                    backend: self.bus.describe(),
                    what: format!(
                        "the card counted {counted} spikes since the upload but {} reached the host ({missing} probe records missing)",
                        self.spikes_seen
                    ),
                    limit: format!("{:?}", self.timeout),
                }
                .into());
            }
        }
    }

    /// The card stopped a run with an error: first hand over the spikes and probe records
    /// of the steps it finished (they are on their way), then the fault — unless the fault
    /// is in the DMA path that would bring them.
    fn fault_after_records(&mut self, sinks: &mut Sinks, stats: &mut RunStats) -> Result<EngineError> {
        let fault = self.fault()?;
        if let EngineError::DeviceFault { step, bits, .. } = fault {
            if bits & (regs::errors::BAD_DESCRIPTOR | regs::errors::DMA_READ_FAILED) == 0 {
                match self.await_records(step, sinks, stats) {
                    Ok(()) => self.flush(sinks, stats),
                    Err(lost) => warn!(%lost, step, "the records of the steps before the fault did not all arrive"),
                }
            }
        }
        Ok(fault)
    }

    fn fault(&mut self) -> Result<EngineError> {
        let c = self.counters()?;
        let mut what = Vec::new();
        if c.errors & regs::errors::HISTORY_FULL != 0 {
            what.push("spike history full (the network fires more than the core can remember over its widest pulse)");
        }
        if c.errors & regs::errors::WRITE_WHILE_RUNNING != 0 {
            what.push("a memory was written while the core was running");
        }
        if c.errors & regs::errors::BAD_PULSE_WIDTH != 0 {
            what.push("width classes or a class's width out of range");
        }
        if c.errors & regs::errors::BAD_DESCRIPTOR != 0 {
            what.push("the DMA engine read a malformed descriptor (wrong kind, a length that is not whole records, or a card-to-host buffer shorter than a 32-byte probe record)");
        }
        if c.errors & regs::errors::DMA_READ_FAILED != 0 {
            what.push("a DMA read of host memory failed (an address the IOMMU does not map, or a completion with an error status or none in time)");
        }
        Ok(EngineError::DeviceFault {
            backend: self.bus.describe(),
            step: c.step,
            what: what.join("; "),
            bits: c.errors,
        })
    }

    /// Run `steps` steps, results to `sinks` (see `Engine::run`), keeping the last steps'
    /// spikes for `set_weights`.
    fn run_with(&mut self, stimulus: &Stimulus, steps: u64, sinks: &mut Sinks) -> Result<RunStats> {
        let mut recent = std::mem::take(&mut self.recent);
        let outer = &mut *sinks.spikes;
        let mut record = |step: u64, neurons: &[u32]| {
            recent.record(step, neurons);
            outer(step, neurons);
        };
        let mut inner = Sinks {
            spikes: &mut record,
            probes: &mut *sinks.probes,
        };
        let result = self.run_recorded(stimulus, steps, &mut inner);
        self.recent = recent;
        result
    }

    fn run_recorded(&mut self, stimulus: &Stimulus, steps: u64, sinks: &mut Sinks) -> Result<RunStats> {
        let n = self.network()?.neurons();
        let _span = info_span!("run", backend = %self.bus.describe(), steps).entered();
        let events = stimulus.events();
        if let Some(e) = events.iter().find(|e| e.neuron >= n) {
            return Err(EngineError::Stimulus(format!(
                "neuron {} is out of range (network has {n})",
                e.neuron
            )));
        }
        let mut next = events.partition_point(|e| e.step < self.step);
        let end = self.step + steps;
        let mut stats = RunStats::default();
        let before = self.counters()?;
        let mut wire = Vec::new();
        while self.step < end {
            let chunk = if self.rings.is_some() {
                // Every input of the chunk goes through the ring while the core runs.
                let chunk_end = end.min(self.step + (1 << 30));
                let upto = next + events[next..].partition_point(|e| e.step < chunk_end);
                wire.clear();
                wire.extend(events[next..upto].iter().map(|e| InputEvent {
                    step: e.step as u32,
                    neuron: e.neuron,
                    volts: input_q(e.volts),
                    reserved: 0,
                }));
                next = upto;
                (chunk_end - self.step) as u32
            } else {
                // Inputs of this step through the EXT window, then run up to the next change.
                while next < events.len() && events[next].step == self.step {
                    let e = &events[next];
                    self.bus
                        .write32(word_addr(Region::Ext, e.neuron), input_q(e.volts) as u32)?;
                    next += 1;
                }
                let until = events.get(next).map_or(end, |e| e.step.min(end));
                (until - self.step).min(1 << 30) as u32
            };
            debug!(from = self.step, steps = chunk, inputs = wire.len(), "run chunk");
            self.run_chunk(chunk, &wire, sinks, &mut stats)?;
            self.step += u64::from(chunk);
        }
        self.flush(sinks, &mut stats);
        let after = self.counters()?;
        stats.steps = steps;
        stats.neuron_updates = steps * u64::from(n);
        stats.synaptic_events = u64::from(after.syn_events.wrapping_sub(before.syn_events));
        stats.dropped = u64::from(after.drops.wrapping_sub(before.drops));
        Ok(stats)
    }
}

/// The interrupt coalescing of `o`, to the card.
fn write_coalescing<B: Bus>(bus: &mut B, o: &DeviceOptions) -> std::result::Result<(), BusError> {
    bus.write32(reg_addr(offset::IRQ_COALESCE_COUNT), o.coalesce_count)?;
    bus.write32(reg_addr(offset::IRQ_COALESCE_CYCLES), o.coalesce_cycles)
}

/// A probe record's state in the units of `Probe`.
fn probe_state(r: &ProbeRecord) -> Probe {
    Probe {
        x1: qx_to_f64(r.x1),
        x2: qx_to_f64(r.x2),
        v: q_to_volts(r.v),
        m: f64::from(r.m) / f64::from(ONE_M),
        refractory: r.refractory,
    }
}

/// An external input in Q2.22, as both transports send it. `Stimulus` has checked the
/// range (-4 V to 4 - 2^-22 V), so the conversion cannot fail here.
fn input_q(volts: f64) -> i32 {
    volts_to_q(volts).unwrap_or(0)
}

impl<B: Bus> Engine for Device<B> {
    fn name(&self) -> String {
        let c = &self.cap;
        format!(
            "{} ({} neurons, {} lane{}, {} synapses, {} parameter sets)",
            self.bus.describe(),
            c.neurons,
            c.lanes,
            if c.lanes == 1 { "" } else { "s" },
            c.synapses,
            c.param_sets
        )
    }

    fn load(&mut self, network: &Network) -> Result<()> {
        network.validate()?;
        self.write_image(network)?;
        self.loaded = Some(network.clone());
        Ok(())
    }

    fn reset(&mut self) -> Result<()> {
        let net = self.network()?.clone();
        self.write_image(&net)
    }

    fn set_params(&mut self, network: &Network) -> Result<()> {
        check_same_wiring(self.loaded.as_ref().map(Wiring::of).as_ref(), network)?;
        network.validate()?;
        self.write_params(network)?;
        self.loaded = Some(network.clone());
        Ok(())
    }

    fn set_weights(&mut self, network: &Network) -> Result<()> {
        check_same_synapses(self.loaded.as_ref().map(Wiring::of).as_ref(), network)?;
        network.validate()?;
        let old = self.network()?;
        let words = live_weights::changed_weight_words(old, network, &self.cap)?;
        let corrections = live_weights::accumulator_corrections(old, network, &self.recent, self.step);
        let _span =
            info_span!("weights", backend = %self.bus.describe(), words = words.len(), pulses_on = corrections.len())
                .entered();
        for (addr, word) in words {
            self.bus.write32(addr, word)?;
        }
        for (target, delta) in corrections {
            // The window shows acc + pending and a write replaces both: read, add, write.
            let addr = word_addr(Region::Acc, target);
            let acc = self.bus.read32(addr)? as i32;
            self.bus.write32(addr, acc.wrapping_add(delta as i32) as u32)?;
        }
        self.loaded = Some(network.clone());
        Ok(())
    }

    fn step_index(&self) -> u64 {
        self.step
    }

    fn clock_cycles(&mut self) -> Option<u64> {
        self.bus.clock_cycles()
    }

    fn neurons(&self) -> Option<u32> {
        self.loaded.as_ref().map(|n| n.neurons())
    }

    fn run(&mut self, stimulus: &Stimulus, steps: u64, sink: &mut dyn FnMut(u64, &[u32])) -> Result<RunStats> {
        let mut sinks = Sinks {
            spikes: sink,
            probes: &mut |_, _, _| {},
        };
        self.run_with(stimulus, steps, &mut sinks)
    }

    fn run_probed(
        &mut self,
        stimulus: &Stimulus,
        steps: u64,
        probes: &[u32],
        sink: &mut dyn FnMut(u64, &[u32]),
        probe_sink: &mut dyn FnMut(u64, usize, &Probe),
    ) -> Result<RunStats> {
        if probes.is_empty() || !self.streams_probes(probes.len()) {
            // No probe records (or more neurons than the list holds): probe between steps.
            return run_probed_stepwise(self, stimulus, steps, probes, sink, probe_sink);
        }
        check_probes(probes, self.neurons())?;
        self.bus.write_block(word_addr(Region::ProbeList, 0), probes)?;
        self.bus.write32(reg_addr(offset::PROBE_COUNT), probes.len() as u32)?;
        self.probing = Some(ProbeStream {
            list: probes.to_vec(),
            start: self.step,
            received: 0,
        });
        let mut sinks = Sinks {
            spikes: sink,
            probes: probe_sink,
        };
        let result = self.run_with(stimulus, steps, &mut sinks);
        self.probing = None;
        let off = self.bus.write32(reg_addr(offset::PROBE_COUNT), 0);
        let stats = result?;
        off?;
        Ok(stats)
    }

    fn probe(&mut self, neuron: u32) -> Result<Probe> {
        let n = self.network()?.neurons();
        if neuron >= n {
            return Err(EngineError::NeuronOutOfRange { neuron, neurons: n });
        }
        let mut r = |region| self.bus.read32(word_addr(region, neuron));
        let (x1, x2, v, m) = (r(Region::X1)?, r(Region::X2)?, r(Region::V)?, r(Region::M)?);
        Ok(Probe {
            x1: qx_to_f64(x1 as i32),
            x2: qx_to_f64(x2 as i32),
            v: q_to_volts(v as i32),
            m: f64::from(m as i32) / f64::from(ONE_M),
            refractory: r(Region::Refractory)?,
        })
    }
}
