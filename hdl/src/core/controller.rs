//! `Controller`: the timestep controller. One step, as in `memfire_spec::model::Model::step`:
//! 1. **Check**: wait until the output ring has room for a spike from every neuron (the
//!    host is slow: stall, count the cycles, lose nothing), the history has room, and the
//!    DMA engine has applied this step's input events.
//! 2. **Update**: issue groups of P neurons (neuron `n` is in lane `n mod P` at address
//!    `n / P`) to the lanes, one group a cycle while the spike queue has room; wait until
//!    every group's spike flags are out of the lanes and every spike has left the queue,
//!    then give the history the step's spike count. Meanwhile the synapse walk delivers
//!    the pulses that take effect at the next step into the lanes' pending memories (see
//!    `NeuronLane`), in its own sequence (`DeliveryPhase`):
//!    - **Settle**, **Ends**: for each width class c in turn, it ends the pulses of class c
//!      of the spikes of step − width[c] (the history looks up that step's entries while
//!      the controller waits `history::SETTLE` cycles after choosing the class);
//!    - **Starts**: it starts the pulses of this step's spikes, following the history as
//!      the spike queue fills it, until the update is over and every spike is walked.
//! 3. **Walks**: wait for the delivery's end (the rows of the last spikes) and for the
//!    lanes' last write-backs, which follow their spike flags by a few cycles.
//! 4. **Probe**: the probe engine sends the probe list's records (when there are probes and
//!    the DMA engine takes spikes).
//!
//! Without probes the step ends (the step counter, the parity, the next check) in the
//! cycle the walks do, not in a phase of its own; after the probes, in `Finish`.

use rust_hdl::prelude::*;

use super::history::SETTLE;
use super::{lane_ids, lane_mask, lane_shift, WIDTH_CLASS_BITS};

// `class_r` and `class_last` hold any class number in 8 bits.
const _: () = assert!(WIDTH_CLASS_BITS <= 8);

#[derive(Copy, Clone, Debug, PartialEq, Eq, LogicState)]
pub enum CtrlPhase {
    Idle,
    Check,
    Update,
    /// Wait for the delivery of the pulses and the lanes' write-backs to end.
    Walks,
    Probe,
    /// The step's end after the probes.
    Finish,
}

/// The delivery of a step's pulse ends and starts, beside its update.
#[derive(Copy, Clone, Debug, PartialEq, Eq, LogicState)]
pub enum DeliveryPhase {
    Idle,
    /// Start the walk of the selected class's pulses that end (if step − width had
    /// spikes), or go on to the next class.
    Settle,
    Ends,
    /// Start the live walk of this step's pulse starts (the walk of ends is over).
    StartsGo,
    Starts,
    Done,
}

#[derive(LogicBlock)]
pub struct Controller<const LB: usize, const P: usize> {
    pub clock: Signal<In, Clock>,
    /// CTRL commands and the host's settings (from `RegisterFile`).
    pub run_cmd: Signal<In, Bit>,
    pub free_run_bit: Signal<In, Bit>,
    pub stop_cmd: Signal<In, Bit>,
    pub clear: Signal<In, Bit>,
    pub step_lo_we: Signal<In, Bit>,
    pub step_hi_we: Signal<In, Bit>,
    pub wdata: Signal<In, Bits<32>>,
    pub run_steps: Signal<In, Bits<32>>,
    pub active: Signal<In, Bits<32>>,
    /// Width classes in use, and whether the core has that many.
    pub classes: Signal<In, Bits<32>>,
    pub classes_ok: Signal<In, Bit>,
    pub probe_count: Signal<In, Bits<32>>,
    /// The DMA engine: takes spikes; holds this step for its inputs; applies one now;
    /// halted on a fault.
    pub c2h_on: Signal<In, Bit>,
    pub dma_hold: Signal<In, Bit>,
    pub dma_ext_we: Signal<In, Bit>,
    pub dma_halted: Signal<In, Bit>,
    /// Room for a step in the history and the output ring.
    pub hist_short: Signal<In, Bit>,
    pub out_short: Signal<In, Bit>,
    /// The history's pointers: this step's spikes are `hist_start..hist_wp`; the spikes of
    /// step − width of the selected class are the `class_due` entries at `class_first`,
    /// if that step has come (`class_reached`); `class_ends`: it has, with spikes.
    pub hist_wp: Signal<In, Bits<32>>,
    pub hist_start: Signal<In, Bits<32>>,
    pub class_first: Signal<In, Bits<32>>,
    pub class_due: Signal<In, Bits<32>>,
    pub class_reached: Signal<In, Bit>,
    pub class_ends: Signal<In, Bit>,
    /// Lane 0 reported a group's spike flags (every issued group has a neuron in lane 0),
    /// and has write-backs left (all lanes run in step); the spike queue's state.
    pub lane0_fired: Signal<In, Bit>,
    pub lane0_writing: Signal<In, Bit>,
    pub queue_nearly_full: Signal<In, Bit>,
    pub queue_busy: Signal<In, Bit>,
    pub walk_done: Signal<In, Bit>,
    pub probe_done: Signal<In, Bit>,
    pub probe_stall: Signal<In, Bit>,

    pub idle: Signal<Out, Bit>,
    pub in_check: Signal<Out, Bit>,
    /// A configuration word may enter the bus now (idle, or holding a step for the ring).
    pub cfg_window: Signal<Out, Bit>,
    pub step: Signal<Out, Bits<64>>,
    pub step_lo: Signal<Out, Bits<32>>,
    /// The update addresses the lanes' read port (the next group's address, whether or
    /// not it issues, so the issue decision is not in front of every lane memory).
    pub lane_rd_own: Signal<Out, Bit>,
    pub issue_addr: Signal<Out, Bits<LB>>,
    pub issue: [Signal<Out, Bit>; P],
    /// To the history: a step's spikes begin; write its count; its pulse ends are taken.
    pub step_begin: Signal<Out, Bit>,
    pub count_write: Signal<Out, Bit>,
    pub consume: Signal<Out, Bit>,
    /// To the synapse walk and the probe engine.
    pub walk_start: Signal<Out, Bit>,
    pub walk_first: Signal<Out, Bits<32>>,
    pub walk_end: Signal<Out, Bits<32>>,
    pub walk_neg: Signal<Out, Bit>,
    pub walk_live: Signal<Out, Bit>,
    pub walk_closed: Signal<Out, Bit>,
    /// Which of lane `i`'s pending memories the update takes (toggled every step), for the
    /// lane and its synapse bank.
    pub parity: [Signal<Out, Bit>; P],
    /// The width class whose pulse ends are looked up and walked.
    pub wclass: Signal<Out, Bits<8>>,
    pub probe_start: Signal<Out, Bit>,
    /// Events for the register file.
    pub run_done: Signal<Out, Bit>,
    pub history_full: Signal<Out, Bit>,
    pub bad_width: Signal<Out, Bit>,
    pub stall: Signal<Out, Bit>,
    pub stalled: Signal<Out, Bit>,
    pub waiting_input: Signal<Out, Bit>,

    phase: DFF<CtrlPhase>,
    /// The phase the next edge sets, and whether it is Idle or Check, registered with it:
    /// `idle` and `in_check` reach the bus port, the register file and the DMA engine
    /// across the die from flip-flops, not through a decode of `phase` (the same values).
    next_phase: Signal<Local, CtrlPhase>,
    idle_r: DFFWithInit<Bit>,
    in_check_r: DFF<Bit>,
    dphase: DFF<DeliveryPhase>,
    /// The step's parity, a register for each lane (and its bank) that each can sit
    /// beside: every one toggles itself, so their inputs differ and synthesis keeps them
    /// apart, and no lane's pending-word choice starts across the die.
    parity_r: [DFF<Bit>; P],
    /// The step is finishing, and registered: every `parity_r` toggles a cycle after the
    /// step's end (the next step's first read is three cycles after it), from a flip-flop
    /// rather than from the end's decision, since the registers sit beside their lanes.
    flip: Signal<Local, Bit>,
    flip_q: DFF<Bit>,
    /// The run's last step unless STOP comes: `steps_left == 1` without FREE_RUN, from
    /// last cycle's registers (`steps_left` moves only at a step's end), so a step's end
    /// does not wait on a 32-bit compare.
    final_step: DFF<Bit>,
    step_r: DFF<Bits<64>>,
    steps_left: DFF<Bits<32>>,
    free_run: DFF<Bit>,
    stop_req: DFF<Bit>,
    stalled_r: DFF<Bit>,
    waiting_input_r: DFF<Bit>,
    /// The DMA engine's answer for this step (registered) is in: Check waits one cycle.
    checked: DFF<Bit>,
    /// The class selected, cycles until the history's answer for it is in, and whether a
    /// class follows it (registered: the class changes `SETTLE` cycles before it is used).
    class_r: DFF<Bits<8>>,
    settle: DFF<Bits<3>>,
    class_more: DFF<Bit>,
    /// The last class of the width classes in use (CLASSES − 1). A run needs 1 ≤ CLASSES
    /// ≤ the core's classes (`classes_ok`), and `class_r` counts up from 0 only while a
    /// class follows it, so one follows exactly while `class_r` is not the last: an
    /// equality test of 8 bits, where `class_r + 1 < CLASSES` would be an add and a
    /// 32-bit compare.
    class_last: DFF<Bits<8>>,
    /// The next group, `issue < groups` beside it, groups whose spike flags lane 0 has
    /// reported, groups this step (ceil(ACTIVE / P)). `issue_left` counts the groups not
    /// yet issued down, so whether one follows the group being issued is `issue_left !=
    /// 1`: a comparison with a constant, not an add and a comparison of two counts.
    issue_r: DFF<Bits<32>>,
    issue_more: DFF<Bit>,
    issue_left: DFF<Bits<32>>,
    reported: DFF<Bits<32>>,
    groups: DFF<Bits<32>>,
    /// Last cycle every group's flags were reported and the spike queue was empty: Update
    /// ends on this register, not on the compares across the die. Cleared as Update
    /// starts, so a step never ends on the last step's answer.
    upd_done: DFF<Bit>,
    /// After the walks: the probes, when there are any and a ring to take them (registered:
    /// the host sets both while the core waits, and the step's end should not wait on a
    /// 32-bit compare).
    probes_on: DFF<Bit>,
    wait_stall: Signal<Local, Bit>,
    /// The walks of pulse ends are over: on to the next class or the pulse starts.
    ends_done: Signal<Local, Bit>,
    /// The step's last phase is over: the step counter, the parity and the next phase.
    step_end: Signal<Local, Bit>,
    k_settle: Constant<Bits<3>>,
    lane_shift: Constant<Bits<5>>,
    lane_mask: Constant<Bits<32>>,
    lane_id: [Constant<Bits<32>>; P],
}

impl<const LB: usize, const P: usize> Default for Controller<LB, P> {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            run_cmd: Default::default(),
            free_run_bit: Default::default(),
            stop_cmd: Default::default(),
            clear: Default::default(),
            step_lo_we: Default::default(),
            step_hi_we: Default::default(),
            wdata: Default::default(),
            run_steps: Default::default(),
            active: Default::default(),
            classes: Default::default(),
            classes_ok: Default::default(),
            probe_count: Default::default(),
            c2h_on: Default::default(),
            dma_hold: Default::default(),
            dma_ext_we: Default::default(),
            dma_halted: Default::default(),
            hist_short: Default::default(),
            out_short: Default::default(),
            hist_wp: Default::default(),
            hist_start: Default::default(),
            class_first: Default::default(),
            class_due: Default::default(),
            class_reached: Default::default(),
            class_ends: Default::default(),
            lane0_fired: Default::default(),
            lane0_writing: Default::default(),
            queue_nearly_full: Default::default(),
            queue_busy: Default::default(),
            walk_done: Default::default(),
            probe_done: Default::default(),
            probe_stall: Default::default(),
            idle: Default::default(),
            in_check: Default::default(),
            cfg_window: Default::default(),
            step: Default::default(),
            step_lo: Default::default(),
            lane_rd_own: Default::default(),
            issue_addr: Default::default(),
            issue: core::array::from_fn(|_| Default::default()),
            step_begin: Default::default(),
            count_write: Default::default(),
            consume: Default::default(),
            walk_start: Default::default(),
            walk_first: Default::default(),
            walk_end: Default::default(),
            walk_neg: Default::default(),
            walk_live: Default::default(),
            walk_closed: Default::default(),
            parity: core::array::from_fn(|_| Default::default()),
            wclass: Default::default(),
            probe_start: Default::default(),
            run_done: Default::default(),
            history_full: Default::default(),
            bad_width: Default::default(),
            stall: Default::default(),
            stalled: Default::default(),
            waiting_input: Default::default(),
            phase: Default::default(),
            next_phase: Default::default(),
            idle_r: DFFWithInit::new(true),
            in_check_r: Default::default(),
            dphase: Default::default(),
            parity_r: core::array::from_fn(|_| Default::default()),
            flip: Default::default(),
            flip_q: Default::default(),
            final_step: Default::default(),
            step_r: Default::default(),
            steps_left: Default::default(),
            free_run: Default::default(),
            stop_req: Default::default(),
            stalled_r: Default::default(),
            waiting_input_r: Default::default(),
            checked: Default::default(),
            class_r: Default::default(),
            settle: Default::default(),
            class_more: Default::default(),
            class_last: Default::default(),
            issue_r: Default::default(),
            issue_more: Default::default(),
            issue_left: Default::default(),
            reported: Default::default(),
            groups: Default::default(),
            upd_done: Default::default(),
            probes_on: Default::default(),
            wait_stall: Default::default(),
            ends_done: Default::default(),
            step_end: Default::default(),
            k_settle: Constant::new(SETTLE.into()),
            lane_shift: lane_shift::<P>(),
            lane_mask: lane_mask::<P>(),
            lane_id: lane_ids::<P>(),
        }
    }
}

impl<const LB: usize, const P: usize> Logic for Controller<LB, P> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            phase,
            idle_r,
            in_check_r,
            flip_q,
            final_step,
            probes_on,
            dphase,
            step_r,
            steps_left,
            free_run,
            stop_req,
            stalled_r,
            waiting_input_r,
            checked,
            class_r,
            settle,
            class_more,
            class_last,
            issue_r,
            issue_more,
            issue_left,
            reported,
            groups,
            upd_done
        );
        self.next_phase.next = self.phase.q.val();
        self.idle.next = self.idle_r.q.val();
        self.in_check.next = self.in_check_r.q.val();
        self.cfg_window.next = self.idle_r.q.val() | (self.in_check_r.q.val() & self.dma_hold.val());
        self.step.next = self.step_r.q.val();
        self.step_lo.next = self.step_r.q.val().get_bits::<32>(0);
        self.stalled.next = self.stalled_r.q.val();
        self.waiting_input.next = self.waiting_input_r.q.val();
        self.lane_rd_own.next = self.phase.q.val() == CtrlPhase::Update;
        self.issue_addr.next = self.issue_r.q.val().get_bits::<LB>(0);
        for i in 0..P {
            self.issue[i].next = false;
        }
        self.step_begin.next = false;
        self.count_write.next = false;
        self.consume.next = false;
        self.walk_start.next = false;
        // The walk of the selected class's ends, unless the delivery says otherwise.
        self.walk_first.next = self.class_first.val();
        self.walk_end.next = self.class_first.val() + self.class_due.val();
        self.walk_neg.next = true;
        self.walk_live.next = false;
        self.walk_closed.next = self.upd_done.q.val();
        self.flip.next = false;
        self.step_end.next = false;
        self.wclass.next = self.class_r.q.val();
        self.ends_done.next = false;
        self.probe_start.next = self.phase.q.val() == CtrlPhase::Probe;
        self.run_done.next = false;
        self.history_full.next = false;
        self.bad_width.next = false;
        self.wait_stall.next = false;
        self.probes_on.d.next = (self.probe_count.val() != 0) & self.c2h_on.val();
        self.final_step.d.next = (self.steps_left.q.val() == 1) & !self.free_run.q.val();

        // ---- host writes of the step counter, STOP, CLEAR ----
        if self.step_lo_we.val() {
            self.step_r.d.next = (bit_cast::<64, 32>(self.step_r.q.val().get_bits::<32>(32)) << 32)
                | bit_cast::<64, 32>(self.wdata.val());
        }
        if self.step_hi_we.val() {
            self.step_r.d.next = (bit_cast::<64, 32>(self.wdata.val()) << 32)
                | bit_cast::<64, 32>(self.step_r.q.val().get_bits::<32>(0));
        }
        if self.stop_cmd.val() {
            self.stop_req.d.next = true;
        }
        if self.clear.val() {
            self.step_r.d.next = bits::<64>(0);
        }

        if self.lane0_fired.val() {
            self.reported.d.next = self.reported.q.val() + 1;
        }
        self.upd_done.d.next = (self.reported.q.val() == self.groups.q.val()) & !self.queue_busy.val();
        if self.settle.q.val() != 0 {
            self.settle.d.next = self.settle.q.val() - 1;
        }
        self.class_last.d.next = self.classes.val().get_bits::<8>(0) - 1;
        self.class_more.d.next = self.classes_ok.val() & (self.class_r.q.val() != self.class_last.q.val());

        match self.phase.q.val() {
            CtrlPhase::Idle => {
                self.stop_req.d.next = false;
                self.stalled_r.d.next = false;
                self.waiting_input_r.d.next = false;
                if self.run_cmd.val() {
                    self.free_run.d.next = self.free_run_bit.val();
                    if !self.classes_ok.val() {
                        self.bad_width.next = true;
                    } else if (self.run_steps.val() != 0) | self.free_run_bit.val() {
                        self.checked.d.next = false;
                        self.steps_left.d.next = self.run_steps.val();
                        self.next_phase.next = CtrlPhase::Check;
                    }
                }
            }
            CtrlPhase::Check => {
                if !self.checked.q.val() {
                    // The DMA engine looks at this step's inputs now; its registered
                    // answer (`hold`) is valid from the next cycle.
                    self.checked.d.next = true;
                } else if self.stop_req.q.val() | self.dma_halted.val() {
                    self.next_phase.next = CtrlPhase::Idle;
                    self.run_done.next = true;
                } else if self.hist_short.val() {
                    self.history_full.next = true;
                    self.run_done.next = true;
                    self.next_phase.next = CtrlPhase::Idle;
                } else if self.dma_hold.val() {
                    // Inputs of this step are being applied or fetched, or not posted.
                    if !self.dma_ext_we.val() {
                        self.waiting_input_r.d.next = true;
                        self.wait_stall.next = true;
                    }
                } else if self.out_short.val() {
                    self.waiting_input_r.d.next = false;
                    self.stalled_r.d.next = true;
                    self.wait_stall.next = true;
                } else {
                    self.waiting_input_r.d.next = false;
                    self.stalled_r.d.next = false;
                    self.issue_r.d.next = bits::<32>(0);
                    self.issue_more.d.next = self.active.val() != 0; // 0 < ceil(active / P)
                    self.reported.d.next = bits::<32>(0);
                    self.upd_done.d.next = false;
                    self.groups.d.next = (self.active.val() + self.lane_mask.val()) >> self.lane_shift.val();
                    self.issue_left.d.next = (self.active.val() + self.lane_mask.val()) >> self.lane_shift.val();
                    self.step_begin.next = true;
                    self.next_phase.next = CtrlPhase::Update;
                    // The widest class first; the history looks it up now.
                    self.class_r.d.next = bits::<8>(0);
                    self.settle.d.next = self.k_settle.val();
                    self.dphase.d.next = DeliveryPhase::Settle;
                }
            }
            CtrlPhase::Update => {
                if self.issue_more.q.val() & !self.queue_nearly_full.val() {
                    for i in 0..P {
                        self.issue[i].next = ((self.issue_r.q.val() << self.lane_shift.val()) | self.lane_id[i].val())
                            < self.active.val();
                    }
                    self.issue_r.d.next = self.issue_r.q.val() + 1;
                    self.issue_left.d.next = self.issue_left.q.val() - 1;
                    self.issue_more.d.next = self.issue_left.q.val() != 1;
                }
                if self.upd_done.q.val() {
                    // Every spike of the step is in the history.
                    self.count_write.next = true;
                    self.next_phase.next = CtrlPhase::Walks;
                }
            }
            CtrlPhase::Walks => {
                // The probes and the host read the neurons' state once the lanes have
                // written it back, and the next step reads it again.
                if (self.dphase.q.val() == DeliveryPhase::Done) & !self.lane0_writing.val() {
                    self.dphase.d.next = DeliveryPhase::Idle;
                    if self.probes_on.q.val() {
                        self.next_phase.next = CtrlPhase::Probe;
                    } else {
                        self.step_end.next = true;
                    }
                }
            }
            CtrlPhase::Probe => {
                if self.probe_done.val() {
                    self.next_phase.next = CtrlPhase::Finish;
                }
            }
            CtrlPhase::Finish => {
                self.step_end.next = true;
            }
        }
        // The step's end: on to the next step's check, or idle.
        if self.step_end.val() {
            self.checked.d.next = false;
            self.flip.next = true;
            self.step_r.d.next = self.step_r.q.val() + 1;
            self.steps_left.d.next = self.steps_left.q.val() - 1;
            if self.final_step.q.val() | self.stop_req.q.val() {
                self.next_phase.next = CtrlPhase::Idle;
                self.run_done.next = true;
            } else {
                self.next_phase.next = CtrlPhase::Check;
            }
        }
        // ---- the delivery, beside the update ----
        match self.dphase.q.val() {
            DeliveryPhase::Idle => {}
            DeliveryPhase::Settle => {
                if self.settle.q.val() == 0 {
                    // The widest class's ended spikes free their history entries.
                    self.consume.next = (self.class_r.q.val() == 0) & self.class_reached.val();
                    if self.class_ends.val() {
                        self.walk_start.next = true;
                        self.dphase.d.next = DeliveryPhase::Ends;
                    } else {
                        self.ends_done.next = true;
                    }
                }
            }
            DeliveryPhase::Ends => {
                self.ends_done.next = self.walk_done.val();
            }
            DeliveryPhase::StartsGo => {
                self.walk_start.next = true;
                self.walk_first.next = self.hist_start.val();
                self.walk_neg.next = false;
                self.walk_live.next = true;
                self.dphase.d.next = DeliveryPhase::Starts;
            }
            DeliveryPhase::Starts => {
                if self.walk_done.val() {
                    self.dphase.d.next = DeliveryPhase::Done;
                }
            }
            DeliveryPhase::Done => {}
        }
        // After a class's pulse ends: the next class, or this step's pulse starts.
        if self.ends_done.val() {
            if self.class_more.q.val() {
                self.class_r.d.next = self.class_r.q.val() + 1;
                self.settle.d.next = self.k_settle.val();
                self.dphase.d.next = DeliveryPhase::Settle;
            } else {
                self.dphase.d.next = DeliveryPhase::StartsGo;
            }
        }
        // The live walk follows the history's write pointer.
        if self.dphase.q.val() == DeliveryPhase::Starts {
            self.walk_end.next = self.hist_wp.val();
        }
        // After every assignment of `flip` and `next_phase` above (the Verilog is one
        // always block, run top to bottom).
        self.flip_q.d.next = self.flip.val();
        self.phase.d.next = self.next_phase.val();
        self.idle_r.d.next = self.next_phase.val() == CtrlPhase::Idle;
        self.in_check_r.d.next = self.next_phase.val() == CtrlPhase::Check;
        self.stall.next = self.wait_stall.val() | self.probe_stall.val();
        for i in 0..P {
            self.parity_r[i].clock.next = self.clock.val();
            self.parity_r[i].d.next = self.parity_r[i].q.val() ^ self.flip_q.q.val();
            self.parity[i].next = self.parity_r[i].q.val();
        }
    }
}
