//! `NeuronCore`: a network of up to P · 2^LB neurons on P update lanes, with synapses and
//! spike history in block RAM, a timestep controller, a register file and memory windows
//! on one word-addressed bus (`memfire_spec::memmap`), and a DMA engine. This module only
//! wires the blocks; each wire is named after the block that drives it
//! (`self.<block>.<port>`).
//!
//! ```text
//!  bus ──► BusPort ──► RegisterFile ──► Controller ──► LanePorts ──► NeuronLane × P
//!             │             ▲               │  ▲            ▲            │
//!             │             │               ▼  │            │            ▼
//!             │             │  WalkSequencer ► SynapseBank × P   SpikeMask ─► SpikeQueue
//!             │             │         ProbeEngine                               │
//!             └──► DmaEngine ◄── OutRing ◄───────────── SpikeHistory ◄──────────┘
//!                      │                          ReadPath ──► bus_rdata
//! ```
//!
//! | block | file | job |
//! |---|---|---|
//! | `BusPort` | `bus_port.rs` | registers the host's bus and the DMA engine's configuration words; decodes them |
//! | `RegisterFile` | `regfile.rs` | the registers of `memfire_spec::regs`: settings, counters, errors, interrupts |
//! | `ReadSelect` | `read_select.rs` | a register file's read word (this file's and the DMA engine's) |
//! | `Controller` | `controller.rs` | the step: check, update with the delivery of pulse ends and starts beside it, probes |
//! | `LanePorts` | `lane_ports.rs` | who drives the lanes' read and write ports |
//! | `NeuronLane` | `../lane/mod.rs` | a neuron pipeline and its bank of per-neuron memories |
//! | `SpikeMask`, `SpikeQueue` | `spike_mask.rs`, `../lane/spike_queue.rs` | the lanes' spikes, one a cycle in neuron order |
//! | `SpikeHistory` | `history.rs` | the spikes of the last steps (as many as the widest class), each step's entries, the class widths |
//! | `OutRing` | `out_ring.rs` | spikes on their way to the host |
//! | `WalkSequencer` | `walk.rs` | the spiking sources, one after another, to every bank at once |
//! | `SynapseBank` | `synapse_bank.rs` | the synapses into one lane, each source's row of them, their delivery into the lane's accumulators |
//! | `ProbeEngine` | `probe_engine.rs` | per-step state records of the probe list |
//! | `DmaEngine` | `../dma/mod.rs` | descriptor rings in host memory |
//! | `ReadPath` | `read_path.rs` | the bus read's answer, nine cycles after its strobe |

mod bus_port;
mod controller;
mod event_count;
mod history;
mod lane_ports;
mod out_ring;
mod probe_engine;
mod read_path;
mod read_select;
mod regfile;
mod spike_mask;
mod synapse_bank;
mod synapse_ram;
mod walk;

pub use bus_port::BusPort;
pub use controller::{Controller, CtrlPhase, DeliveryPhase};
pub use history::SpikeHistory;
pub use lane_ports::LanePorts;
pub use out_ring::OutRing;
pub use probe_engine::{ProbeEngine, ProbePhase, PROBE_LIST_BITS};
pub use read_path::ReadPath;
pub use read_select::ReadSelect;
pub use regfile::{is_core_register, Geometry, RegisterFile};
pub use spike_mask::SpikeMask;
pub use synapse_bank::SynapseBank;
pub use walk::{WalkPhase, WalkSequencer};

use memfire_spec::memmap::Region;
use memfire_spec::regs;
use rust_hdl::prelude::*;

use crate::arith::dsp_family::DspFamily;
use crate::dma::DmaEngine;
use crate::lane::spike_queue::SpikeQueue;
use crate::lane::NeuronLane;

/// Parameter sets in every lane's coefficient, drive-law and square-root tables.
const PARAM_SETS: u64 = 16;

/// A 32-bit constant.
pub(crate) fn word(x: u64) -> Constant<Bits<32>> {
    Constant::new(x.into())
}

/// The bus index of the register at `byte_offset` (see `memfire_spec::regs::offset`), as a
/// constant of the register decoders.
pub(crate) fn reg(byte_offset: u32) -> Constant<Bits<20>> {
    Constant::new(u64::from(byte_offset / 4).into())
}

/// How a neuron number splits over P lanes (lane `n mod P`, address `n / P`): the shift to
/// its address, the mask of its lane, and each lane's number and bit, as constants of the
/// blocks that choose by lane.
pub(crate) fn lane_shift<const P: usize>() -> Constant<Bits<5>> {
    Constant::new(u64::from(P.trailing_zeros()).into())
}

pub(crate) fn lane_mask<const P: usize>() -> Constant<Bits<32>> {
    word(P as u64 - 1)
}

pub(crate) fn lane_ids<const P: usize>() -> [Constant<Bits<32>>; P] {
    core::array::from_fn(|i| word(i as u64))
}

pub(crate) fn lane_bits<const P: usize>() -> [Constant<Bits<32>>; P] {
    core::array::from_fn(|i| word(1 << i))
}

/// Bits of a width class: the core delivers pulses of up to 2^WIDTH_CLASS_BITS different
/// widths per network (see `SpikeHistory`).
pub const WIDTH_CLASS_BITS: usize = 4;

/// Lane `lane` of P keeps the pipeline tables that it and its neighbour read: lanes 2k and
/// 2k + 1 share lane 2k's (a block RAM's two ports, see `DualReadRam`); a core of one lane
/// has its own.
fn lane_owns_tables(lane: usize) -> bool {
    lane.is_multiple_of(2)
}

/// Region `r`'s number, as a constant of the bus decoders.
pub(crate) fn region(r: Region) -> Constant<Bits<5>> {
    Constant::new((r as u64).into())
}

/// The core: P lanes (a power of two) of 2^LB neurons each, NB = LB + log2 P bits of a
/// neuron number (≤ 20), up to 2^SB synapses into each lane (`with_synapses_per_lane`), HB history bits, OB output-ring bits,
/// WB bits of the per-step count ring (max pulse width 2^WB − 1).
#[derive(LogicBlock)]
pub struct NeuronCore<
    const LB: usize,
    const P: usize,
    const NB: usize,
    const SB: usize,
    const HB: usize,
    const OB: usize,
    const WB: usize,
> {
    pub clock: Signal<In, Clock>,
    /// Bus: word address (region · 2^20 + index), write strobe, read strobe.
    pub bus_addr: Signal<In, Bits<25>>,
    pub bus_wdata: Signal<In, Bits<32>>,
    pub bus_we: Signal<In, Bit>,
    pub bus_re: Signal<In, Bit>,
    /// Read data, valid (with `bus_rvalid`) nine cycles after `bus_re` (see `ReadPath`).
    pub bus_rdata: Signal<Out, Bits<32>>,
    pub bus_rvalid: Signal<Out, Bit>,
    /// Level interrupt: `IRQ_STATUS & IRQ_MASK` is not zero.
    pub irq: Signal<Out, Bit>,
    /// The DMA engine's memory-request port (see `crate::dma`).
    pub mem_req_valid: Signal<Out, Bit>,
    pub mem_req_ready: Signal<In, Bit>,
    pub mem_req_write: Signal<Out, Bit>,
    pub mem_req_addr: Signal<Out, Bits<64>>,
    pub mem_req_wdata: Signal<Out, Bits<64>>,
    pub mem_rsp_valid: Signal<In, Bit>,
    pub mem_rsp_data: Signal<In, Bits<64>>,
    /// With `mem_rsp_valid`: the read failed (see `DmaEngine::mem_rsp_error`).
    pub mem_rsp_error: Signal<In, Bit>,

    bus: BusPort,
    regs: RegisterFile,
    ctrl: Controller<LB, P>,
    lane_ports: LanePorts<LB, P>,
    lanes: [NeuronLane<LB>; P],
    spike_mask: SpikeMask<P>,
    queue: SpikeQueue<LB, P>,
    history: SpikeHistory<HB, WB, WIDTH_CLASS_BITS>,
    out_ring: OutRing<OB>,
    walk: WalkSequencer<P>,
    banks: [SynapseBank<LB, NB, SB>; P],
    probes: ProbeEngine<LB, P>,
    dma: DmaEngine,
    read: ReadPath<P>,
}

impl<
        const LB: usize,
        const P: usize,
        const NB: usize,
        const SB: usize,
        const HB: usize,
        const OB: usize,
        const WB: usize,
    > Default for NeuronCore<LB, P, NB, SB, HB, OB, WB>
{
    fn default() -> Self {
        assert!(
            NB <= 20 && SB + P.trailing_zeros() as usize <= 20 && HB <= 20 && OB <= 19 && WB <= 16,
            "address fields are 20 bits"
        );
        assert_eq!(NB, LB + P.trailing_zeros() as usize, "NB: the bits of a neuron number");
        assert!(P.is_power_of_two() && P <= 32, "lanes: a power of two up to 32");
        let features =
            regs::features::NOISE | regs::features::C2C | regs::features::DMA | regs::features::DMA_CONFIG_PROBES;
        Self {
            clock: Default::default(),
            bus_addr: Default::default(),
            bus_wdata: Default::default(),
            bus_we: Default::default(),
            bus_re: Default::default(),
            bus_rdata: Default::default(),
            bus_rvalid: Default::default(),
            irq: Default::default(),
            mem_req_valid: Default::default(),
            mem_req_ready: Default::default(),
            mem_req_write: Default::default(),
            mem_req_addr: Default::default(),
            mem_req_wdata: Default::default(),
            mem_rsp_valid: Default::default(),
            mem_rsp_data: Default::default(),
            mem_rsp_error: Default::default(),
            bus: Default::default(),
            regs: RegisterFile::new(Geometry {
                neurons: (P as u64) << LB,
                lanes: P as u64,
                max_width: (1 << WB) - 1,
                width_classes: 1 << WIDTH_CLASS_BITS,
                param_sets: PARAM_SETS,
                synapses: (P as u64) << SB,
                history: 1 << HB,
                out_ring: 1 << OB,
                probes: 1 << PROBE_LIST_BITS,
                features,
            }),
            ctrl: Default::default(),
            lane_ports: Default::default(),
            lanes: core::array::from_fn(|lane| {
                NeuronLane::new(PARAM_SETS as usize, lane_owns_tables(lane), DspFamily::default())
            }),
            spike_mask: Default::default(),
            queue: Default::default(),
            history: Default::default(),
            out_ring: Default::default(),
            walk: Default::default(),
            banks: core::array::from_fn(|lane| SynapseBank::new(lane, 1 << SB)),
            probes: Default::default(),
            dma: Default::default(),
            read: Default::default(),
        }
    }
}

impl<
        const LB: usize,
        const P: usize,
        const NB: usize,
        const SB: usize,
        const HB: usize,
        const OB: usize,
        const WB: usize,
    > NeuronCore<LB, P, NB, SB, HB, OB, WB>
{
    /// For a top that leaves the memory-request port unconnected (a UART board): FEATURES
    /// does not announce DMA, so the driver reads spikes through the output-ring window.
    pub fn without_dma_port(mut self) -> Self {
        self.regs.set_features(regs::features::NOISE | regs::features::C2C);
        self
    }

    /// The core of configuration `config` (see `crate::tops::CORES`), whose sizes must be
    /// this type's: its banks' depth, parameter sets and multipliers' family.
    pub fn sized(self, config: &crate::tops::CoreConfig) -> Self {
        let c = config;
        assert_eq!(
            (
                c.lane_bits,
                c.lanes,
                c.neuron_bits,
                c.synapse_bits,
                c.history_bits,
                c.out_bits,
                c.width_bits
            ),
            (LB as u32, P as u32, NB as u32, SB as u32, HB as u32, OB as u32, WB as u32),
            "core `{}`: the configuration's sizes are this type's",
            c.name
        );
        self.with_synapses_per_lane(c.synapses_per_lane as usize)
            .with_lanes(c.param_sets as usize, c.family)
    }

    /// The lanes keep drive-law tables for the first `sets` parameter sets only (1..=16)
    /// and shape their multiplies for `family`; PARAM_SETS reports `sets`, and the driver
    /// refuses a network with more.
    pub fn with_lanes(mut self, sets: usize, family: DspFamily) -> Self {
        self.lanes = core::array::from_fn(|lane| NeuronLane::new(sets, lane_owns_tables(lane), family));
        self.regs.set_param_sets(sets as u64);
        self
    }

    /// Each lane's bank holds `depth` synapses (≤ 2^SB) rather than 2^SB: a board's block
    /// RAM sized to the synapses it must hold (see `SynapseRam`). SYNAPSES reports
    /// `P · depth`.
    pub fn with_synapses_per_lane(mut self, depth: usize) -> Self {
        assert!(depth >= 1 && depth <= 1 << SB, "a bank's depth fits its 2^SB indices");
        self.banks = core::array::from_fn(|lane| SynapseBank::new(lane, depth));
        self.regs.set_synapses((P * depth) as u64);
        self
    }
}

impl<
        const LB: usize,
        const P: usize,
        const NB: usize,
        const SB: usize,
        const HB: usize,
        const OB: usize,
        const WB: usize,
    > Logic for NeuronCore<LB, P, NB, SB, HB, OB, WB>
{
    #[hdl_gen]
    fn update(&mut self) {
        clock!(self, clock, bus, regs, ctrl, lane_ports, queue, history, out_ring, walk, probes, dma, read);
        for i in 0..P {
            self.lanes[i].clock.next = self.clock.val();
            self.banks[i].clock.next = self.clock.val();
        }
        // Lanes 2k and 2k + 1 share lane 2k's tables (its second ports); a lane without a
        // partner reads and serves nothing through them.
        for i in 0..P {
            self.lanes[i].nb_drive_set.next = bits::<4>(0);
            self.lanes[i].nb_drive_index.next = bits::<10>(0);
            self.lanes[i].nb_sqrt_index.next = bits::<8>(0);
            self.lanes[i].ext_drive_entry.next = bits::<17>(0);
            self.lanes[i].ext_sqrt_entry.next = bits::<17>(0);
        }
        for i in 0..(P / 2) {
            self.lanes[2 * i].nb_drive_set.next = self.lanes[2 * i + 1].tbl_drive_set.val();
            self.lanes[2 * i].nb_drive_index.next = self.lanes[2 * i + 1].tbl_drive_index.val();
            self.lanes[2 * i].nb_sqrt_index.next = self.lanes[2 * i + 1].tbl_sqrt_index.val();
            self.lanes[2 * i + 1].ext_drive_entry.next = self.lanes[2 * i].nb_drive_entry.val();
            self.lanes[2 * i + 1].ext_sqrt_entry.next = self.lanes[2 * i].nb_sqrt_entry.val();
        }

        // ---- the bus ----
        self.bus.bus_addr.next = self.bus_addr.val();
        self.bus.bus_wdata.next = self.bus_wdata.val();
        self.bus.bus_we.next = self.bus_we.val();
        self.bus.bus_re.next = self.bus_re.val();
        self.bus.cfg_valid.next = self.dma.cfg_valid.val();
        self.bus.cfg_addr.next = self.dma.cfg_addr.val();
        self.bus.cfg_data.next = self.dma.cfg_data.val();
        self.bus.cfg_window.next = self.ctrl.cfg_window.val();
        self.bus.idle.next = self.ctrl.idle.val();

        // ---- the register file ----
        self.regs.index.next = self.bus.index.val();
        self.regs.wdata.next = self.bus.wdata.val();
        self.regs.reg_we.next = self.bus.reg_we.val();
        self.regs.ctrl_we.next = self.bus.ctrl_we.val();
        self.regs.idle.next = self.ctrl.idle.val();
        self.regs.write_refused.next = self.bus.write_refused.val();
        self.regs.history_full.next = self.ctrl.history_full.val();
        self.regs.bad_width.next = self.ctrl.bad_width.val() | self.history.width_refused.val();
        self.regs.dma_fault.next = self.dma.fault.val();
        self.regs.dma_read_fault.next = self.dma.read_fault.val();
        self.regs.run_done.next = self.ctrl.run_done.val();
        self.regs.dma_irq.next = self.dma.irq_pulse.val();
        self.regs.out_ready.next = self.out_ring.ready.val();
        self.regs.c2h_on.next = self.dma.c2h_on.val();
        self.regs.spike_out.next = self.queue.out_valid.val();
        self.regs.syn_event_count.next = self.walk.syn_events.val();
        self.regs.stall.next = self.ctrl.stall.val();
        self.regs.host_input.next = self.bus.ext_we.val();
        self.regs.dma_input.next = self.dma.ext_we.val();
        self.regs.step.next = self.ctrl.step.val();
        self.regs.out_head.next = self.out_ring.head.val();
        self.regs.out_tail.next = self.out_ring.tail.val();
        self.regs.stalled.next = self.ctrl.stalled.val();
        self.regs.waiting_input.next = self.ctrl.waiting_input.val();
        self.irq.next = self.regs.irq.val();

        // ---- the controller ----
        self.ctrl.run_cmd.next = self.regs.run_cmd.val();
        self.ctrl.free_run_bit.next = self.regs.free_run.val();
        self.ctrl.stop_cmd.next = self.regs.stop_cmd.val();
        self.ctrl.clear.next = self.regs.clear.val();
        self.ctrl.step_lo_we.next = self.regs.step_lo_we.val();
        self.ctrl.step_hi_we.next = self.regs.step_hi_we.val();
        self.ctrl.wdata.next = self.bus.wdata.val();
        self.ctrl.run_steps.next = self.regs.run_steps.val();
        self.ctrl.active.next = self.regs.active.val();
        self.ctrl.classes.next = self.regs.classes.val();
        self.ctrl.classes_ok.next = self.regs.classes_ok.val();
        self.ctrl.probe_count.next = self.regs.probe_count.val();
        self.ctrl.c2h_on.next = self.dma.c2h_on.val();
        self.ctrl.dma_hold.next = self.dma.hold.val();
        self.ctrl.dma_ext_we.next = self.dma.ext_we.val();
        self.ctrl.dma_halted.next = self.dma.halted.val();
        self.ctrl.hist_short.next = self.history.short.val();
        self.ctrl.out_short.next = self.out_ring.short.val();
        self.ctrl.hist_wp.next = self.history.write_ptr.val();
        self.ctrl.hist_start.next = self.history.step_start.val();
        self.ctrl.class_first.next = self.history.class_first.val();
        self.ctrl.class_due.next = self.history.class_due.val();
        self.ctrl.class_reached.next = self.history.class_reached.val();
        self.ctrl.class_ends.next = self.history.class_ends.val();
        self.ctrl.lane0_fired.next = self.lanes[0].fired_valid.val();
        self.ctrl.lane0_writing.next = self.lanes[0].writing_back.val();
        self.ctrl.queue_nearly_full.next = self.queue.nearly_full.val();
        self.ctrl.queue_busy.next = self.queue.busy.val();
        self.ctrl.walk_done.next = self.walk.done.val();
        self.ctrl.probe_done.next = self.probes.done.val();
        self.ctrl.probe_stall.next = self.probes.stall.val();

        // ---- the lanes and their ports ----
        self.lane_ports.host_region.next = self.bus.region.val();
        self.lane_ports.host_index.next = self.bus.index.val();
        self.lane_ports.host_wdata.next = self.bus.wdata.val();
        self.lane_ports.host_we.next = self.bus.mem_we.val();
        self.lane_ports.upd_own.next = self.ctrl.lane_rd_own.val();
        self.lane_ports.upd_addr.next = self.ctrl.issue_addr.val();
        self.lane_ports.probe_own.next = self.probes.lane_rd_own.val();
        self.lane_ports.probe_addr.next = self.probes.lane_rd_addr.val();
        self.lane_ports.probe_rgn_own.next = self.probes.lane_rgn_own.val();
        self.lane_ports.probe_rgn.next = self.probes.lane_rgn.val();
        self.lane_ports.ext_we.next = self.dma.ext_we.val();
        self.lane_ports.ext_neuron.next = self.dma.ext_neuron.val();
        self.lane_ports.ext_volts.next = self.dma.ext_volts.val();
        for i in 0..P {
            self.lanes[i].parity.next = self.ctrl.parity[i].val();
            self.lanes[i].dl_rd_addr.next = self.banks[i].acc_rd_addr.val();
            self.lanes[i].dl_we.next = self.banks[i].acc_we.val();
            self.lanes[i].dl_wr_addr.next = self.banks[i].acc_wr_addr.val();
            self.lanes[i].dl_wr_data.next = self.banks[i].acc_value.val();
            self.lanes[i].rd_addr.next = self.lane_ports.rd_addr[i].val();
            self.lanes[i].issue.next = self.ctrl.issue[i].val();
            self.lanes[i].rd_region.next = self.lane_ports.rd_region.val();
            self.lanes[i].wr_en.next = self.lane_ports.wr_en[i].val();
            self.lanes[i].wr_region.next = self.lane_ports.wr_region.val();
            self.lanes[i].wr_addr.next = self.lane_ports.wr_addr[i].val();
            self.lanes[i].wr_data.next = self.lane_ports.wr_data[i].val();
            self.lanes[i].cfg_addr.next = self.lane_ports.cfg_addr.val();
            self.lanes[i].cfg_data.next = self.lane_ports.cfg_data.val();
            self.lanes[i].coef_we.next = self.lane_ports.coef_we.val();
            self.lanes[i].drive_we.next = self.lane_ports.drive_we.val();
            self.lanes[i].sqrt_we.next = self.lane_ports.sqrt_we.val();
            self.spike_mask.spike[i].next = self.lanes[i].fired.val();
            self.banks[i].acc0.next = self.lanes[i].dl_data0.val();
            self.banks[i].acc1.next = self.lanes[i].dl_data1.val();
            self.banks[i].parity.next = self.ctrl.parity[i].val();
            self.probes.lane_rdata[i].next = self.lanes[i].rd_data.val();
            self.read.lane_rdata[i].next = self.lanes[i].rd_data.val();
        }

        // ---- spikes: queue, history, output ring ----
        self.queue.push.next = self.lanes[0].fired_valid.val();
        self.queue.push_group.next = self.lanes[0].fired_addr.val();
        self.queue.push_mask.next = self.spike_mask.mask.val();
        self.history.push.next = self.queue.out_valid.val();
        self.history.push_neuron.next = self.queue.out_neuron.val();
        self.history.step.next = self.ctrl.step.val();
        self.history.wclass.next = self.ctrl.wclass.val().get_bits::<WIDTH_CLASS_BITS>(0);
        self.history.host_region.next = self.bus.region.val();
        self.history.host_index.next = self.bus.index.val();
        self.history.host_wdata.next = self.bus.wdata.val();
        self.history.host_we.next = self.bus.mem_we.val();
        self.history.step_begin.next = self.ctrl.step_begin.val();
        self.history.count_write.next = self.ctrl.count_write.val();
        self.history.consume.next = self.ctrl.consume.val();
        self.history.clear.next = self.regs.clear.val();
        self.history.active.next = self.regs.active.val();
        self.history.rd_addr.next = self.walk.hist_addr.val();
        self.out_ring.push.next = self.queue.out_valid.val();
        self.out_ring.push_step.next = self.ctrl.step_lo.val();
        self.out_ring.push_neuron.next = self.queue.out_neuron.val();
        self.out_ring.pop.next = self.dma.out_pop.val();
        self.out_ring.dma_reading.next = self.dma.c2h_on.val();
        self.out_ring.host_index.next = self.bus.index.val();
        self.out_ring.tail_we.next = self.regs.out_tail_we.val();
        self.out_ring.wdata.next = self.bus.wdata.val();
        self.out_ring.clear.next = self.regs.clear.val();
        self.out_ring.active.next = self.regs.active.val();

        // ---- the synapse walk and the probe engine ----
        self.walk.start.next = self.ctrl.walk_start.val();
        self.walk.first_entry.next = self.ctrl.walk_first.val();
        self.walk.end_entry.next = self.ctrl.walk_end.val();
        self.walk.neg.next = self.ctrl.walk_neg.val();
        self.walk.live.next = self.ctrl.walk_live.val();
        self.walk.closed.next = self.ctrl.walk_closed.val();
        self.walk.wclass.next = self.ctrl.wclass.val();
        self.walk.hist_data.next = self.history.read_data.val();
        for i in 0..P {
            self.walk.row_done[i].next = self.banks[i].row_done.val();
            self.walk.empty[i].next = self.banks[i].empty.val();
            self.walk.syn_event[i].next = self.banks[i].syn_event.val();
            self.banks[i].source.next = self.walk.source.val();
            self.banks[i].source_prev.next = self.walk.source_prev.val();
            self.banks[i].go.next = self.walk.go[i].val();
            self.banks[i].neg.next = self.walk.bank_neg.val();
            self.banks[i].wclass.next = self.walk.bank_class.val();
            self.banks[i].host_region.next = self.bus.region.val();
            self.banks[i].host_index.next = self.bus.index.val();
            self.banks[i].host_wdata.next = self.bus.wdata.val();
            self.banks[i].host_we.next = self.bus.mem_we.val();
        }
        self.probes.start.next = self.ctrl.probe_start.val();
        self.probes.count.next = self.regs.probe_count.val();
        self.probes.step_lo.next = self.ctrl.step_lo.val();
        self.probes.dma_ack.next = self.dma.prb_ack.val();
        self.probes.dma_halted.next = self.dma.halted.val();
        self.probes.host_region.next = self.bus.region.val();
        self.probes.host_index.next = self.bus.index.val();
        self.probes.host_wdata.next = self.bus.wdata.val();
        self.probes.host_we.next = self.bus.mem_we.val();

        // ---- the DMA engine ----
        self.dma.reg_index.next = self.bus.index.val();
        self.dma.reg_wdata.next = self.bus.wdata.val();
        self.dma.reg_we.next = self.bus.reg_we.val();
        self.dma.clear.next = self.regs.clear.val();
        self.dma.core_idle.next = self.ctrl.idle.val();
        self.dma.out_avail.next = self.out_ring.ready.val();
        self.dma.out_data.next = self.out_ring.read_data.val();
        self.dma.step_lo.next = self.ctrl.step_lo.val();
        self.dma.in_check.next = self.ctrl.in_check.val();
        self.dma.cfg_take.next = self.bus.cfg_take.val();
        self.dma.prb_valid.next = self.probes.rec_valid.val();
        self.dma.prb_w0.next = self.probes.rec_w0.val();
        self.dma.prb_w1.next = self.probes.rec_w1.val();
        self.dma.prb_w2.next = self.probes.rec_w2.val();
        self.dma.prb_w3.next = self.probes.rec_w3.val();
        self.dma.mem_req_ready.next = self.mem_req_ready.val();
        self.dma.mem_rsp_valid.next = self.mem_rsp_valid.val();
        self.dma.mem_rsp_data.next = self.mem_rsp_data.val();
        self.dma.mem_rsp_error.next = self.mem_rsp_error.val();
        self.mem_req_valid.next = self.dma.mem_req_valid.val();
        self.mem_req_write.next = self.dma.mem_req_write.val();
        self.mem_req_addr.next = self.dma.mem_req_addr.val();
        self.mem_req_wdata.next = self.dma.mem_req_wdata.val();

        // ---- bus reads ----
        self.read.re.next = self.bus.re.val();
        self.read.region.next = self.bus.region.val();
        self.read.index.next = self.bus.index.val();
        self.read.lane.next = self.lane_ports.host_lane.val();
        self.read.reg_value.next = self.regs.reg_value.val();
        self.read.dma_reg_value.next = self.dma.reg_value.val();
        // The synapse word of the bank the host addressed.
        self.read.syn_rdata.next = self.banks[0].syn_rdata.val();
        for i in 1..P {
            if self.banks[i].host_hit.val() {
                self.read.syn_rdata.next = self.banks[i].syn_rdata.val();
            }
        }
        self.read.list_rdata.next = self.probes.list_rdata.val();
        self.read.out_rdata.next = self.out_ring.read_data.val();
        self.bus_rdata.next = self.read.rdata.val();
        self.bus_rvalid.next = self.read.rvalid.val();
    }
}
