//! `DescFetch`: reads one ring's next descriptor (`memfire_spec::wire::Descriptor`, two
//! 64-bit words: buffer address; length, kind, flags) and checks it is one the ring can
//! serve. Either ring may ask; the card→host ring goes first, as the spikes and probe
//! records behind it stall the core.
//!
//! Job: granted (`grant`) → read word 0 → read word 1 → `done` for one cycle with the
//! buffer's fields and `bad` (not the ring's kind, empty, or a length that is not whole
//! records: 16-byte inputs, 8-byte spikes and configuration words). The ring that asked
//! takes the buffer on `done & !bad`; on `bad` the engine halts. A failed read ends the job
//! without `done` (the ring's head has not moved: the same read is tried again on restart).

use memfire_spec::wire::DescriptorKind;
use rust_hdl::prelude::*;

use super::half;

#[derive(Copy, Clone, Debug, PartialEq, Eq, LogicState)]
pub enum FetchState {
    Idle,
    /// Request word 0 (buffer address) / wait for it.
    AddrWord,
    AddrWait,
    /// Request word 1 (length, kind, flags) / wait for it, checking it as it comes.
    InfoWord,
    InfoWait,
    /// `done`: the fields and the check's verdict, from registers.
    Done,
}

#[derive(LogicBlock)]
pub struct DescFetch {
    pub clock: Signal<In, Clock>,
    /// CTRL.CLEAR while idle: drop the job in hand.
    pub clear: Signal<In, Bit>,
    // ---- who needs a descriptor, and where its ring's next one is ----
    pub c2h_need: Signal<In, Bit>,
    pub c2h_slot: Signal<In, Bits<64>>,
    pub h2c_need: Signal<In, Bit>,
    pub h2c_slot: Signal<In, Bits<64>>,
    // ---- with DmaControl ----
    pub want: Signal<Out, Bit>,
    pub grant: Signal<In, Bit>,
    pub busy: Signal<Out, Bit>,
    // ---- the memory port (reads) ----
    pub req_valid: Signal<Out, Bit>,
    pub req_addr: Signal<Out, Bits<64>>,
    pub took: Signal<In, Bit>,
    pub rsp_valid: Signal<In, Bit>,
    pub rsp_data: Signal<In, Bits<64>>,
    pub rsp_error: Signal<In, Bit>,
    // ---- the descriptor, for one cycle ----
    pub done: Signal<Out, Bit>,
    /// With `done`: the descriptor cannot be served (0 outside `done`).
    pub bad: Signal<Out, Bit>,
    /// The descriptor is the host→card ring's (else the card→host ring's).
    pub for_h2c: Signal<Out, Bit>,
    pub buf_addr: Signal<Out, Bits<64>>,
    pub len: Signal<Out, Bits<32>>,
    pub kind: Signal<Out, Bits<16>>,
    pub flags: Signal<Out, Bits<16>>,

    state: DFF<FetchState>,
    for_h2c_q: DFF<Bit>,
    slot: DFF<Bits<64>>,
    addr_word: DFF<Bits<64>>,
    info_word: DFF<Bits<64>>,
    /// The check, registered as word 1 comes, so its compares are not in front of the
    /// buffer registers' enables in the rings.
    bad_q: DFF<Bit>,
    // ---- the check, on word 1 as it arrives ----
    rsp_len: Signal<Local, Bits<32>>,
    rsp_kind: Signal<Local, Bits<16>>,
    kind_ok: Signal<Local, Bit>,
    ragged: Signal<Local, Bit>,
    k_kind_spikes: Constant<Bits<16>>,
    k_kind_input: Constant<Bits<16>>,
    k_kind_config: Constant<Bits<16>>,
    k_kind_probes: Constant<Bits<16>>,
}

impl Default for DescFetch {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            clear: Default::default(),
            c2h_need: Default::default(),
            c2h_slot: Default::default(),
            h2c_need: Default::default(),
            h2c_slot: Default::default(),
            want: Default::default(),
            grant: Default::default(),
            busy: Default::default(),
            req_valid: Default::default(),
            req_addr: Default::default(),
            took: Default::default(),
            rsp_valid: Default::default(),
            rsp_data: Default::default(),
            rsp_error: Default::default(),
            done: Default::default(),
            bad: Default::default(),
            for_h2c: Default::default(),
            buf_addr: Default::default(),
            len: Default::default(),
            kind: Default::default(),
            flags: Default::default(),
            state: Default::default(),
            for_h2c_q: Default::default(),
            slot: Default::default(),
            addr_word: Default::default(),
            info_word: Default::default(),
            bad_q: Default::default(),
            rsp_len: Default::default(),
            rsp_kind: Default::default(),
            kind_ok: Default::default(),
            ragged: Default::default(),
            k_kind_spikes: half(DescriptorKind::Spikes as u16),
            k_kind_input: half(DescriptorKind::Input as u16),
            k_kind_config: half(DescriptorKind::Config as u16),
            k_kind_probes: half(DescriptorKind::Probes as u16),
        }
    }
}

impl Logic for DescFetch {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, state, for_h2c_q, slot, addr_word, info_word, bad_q);
        self.want.next = self.c2h_need.val() | self.h2c_need.val();
        self.busy.next = self.state.q.val() != FetchState::Idle;
        self.req_valid.next = false;
        self.req_addr.next = self.slot.q.val();
        self.done.next = self.state.q.val() == FetchState::Done;
        self.bad.next = self.bad_q.q.val() & (self.state.q.val() == FetchState::Done);
        self.for_h2c.next = self.for_h2c_q.q.val();
        self.buf_addr.next = self.addr_word.q.val();
        self.len.next = self.info_word.q.val().get_bits::<32>(0);
        self.kind.next = self.info_word.q.val().get_bits::<16>(32);
        self.flags.next = self.info_word.q.val().get_bits::<16>(48);

        // The check (layout: `memfire_spec::wire::Descriptor`'s second word).
        self.rsp_len.next = self.rsp_data.val().get_bits::<32>(0);
        self.rsp_kind.next = self.rsp_data.val().get_bits::<16>(32);
        self.kind_ok.next =
            (self.rsp_kind.val() == self.k_kind_spikes.val()) | (self.rsp_kind.val() == self.k_kind_probes.val());
        self.ragged.next = self.rsp_len.val().get_bits::<3>(0).any();
        if self.for_h2c_q.q.val() {
            self.kind_ok.next =
                (self.rsp_kind.val() == self.k_kind_input.val()) | (self.rsp_kind.val() == self.k_kind_config.val());
            if self.rsp_kind.val() == self.k_kind_input.val() {
                self.ragged.next = self.rsp_len.val().get_bits::<4>(0).any();
            }
        }

        match self.state.q.val() {
            FetchState::Idle => {
                if self.grant.val() & (self.c2h_need.val() | self.h2c_need.val()) {
                    self.for_h2c_q.d.next = !self.c2h_need.val();
                    self.slot.d.next = self.h2c_slot.val();
                    if self.c2h_need.val() {
                        self.slot.d.next = self.c2h_slot.val();
                    }
                    self.state.d.next = FetchState::AddrWord;
                }
            }
            FetchState::AddrWord => {
                self.req_valid.next = !self.took.val();
                if self.took.val() {
                    self.state.d.next = FetchState::AddrWait;
                }
            }
            FetchState::AddrWait => {
                if self.rsp_valid.val() {
                    self.addr_word.d.next = self.rsp_data.val();
                    self.state.d.next = FetchState::InfoWord;
                }
            }
            FetchState::InfoWord => {
                self.req_valid.next = !self.took.val();
                self.req_addr.next = self.slot.q.val() + 8;
                if self.took.val() {
                    self.state.d.next = FetchState::InfoWait;
                }
            }
            FetchState::InfoWait => {
                if self.rsp_valid.val() {
                    self.info_word.d.next = self.rsp_data.val();
                    self.bad_q.d.next = !self.kind_ok.val() | (self.rsp_len.val() == 0) | self.ragged.val();
                    self.state.d.next = FetchState::Done;
                }
            }
            FetchState::Done => {
                self.state.d.next = FetchState::Idle;
            }
        }
        if (self.rsp_valid.val() & self.rsp_error.val()) | self.clear.val() {
            self.state.d.next = FetchState::Idle;
        }
    }
}
