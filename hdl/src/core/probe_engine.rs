//! `ProbeEngine`: after a step, the state of every neuron of the probe list goes to the
//! DMA engine as a `memfire_spec::wire::ProbeRecord` (x1, x2, v, m, refractory and rng of
//! the neuron, with the step). For each entry: read the list, read the neuron's fields
//! from its lane one a cycle into a staging record (while the DMA engine writes the one
//! before), and hand it over once the engine has taken that one. After the last, wait
//! until the engine has written it. Waiting for the engine is a stall like waiting for
//! ring room.

use memfire_spec::memmap::Region;
use rust_hdl::prelude::*;

use super::{lane_ids, lane_mask, lane_shift, region};
use crate::lane::lane_ram::LaneRam;

/// Entries of the probe list (`PROBES`): neurons whose state goes to the host after
/// every step.
pub const PROBE_LIST_BITS: usize = 8;

#[derive(Copy, Clone, Debug, PartialEq, Eq, LogicState)]
pub enum ProbePhase {
    Idle,
    /// Read the list's next entry; it goes into `neuron` before it addresses the lanes.
    List,
    ListQ,
    /// The neuron's fields, one a cycle, into the staging record.
    Read,
    /// Hand the staged record to the DMA engine once it holds none.
    Hand,
    /// After the last record: wait until the engine has written it.
    Drain,
}

#[derive(LogicBlock)]
pub struct ProbeEngine<const LB: usize, const P: usize> {
    pub clock: Signal<In, Clock>,
    /// Send the records of this step (held high until `done`).
    pub start: Signal<In, Bit>,
    pub done: Signal<Out, Bit>,
    /// Entries of the list to send, and the step the records carry.
    pub count: Signal<In, Bits<32>>,
    pub step_lo: Signal<In, Bits<32>>,
    /// Each lane's read data (the field of region `lane_rgn` at the address given).
    pub lane_rdata: [Signal<In, Bits<32>>; P],
    /// The probe engine addresses the lanes' read port, and their read-data region.
    pub lane_rd_own: Signal<Out, Bit>,
    pub lane_rd_addr: Signal<Out, Bits<LB>>,
    pub lane_rgn_own: Signal<Out, Bit>,
    pub lane_rgn: Signal<Out, Bits<5>>,
    /// The record handed to the DMA engine; it acknowledges a record when written, and
    /// halts on a fault.
    pub rec_valid: Signal<Out, Bit>,
    pub rec_w0: Signal<Out, Bits<64>>,
    pub rec_w1: Signal<Out, Bits<64>>,
    pub rec_w2: Signal<Out, Bits<64>>,
    pub rec_w3: Signal<Out, Bits<64>>,
    pub dma_ack: Signal<In, Bit>,
    pub dma_halted: Signal<In, Bit>,
    /// A cycle spent waiting for the DMA engine.
    pub stall: Signal<Out, Bit>,
    /// The host's bus: the PROBE_LIST window.
    pub host_region: Signal<In, Bits<5>>,
    pub host_index: Signal<In, Bits<20>>,
    pub host_wdata: Signal<In, Bits<32>>,
    pub host_we: Signal<In, Bit>,
    pub list_rdata: Signal<Out, Bits<32>>,

    /// The neurons to probe, written by the host while the core is idle. No read at the
    /// edge of a write is used (the host's bus reads one word at a time), so the memory
    /// has no read-collision logic (`LaneRam`'s `no_rw_check`): its block RAM's output
    /// reaches `neuron`'s register with no LUT between.
    list: LaneRam<Bits<32>, PROBE_LIST_BITS>,
    /// The host's write to the list, registered beside it as the lanes' and the synapse
    /// banks' are: the strobe comes from the controller's phase and the bus decode across
    /// the die, and must not reach the block RAM's write enable through that logic.
    list_we: DFF<Bit>,
    list_waddr: DFF<Bits<PROBE_LIST_BITS>>,
    list_wdata: DFF<Bits<32>>,
    phase: DFF<ProbePhase>,
    /// The list entry, and whether it is the last (registered every cycle: `k` stands
    /// still for ten cycles and more between hand-overs).
    k: DFF<Bits<32>>,
    last: DFF<Bit>,
    /// The list's last entry (`count − 1`), registered from the host's setting (which
    /// changes only while the core is idle), so `last` is an equality with a register.
    count_last: DFF<Bits<32>>,
    /// The list's read data, registered every cycle (it addresses the lanes).
    neuron: DFF<Bits<32>>,
    /// Which field comes out of the lanes (5..=10: x1, x2, v, m, refractory, rng).
    field: DFF<Bits<4>>,
    /// The record being read (`stg_*`) and the one the DMA engine is writing (`rec_*`).
    stg_w0: DFF<Bits<64>>,
    stg_w1: DFF<Bits<64>>,
    stg_w2: DFF<Bits<64>>,
    stg_w3: DFF<Bits<64>>,
    rec_valid_r: DFF<Bit>,
    rec_w0_r: DFF<Bits<64>>,
    rec_w1_r: DFF<Bits<64>>,
    rec_w2_r: DFF<Bits<64>>,
    rec_w3_r: DFF<Bits<64>>,
    shifted: Signal<Local, Bits<32>>,
    rdata: Signal<Local, Bits<32>>,
    /// The region of the field read next cycle (field f + 1; fields 0 and 1 are x1).
    next_rgn: Signal<Local, Bits<5>>,
    lane_shift: Constant<Bits<5>>,
    lane_mask: Constant<Bits<32>>,
    lane_id: [Constant<Bits<32>>; P],
    g_probe_list: Constant<Bits<5>>,
    g_x1: Constant<Bits<5>>,
    g_x2: Constant<Bits<5>>,
    g_v: Constant<Bits<5>>,
    g_m: Constant<Bits<5>>,
    g_refr: Constant<Bits<5>>,
    g_rng: Constant<Bits<5>>,
}

impl<const LB: usize, const P: usize> Default for ProbeEngine<LB, P> {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            start: Default::default(),
            done: Default::default(),
            count: Default::default(),
            step_lo: Default::default(),
            lane_rdata: core::array::from_fn(|_| Default::default()),
            lane_rd_own: Default::default(),
            lane_rd_addr: Default::default(),
            lane_rgn_own: Default::default(),
            lane_rgn: Default::default(),
            rec_valid: Default::default(),
            rec_w0: Default::default(),
            rec_w1: Default::default(),
            rec_w2: Default::default(),
            rec_w3: Default::default(),
            dma_ack: Default::default(),
            dma_halted: Default::default(),
            stall: Default::default(),
            host_region: Default::default(),
            host_index: Default::default(),
            host_wdata: Default::default(),
            host_we: Default::default(),
            list_rdata: Default::default(),
            list: Default::default(),
            phase: Default::default(),
            k: Default::default(),
            last: Default::default(),
            count_last: Default::default(),
            neuron: Default::default(),
            field: Default::default(),
            stg_w0: Default::default(),
            stg_w1: Default::default(),
            stg_w2: Default::default(),
            stg_w3: Default::default(),
            rec_valid_r: Default::default(),
            rec_w0_r: Default::default(),
            rec_w1_r: Default::default(),
            rec_w2_r: Default::default(),
            rec_w3_r: Default::default(),
            list_we: Default::default(),
            list_waddr: Default::default(),
            list_wdata: Default::default(),
            shifted: Default::default(),
            rdata: Default::default(),
            next_rgn: Default::default(),
            lane_shift: lane_shift::<P>(),
            lane_mask: lane_mask::<P>(),
            lane_id: lane_ids::<P>(),
            g_probe_list: region(Region::ProbeList),
            g_x1: region(Region::X1),
            g_x2: region(Region::X2),
            g_v: region(Region::V),
            g_m: region(Region::M),
            g_refr: region(Region::Refractory),
            g_rng: region(Region::Rng),
        }
    }
}

impl<const LB: usize, const P: usize> Logic for ProbeEngine<LB, P> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            phase,
            k,
            last,
            count_last,
            neuron,
            field,
            stg_w0,
            stg_w1,
            stg_w2,
            stg_w3,
            rec_valid_r,
            rec_w0_r,
            rec_w1_r,
            rec_w2_r,
            rec_w3_r,
            list_we,
            list_waddr,
            list_wdata
        );
        self.list.read_clock.next = self.clock.val();
        self.list.write_clock.next = self.clock.val();
        self.list.read_address.next = self.host_index.val().get_bits::<PROBE_LIST_BITS>(0);
        self.list_we.d.next = self.host_we.val() & (self.host_region.val() == self.g_probe_list.val());
        self.list_waddr.d.next = self.host_index.val().get_bits::<PROBE_LIST_BITS>(0);
        self.list_wdata.d.next = self.host_wdata.val();
        self.list.write_address.next = self.list_waddr.q.val();
        self.list.write_data.next = self.list_wdata.q.val();
        self.list.write_enable.next = self.list_we.q.val();
        self.list_rdata.next = self.list.read_data.val();

        self.rec_valid.next = self.rec_valid_r.q.val();
        self.rec_w0.next = self.rec_w0_r.q.val();
        self.rec_w1.next = self.rec_w1_r.q.val();
        self.rec_w2.next = self.rec_w2_r.q.val();
        self.rec_w3.next = self.rec_w3_r.q.val();
        // The engine has written the record in hand (Hand may give it the next).
        if self.dma_ack.val() {
            self.rec_valid_r.d.next = false;
        }
        // While the engine holds no record, the record registers follow the staged one,
        // so the hand-over is `rec_valid` alone and no decode of the engine's
        // acknowledgement sits in front of the ~260 record flip-flops' enables. (A record
        // acknowledged in Hand is followed by the next a cycle later.)
        if !self.rec_valid_r.q.val() {
            self.rec_w0_r.d.next = self.stg_w0.q.val();
            self.rec_w1_r.d.next = self.stg_w1.q.val();
            self.rec_w2_r.d.next = self.stg_w2.q.val();
            self.rec_w3_r.d.next = self.stg_w3.q.val();
        }
        self.count_last.d.next = self.count.val() - 1;
        self.last.d.next = self.k.q.val() == self.count_last.q.val();
        self.neuron.d.next = self.list.read_data.val();
        self.shifted.next = self.neuron.q.val() >> self.lane_shift.val();
        self.rdata.next = bits::<32>(0);
        for i in 0..P {
            if (self.neuron.q.val() & self.lane_mask.val()) == self.lane_id[i].val() {
                self.rdata.next = self.lane_rdata[i].val();
            }
        }
        self.next_rgn.next = self.g_x1.val();
        if self.field.q.val() == 1 {
            self.next_rgn.next = self.g_x2.val();
        }
        if self.field.q.val() == 2 {
            self.next_rgn.next = self.g_v.val();
        }
        if self.field.q.val() == 3 {
            self.next_rgn.next = self.g_m.val();
        }
        if self.field.q.val() == 4 {
            self.next_rgn.next = self.g_refr.val();
        }
        if self.field.q.val() == 5 {
            self.next_rgn.next = self.g_rng.val();
        }
        self.lane_rd_own.next = false;
        self.lane_rd_addr.next = self.shifted.val().get_bits::<LB>(0);
        self.lane_rgn_own.next = false;
        self.lane_rgn.next = self.next_rgn.val();
        self.stall.next = false;
        self.done.next = false;

        match self.phase.q.val() {
            ProbePhase::Idle => {
                if self.start.val() {
                    self.k.d.next = bits::<32>(0);
                    self.phase.d.next = ProbePhase::List;
                }
            }
            ProbePhase::List => {
                self.list.read_address.next = self.k.q.val().get_bits::<PROBE_LIST_BITS>(0);
                self.phase.d.next = ProbePhase::ListQ;
            }
            ProbePhase::ListQ => {
                self.list.read_address.next = self.k.q.val().get_bits::<PROBE_LIST_BITS>(0);
                self.field.d.next = bits::<4>(0);
                self.lane_rgn_own.next = true;
                self.lane_rgn.next = self.g_x1.val();
                self.phase.d.next = ProbePhase::Read;
            }
            ProbePhase::Read => {
                // The neuron's address stays on the lanes' read port; from the next cycle
                // on the lanes' address register holds it, from the one after every memory
                // shows it, from the third and the fourth the lanes' two registers of its
                // words hold them, the fifth the registers of its summed stage, and from the
                // sixth on one field a cycle comes out of the lane's read-data register into
                // the record (low word first, as `ProbeRecord`).
                self.list.read_address.next = self.k.q.val().get_bits::<PROBE_LIST_BITS>(0);
                self.lane_rd_own.next = true;
                self.lane_rgn_own.next = true;
                self.field.d.next = self.field.q.val() + 1;
                if self.field.q.val() == 6 {
                    self.stg_w1.d.next = bit_cast::<64, 32>(self.rdata.val());
                }
                if self.field.q.val() == 7 {
                    self.stg_w1.d.next = self.stg_w1.q.val() | (bit_cast::<64, 32>(self.rdata.val()) << 32);
                }
                if self.field.q.val() == 8 {
                    self.stg_w2.d.next = bit_cast::<64, 32>(self.rdata.val());
                }
                if self.field.q.val() == 9 {
                    self.stg_w2.d.next = self.stg_w2.q.val() | (bit_cast::<64, 32>(self.rdata.val()) << 32);
                }
                if self.field.q.val() == 10 {
                    self.stg_w3.d.next = bit_cast::<64, 32>(self.rdata.val());
                }
                if self.field.q.val() == 11 {
                    self.stg_w3.d.next = self.stg_w3.q.val() | (bit_cast::<64, 32>(self.rdata.val()) << 32);
                    self.stg_w0.d.next =
                        bit_cast::<64, 32>(self.step_lo.val()) | (bit_cast::<64, 32>(self.neuron.q.val()) << 32);
                    self.phase.d.next = ProbePhase::Hand;
                }
            }
            ProbePhase::Hand => {
                // The staged record is already in the record registers (see above).
                if !self.rec_valid_r.q.val() {
                    self.rec_valid_r.d.next = true;
                    self.k.d.next = self.k.q.val() + 1;
                    if self.last.q.val() {
                        self.phase.d.next = ProbePhase::Drain;
                    } else {
                        self.phase.d.next = ProbePhase::List;
                    }
                } else if self.dma_halted.val() {
                    self.rec_valid_r.d.next = false;
                    self.done.next = true;
                    self.phase.d.next = ProbePhase::Idle;
                } else {
                    self.stall.next = true;
                }
            }
            ProbePhase::Drain => {
                if self.dma_ack.val() | self.dma_halted.val() {
                    self.rec_valid_r.d.next = false;
                    self.done.next = true;
                    self.phase.d.next = ProbePhase::Idle;
                } else {
                    self.stall.next = true;
                }
            }
        }
    }
}
