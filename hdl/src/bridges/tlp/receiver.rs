//! `TlpReceiver`: packets from the link (`m_axis_rx_*`, PG054's 64-bit receive interface).
//!
//! - **Requests to BAR0** become bus accesses of the core at word address `BAR offset / 4`:
//!   a memory write of one or two DWs is one or two bus writes; a memory read of one DW is
//!   a bus read whose value the transmitter returns in a completion (`cpl_pending` until
//!   `cpl_sent`). Any other memory read is answered "unsupported request" (`req_ur`); other
//!   writes are dropped. One request at a time: the receiver waits while a read completes.
//! - **Completions for the requester's read** (our tag, our requester ID, while
//!   `fetching`) are written into the requester's read line, one 8-byte word per beat from
//!   the second on (a DW carried from the beat before and this beat's low DW).
//!   `cpl_done` marks the read's last completion (an error, or the remaining byte count is
//!   exactly this packet's payload); `cpl_error` an error status.
//! - Anything else is skipped to its last beat.
//!
//! What it tells the transmitter comes from registers, and what it hears from the requester
//! (`fetching`, `fetch_tag`) comes from the requester's registers: no path of logic runs
//! through two of the adapter's blocks and back (Verilator evaluates each block as one).

use memfire_spec::memmap::reg_addr;
use memfire_spec::regs::offset;
use memfire_spec::tlp::{fmt_type, status};
use rust_hdl::prelude::*;

use super::byte;
use super::dw_swap::DwSwap;

#[derive(Copy, Clone, Debug, PartialEq, Eq, LogicState)]
pub enum RxState {
    Idle,
    /// Second beat of a request: its address (and a 3 DW write's first data DW).
    Header2,
    /// A write's remaining data DWs.
    WriteData,
    /// The bus write of the first / second DW.
    BusWrite,
    BusWrite2,
    /// The bus read and its wait.
    BusRead,
    BusReadWait,
    /// The transmitter is sending the completion.
    Complete,
    /// Beats of a completion for the requester's read.
    CplData,
    /// Beats of a packet the adapter ignores.
    Skip,
}

#[derive(LogicBlock)]
pub struct TlpReceiver {
    pub clock: Signal<In, Clock>,
    // ---- the link ----
    pub rx_tdata: Signal<In, Bits<64>>,
    pub rx_tlast: Signal<In, Bit>,
    pub rx_tvalid: Signal<In, Bit>,
    pub rx_tready: Signal<Out, Bit>,
    /// `m_axis_rx_tuser[2]`: the request hit BAR0.
    pub rx_bar0: Signal<In, Bit>,
    /// Our requester/completer ID.
    pub cfg_id: Signal<In, Bits<16>>,
    // ---- the core's bus (we are its master) ----
    pub bus_addr: Signal<Out, Bits<25>>,
    pub bus_wdata: Signal<Out, Bits<32>>,
    pub bus_we: Signal<Out, Bit>,
    pub bus_re: Signal<Out, Bit>,
    pub bus_rdata: Signal<In, Bits<32>>,
    pub bus_rvalid: Signal<In, Bit>,
    // ---- the request in hand, for the transmitter's completion ----
    pub cpl_pending: Signal<Out, Bit>,
    pub cpl_sent: Signal<In, Bit>,
    pub req_tc: Signal<Out, Bits<3>>,
    pub req_attr: Signal<Out, Bits<2>>,
    pub req_rid: Signal<Out, Bits<16>>,
    pub req_tag: Signal<Out, Bits<8>>,
    pub req_fbe: Signal<Out, Bits<4>>,
    pub req_addr: Signal<Out, Bits<32>>,
    pub req_ur: Signal<Out, Bit>,
    /// The register's value, as read from the bus.
    pub read_value: Signal<Out, Bits<32>>,
    /// A bus write this cycle (new data in host memory may have been announced); to
    /// `IRQ_STATUS`.
    pub bus_write: Signal<Out, Bit>,
    pub irq_status_write: Signal<Out, Bit>,
    // ---- the requester's read ----
    pub fetching: Signal<In, Bit>,
    pub fetch_tag: Signal<In, Bits<8>>,
    pub line_we: Signal<Out, Bit>,
    pub line_waddr: Signal<Out, Bits<4>>,
    pub line_wdata: Signal<Out, Bits<64>>,
    pub cpl_done: Signal<Out, Bit>,
    pub cpl_error: Signal<Out, Bit>,

    state: DFF<RxState>,
    // The request (or completion) header in hand.
    q_fmt: DFF<Bits<8>>,
    q_len: DFF<Bits<10>>,
    q_tc: DFF<Bits<3>>,
    q_attr: DFF<Bits<2>>,
    q_rid: DFF<Bits<16>>,
    q_tag: DFF<Bits<8>>,
    q_fbe: DFF<Bits<4>>,
    q_lbe: DFF<Bits<4>>,
    q_addr: DFF<Bits<32>>,
    /// The read cannot be served: answer "unsupported request".
    q_ur: DFF<Bit>,
    /// Write data, already in register byte order.
    q_data0: DFF<Bits<32>>,
    q_data1: DFF<Bits<32>>,
    rd_value: DFF<Bits<32>>,
    b_addr: DFF<Bits<25>>,
    b_wdata: DFF<Bits<32>>,
    b_we: DFF<Bit>,
    b_re: DFF<Bit>,
    // A completion's status, remaining byte count and length; first beat; ours.
    c_status: DFF<Bits<3>>,
    c_bytes: DFF<Bits<12>>,
    c_len: DFF<Bits<10>>,
    c_first: DFF<Bit>,
    c_ok: DFF<Bit>,
    carry: DFF<Bits<32>>,
    fill_idx: DFF<Bits<4>>,
    swap: DwSwap,
    ready: Signal<Local, Bit>,
    beat: Signal<Local, Bit>,
    ft: Signal<Local, Bits<8>>,
    /// `rx_tdata` with each DW's bytes reversed: payload DWs in register/memory order.
    payload: Signal<Local, Bits<64>>,
    q_4dw: Signal<Local, Bit>,
    q_read: Signal<Local, Bit>,
    /// This beat is of a completion for the requester's read.
    c_match: Signal<Local, Bit>,
    c_failed: Signal<Local, Bit>,
    k_mrd32: Constant<Bits<8>>,
    k_mrd64: Constant<Bits<8>>,
    k_mwr32: Constant<Bits<8>>,
    k_mwr64: Constant<Bits<8>>,
    k_cpl: Constant<Bits<8>>,
    k_cpld: Constant<Bits<8>>,
    k_sc: Constant<Bits<3>>,
    k_irq_status: Constant<Bits<25>>,
}

impl Default for TlpReceiver {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            rx_tdata: Default::default(),
            rx_tlast: Default::default(),
            rx_tvalid: Default::default(),
            rx_tready: Default::default(),
            rx_bar0: Default::default(),
            cfg_id: Default::default(),
            bus_addr: Default::default(),
            bus_wdata: Default::default(),
            bus_we: Default::default(),
            bus_re: Default::default(),
            bus_rdata: Default::default(),
            bus_rvalid: Default::default(),
            cpl_pending: Default::default(),
            cpl_sent: Default::default(),
            req_tc: Default::default(),
            req_attr: Default::default(),
            req_rid: Default::default(),
            req_tag: Default::default(),
            req_fbe: Default::default(),
            req_addr: Default::default(),
            req_ur: Default::default(),
            read_value: Default::default(),
            bus_write: Default::default(),
            irq_status_write: Default::default(),
            fetching: Default::default(),
            fetch_tag: Default::default(),
            line_we: Default::default(),
            line_waddr: Default::default(),
            line_wdata: Default::default(),
            cpl_done: Default::default(),
            cpl_error: Default::default(),
            state: Default::default(),
            q_fmt: Default::default(),
            q_len: Default::default(),
            q_tc: Default::default(),
            q_attr: Default::default(),
            q_rid: Default::default(),
            q_tag: Default::default(),
            q_fbe: Default::default(),
            q_lbe: Default::default(),
            q_addr: Default::default(),
            q_ur: Default::default(),
            q_data0: Default::default(),
            q_data1: Default::default(),
            rd_value: Default::default(),
            b_addr: Default::default(),
            b_wdata: Default::default(),
            b_we: Default::default(),
            b_re: Default::default(),
            c_status: Default::default(),
            c_bytes: Default::default(),
            c_len: Default::default(),
            c_first: Default::default(),
            c_ok: Default::default(),
            carry: Default::default(),
            fill_idx: Default::default(),
            swap: Default::default(),
            ready: Default::default(),
            beat: Default::default(),
            ft: Default::default(),
            payload: Default::default(),
            q_4dw: Default::default(),
            q_read: Default::default(),
            c_match: Default::default(),
            c_failed: Default::default(),
            k_mrd32: byte(fmt_type::MRD32),
            k_mrd64: byte(fmt_type::MRD64),
            k_mwr32: byte(fmt_type::MWR32),
            k_mwr64: byte(fmt_type::MWR64),
            k_cpl: byte(fmt_type::CPL),
            k_cpld: byte(fmt_type::CPLD),
            k_sc: Constant::new(u64::from(status::SC).into()),
            k_irq_status: Constant::new(u64::from(reg_addr(offset::IRQ_STATUS)).into()),
        }
    }
}

impl Logic for TlpReceiver {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, state, q_fmt, q_len, q_tc, q_attr, q_rid, q_tag, q_fbe, q_lbe, q_addr, q_ur, q_data0, q_data1,
            rd_value, b_addr, b_wdata, b_we, b_re, c_status, c_bytes, c_len, c_first, c_ok, carry, fill_idx
        );
        // ---- outputs from registers ----
        self.bus_addr.next = self.b_addr.q.val();
        self.bus_wdata.next = self.b_wdata.q.val();
        self.bus_we.next = self.b_we.q.val();
        self.bus_re.next = self.b_re.q.val();
        self.b_we.d.next = false;
        self.b_re.d.next = false;
        self.cpl_pending.next = self.state.q.val() == RxState::Complete;
        self.req_tc.next = self.q_tc.q.val();
        self.req_attr.next = self.q_attr.q.val();
        self.req_rid.next = self.q_rid.q.val();
        self.req_tag.next = self.q_tag.q.val();
        self.req_fbe.next = self.q_fbe.q.val();
        self.req_addr.next = self.q_addr.q.val();
        self.req_ur.next = self.q_ur.q.val();
        self.read_value.next = self.rd_value.q.val();
        self.bus_write.next = self.state.q.val() == RxState::BusWrite;
        self.irq_status_write.next = (self.state.q.val() == RxState::BusWrite)
            & (self.q_addr.q.val().get_bits::<25>(2) == self.k_irq_status.val());

        // ---- the beat ----
        // Payload DWs travel with their lowest-address byte in bits 31:24.
        self.swap.a.next = self.rx_tdata.val();
        self.payload.next = self.swap.y.val();
        self.ready.next = (self.state.q.val() == RxState::Idle)
            | (self.state.q.val() == RxState::Header2)
            | (self.state.q.val() == RxState::WriteData)
            | (self.state.q.val() == RxState::CplData)
            | (self.state.q.val() == RxState::Skip);
        self.rx_tready.next = self.ready.val();
        self.beat.next = self.ready.val() & self.rx_tvalid.val();
        self.ft.next = self.rx_tdata.val().get_bits::<8>(24);
        self.q_4dw.next = self.q_fmt.q.val().get_bit(5);
        self.q_read.next = !self.q_fmt.q.val().get_bit(6);
        // A completion for the read in flight: our tag and our requester ID.
        self.c_match.next = self.c_ok.q.val();
        if self.c_first.q.val() {
            self.c_match.next = (self.rx_tdata.val().get_bits::<8>(8) == self.fetch_tag.val())
                & (self.rx_tdata.val().get_bits::<16>(16) == self.cfg_id.val())
                & self.fetching.val();
        }
        self.c_failed.next = (self.c_status.q.val() != self.k_sc.val()) | (self.q_fmt.q.val() == self.k_cpl.val());
        self.cpl_done.next = false;
        self.cpl_error.next = false;
        self.line_we.next = false;
        self.line_waddr.next = self.fill_idx.q.val();
        self.line_wdata.next =
            (bit_cast::<64, 32>(self.payload.val().get_bits::<32>(0)) << 32) | bit_cast::<64, 32>(self.carry.q.val());

        match self.state.q.val() {
            RxState::Idle => {
                if self.beat.val() {
                    self.q_fmt.d.next = self.ft.val();
                    self.q_len.d.next = self.rx_tdata.val().get_bits::<10>(0);
                    self.q_tc.d.next = self.rx_tdata.val().get_bits::<3>(20);
                    self.q_attr.d.next = self.rx_tdata.val().get_bits::<2>(12);
                    self.q_rid.d.next = self.rx_tdata.val().get_bits::<16>(48);
                    self.q_tag.d.next = self.rx_tdata.val().get_bits::<8>(40);
                    self.q_lbe.d.next = self.rx_tdata.val().get_bits::<4>(36);
                    self.q_fbe.d.next = self.rx_tdata.val().get_bits::<4>(32);
                    self.c_status.d.next = self.rx_tdata.val().get_bits::<3>(45);
                    self.c_bytes.d.next = self.rx_tdata.val().get_bits::<12>(32);
                    self.c_len.d.next = self.rx_tdata.val().get_bits::<10>(0);
                    if (self.ft.val() == self.k_mrd32.val()) | (self.ft.val() == self.k_mrd64.val()) {
                        self.q_ur.d.next = !self.rx_bar0.val() | (self.rx_tdata.val().get_bits::<10>(0) != 1);
                        self.state.d.next = RxState::Header2;
                    } else if ((self.ft.val() == self.k_mwr32.val()) | (self.ft.val() == self.k_mwr64.val()))
                        & self.rx_bar0.val()
                        & ((self.rx_tdata.val().get_bits::<10>(0) == 1) | (self.rx_tdata.val().get_bits::<10>(0) == 2))
                    {
                        self.q_ur.d.next = false;
                        self.state.d.next = RxState::Header2;
                    } else if (self.ft.val() == self.k_cpld.val()) | (self.ft.val() == self.k_cpl.val()) {
                        self.c_first.d.next = true;
                        self.state.d.next = RxState::CplData;
                    } else if !self.rx_tlast.val() {
                        self.state.d.next = RxState::Skip;
                    }
                }
            }
            RxState::Header2 => {
                if self.beat.val() {
                    // 3 DW: address in the low DW; 4 DW: address high, then low.
                    self.q_addr.d.next = self.rx_tdata.val().get_bits::<32>(0);
                    if self.q_4dw.val() {
                        self.q_addr.d.next = self.rx_tdata.val().get_bits::<32>(32);
                    }
                    self.q_data0.d.next = self.payload.val().get_bits::<32>(32);
                    if self.q_read.val() {
                        if self.q_ur.q.val() {
                            self.state.d.next = RxState::Complete;
                        } else {
                            self.state.d.next = RxState::BusRead;
                        }
                    } else if self.q_4dw.val() | (self.q_len.q.val() == 2) {
                        self.state.d.next = RxState::WriteData;
                    } else {
                        self.state.d.next = RxState::BusWrite;
                    }
                }
            }
            RxState::WriteData => {
                if self.beat.val() {
                    if self.q_4dw.val() {
                        self.q_data0.d.next = self.payload.val().get_bits::<32>(0);
                        self.q_data1.d.next = self.payload.val().get_bits::<32>(32);
                    } else {
                        self.q_data1.d.next = self.payload.val().get_bits::<32>(0);
                    }
                    self.state.d.next = RxState::BusWrite;
                }
            }
            RxState::BusWrite => {
                self.b_addr.d.next = self.q_addr.q.val().get_bits::<25>(2);
                self.b_wdata.d.next = self.q_data0.q.val();
                self.b_we.d.next = self.q_fbe.q.val().any();
                self.state.d.next = RxState::Idle;
                if self.q_len.q.val() == 2 {
                    self.state.d.next = RxState::BusWrite2;
                }
            }
            RxState::BusWrite2 => {
                self.b_addr.d.next = self.q_addr.q.val().get_bits::<25>(2) + 1;
                self.b_wdata.d.next = self.q_data1.q.val();
                self.b_we.d.next = self.q_lbe.q.val().any();
                self.state.d.next = RxState::Idle;
            }
            RxState::BusRead => {
                self.b_addr.d.next = self.q_addr.q.val().get_bits::<25>(2);
                self.b_re.d.next = true;
                self.state.d.next = RxState::BusReadWait;
            }
            RxState::BusReadWait => {
                if self.bus_rvalid.val() {
                    self.rd_value.d.next = self.bus_rdata.val();
                    self.state.d.next = RxState::Complete;
                }
            }
            RxState::Complete => {
                if self.cpl_sent.val() {
                    self.state.d.next = RxState::Idle;
                }
            }
            RxState::CplData => {
                if self.beat.val() {
                    self.c_first.d.next = false;
                    self.c_ok.d.next = self.c_match.val();
                    self.carry.d.next = self.payload.val().get_bits::<32>(32);
                    if !self.c_first.q.val() {
                        self.line_we.next = self.c_match.val();
                        self.fill_idx.d.next = self.fill_idx.q.val() + 1;
                    }
                    if self.rx_tlast.val() {
                        self.state.d.next = RxState::Idle;
                        self.cpl_done.next = self.c_match.val()
                            & (self.c_failed.val()
                                | (self.c_bytes.q.val() == (bit_cast::<12, 10>(self.c_len.q.val()) << 2)));
                        self.cpl_error.next = self.c_match.val() & self.c_failed.val();
                    }
                }
            }
            RxState::Skip => {
                if self.beat.val() & self.rx_tlast.val() {
                    self.state.d.next = RxState::Idle;
                }
            }
        }
        // Each read of the requester fills its line from word 0.
        if !self.fetching.val() {
            self.fill_idx.d.next = bits::<4>(0);
        }
    }
}
