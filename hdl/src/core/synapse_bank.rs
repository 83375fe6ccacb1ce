//! `SynapseBank`: the synapses into one lane, and their delivery. Every lane has one: the
//! synapses whose targets live in it (2^SB of them), each source neuron's row of them
//! (where each ends, by source number, 2^NB sources), and a nine-step pipeline that adds
//! each synapse's weight (pulse start) or subtracts it (pulse end, `neg`) to the target's
//! pending accumulator in its lane (see `NeuronLane`: the next step's synaptic input). The
//! banks of all lanes walk the same source's rows at once (`WalkSequencer` tells them which
//! and when), so P synaptic events land per cycle.
//!
//! The row of the next source is looked up while the current one streams: the rows are
//! consecutive (`memfire_spec::memmap::Region::RowEnd`), so the row memory's two ports read
//! the ends of `source`'s row and of the one before it every cycle, the next cycle
//! registers them, and the one after registers the row's start and length (`nxt_*`,
//! three cycles after `source`), which `go` takes.
//!
//! Per synapse, ten steps, each a cycle: give the synapse memory its address (`syn_rd`);
//! read it at the block RAM, from the address registered beside it (`syn_ram`); the word
//! in the register beside the block RAM (`syn_bank`); through the memory's registered read
//! multiplexer (`syn_mux`); register the synapse; give its target's address to the lane
//! and decode its weight code (`tgt_got`); the lane's address register holds it and the
//! accumulator is read (`acc_addr`); the lane registers the word beside its block RAM and
//! the bank the signed weight (`acc_rd`); register the accumulator and the forwarding
//! choice (`acc_lane`); add and write back (`acc_got`). The lane's register is what lets a
//! pending memory's late output (5.6 ns on an ECP5) reach the bank across the die.
//! A read misses the four accumulator writes given before it (one still in the write
//! step, one in the lane's write register, one landed the edge after the read, one landing
//! at the edge of the read, which the RAM reads first), so the newest of those to the same
//! target is forwarded instead.
//!
//! A walk of pulse ends is for one width class: a synapse of another class goes no further
//! than its register (its pulse ends in another walk, at its own width's step).

use memfire_spec::memmap::{Region, SYN_CLASS_SHIFT, SYN_TARGET_BITS, SYN_WEIGHT_SHIFT};
use memfire_spec::weight_code::{WEIGHT_CODE_BITS, WEIGHT_MANTISSA_BITS};

// The field positions `update` reads a synapse word at (literals there, as rust-hdl's
// Verilog needs): class at bit 14, mantissa at 18, exponent at 27, sign at 31.
const _: () = assert!(
    SYN_CLASS_SHIFT == 14
        && SYN_WEIGHT_SHIFT == 18
        && WEIGHT_MANTISSA_BITS == 9
        && SYN_WEIGHT_SHIFT + WEIGHT_CODE_BITS == 32
);
use rust_hdl::prelude::*;

use super::synapse_ram::SynapseRam;
use super::{region, word};
use crate::arith::dual_read_ram::DualReadRam;

#[derive(LogicBlock)]
pub struct SynapseBank<const LB: usize, const NB: usize, const SB: usize> {
    pub clock: Signal<In, Clock>,
    /// The source whose row `go` starts next (held until then).
    pub source: Signal<In, Bits<32>>,
    /// `source − 1` (the walk's register).
    pub source_prev: Signal<In, Bits<32>>,
    /// Start the row of `source`, as pulse starts or (with `neg`) ends of class `wclass`.
    pub go: Signal<In, Bit>,
    pub neg: Signal<In, Bit>,
    pub wclass: Signal<In, Bits<8>>,
    /// Every synapse of the row has been read (registered).
    pub row_done: Signal<Out, Bit>,
    /// No synapse in the pipeline (registered): with `row_done`, the bank is finished.
    pub empty: Signal<Out, Bit>,
    /// The lane's accumulator: the address to read, the word read (three cycles later),
    /// the write of a target's new value (Q2.22). The word comes from both of the lane's
    /// pending memories (`acc0`, `acc1`: each from a register beside its block RAM), and
    /// the bank takes the one the update does not (`parity`: the lane's) into its register,
    /// so the step's parity, from across the die, is not in the add's cycle.
    pub acc_rd_addr: Signal<Out, Bits<LB>>,
    pub acc0: Signal<In, Signed<32>>,
    pub acc1: Signal<In, Signed<32>>,
    pub parity: Signal<In, Bit>,
    pub acc_we: Signal<Out, Bit>,
    pub acc_wr_addr: Signal<Out, Bits<LB>>,
    pub acc_value: Signal<Out, Bits<32>>,
    /// A pulse start was delivered (counted in SYN_EVENTS).
    pub syn_event: Signal<Out, Bit>,
    /// The host's bus: this bank's share of the synapse and row windows (written while
    /// idle; the synapse words read any time, `syn_rdata` and `host_hit` six cycles after
    /// an access to them: the bank's input register, the memory's four, then a register).
    pub host_region: Signal<In, Bits<5>>,
    pub host_index: Signal<In, Bits<20>>,
    pub host_wdata: Signal<In, Bits<32>>,
    pub host_we: Signal<In, Bit>,
    pub syn_rdata: Signal<Out, Bits<32>>,
    pub host_hit: Signal<Out, Bit>,

    /// The synapse words (`memfire_spec::memmap::synapse_word`), as many as the bank holds.
    syn: SynapseRam<SB>,
    /// Row ends of SB bits (a synapse index in the bank, modulo 2^SB): port A reads the
    /// end of `source`'s row and takes the host's writes, port B reads the end of the row
    /// before it.
    row_end: DualReadRam<NB, SB>,
    /// `source` is neuron 0 (its row starts at 0), registered with the ends' read, then
    /// beside them.
    first_row: DFF<Bit>,
    first_row_q: DFF<Bit>,
    /// The two ends, registered at the block RAM.
    end_q: DFF<Bits<SB>>,
    prev_end_q: DFF<Bits<SB>>,
    /// The next source's row: where it starts and how long it is.
    nxt_start: DFF<Bits<32>>,
    nxt_len: DFF<Bits<32>>,
    /// The registered row's start: the end before it, or 0 for neuron 0's.
    row_start_now: Signal<Local, Bits<SB>>,
    neg_r: DFF<Bit>,
    class_r: DFF<Bits<8>>,
    /// The synapse to read next, and how many of the row are left (a count down);
    /// `syn_more` = `syn_left ≠ 0`, kept beside it.
    syn_k: DFF<Bits<32>>,
    syn_left: DFF<Bits<32>>,
    syn_more: DFF<Bit>,
    /// What `syn_k` and `syn_more` take at the clock edge (their `d`, which `update` cannot
    /// read back), for `syn_ra`.
    w_k_next: Signal<Local, Bits<32>>,
    w_more_next: Signal<Local, Bit>,
    /// The synapse memory's read address (`syn_k` while a row is read, else the host's
    /// index), chosen a cycle ahead from what those registers take: the memory decodes
    /// which of its ~80 block RAMs reads from this flip-flop, not from a multiplexer
    /// behind two others, and that decode's route spans the die.
    syn_ra: DFF<Bits<SB>>,
    /// The synapse read: its target, width class and weight code (sign, exponent,
    /// mantissa: `memfire_spec::weight_code`).
    tgt: DFF<Bits<32>>,
    tgt_class: DFF<Bits<8>>,
    w_sign: DFF<Bit>,
    w_exp: DFF<Bits<4>>,
    w_mant: DFF<Bits<32>>,
    /// Which of the ten steps hold a synapse.
    syn_rd: DFF<Bit>,
    syn_ram: DFF<Bit>,
    syn_bank: DFF<Bit>,
    syn_mux: DFF<Bit>,
    tgt_got: DFF<Bit>,
    acc_addr: DFF<Bit>,
    acc_rd: DFF<Bit>,
    acc_lane: DFF<Bit>,
    acc_got: DFF<Bit>,
    /// The address step's target, weight magnitude and whether it is taken away (`a_*`),
    /// then the read step's signed weight (`r_*`), the lane step's (`q_*`), then the write
    /// step's (`w_*`, with the accumulator read). The decode is split over the two steps
    /// (shift, then sign) so neither holds the shifter and the negation together.
    a_tgt: DFF<Bits<32>>,
    a_mag: DFF<Bits<32>>,
    a_neg: DFF<Bit>,
    r_tgt: DFF<Bits<32>>,
    r_delta: DFF<Signed<32>>,
    q_tgt: DFF<Bits<32>>,
    q_delta: DFF<Signed<32>>,
    w_tgt: DFF<Bits<32>>,
    w_acc: DFF<Signed<32>>,
    w_delta: DFF<Signed<32>>,
    /// The write step takes `last_acc` (fwd1), else `fw_acc` (fw_use), else what the read
    /// found. Only the newest write, the one given in the step just before, is chosen in
    /// the write step itself: the three older ones to the same target are compared in
    /// the read step (`near2`..`near4`, newest first) and their accumulator chosen into
    /// `fw_acc` in the lane step, so the add's loop back to `last_acc` passes one 3:1
    /// choice.
    fwd1: DFF<Bit>,
    near2: DFF<Bit>,
    near3: DFF<Bit>,
    near4: DFF<Bit>,
    fw_use: DFF<Bit>,
    fw_acc: DFF<Signed<32>>,
    /// Accumulator writes given last cycle (`acc_wrote`, `last_tgt`, `last_acc`), the
    /// cycle before (`acc_wrote2`, `last_tgt2`, `last_acc2`) and the one before that
    /// (`last_acc3`).
    acc_wrote: DFF<Bit>,
    acc_wrote2: DFF<Bit>,
    last_tgt: DFF<Bits<32>>,
    last_tgt2: DFF<Bits<32>>,
    last_acc: DFF<Signed<32>>,
    last_acc2: DFF<Signed<32>>,
    last_acc3: DFF<Signed<32>>,
    /// The host's access, registered at the bank before it reaches the memories: the bus
    /// is shared by every bank on the die, and a write decoded straight from it into a
    /// memory's write enable would cross the die in one cycle. The write is decoded here
    /// (`h_*_we`, with its index `h_index` and word `h_wdata`); the read's index waits the
    /// same cycle, so a read given right after a write finds the new word.
    h_index: DFF<Bits<20>>,
    h_wdata: DFF<Bits<32>>,
    h_syn_we: DFF<Bit>,
    h_row_we: DFF<Bit>,
    /// Whether the host's access was to this bank's synapses, shifted in a cycle at a time
    /// (bit 5: six cycles ago, when its word is in `host_word`), and the word it read.
    hit: DFF<Bits<6>>,
    host_word: DFF<Bits<32>>,
    /// The host's index falls in this bank's share of a window.
    syn_mine: Signal<Local, Bit>,
    row_mine: Signal<Local, Bit>,
    /// The target's accumulator (forwarded when written in the last four cycles), and
    /// its new value.
    acc_now: Signal<Local, Signed<32>>,
    acc_new: Signal<Local, Signed<32>>,
    /// The weight's magnitude (Q2.22), decoded from its code.
    w_mag: Signal<Local, Bits<32>>,
    k_lane: Constant<Bits<32>>,
    k_syn_shift: Constant<Bits<5>>,
    k_row_shift: Constant<Bits<5>>,
    k_target_mask: Constant<Bits<32>>,
    k_hidden_one: Constant<Bits<32>>,
    g_synapse: Constant<Bits<5>>,
    g_row_end: Constant<Bits<5>>,
}

impl<const LB: usize, const NB: usize, const SB: usize> SynapseBank<LB, NB, SB> {
    /// The bank of lane `lane`, holding `depth` synapses (≤ 2^SB): host index
    /// `lane · 2^SB + k` is its synapse k, and `lane · 2^NB + n` its row of source n.
    pub fn new(lane: usize, depth: usize) -> Self {
        assert!(SB <= 20 && NB < 20, "bank indices fit a region's 20-bit index");
        Self {
            clock: Default::default(),
            source: Default::default(),
            source_prev: Default::default(),
            go: Default::default(),
            neg: Default::default(),
            wclass: Default::default(),
            row_done: Default::default(),
            empty: Default::default(),
            acc_rd_addr: Default::default(),
            acc0: Default::default(),
            acc1: Default::default(),
            parity: Default::default(),
            acc_we: Default::default(),
            acc_wr_addr: Default::default(),
            acc_value: Default::default(),
            syn_event: Default::default(),
            host_region: Default::default(),
            host_index: Default::default(),
            host_wdata: Default::default(),
            host_we: Default::default(),
            syn_rdata: Default::default(),
            host_hit: Default::default(),
            syn: SynapseRam::new(LB, depth),
            row_end: Default::default(),
            first_row: Default::default(),
            first_row_q: Default::default(),
            end_q: Default::default(),
            prev_end_q: Default::default(),
            row_start_now: Default::default(),
            nxt_start: Default::default(),
            nxt_len: Default::default(),
            neg_r: Default::default(),
            class_r: Default::default(),
            syn_k: Default::default(),
            syn_left: Default::default(),
            syn_more: Default::default(),
            w_k_next: Default::default(),
            w_more_next: Default::default(),
            syn_ra: Default::default(),
            tgt: Default::default(),
            tgt_class: Default::default(),
            w_sign: Default::default(),
            w_exp: Default::default(),
            w_mant: Default::default(),
            syn_rd: Default::default(),
            syn_ram: Default::default(),
            syn_bank: Default::default(),
            syn_mux: Default::default(),
            tgt_got: Default::default(),
            acc_addr: Default::default(),
            acc_rd: Default::default(),
            acc_lane: Default::default(),
            acc_got: Default::default(),
            a_tgt: Default::default(),
            a_mag: Default::default(),
            a_neg: Default::default(),
            r_tgt: Default::default(),
            r_delta: Default::default(),
            q_tgt: Default::default(),
            q_delta: Default::default(),
            w_tgt: Default::default(),
            w_acc: Default::default(),
            w_delta: Default::default(),
            fwd1: Default::default(),
            near2: Default::default(),
            near3: Default::default(),
            near4: Default::default(),
            fw_use: Default::default(),
            fw_acc: Default::default(),
            acc_wrote: Default::default(),
            acc_wrote2: Default::default(),
            last_tgt: Default::default(),
            last_tgt2: Default::default(),
            last_acc: Default::default(),
            last_acc2: Default::default(),
            last_acc3: Default::default(),
            h_index: Default::default(),
            h_wdata: Default::default(),
            h_syn_we: Default::default(),
            h_row_we: Default::default(),
            hit: Default::default(),
            host_word: Default::default(),
            syn_mine: Default::default(),
            row_mine: Default::default(),
            acc_now: Default::default(),
            acc_new: Default::default(),
            w_mag: Default::default(),
            k_lane: word(lane as u64),
            k_syn_shift: Constant::new((SB as u64).into()),
            k_row_shift: Constant::new((NB as u64).into()),
            k_target_mask: word((1u64 << SYN_TARGET_BITS) - 1),
            k_hidden_one: word(1u64 << WEIGHT_MANTISSA_BITS),
            g_synapse: region(Region::Synapse),
            g_row_end: region(Region::RowEnd),
        }
    }
}

impl<const LB: usize, const NB: usize, const SB: usize> Logic for SynapseBank<LB, NB, SB> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            first_row,
            first_row_q,
            end_q,
            prev_end_q,
            nxt_start,
            nxt_len,
            neg_r,
            class_r,
            syn_k,
            syn_left,
            syn_more,
            syn_ra,
            tgt,
            tgt_class,
            w_sign,
            w_exp,
            w_mant,
            syn_rd,
            syn_ram,
            syn_bank,
            syn_mux,
            tgt_got,
            acc_addr,
            acc_rd,
            acc_lane,
            acc_got,
            a_tgt,
            a_mag,
            a_neg,
            r_tgt,
            r_delta,
            q_tgt,
            q_delta,
            w_tgt,
            w_acc,
            w_delta,
            fwd1,
            near2,
            near3,
            near4,
            fw_use,
            fw_acc,
            acc_wrote,
            acc_wrote2,
            last_tgt,
            last_tgt2,
            last_acc,
            last_acc2,
            last_acc3
        );
        dff_setup!(self, clock, h_index, h_wdata, h_syn_we, h_row_we, hit, host_word);
        self.syn.clock.next = self.clock.val();
        self.row_end.clock.next = self.clock.val();

        // ---- the host's share: synapses lane · 2^SB + k, rows lane · 2^NB + n ----
        self.syn_mine.next = bit_cast::<32, 20>(self.host_index.val() >> self.k_syn_shift.val()) == self.k_lane.val();
        self.row_mine.next = bit_cast::<32, 20>(self.host_index.val() >> self.k_row_shift.val()) == self.k_lane.val();
        self.h_index.d.next = self.host_index.val();
        self.h_wdata.d.next = self.host_wdata.val();
        self.h_syn_we.d.next =
            self.host_we.val() & self.syn_mine.val() & (self.host_region.val() == self.g_synapse.val());
        self.h_row_we.d.next =
            self.host_we.val() & self.row_mine.val() & (self.host_region.val() == self.g_row_end.val());
        self.syn.write_address.next = self.h_index.q.val().get_bits::<SB>(0);
        self.syn.write_data.next = self.h_wdata.q.val();
        self.syn.write_enable.next = self.h_syn_we.q.val();
        self.row_end.write_address.next = self.h_index.q.val().get_bits::<NB>(0);
        self.row_end.write_data.next = self.h_wdata.q.val().get_bits::<SB>(0);
        self.row_end.write_enable.next = self.h_row_we.q.val();
        self.hit.d.next = self.hit.q.val() << 1;
        if self.syn_mine.val() {
            self.hit.d.next = (self.hit.q.val() << 1) | bits::<6>(1);
        }
        self.host_word.d.next = self.syn.read_data.val();
        self.host_hit.next = self.hit.q.val().get_bit(5);
        self.syn_rdata.next = self.host_word.q.val();

        // ---- the next row, read every cycle ----
        // Lengths are differences of ends modulo 2^SB: the driver keeps every row shorter
        // than the bank (`memfire_spec::memmap::row_fits`).
        self.row_end.read_enable_a.next = true;
        self.row_end.read_enable_b.next = true;
        self.row_end.read_address_a.next = self.source.val().get_bits::<NB>(0);
        self.row_end.read_address_b.next = self.source_prev.val().get_bits::<NB>(0);
        self.first_row.d.next = self.source.val().get_bits::<NB>(0) == bits::<NB>(0);
        self.first_row_q.d.next = self.first_row.q.val();
        self.end_q.d.next = self.row_end.read_data_a.val();
        self.prev_end_q.d.next = self.row_end.read_data_b.val();
        self.row_start_now.next = self.prev_end_q.q.val();
        if self.first_row_q.q.val() {
            self.row_start_now.next = bits::<SB>(0);
        }
        self.nxt_start.d.next = bit_cast::<32, SB>(self.row_start_now.val());
        self.nxt_len.d.next = bit_cast::<32, SB>(self.end_q.q.val() - self.row_start_now.val());

        // ---- the synapses of the row, one a cycle (the host's address when none is read) ----
        self.syn.read_address.next = self.syn_ra.q.val();
        self.syn_rd.d.next = false;
        self.w_k_next.next = self.syn_k.q.val();
        self.w_more_next.next = self.syn_more.q.val();
        if self.syn_more.q.val() {
            self.w_k_next.next = self.syn_k.q.val() + 1;
            self.syn_left.d.next = self.syn_left.q.val() - 1;
            self.w_more_next.next = self.syn_left.q.val() != 1;
            self.syn_rd.d.next = true;
        }
        if self.go.val() {
            self.w_k_next.next = self.nxt_start.q.val();
            self.syn_left.d.next = self.nxt_len.q.val();
            self.w_more_next.next = self.nxt_len.q.val() != 0;
            self.neg_r.d.next = self.neg.val();
            self.class_r.d.next = self.wclass.val();
        }
        self.syn_k.d.next = self.w_k_next.val();
        self.syn_more.d.next = self.w_more_next.val();
        // The address the memory reads next cycle: the row's next synapse while one is
        // left to read, else the host's index (`h_index` takes `host_index` at this edge).
        self.syn_ra.d.next = self.host_index.val().get_bits::<SB>(0);
        if self.w_more_next.val() {
            self.syn_ra.d.next = self.w_k_next.val().get_bits::<SB>(0);
        }
        self.row_done.next = !self.syn_more.q.val();
        self.empty.next = !self.syn_rd.q.val()
            & !self.syn_ram.q.val()
            & !self.syn_bank.q.val()
            & !self.syn_mux.q.val()
            & !self.tgt_got.q.val()
            & !self.acc_addr.q.val()
            & !self.acc_rd.q.val()
            & !self.acc_lane.q.val()
            & !self.acc_got.q.val();

        // ---- the pipeline, every cycle ----
        self.syn_ram.d.next = self.syn_rd.q.val();
        self.syn_bank.d.next = self.syn_ram.q.val();
        self.syn_mux.d.next = self.syn_bank.q.val();
        self.tgt_got.d.next = false;
        self.acc_addr.d.next = false;
        self.acc_rd.d.next = false;
        self.acc_got.d.next = false;
        self.acc_wrote.d.next = false;
        self.acc_lane.d.next = false;
        self.acc_wrote2.d.next = self.acc_wrote.q.val();
        self.last_tgt2.d.next = self.last_tgt.q.val();
        self.last_acc2.d.next = self.last_acc.q.val();
        self.last_acc3.d.next = self.last_acc2.q.val();
        self.acc_we.next = false;
        self.syn_event.next = false;
        self.acc_rd_addr.next = self.tgt.q.val().get_bits::<LB>(0);
        self.acc_wr_addr.next = self.w_tgt.q.val().get_bits::<LB>(0);
        self.acc_now.next = self.w_acc.q.val();
        if self.fw_use.q.val() {
            self.acc_now.next = self.fw_acc.q.val();
        }
        if self.fwd1.q.val() {
            self.acc_now.next = self.last_acc.q.val();
        }
        self.acc_new.next = self.acc_now.val() + self.w_delta.q.val(); // Q2.22
        self.acc_value.next = unsigned_cast(self.acc_new.val());

        if self.syn_mux.q.val() {
            self.tgt.d.next = self.syn.read_data.val() & self.k_target_mask.val();
            self.tgt_class.d.next = bit_cast::<8, 4>(self.syn.read_data.val().get_bits::<4>(14));
            self.w_sign.d.next = self.syn.read_data.val().get_bit(31);
            self.w_exp.d.next = self.syn.read_data.val().get_bits::<4>(27);
            self.w_mant.d.next = bit_cast::<32, 9>(self.syn.read_data.val().get_bits::<9>(18));
            self.tgt_got.d.next = true;
        }
        // The target's accumulator is read (`acc_rd_addr`, whatever the step holds).
        // The weight code's magnitude: the mantissa alone (exponent 0), or with its
        // leading one, shifted left by the exponent less one. Written as "by the exponent,
        // then back by one" so no subtraction feeds the shifter (the leading one sits at
        // bit 9 and the exponent is at most 15: nothing is shifted out at the top).
        self.w_mag.next = self.w_mant.q.val();
        if self.w_exp.q.val() != 0 {
            self.w_mag.next =
                ((self.w_mant.q.val() | self.k_hidden_one.val()) << bit_cast::<32, 4>(self.w_exp.q.val())) >> 1;
        }
        if self.tgt_got.q.val() {
            self.a_tgt.d.next = self.tgt.q.val();
            self.a_mag.d.next = self.w_mag.val();
            // Q2.22: a pulse start adds the weight, its end takes it back.
            self.a_neg.d.next = self.neg_r.q.val() ^ self.w_sign.q.val();
            self.acc_addr.d.next = !self.neg_r.q.val() | (self.tgt_class.q.val() == self.class_r.q.val());
        }
        if self.acc_addr.q.val() {
            self.r_tgt.d.next = self.a_tgt.q.val();
            self.r_delta.d.next = signed_cast(self.a_mag.q.val());
            if self.a_neg.q.val() {
                self.r_delta.d.next = -signed_cast(self.a_mag.q.val());
            }
            self.acc_rd.d.next = true;
        }
        // The writes the read step's synapse will have missed, but the newest, by target:
        // the one in the write step now, and the two given before it.
        self.near2.d.next = self.acc_got.q.val() & (self.w_tgt.q.val() == self.r_tgt.q.val());
        self.near3.d.next = self.acc_wrote.q.val() & (self.last_tgt.q.val() == self.r_tgt.q.val());
        self.near4.d.next = self.acc_wrote2.q.val() & (self.last_tgt2.q.val() == self.r_tgt.q.val());
        if self.acc_rd.q.val() {
            self.q_tgt.d.next = self.r_tgt.q.val();
            self.q_delta.d.next = self.r_delta.q.val();
            self.acc_lane.d.next = true;
        }
        if self.acc_lane.q.val() {
            self.acc_got.d.next = true;
            self.w_tgt.d.next = self.q_tgt.q.val();
            // The pending memory the update does not take (the parity holds while a walk
            // runs).
            self.w_acc.d.next = self.acc1.val();
            if self.parity.val() {
                self.w_acc.d.next = self.acc0.val();
            }
            self.w_delta.d.next = self.q_delta.q.val();
            self.fwd1.d.next = self.acc_got.q.val() & (self.w_tgt.q.val() == self.q_tgt.q.val());
            // The older writes the read missed: `last_acc` now holds the one `near2` found,
            // `last_acc2` `near3`'s, `last_acc3` `near4`'s.
            self.fw_use.d.next = self.near2.q.val() | self.near3.q.val() | self.near4.q.val();
            self.fw_acc.d.next = self.last_acc3.q.val();
            if self.near3.q.val() {
                self.fw_acc.d.next = self.last_acc2.q.val();
            }
            if self.near2.q.val() {
                self.fw_acc.d.next = self.last_acc.q.val();
            }
        }
        if self.acc_got.q.val() {
            self.acc_we.next = true;
            self.last_acc.d.next = self.acc_new.val();
            self.last_tgt.d.next = self.w_tgt.q.val();
            self.acc_wrote.d.next = true;
            self.syn_event.next = !self.neg_r.q.val();
        }
    }
}
