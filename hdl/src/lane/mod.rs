//! `NeuronLane`: one update lane of a `NeuronCore` — a `NeuronPipe` and the bank of
//! per-neuron memories it reads and writes back.
//!
//! A core of P lanes keeps neuron `n` in lane `n mod P` at address `n / P` (interleaved,
//! so a network smaller than the core still uses every lane). In the update phase every
//! lane reads the same address and updates its own neuron of that group in the same cycle.
//!
//! Ports: one read address shared by all the lane's memories (the controller's update or
//! the host's read), registered in the lane before it reaches them; one write port
//! selected by region (the host's writes, the DMA engine's input events), also registered
//! in the lane, so a write lands in its memory a cycle after it is given; the pipeline
//! writes its results back through the memories' own write ports (never in the same cycle
//! as the write port: the host writes only while idle, inputs arrive only while the
//! controller checks a step).
//!
//! Synaptic input is two-layered so delivery overlaps the update. `acc` holds a neuron's
//! synaptic input as of its last update; the pulse starts and ends that take effect at the
//! next step are added by the lane's synapse bank into one of two pending memories
//! (`pend0`, `pend1`, chosen by the step's `parity`) while the update reads the other: the
//! update of a neuron takes `acc + pending`, writes that sum back into `acc` and clears the
//! pending word. So the bank may deliver during the update, and the step needs no
//! delivery phase of its own but the rows of the spikes its last neurons fire. The bank's
//! port (`dl_*`) has the latency of the read and write ports; the host's window on `ACC`
//! shows `acc + pending` (its low 32 bits: `acc` is 48 bits wide), and a write to it sets
//! `acc` to the word sign-extended and clears both pending words.
//!
//! On a lane of ≤ 256 neurons the neuron state (`x1` … `set`) is in LUT RAM (`LaneRam`):
//! a block RAM at that depth would be mostly empty, and a many-lane core runs out of
//! block RAM first. The 32-bit fields (`rng`, `ext`) are in block RAM: they save the most
//! LUT RAM a block RAM can (`RamStyle::for_lane_word`).
//!
//! A lane's block-RAM memories are built without logic for a read of the word being
//! written at the same edge (`LaneRam`'s `no_rw_check`), because the lane uses no such read
//! but one: all memories read the one shared address; a neuron's update is read once a
//! step and written back `LANE_LATENCY` cycles later, and the step ends only once no
//! write-back is left (`writing_back`), before any read of the next; the bank's
//! pending-word writes that land at the edge of its own read are forwarded in the bank,
//! which discards that read; the host writes only while the core is idle and its bus takes
//! one access at a time. The one is a host read of `EXT` at the
//! edge an input event (the DMA engine, while the controller checks a step) writes the
//! same neuron: `ext_hit` notes it and `rd_data` shows the written word.

pub mod lane_ram;
pub mod neuron_pipe;
pub mod spike_queue;

use memfire_spec::memmap::Region;
use rust_hdl::prelude::*;

use crate::arith::dsp_family::DspFamily;
use crate::core::region;
use crate::lane::lane_ram::{LaneRam, RamStyle};
use crate::lane::neuron_pipe::{NeuronPipe, FIRED_LATENCY, PIPE_LATENCY};

/// Rising edges from `issue` to the neuron's next state written back: the address
/// register, the memories' read, their words' register (`f_*`), the same words beside the
/// lane's logic (`n_*`), the input's sum (`s_*`) and the pipeline.
pub const LANE_LATENCY: usize = PIPE_LATENCY + 5;
/// Rising edges from `issue` to its spike flag on `fired_valid`: the same five stages and
/// the pipeline's threshold test, four cycles before the write-back.
pub const LANE_FIRED_LATENCY: usize = FIRED_LATENCY + 5;

#[derive(LogicBlock)]
pub struct NeuronLane<const LB: usize> {
    pub clock: Signal<In, Clock>,
    /// Address every memory of the lane reads: registered first (`addr_q`), so the data
    /// comes two cycles later.
    pub rd_addr: Signal<In, Bits<LB>>,
    /// Update the neuron at `rd_addr` (registered with it).
    pub issue: Signal<In, Bit>,
    /// Region of the read whose address came last cycle (delayed with it, in `region_q`).
    pub rd_region: Signal<In, Bits<5>>,
    /// The word of the address given six cycles ago, from the region given five cycles
    /// ago: chosen among the registers of the summed stage (`s_*`), not the memories'
    /// words (their registers are the block RAMs' own, across the die on a large core) nor
    /// the `n_*` registers (the `ACC` window is `acc + pending`, a 48-bit sum, which
    /// `s_syn` holds), and registered (`rd_q`).
    pub rd_data: Signal<Out, Bits<32>>,
    /// Which pending memory the update takes (the step's parity); the bank adds into the
    /// other.
    pub parity: Signal<In, Bit>,
    /// The bank's port on the other pending memory: the word at the address given three
    /// cycles ago, as both memories' registered outputs (`dl_data0`, `dl_data1`: `f_pend0`,
    /// `f_pend1`, so each block RAM's late output has one register to reach, beside it,
    /// and the route to the bank across the die starts at a flip-flop; the bank chooses
    /// by `parity` into its own register); a write lands at the end of the cycle after it
    /// is given (as `wr_*`).
    pub dl_rd_addr: Signal<In, Bits<LB>>,
    pub dl_data0: Signal<Out, Signed<32>>,
    pub dl_data1: Signal<Out, Signed<32>>,
    pub dl_we: Signal<In, Bit>,
    pub dl_wr_addr: Signal<In, Bits<LB>>,
    pub dl_wr_data: Signal<In, Bits<32>>,
    /// Write port: the memory of region `wr_region` at `wr_addr` takes `wr_data` at the
    /// end of the next cycle (registered first, in `wr_*_q`).
    pub wr_en: Signal<In, Bit>,
    pub wr_region: Signal<In, Bits<5>>,
    pub wr_addr: Signal<In, Bits<LB>>,
    pub wr_data: Signal<In, Bits<32>>,
    /// Pipeline table writes (see `NeuronPipe`), the same for every lane.
    pub cfg_addr: Signal<In, Bits<16>>,
    pub cfg_data: Signal<In, Bits<32>>,
    pub coef_we: Signal<In, Bit>,
    pub drive_we: Signal<In, Bit>,
    pub sqrt_we: Signal<In, Bit>,
    /// A neuron's spike flag is decided: its address in the lane (the group: its index is
    /// `fired_addr · P + lane`) and whether it fired. Its next state is written back
    /// `LANE_LATENCY − LANE_FIRED_LATENCY` cycles later.
    pub fired_valid: Signal<Out, Bit>,
    pub fired_addr: Signal<Out, Bits<LB>>,
    pub fired: Signal<Out, Bit>,
    /// A write-back is still to come: low from the cycle after the last one, so a read
    /// whose address is given while it is low sees every neuron's update (registered, so
    /// the controller reads it from a flip-flop).
    pub writing_back: Signal<Out, Bit>,
    /// The pipeline's shared tables (see `NeuronPipe`): its reads of a neighbour's, and a
    /// neighbour's reads of its own.
    pub tbl_drive_set: Signal<Out, Bits<4>>,
    pub tbl_drive_index: Signal<Out, Bits<10>>,
    pub tbl_sqrt_index: Signal<Out, Bits<8>>,
    pub ext_drive_entry: Signal<In, Bits<17>>,
    pub ext_sqrt_entry: Signal<In, Bits<17>>,
    pub nb_drive_set: Signal<In, Bits<4>>,
    pub nb_drive_index: Signal<In, Bits<10>>,
    pub nb_sqrt_index: Signal<In, Bits<8>>,
    pub nb_drive_entry: Signal<Out, Bits<17>>,
    pub nb_sqrt_entry: Signal<Out, Bits<17>>,

    pipe: NeuronPipe,
    x1: LaneRam<Signed<25>, LB>,
    x2: LaneRam<Signed<25>, LB>,
    v: LaneRam<Signed<25>, LB>,
    m: LaneRam<Signed<18>, LB>,
    refr: LaneRam<Bits<16>, LB>,
    rng: LaneRam<Bits<32>, LB>,
    set: LaneRam<Bits<4>, LB>,
    ext: LaneRam<Signed<32>, LB>,
    /// 48 bits, as the spec's accumulator (`memfire_spec::network::MAX_INPUT_LSB`): pulses
    /// that overlap can hold far more than a 32-bit word's 512 V; a pending word holds one
    /// step's starts and ends, which the delay-ring slot's bound keeps within 32 bits.
    acc: LaneRam<Signed<48>, LB>,
    pend0: LaneRam<Signed<32>, LB>,
    pend1: LaneRam<Signed<32>, LB>,
    /// The read address, the update request and the read region, registered on entry,
    /// so the core's address choice (by phase, or the host's address) is not in front of
    /// every memory of every lane (a small memory in LUT RAM reads its address without a
    /// register of its own, and on a large core the block RAMs are spread across the die).
    addr_q: DFF<Bits<LB>>,
    issue_q: DFF<Bit>,
    region_q: DFF<Bits<5>>,
    /// The write port, registered on entry for the same reason as the read address: the
    /// choice among the walk's accumulator write, the host's write and an input event
    /// stays off a LUT-RAM memory's write address. Each memory's write enable is decoded
    /// from the region before its register, so the registers are the lane's own: their
    /// inputs differ by the lane's write enable, and synthesis cannot merge them across
    /// lanes and route one lane's decode to another lane's block RAMs.
    we_x1_q: DFF<Bit>,
    we_x2_q: DFF<Bit>,
    we_v_q: DFF<Bit>,
    we_m_q: DFF<Bit>,
    we_refr_q: DFF<Bit>,
    we_rng_q: DFF<Bit>,
    we_set_q: DFF<Bit>,
    we_ext_q: DFF<Bit>,
    we_acc_q: DFF<Bit>,
    wr_addr_q: DFF<Bits<LB>>,
    wr_data_q: DFF<Bits<32>>,
    /// The bank's port, registered on entry like the lane's own.
    dl_addr_q: DFF<Bits<LB>>,
    dl_we_q: DFF<Bit>,
    dl_wr_addr_q: DFF<Bits<LB>>,
    dl_wr_data_q: DFF<Bits<32>>,
    rd_valid: DFF<Bit>,
    rd_tag: DFF<Bits<20>>,
    /// The neuron read last cycle, registered once more before the pipeline: the state
    /// RAMs' outputs get a cycle of their own instead of sharing one with the pipeline's
    /// input logic.
    f_valid: DFF<Bit>,
    f_tag: DFF<Bits<20>>,
    f_set: DFF<Bits<4>>,
    f_x1: DFF<Signed<25>>,
    f_x2: DFF<Signed<25>>,
    f_v: DFF<Signed<25>>,
    f_m: DFF<Signed<18>>,
    f_refr: DFF<Bits<16>>,
    f_rng: DFF<Bits<32>>,
    /// External and synaptic input, registered apart: their sum is formed after the
    /// registers, into `s_u`.
    f_ext: DFF<Signed<32>>,
    /// `acc` and both pending words, read from the registered address like the other
    /// memories (on a core of many lanes the address choice reaches every lane's memories
    /// from across the die) and registered as they come, each memory's output straight
    /// into its own register: a block RAM's output is late (5.8 ns after the clock on an
    /// ECP5), so the step's choice of pending word waits for the next cycle.
    f_acc: DFF<Signed<48>>,
    f_pend0: DFF<Signed<32>>,
    f_pend1: DFF<Signed<32>>,
    /// The words of `f_*` registered once more, beside the lane's logic. On an ECP5 the
    /// `f_*` registers of block-RAM words are the blocks' own output registers
    /// (`bram-outreg`), placed with the blocks, which on a large core are spread across
    /// the die: this cycle is the route from a block to its lane, with no logic in it, so
    /// the input's sum (`s_*`) starts from registers beside it. The update's pending word
    /// is chosen here by the step's parity (one LUT behind the route).
    n_valid: DFF<Bit>,
    n_tag: DFF<Bits<20>>,
    n_set: DFF<Bits<4>>,
    n_x1: DFF<Signed<25>>,
    n_x2: DFF<Signed<25>>,
    n_v: DFF<Signed<25>>,
    n_m: DFF<Signed<18>>,
    n_refr: DFF<Bits<16>>,
    n_rng: DFF<Bits<32>>,
    n_ext: DFF<Signed<32>>,
    n_acc: DFF<Signed<48>>,
    n_pend: DFF<Signed<32>>,
    n_region: DFF<Bits<5>>,
    n_ext_hit: DFF<Bit>,
    n_ext_new: DFF<Signed<32>>,
    /// The update's pending word, sign-extended in a signal of its own (Verilog's
    /// `$unsigned($signed(x))` into a wider word would extend with zeros), as is `ext`.
    pend48: Signal<Local, Signed<48>>,
    ext48: Signal<Local, Signed<48>>,
    /// `acc + pending`: written back into `acc` and shown (its low 32 bits) in the host's
    /// window on `ACC`, both through `s_syn`.
    syn_sum: Signal<Local, Signed<48>>,
    /// `ext + acc + pending` (mod 2^48) for the pipeline, by a carry-save step: the three
    /// words' bitwise sum and their carries (one LUT level after the pending word's
    /// choice), then one carry chain.
    csa_a: Signal<Local, Bits<48>>,
    csa_b: Signal<Local, Bits<48>>,
    csa_c: Signal<Local, Bits<48>>,
    csa_sum: Signal<Local, Bits<48>>,
    csa_carry: Signal<Local, Bits<48>>,
    /// The neuron of `n_*` with its input summed: `s_u = ext + acc + pending` for the
    /// pipeline and `s_syn = acc + pending` to write back into `acc`. A cycle of its own,
    /// so the pipeline's input register only clamps `u` (the sum's carry chain and the
    /// clamp's compares behind it do not fit one cycle at the clocks the lanes run at).
    s_valid: DFF<Bit>,
    s_tag: DFF<Bits<20>>,
    s_set: DFF<Bits<4>>,
    s_x1: DFF<Signed<25>>,
    s_x2: DFF<Signed<25>>,
    s_v: DFF<Signed<25>>,
    s_m: DFF<Signed<18>>,
    s_refr: DFF<Bits<16>>,
    s_rng: DFF<Bits<32>>,
    s_u: DFF<Signed<48>>,
    s_syn: DFF<Signed<48>>,
    /// The host's views of `n_ext` (the written word when `n_ext_hit`) and of `n_region`, a
    /// cycle on, beside the other `s_*` registers `rd_data` chooses among.
    s_ext: DFF<Signed<32>>,
    s_region: DFF<Bits<5>>,
    /// `rd_data`'s register.
    rd_q: DFF<Bits<32>>,
    /// The region of the registered memory outputs, for `rd_data`.
    f_region: DFF<Bits<5>>,
    /// A read of `ext` at the edge an input event writes the same neuron (the one read of a
    /// word being written that the lane uses: see the module's notes), and the word written,
    /// registered with the read's data and again with `f_ext` and `n_ext`: the host's read
    /// shows the written word, which a block RAM does not promise to give at that edge.
    ext_hit: DFF<Bit>,
    ext_new: DFF<Signed<32>>,
    f_ext_hit: DFF<Bit>,
    f_ext_new: DFF<Signed<32>>,
    /// The host's table writes, registered on their way to the pipeline's tables, so the
    /// bus decode does not fan out to every lane's coefficient ports in one cycle. (Tables are written only between steps — by the host while idle, by
    /// configuration records while a step is held — and a step's first neuron reaches
    /// the tables several cycles after it starts, so the cycle's delay is never seen.)
    tbl_addr: DFF<Bits<16>>,
    tbl_data: DFF<Bits<32>>,
    tbl_coef_we: DFF<Bit>,
    tbl_drive_we: DFF<Bit>,
    tbl_sqrt_we: DFF<Bit>,
    unwritten_q: DFF<Bit>,
    g_x1: Constant<Bits<5>>,
    g_x2: Constant<Bits<5>>,
    g_v: Constant<Bits<5>>,
    g_m: Constant<Bits<5>>,
    g_refr: Constant<Bits<5>>,
    g_rng: Constant<Bits<5>>,
    g_set: Constant<Bits<5>>,
    g_ext: Constant<Bits<5>>,
    g_acc: Constant<Bits<5>>,
}

impl<const LB: usize> Default for NeuronLane<LB> {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            rd_addr: Default::default(),
            issue: Default::default(),
            rd_region: Default::default(),
            rd_data: Default::default(),
            parity: Default::default(),
            dl_rd_addr: Default::default(),
            dl_data0: Default::default(),
            dl_data1: Default::default(),
            dl_we: Default::default(),
            dl_wr_addr: Default::default(),
            dl_wr_data: Default::default(),
            wr_en: Default::default(),
            wr_region: Default::default(),
            wr_addr: Default::default(),
            wr_data: Default::default(),
            cfg_addr: Default::default(),
            cfg_data: Default::default(),
            coef_we: Default::default(),
            drive_we: Default::default(),
            sqrt_we: Default::default(),
            fired_valid: Default::default(),
            fired_addr: Default::default(),
            fired: Default::default(),
            writing_back: Default::default(),
            tbl_drive_set: Default::default(),
            tbl_drive_index: Default::default(),
            tbl_sqrt_index: Default::default(),
            ext_drive_entry: Default::default(),
            ext_sqrt_entry: Default::default(),
            nb_drive_set: Default::default(),
            nb_drive_index: Default::default(),
            nb_sqrt_index: Default::default(),
            nb_drive_entry: Default::default(),
            nb_sqrt_entry: Default::default(),
            pipe: Default::default(),
            x1: Default::default(),
            x2: Default::default(),
            v: Default::default(),
            m: Default::default(),
            refr: Default::default(),
            rng: Default::default(),
            set: Default::default(),
            ext: Default::default(),
            acc: Default::default(),
            pend0: Default::default(),
            pend1: Default::default(),
            addr_q: Default::default(),
            issue_q: Default::default(),
            region_q: Default::default(),
            we_x1_q: Default::default(),
            we_x2_q: Default::default(),
            we_v_q: Default::default(),
            we_m_q: Default::default(),
            we_refr_q: Default::default(),
            we_rng_q: Default::default(),
            we_set_q: Default::default(),
            we_ext_q: Default::default(),
            we_acc_q: Default::default(),
            wr_addr_q: Default::default(),
            wr_data_q: Default::default(),
            dl_addr_q: Default::default(),
            dl_we_q: Default::default(),
            dl_wr_addr_q: Default::default(),
            dl_wr_data_q: Default::default(),
            rd_valid: Default::default(),
            rd_tag: Default::default(),
            f_valid: Default::default(),
            f_tag: Default::default(),
            f_set: Default::default(),
            f_x1: Default::default(),
            f_x2: Default::default(),
            f_v: Default::default(),
            f_m: Default::default(),
            f_refr: Default::default(),
            f_rng: Default::default(),
            f_ext: Default::default(),
            f_acc: Default::default(),
            f_pend0: Default::default(),
            f_pend1: Default::default(),
            n_valid: Default::default(),
            n_tag: Default::default(),
            n_set: Default::default(),
            n_x1: Default::default(),
            n_x2: Default::default(),
            n_v: Default::default(),
            n_m: Default::default(),
            n_refr: Default::default(),
            n_rng: Default::default(),
            n_ext: Default::default(),
            n_acc: Default::default(),
            n_pend: Default::default(),
            n_region: Default::default(),
            n_ext_hit: Default::default(),
            n_ext_new: Default::default(),
            pend48: Default::default(),
            ext48: Default::default(),
            syn_sum: Default::default(),
            csa_a: Default::default(),
            csa_b: Default::default(),
            csa_c: Default::default(),
            csa_sum: Default::default(),
            csa_carry: Default::default(),
            s_valid: Default::default(),
            s_tag: Default::default(),
            s_set: Default::default(),
            s_x1: Default::default(),
            s_x2: Default::default(),
            s_v: Default::default(),
            s_m: Default::default(),
            s_refr: Default::default(),
            s_rng: Default::default(),
            s_u: Default::default(),
            s_syn: Default::default(),
            s_ext: Default::default(),
            s_region: Default::default(),
            rd_q: Default::default(),
            f_region: Default::default(),
            ext_hit: Default::default(),
            ext_new: Default::default(),
            f_ext_hit: Default::default(),
            f_ext_new: Default::default(),
            tbl_addr: Default::default(),
            tbl_data: Default::default(),
            tbl_coef_we: Default::default(),
            tbl_drive_we: Default::default(),
            tbl_sqrt_we: Default::default(),
            unwritten_q: Default::default(),
            g_x1: region(Region::X1),
            g_x2: region(Region::X2),
            g_v: region(Region::V),
            g_m: region(Region::M),
            g_refr: region(Region::Refractory),
            g_rng: region(Region::Rng),
            g_set: region(Region::Set),
            g_ext: region(Region::Ext),
            g_acc: region(Region::Acc),
        }
    }
}

impl<const LB: usize> NeuronLane<LB> {
    /// A lane of a core with `sets` parameter sets, with tables of its own or reading a
    /// neighbour's, its multiplies shaped for `family` (see `NeuronPipe::new`).
    pub fn new(sets: usize, own_tables: bool, family: DspFamily) -> Self {
        let style = RamStyle::for_lane_state(LB);
        Self {
            pipe: NeuronPipe::new(sets, own_tables, family),
            x1: LaneRam::with_style(style),
            x2: LaneRam::with_style(style),
            v: LaneRam::with_style(style),
            m: LaneRam::with_style(style),
            refr: LaneRam::with_style(style),
            rng: LaneRam::with_style(RamStyle::for_lane_word()),
            set: LaneRam::with_style(style),
            ext: LaneRam::with_style(RamStyle::for_lane_word()),
            ..Default::default()
        }
    }
}

impl<const LB: usize> Logic for NeuronLane<LB> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            unwritten_q,
            addr_q,
            issue_q,
            region_q,
            we_x1_q,
            we_x2_q,
            we_v_q,
            we_m_q,
            we_refr_q,
            we_rng_q,
            we_set_q,
            we_ext_q,
            we_acc_q,
            wr_addr_q,
            wr_data_q,
            dl_addr_q,
            dl_we_q,
            dl_wr_addr_q,
            dl_wr_data_q,
            rd_valid,
            rd_tag,
            f_valid,
            f_tag,
            f_set,
            f_x1,
            f_x2,
            f_v,
            f_m,
            f_refr,
            f_rng,
            f_ext,
            f_acc,
            f_pend0,
            f_pend1,
            n_valid,
            n_tag,
            n_set,
            n_x1,
            n_x2,
            n_v,
            n_m,
            n_refr,
            n_rng,
            n_ext,
            n_acc,
            n_pend,
            n_region,
            n_ext_hit,
            n_ext_new,
            s_valid,
            s_tag,
            s_set,
            s_x1,
            s_x2,
            s_v,
            s_m,
            s_refr,
            s_rng,
            s_u,
            s_syn,
            s_ext,
            s_region,
            rd_q,
            f_region,
            ext_hit,
            ext_new,
            f_ext_hit,
            f_ext_new,
            tbl_addr,
            tbl_data,
            tbl_coef_we,
            tbl_drive_we,
            tbl_sqrt_we
        );
        clock!(self, clock, pipe);
        self.x1.read_clock.next = self.clock.val();
        self.x1.write_clock.next = self.clock.val();
        self.x2.read_clock.next = self.clock.val();
        self.x2.write_clock.next = self.clock.val();
        self.v.read_clock.next = self.clock.val();
        self.v.write_clock.next = self.clock.val();
        self.m.read_clock.next = self.clock.val();
        self.m.write_clock.next = self.clock.val();
        self.refr.read_clock.next = self.clock.val();
        self.refr.write_clock.next = self.clock.val();
        self.rng.read_clock.next = self.clock.val();
        self.rng.write_clock.next = self.clock.val();
        self.set.read_clock.next = self.clock.val();
        self.set.write_clock.next = self.clock.val();
        self.ext.read_clock.next = self.clock.val();
        self.ext.write_clock.next = self.clock.val();
        self.acc.read_clock.next = self.clock.val();
        self.acc.write_clock.next = self.clock.val();
        self.pend0.read_clock.next = self.clock.val();
        self.pend0.write_clock.next = self.clock.val();
        self.pend1.read_clock.next = self.clock.val();
        self.pend1.write_clock.next = self.clock.val();

        // ================= reads =================
        self.addr_q.d.next = self.rd_addr.val();
        self.issue_q.d.next = self.issue.val();
        self.region_q.d.next = self.rd_region.val();
        self.x1.read_address.next = self.addr_q.q.val();
        self.x2.read_address.next = self.addr_q.q.val();
        self.v.read_address.next = self.addr_q.q.val();
        self.m.read_address.next = self.addr_q.q.val();
        self.refr.read_address.next = self.addr_q.q.val();
        self.rng.read_address.next = self.addr_q.q.val();
        self.set.read_address.next = self.addr_q.q.val();
        self.ext.read_address.next = self.addr_q.q.val();
        // The synaptic input: `acc` and the update's pending word (the bank reads the other).
        self.acc.read_address.next = self.addr_q.q.val();
        self.dl_data0.next = self.f_pend0.q.val();
        self.dl_data1.next = self.f_pend1.q.val();
        self.dl_addr_q.d.next = self.dl_rd_addr.val();
        self.pend0.read_address.next = self.addr_q.q.val();
        self.pend1.read_address.next = self.dl_addr_q.q.val();
        if self.parity.val() {
            self.pend1.read_address.next = self.addr_q.q.val();
            self.pend0.read_address.next = self.dl_addr_q.q.val();
        }
        self.f_acc.d.next = self.acc.read_data.val();
        self.f_pend0.d.next = self.pend0.read_data.val();
        self.f_pend1.d.next = self.pend1.read_data.val();
        self.n_acc.d.next = self.f_acc.q.val();
        self.n_pend.d.next = self.f_pend0.q.val();
        if self.parity.val() {
            self.n_pend.d.next = self.f_pend1.q.val();
        }
        self.pend48.next = signed_bit_cast::<48, 32>(self.n_pend.q.val());
        self.syn_sum.next = self.n_acc.q.val() + self.pend48.val(); // Q2.22 acc + pending
        self.f_region.d.next = self.region_q.q.val();
        self.n_region.d.next = self.f_region.q.val();
        self.s_region.d.next = self.n_region.q.val();
        self.s_ext.d.next = self.n_ext.q.val();
        if self.n_ext_hit.q.val() {
            self.s_ext.d.next = self.n_ext_new.q.val();
        }
        // The word registered before it leaves the lane: the read path and the probe
        // engine each choose among the lanes' words, across the die from them.
        self.rd_data.next = self.rd_q.q.val();
        self.rd_q.d.next = bits::<32>(0);
        if self.s_region.q.val() == self.g_x1.val() {
            self.rd_q.d.next = unsigned_cast(signed_bit_cast::<32, 25>(self.s_x1.q.val()));
        }
        if self.s_region.q.val() == self.g_x2.val() {
            self.rd_q.d.next = unsigned_cast(signed_bit_cast::<32, 25>(self.s_x2.q.val()));
        }
        if self.s_region.q.val() == self.g_v.val() {
            self.rd_q.d.next = unsigned_cast(signed_bit_cast::<32, 25>(self.s_v.q.val()));
        }
        if self.s_region.q.val() == self.g_m.val() {
            self.rd_q.d.next = unsigned_cast(signed_bit_cast::<32, 18>(self.s_m.q.val()));
        }
        if self.s_region.q.val() == self.g_refr.val() {
            self.rd_q.d.next = bit_cast::<32, 16>(self.s_refr.q.val());
        }
        if self.s_region.q.val() == self.g_rng.val() {
            self.rd_q.d.next = self.s_rng.q.val();
        }
        if self.s_region.q.val() == self.g_set.val() {
            self.rd_q.d.next = bit_cast::<32, 4>(self.s_set.q.val());
        }
        if self.s_region.q.val() == self.g_ext.val() {
            self.rd_q.d.next = unsigned_cast(self.s_ext.q.val());
        }
        if self.s_region.q.val() == self.g_acc.val() {
            // The window's word: the low 32 bits.
            self.rd_q.d.next = unsigned_cast(signed_bit_cast::<32, 48>(self.s_syn.q.val()));
        }

        // ================= the write port =================
        self.we_x1_q.d.next = self.wr_en.val() & (self.wr_region.val() == self.g_x1.val());
        self.we_x2_q.d.next = self.wr_en.val() & (self.wr_region.val() == self.g_x2.val());
        self.we_v_q.d.next = self.wr_en.val() & (self.wr_region.val() == self.g_v.val());
        self.we_m_q.d.next = self.wr_en.val() & (self.wr_region.val() == self.g_m.val());
        self.we_refr_q.d.next = self.wr_en.val() & (self.wr_region.val() == self.g_refr.val());
        self.we_rng_q.d.next = self.wr_en.val() & (self.wr_region.val() == self.g_rng.val());
        self.we_set_q.d.next = self.wr_en.val() & (self.wr_region.val() == self.g_set.val());
        self.we_ext_q.d.next = self.wr_en.val() & (self.wr_region.val() == self.g_ext.val());
        self.we_acc_q.d.next = self.wr_en.val() & (self.wr_region.val() == self.g_acc.val());
        self.wr_addr_q.d.next = self.wr_addr.val();
        self.wr_data_q.d.next = self.wr_data.val();
        self.x1.write_address.next = self.wr_addr_q.q.val();
        self.x2.write_address.next = self.wr_addr_q.q.val();
        self.v.write_address.next = self.wr_addr_q.q.val();
        self.m.write_address.next = self.wr_addr_q.q.val();
        self.refr.write_address.next = self.wr_addr_q.q.val();
        self.rng.write_address.next = self.wr_addr_q.q.val();
        self.set.write_address.next = self.wr_addr_q.q.val();
        self.ext.write_address.next = self.wr_addr_q.q.val();
        self.acc.write_address.next = self.wr_addr_q.q.val();
        self.x1.write_data.next = signed_cast(self.wr_data_q.q.val().get_bits::<25>(0));
        self.x2.write_data.next = signed_cast(self.wr_data_q.q.val().get_bits::<25>(0));
        self.v.write_data.next = signed_cast(self.wr_data_q.q.val().get_bits::<25>(0));
        self.m.write_data.next = signed_cast(self.wr_data_q.q.val().get_bits::<18>(0));
        self.refr.write_data.next = self.wr_data_q.q.val().get_bits::<16>(0);
        self.rng.write_data.next = self.wr_data_q.q.val();
        self.set.write_data.next = self.wr_data_q.q.val().get_bits::<4>(0);
        self.ext.write_data.next = signed_cast(self.wr_data_q.q.val());
        self.acc.write_data.next = signed_bit_cast::<48, 32>(signed_cast(self.wr_data_q.q.val()));
        self.x1.write_enable.next = self.we_x1_q.q.val();
        self.x2.write_enable.next = self.we_x2_q.q.val();
        self.v.write_enable.next = self.we_v_q.q.val();
        self.m.write_enable.next = self.we_m_q.q.val();
        self.refr.write_enable.next = self.we_refr_q.q.val();
        self.rng.write_enable.next = self.we_rng_q.q.val();
        self.set.write_enable.next = self.we_set_q.q.val();
        self.ext.write_enable.next = self.we_ext_q.q.val();
        self.ext_hit.d.next = self.ext.write_enable.val() & (self.wr_addr_q.q.val() == self.addr_q.q.val());
        self.ext_new.d.next = signed_cast(self.wr_data_q.q.val());
        self.f_ext_hit.d.next = self.ext_hit.q.val();
        self.f_ext_new.d.next = self.ext_new.q.val();
        self.n_ext_hit.d.next = self.f_ext_hit.q.val();
        self.n_ext_new.d.next = self.f_ext_new.q.val();
        self.acc.write_enable.next = self.we_acc_q.q.val();

        // ================= the pending memories' writes =================
        // By default the host's write to ACC clears both; the update clears the word it
        // took as soon as the word is in `f_*` (`acc + pending` goes back into `acc` from
        // `s_syn`, two cycles on); the bank writes the other memory.
        self.dl_we_q.d.next = self.dl_we.val();
        self.dl_wr_addr_q.d.next = self.dl_wr_addr.val();
        self.dl_wr_data_q.d.next = self.dl_wr_data.val();
        self.pend0.write_address.next = self.wr_addr_q.q.val();
        self.pend1.write_address.next = self.wr_addr_q.q.val();
        self.pend0.write_data.next = signed_cast(bits::<32>(0));
        self.pend1.write_data.next = signed_cast(bits::<32>(0));
        self.pend0.write_enable.next = self.we_acc_q.q.val();
        self.pend1.write_enable.next = self.we_acc_q.q.val();
        if self.s_valid.q.val() {
            self.acc.write_address.next = self.s_tag.q.val().get_bits::<LB>(0);
            self.acc.write_data.next = self.s_syn.q.val();
            self.acc.write_enable.next = true;
        }
        if self.parity.val() {
            if self.f_valid.q.val() {
                self.pend1.write_address.next = self.f_tag.q.val().get_bits::<LB>(0);
                self.pend1.write_enable.next = true;
            }
            if self.dl_we_q.q.val() {
                self.pend0.write_address.next = self.dl_wr_addr_q.q.val();
                self.pend0.write_data.next = signed_cast(self.dl_wr_data_q.q.val());
                self.pend0.write_enable.next = true;
            }
        } else {
            if self.f_valid.q.val() {
                self.pend0.write_address.next = self.f_tag.q.val().get_bits::<LB>(0);
                self.pend0.write_enable.next = true;
            }
            if self.dl_we_q.q.val() {
                self.pend1.write_address.next = self.dl_wr_addr_q.q.val();
                self.pend1.write_data.next = signed_cast(self.dl_wr_data_q.q.val());
                self.pend1.write_enable.next = true;
            }
        }

        // ================= pipeline input: the neuron read last cycle, registered once more =================
        self.rd_valid.d.next = self.issue_q.q.val();
        // The pipeline carries the neuron's address in the lane as its tag.
        self.rd_tag.d.next = bit_cast::<20, LB>(self.addr_q.q.val());
        self.f_valid.d.next = self.rd_valid.q.val();
        self.f_tag.d.next = self.rd_tag.q.val();
        self.f_set.d.next = self.set.read_data.val();
        self.f_x1.d.next = self.x1.read_data.val();
        self.f_x2.d.next = self.x2.read_data.val();
        self.f_v.d.next = self.v.read_data.val();
        self.f_m.d.next = self.m.read_data.val();
        self.f_refr.d.next = self.refr.read_data.val();
        self.f_rng.d.next = self.rng.read_data.val();
        self.f_ext.d.next = self.ext.read_data.val();
        self.n_valid.d.next = self.f_valid.q.val();
        self.n_tag.d.next = self.f_tag.q.val();
        self.n_set.d.next = self.f_set.q.val();
        self.n_x1.d.next = self.f_x1.q.val();
        self.n_x2.d.next = self.f_x2.q.val();
        self.n_v.d.next = self.f_v.q.val();
        self.n_m.d.next = self.f_m.q.val();
        self.n_refr.d.next = self.f_refr.q.val();
        self.n_rng.d.next = self.f_rng.q.val();
        self.n_ext.d.next = self.f_ext.q.val();
        self.ext48.next = signed_bit_cast::<48, 32>(self.n_ext.q.val());
        self.csa_a.next = unsigned_cast(self.ext48.val());
        self.csa_b.next = unsigned_cast(self.n_acc.q.val());
        self.csa_c.next = unsigned_cast(self.pend48.val());
        self.csa_sum.next = self.csa_a.val() ^ self.csa_b.val() ^ self.csa_c.val();
        self.csa_carry.next = ((self.csa_a.val() & self.csa_b.val())
            | (self.csa_a.val() & self.csa_c.val())
            | (self.csa_b.val() & self.csa_c.val()))
            << 1;
        self.s_u.d.next = signed_cast(self.csa_sum.val() + self.csa_carry.val()); // Q2.22 ext + acc + pending
        self.s_syn.d.next = self.syn_sum.val();
        self.s_valid.d.next = self.n_valid.q.val();
        self.s_tag.d.next = self.n_tag.q.val();
        self.s_set.d.next = self.n_set.q.val();
        self.s_x1.d.next = self.n_x1.q.val();
        self.s_x2.d.next = self.n_x2.q.val();
        self.s_v.d.next = self.n_v.q.val();
        self.s_m.d.next = self.n_m.q.val();
        self.s_refr.d.next = self.n_refr.q.val();
        self.s_rng.d.next = self.n_rng.q.val();
        self.pipe.in_valid.next = self.s_valid.q.val();
        self.pipe.in_tag.next = self.s_tag.q.val();
        self.pipe.in_set.next = self.s_set.q.val();
        self.pipe.in_x1.next = self.s_x1.q.val();
        self.pipe.in_x2.next = self.s_x2.q.val();
        self.pipe.in_v.next = self.s_v.q.val();
        self.pipe.in_m.next = self.s_m.q.val();
        self.pipe.in_refr.next = self.s_refr.q.val();
        self.pipe.in_rng.next = self.s_rng.q.val();
        self.pipe.in_u.next = self.s_u.q.val();
        self.tbl_addr.d.next = self.cfg_addr.val();
        self.tbl_data.d.next = self.cfg_data.val();
        self.tbl_coef_we.d.next = self.coef_we.val();
        self.tbl_drive_we.d.next = self.drive_we.val();
        self.tbl_sqrt_we.d.next = self.sqrt_we.val();
        self.pipe.cfg_addr.next = self.tbl_addr.q.val();
        self.pipe.cfg_data.next = self.tbl_data.q.val();
        self.pipe.coef_we.next = self.tbl_coef_we.q.val();
        self.pipe.drive_we.next = self.tbl_drive_we.q.val();
        self.pipe.sqrt_we.next = self.tbl_sqrt_we.q.val();
        self.tbl_drive_set.next = self.pipe.tbl_drive_set.val();
        self.tbl_drive_index.next = self.pipe.tbl_drive_index.val();
        self.tbl_sqrt_index.next = self.pipe.tbl_sqrt_index.val();
        self.pipe.ext_drive_entry.next = self.ext_drive_entry.val();
        self.pipe.ext_sqrt_entry.next = self.ext_sqrt_entry.val();
        self.pipe.nb_drive_set.next = self.nb_drive_set.val();
        self.pipe.nb_drive_index.next = self.nb_drive_index.val();
        self.pipe.nb_sqrt_index.next = self.nb_sqrt_index.val();
        self.nb_drive_entry.next = self.pipe.nb_drive_entry.val();
        self.nb_sqrt_entry.next = self.pipe.nb_sqrt_entry.val();

        // ================= pipeline output: write back =================
        self.fired_valid.next = self.pipe.fired_valid.val();
        self.fired_addr.next = self.pipe.fired_tag.val().get_bits::<LB>(0);
        self.fired.next = self.pipe.fired.val();
        self.unwritten_q.d.next = self.pipe.unwritten.val();
        self.writing_back.next = self.unwritten_q.q.val();
        if self.pipe.out_valid.val() {
            self.x1.write_address.next = self.pipe.out_tag.val().get_bits::<LB>(0);
            self.x2.write_address.next = self.pipe.out_tag.val().get_bits::<LB>(0);
            self.v.write_address.next = self.pipe.out_tag.val().get_bits::<LB>(0);
            self.m.write_address.next = self.pipe.out_tag.val().get_bits::<LB>(0);
            self.refr.write_address.next = self.pipe.out_tag.val().get_bits::<LB>(0);
            self.rng.write_address.next = self.pipe.out_tag.val().get_bits::<LB>(0);
            self.x1.write_data.next = self.pipe.out_x1.val();
            self.x2.write_data.next = self.pipe.out_x2.val();
            self.v.write_data.next = self.pipe.out_v.val();
            self.m.write_data.next = self.pipe.out_m.val();
            self.refr.write_data.next = self.pipe.out_refr.val();
            self.rng.write_data.next = self.pipe.out_rng.val();
            self.x1.write_enable.next = true;
            self.x2.write_enable.next = true;
            self.v.write_enable.next = true;
            self.m.write_enable.next = true;
            self.refr.write_enable.next = true;
            self.rng.write_enable.next = true;
        }
    }
}
