//! `WalkSequencer`: delivers the pulses of a run of spike-history entries through the
//! lanes' `SynapseBank`s. For each entry (a spiking neuron) every bank walks its row of that
//! source — the synapses into its lane — at the same time, so P synapses are delivered per
//! cycle; the next entry is read from the history and its rows looked up while the banks
//! stream the current ones, and each bank takes its next row (`go`) when every bank has read
//! its current one.
//!
//! Per entry: read the history (`Hist`; its word is registered beside its block RAM,
//! `HistRam`), register the entry (`HistQ`), let the banks' row tables read it, register
//! their words and the row they tell (`Look`, `Look2`, `Look3`: the row's length is the
//! difference of two ends, a cycle of its own), then wait for every bank's row to be read
//! (`Wait`) and start the next rows. After the last entry, `Drain` waits for every bank's
//! pipeline to empty; `done` is high in the walk's last cycle.
//!
//! A live walk (the pulse starts of the step being updated) follows the history's write
//! pointer: it waits in `Poll` for the next entry, and ends once the pointer is reached
//! and `closed` says no spike is to come.
//!
//! Every input is registered where it enters (`*_q`), so the controller's logic and the
//! history's write pointer end at a flip-flop here rather than in the walk's state; all
//! alike, so a live walk sees the pointer and `closed` of one and the same cycle. What
//! leaves for the banks is registered too: each bank's `go` comes from a register of its
//! own (`go_r[i]`), so the decode of the walk's state stays here and each register can sit
//! beside the bank whose ~75 clock enables it drives, rather than one register reaching
//! across the die to every bank. Their inputs differ (the decision and that bank's own
//! registered flag, `bank_done[i]`, which the decision implies), so synthesis keeps them
//! apart rather than merging registers of the same input. The banks' flags are registered
//! here from the banks alone (`rows_done`), so after a decided `go` they still show the rows
//! before it for two cycles (`went`, `went2`: the `go` is out, then the banks have taken
//! it), and the wait ignores them then rather than the decision reaching into their
//! register's input.

use rust_hdl::prelude::*;

use crate::core::event_count::EventCount;

#[derive(Copy, Clone, Debug, PartialEq, Eq, LogicState)]
pub enum WalkPhase {
    Idle,
    /// A live walk: the next entry, if the history has it; the end, if closed.
    Poll,
    Hist,
    HistRam,
    HistQ,
    Look,
    Look2,
    Look3,
    Wait,
    Drain,
}

#[derive(LogicBlock)]
pub struct WalkSequencer<const P: usize> {
    pub clock: Signal<In, Clock>,
    /// Walk the history entries `first_entry..end_entry` (at least one), ending pulses of
    /// class `wclass` if `neg`; or, if `live`, the entries from `first_entry` up to
    /// `end_entry` as it grows, until it is reached while `closed`.
    pub start: Signal<In, Bit>,
    pub first_entry: Signal<In, Bits<32>>,
    pub end_entry: Signal<In, Bits<32>>,
    pub neg: Signal<In, Bit>,
    pub wclass: Signal<In, Bits<8>>,
    pub live: Signal<In, Bit>,
    pub closed: Signal<In, Bit>,
    pub done: Signal<Out, Bit>,
    /// The history entry read (the address given two cycles before).
    pub hist_addr: Signal<Out, Bits<32>>,
    pub hist_data: Signal<In, Bits<32>>,
    /// To every bank: the source whose rows come next, when to start them, the walk's kind.
    pub source: Signal<Out, Bits<32>>,
    /// `source − 1`, from a register of its own: the banks read the end of the row before
    /// `source`'s with it, and the subtract would otherwise sit in front of every bank's
    /// row memory, across the die.
    pub source_prev: Signal<Out, Bits<32>>,
    /// Bank `i`: start the next rows (decided a cycle before).
    pub go: [Signal<Out, Bit>; P],
    pub bank_neg: Signal<Out, Bit>,
    pub bank_class: Signal<Out, Bits<8>>,
    /// Each bank's row read, and its pipeline empty.
    pub row_done: [Signal<In, Bit>; P],
    pub empty: [Signal<In, Bit>; P],
    /// The banks' pulse starts this cycle; `syn_events` counts them a cycle later.
    pub syn_event: [Signal<In, Bit>; P],
    pub syn_events: Signal<Out, Bits<8>>,

    start_q: DFF<Bit>,
    first_q: DFF<Bits<32>>,
    end_q: DFF<Bits<32>>,
    neg_q: DFF<Bit>,
    class_q: DFF<Bits<8>>,
    live_q: DFF<Bit>,
    closed_q: DFF<Bit>,
    phase: DFF<WalkPhase>,
    idx: DFF<Bits<32>>,
    /// The run's last entry (`end − 1`), so `at_end` is an equality with a register.
    end_last: DFF<Bits<32>>,
    neg_r: DFF<Bit>,
    class_r: DFF<Bits<8>>,
    live_r: DFF<Bit>,
    src: DFF<Bits<32>>,
    src_prev: DFF<Bits<32>>,
    /// The entry being read is the run's last (`idx == end − 1`), compared while the
    /// history reads (`HistRam`) so that `last` takes a flip-flop, not a 32-bit
    /// comparison, in `HistQ`.
    at_end: DFF<Bit>,
    /// The entry looked up is the run's last.
    last: DFF<Bit>,
    /// Every bank's row read, and every bank empty (registered from last cycle's flags).
    rows_done: DFF<Bit>,
    all_empty: DFF<Bit>,
    /// Every bank takes its next rows: decided this cycle, out the next (`go_r`).
    decide: Signal<Local, Bit>,
    go_r: [DFF<Bit>; P],
    /// Bank `i`'s row read, registered (`rows_done` is their AND).
    bank_done: [DFF<Bit>; P],
    /// A `go` decided one and two cycles before: `rows_done` still shows the rows before it.
    went: DFF<Bit>,
    went2: DFF<Bit>,
    /// Every bank has read the rows of the last `go`.
    rows_ready: Signal<Local, Bit>,
    /// `done_chain[i]`: banks 0..=i have read their rows (and `empty_chain`, are empty).
    /// Each link reads the one before.
    done_chain: [Signal<Local, Bit>; P],
    empty_chain: [Signal<Local, Bit>; P],
    event_count: EventCount<P>,
}

impl<const P: usize> Default for WalkSequencer<P> {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            start: Default::default(),
            first_entry: Default::default(),
            end_entry: Default::default(),
            neg: Default::default(),
            wclass: Default::default(),
            live: Default::default(),
            closed: Default::default(),
            done: Default::default(),
            hist_addr: Default::default(),
            hist_data: Default::default(),
            source: Default::default(),
            source_prev: Default::default(),
            go: core::array::from_fn(|_| Default::default()),
            bank_neg: Default::default(),
            bank_class: Default::default(),
            row_done: core::array::from_fn(|_| Default::default()),
            empty: core::array::from_fn(|_| Default::default()),
            syn_event: core::array::from_fn(|_| Default::default()),
            syn_events: Default::default(),
            start_q: Default::default(),
            first_q: Default::default(),
            end_q: Default::default(),
            neg_q: Default::default(),
            class_q: Default::default(),
            live_q: Default::default(),
            closed_q: Default::default(),
            phase: Default::default(),
            idx: Default::default(),
            end_last: Default::default(),
            neg_r: Default::default(),
            class_r: Default::default(),
            live_r: Default::default(),
            src: Default::default(),
            src_prev: Default::default(),
            at_end: Default::default(),
            last: Default::default(),
            rows_done: Default::default(),
            all_empty: Default::default(),
            decide: Default::default(),
            go_r: core::array::from_fn(|_| Default::default()),
            bank_done: core::array::from_fn(|_| Default::default()),
            went: Default::default(),
            went2: Default::default(),
            rows_ready: Default::default(),
            done_chain: core::array::from_fn(|_| Default::default()),
            empty_chain: core::array::from_fn(|_| Default::default()),
            event_count: Default::default(),
        }
    }
}

impl<const P: usize> Logic for WalkSequencer<P> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, start_q, first_q, end_q, neg_q, class_q, live_q, closed_q, phase, idx, end_last, neg_r,
            class_r, live_r, src, src_prev, at_end, last, rows_done, all_empty, went, went2
        );
        self.start_q.d.next = self.start.val();
        self.first_q.d.next = self.first_entry.val();
        self.end_q.d.next = self.end_entry.val();
        self.neg_q.d.next = self.neg.val();
        self.class_q.d.next = self.wclass.val();
        self.live_q.d.next = self.live.val();
        self.closed_q.d.next = self.closed.val();
        clock!(self, clock, event_count);

        // ---- the banks' flags, folded ----
        for i in 0..P {
            self.done_chain[i].next = self.row_done[i].val();
            self.empty_chain[i].next = self.empty[i].val();
            self.event_count.events[i].next = self.syn_event[i].val();
        }
        for i in 1..P {
            self.done_chain[i].next = self.done_chain[i - 1].val() & self.row_done[i].val();
            self.empty_chain[i].next = self.empty_chain[i - 1].val() & self.empty[i].val();
        }
        self.syn_events.next = self.event_count.count.val();
        for i in (P - 1)..P {
            self.rows_done.d.next = self.done_chain[i].val();
            self.all_empty.d.next = self.empty_chain[i].val();
        }
        self.rows_ready.next = self.rows_done.q.val() & !self.went.q.val() & !self.went2.q.val();
        self.decide.next = false;
        self.went2.d.next = self.went.q.val();

        self.hist_addr.next = self.idx.q.val();
        self.source.next = self.src.q.val();
        self.source_prev.next = self.src_prev.q.val();
        self.bank_neg.next = self.neg_r.q.val();
        self.bank_class.next = self.class_r.q.val();
        self.done.next = false;

        match self.phase.q.val() {
            WalkPhase::Idle => {
                if self.start_q.q.val() {
                    self.idx.d.next = self.first_q.q.val();
                    self.end_last.d.next = self.end_q.q.val() - 1;
                    self.neg_r.d.next = self.neg_q.q.val();
                    self.class_r.d.next = self.class_q.q.val();
                    self.live_r.d.next = self.live_q.q.val();
                    self.phase.d.next = WalkPhase::Hist;
                    if self.live_q.q.val() {
                        self.phase.d.next = WalkPhase::Poll;
                    }
                }
            }
            WalkPhase::Poll => {
                if self.idx.q.val() != self.end_q.q.val() {
                    self.phase.d.next = WalkPhase::Hist;
                } else if self.closed_q.q.val() {
                    self.phase.d.next = WalkPhase::Drain;
                }
            }
            WalkPhase::Hist => {
                self.phase.d.next = WalkPhase::HistRam;
            }
            WalkPhase::HistRam => {
                self.at_end.d.next = self.idx.q.val() == self.end_last.q.val();
                self.phase.d.next = WalkPhase::HistQ;
            }
            WalkPhase::HistQ => {
                self.src.d.next = self.hist_data.val();
                self.src_prev.d.next = self.hist_data.val() - 1;
                self.last.d.next = self.at_end.q.val() & !self.live_r.q.val();
                self.idx.d.next = self.idx.q.val() + 1;
                self.phase.d.next = WalkPhase::Look;
            }
            WalkPhase::Look => {
                self.phase.d.next = WalkPhase::Look2;
            }
            WalkPhase::Look2 => {
                self.phase.d.next = WalkPhase::Look3;
            }
            WalkPhase::Look3 => {
                self.phase.d.next = WalkPhase::Wait;
            }
            WalkPhase::Wait => {
                if self.rows_ready.val() {
                    self.decide.next = true;
                    if self.live_r.q.val() {
                        self.phase.d.next = WalkPhase::Poll;
                    } else if self.last.q.val() {
                        self.phase.d.next = WalkPhase::Drain;
                    } else {
                        self.phase.d.next = WalkPhase::Hist;
                    }
                }
            }
            WalkPhase::Drain => {
                // Three cycles after the last `go` was decided at the soonest: its rows'
                // flags are in.
                if self.rows_ready.val() & self.all_empty.q.val() {
                    self.done.next = true;
                    self.phase.d.next = WalkPhase::Idle;
                }
            }
        }
        self.went.d.next = self.decide.val();
        for i in 0..P {
            self.bank_done[i].clock.next = self.clock.val();
            self.bank_done[i].d.next = self.row_done[i].val();
            self.go_r[i].clock.next = self.clock.val();
            self.go_r[i].d.next = self.decide.val() & self.bank_done[i].q.val();
            self.go[i].next = self.go_r[i].q.val();
        }
    }
}
