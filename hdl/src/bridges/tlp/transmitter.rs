//! `TlpTransmitter`: packets to the link (`s_axis_tx_*`, PG054's 64-bit transmit
//! interface), one at a time, in this order: the completion of a BAR0 read (the host waits
//! on it), the requester's posted write, then its read request.
//!
//! - **Completion**: CplD of one DW with the request's TC and attributes, the byte count
//!   and lower address from its first byte enables (Cpl without data, status UR, for an
//!   unsupported request).
//! - **Write**: MWr of two DWs (8 bytes), 3 DW header below 4 GiB, 4 DW above, as PCIe
//!   requires.
//! - **Read**: MRd of `read_len_dw` DWs with the requester's tag.
//!
//! `cpl_sent`, `write_sent` and `read_sent` pulse as each packet's last beat leaves.

use memfire_spec::tlp::{fmt_type, status};
use rust_hdl::prelude::*;

use super::byte;
use super::dw_swap::DwSwap;

#[derive(Copy, Clone, Debug, PartialEq, Eq, LogicState)]
pub enum TxState {
    Idle,
    Beat0,
    Beat1,
    Beat2,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, LogicState)]
pub enum TxKind {
    Completion,
    Write,
    Read,
}

#[derive(LogicBlock)]
pub struct TlpTransmitter {
    pub clock: Signal<In, Clock>,
    // ---- the link ----
    pub tx_tdata: Signal<Out, Bits<64>>,
    pub tx_tkeep: Signal<Out, Bits<8>>,
    pub tx_tlast: Signal<Out, Bit>,
    pub tx_tvalid: Signal<Out, Bit>,
    pub tx_tready: Signal<In, Bit>,
    /// Our requester/completer ID.
    pub cfg_id: Signal<In, Bits<16>>,
    // ---- the receiver's request, to complete ----
    pub cpl_pending: Signal<In, Bit>,
    pub cpl_sent: Signal<Out, Bit>,
    pub req_tc: Signal<In, Bits<3>>,
    pub req_attr: Signal<In, Bits<2>>,
    pub req_rid: Signal<In, Bits<16>>,
    pub req_tag: Signal<In, Bits<8>>,
    pub req_fbe: Signal<In, Bits<4>>,
    pub req_addr: Signal<In, Bits<32>>,
    pub req_ur: Signal<In, Bit>,
    pub read_value: Signal<In, Bits<32>>,
    // ---- the requester's write and read ----
    pub write_pending: Signal<In, Bit>,
    pub write_addr: Signal<In, Bits<64>>,
    pub write_data: Signal<In, Bits<64>>,
    pub write_sent: Signal<Out, Bit>,
    pub read_pending: Signal<In, Bit>,
    pub read_addr: Signal<In, Bits<64>>,
    pub read_len_dw: Signal<In, Bits<6>>,
    pub read_tag: Signal<In, Bits<8>>,
    pub read_sent: Signal<Out, Bit>,
    /// No write to host memory is pending or leaving (the MSI may go).
    pub link_quiet: Signal<Out, Bit>,

    state: DFF<TxState>,
    kind: DFF<TxKind>,
    write_swap: DwSwap,
    value_swap: DwSwap,
    /// The write's data and the register's value, in the link's byte order.
    write_payload: Signal<Local, Bits<64>>,
    value_payload: Signal<Local, Bits<32>>,
    write_4dw: Signal<Local, Bit>,
    read_4dw: Signal<Local, Bit>,
    /// A one-DW read's first and last enabled byte, and its byte count.
    be_low: Signal<Local, Bits<2>>,
    be_high: Signal<Local, Bits<2>>,
    cpl_bc: Signal<Local, Bits<12>>,
    last: Signal<Local, Bit>,
    /// Beat 0's Fmt/Type, and a completion's length and status.
    ft: Signal<Local, Bits<8>>,
    cpl_len: Signal<Local, Bits<64>>,
    cpl_status: Signal<Local, Bits<3>>,
    k_mrd32: Constant<Bits<8>>,
    k_mrd64: Constant<Bits<8>>,
    k_mwr32: Constant<Bits<8>>,
    k_mwr64: Constant<Bits<8>>,
    k_cpl: Constant<Bits<8>>,
    k_cpld: Constant<Bits<8>>,
    k_ur: Constant<Bits<3>>,
    k_sc: Constant<Bits<3>>,
}

impl Default for TlpTransmitter {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            tx_tdata: Default::default(),
            tx_tkeep: Default::default(),
            tx_tlast: Default::default(),
            tx_tvalid: Default::default(),
            tx_tready: Default::default(),
            cfg_id: Default::default(),
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
            write_pending: Default::default(),
            write_addr: Default::default(),
            write_data: Default::default(),
            write_sent: Default::default(),
            read_pending: Default::default(),
            read_addr: Default::default(),
            read_len_dw: Default::default(),
            read_tag: Default::default(),
            read_sent: Default::default(),
            link_quiet: Default::default(),
            state: Default::default(),
            kind: Default::default(),
            write_swap: Default::default(),
            value_swap: Default::default(),
            write_payload: Default::default(),
            value_payload: Default::default(),
            write_4dw: Default::default(),
            read_4dw: Default::default(),
            be_low: Default::default(),
            be_high: Default::default(),
            cpl_bc: Default::default(),
            last: Default::default(),
            ft: Default::default(),
            cpl_len: Default::default(),
            cpl_status: Default::default(),
            k_mrd32: byte(fmt_type::MRD32),
            k_mrd64: byte(fmt_type::MRD64),
            k_mwr32: byte(fmt_type::MWR32),
            k_mwr64: byte(fmt_type::MWR64),
            k_cpl: byte(fmt_type::CPL),
            k_cpld: byte(fmt_type::CPLD),
            k_ur: Constant::new(u64::from(status::UR).into()),
            k_sc: Constant::new(u64::from(status::SC).into()),
        }
    }
}

impl Logic for TlpTransmitter {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, state, kind);
        self.write_swap.a.next = self.write_data.val();
        self.write_payload.next = self.write_swap.y.val();
        self.value_swap.a.next = bit_cast::<64, 32>(self.read_value.val());
        self.value_payload.next = self.value_swap.y.val().get_bits::<32>(0);
        self.write_4dw.next = self.write_addr.val().get_bits::<32>(32).any();
        self.read_4dw.next = self.read_addr.val().get_bits::<32>(32).any();
        self.link_quiet.next = !self.write_pending.val() & (self.state.q.val() == TxState::Idle);
        self.be_low.next = bits::<2>(0);
        if !self.req_fbe.val().get_bit(0) & self.req_fbe.val().get_bit(1) {
            self.be_low.next = bits::<2>(1);
        }
        if !self.req_fbe.val().get_bits::<2>(0).any() & self.req_fbe.val().get_bit(2) {
            self.be_low.next = bits::<2>(2);
        }
        if !self.req_fbe.val().get_bits::<3>(0).any() & self.req_fbe.val().get_bit(3) {
            self.be_low.next = bits::<2>(3);
        }
        self.be_high.next = bits::<2>(0);
        if self.req_fbe.val().get_bit(1) {
            self.be_high.next = bits::<2>(1);
        }
        if self.req_fbe.val().get_bit(2) {
            self.be_high.next = bits::<2>(2);
        }
        if self.req_fbe.val().get_bit(3) {
            self.be_high.next = bits::<2>(3);
        }
        self.cpl_bc.next = bit_cast::<12, 2>(self.be_high.val() - self.be_low.val()) + 1;

        self.tx_tvalid.next = self.state.q.val() != TxState::Idle;
        self.tx_tdata.next = bits::<64>(0);
        self.tx_tkeep.next = bits::<8>(0xFF);
        self.last.next = false;
        self.ft.next = bits::<8>(0);
        self.cpl_len.next = bits::<64>(0);
        self.cpl_status.next = bits::<3>(0);
        self.cpl_sent.next = false;
        self.write_sent.next = false;
        self.read_sent.next = false;
        match self.state.q.val() {
            TxState::Idle => {
                if self.cpl_pending.val() {
                    self.kind.d.next = TxKind::Completion;
                    self.state.d.next = TxState::Beat0;
                } else if self.write_pending.val() {
                    self.kind.d.next = TxKind::Write;
                    self.state.d.next = TxState::Beat0;
                } else if self.read_pending.val() {
                    self.kind.d.next = TxKind::Read;
                    self.state.d.next = TxState::Beat0;
                }
            }
            TxState::Beat0 => {
                match self.kind.q.val() {
                    TxKind::Completion => {
                        // DW0: CplD of one DW (or Cpl, no data, for an unsupported request)
                        // with the request's TC and attributes; DW1: completer, status,
                        // byte count.
                        self.ft.next = self.k_cpld.val();
                        self.cpl_len.next = bits::<64>(1);
                        self.cpl_status.next = self.k_sc.val();
                        if self.req_ur.val() {
                            self.ft.next = self.k_cpl.val();
                            self.cpl_len.next = bits::<64>(0);
                            self.cpl_status.next = self.k_ur.val();
                        }
                        self.tx_tdata.next = (bit_cast::<64, 8>(self.ft.val()) << 24)
                            | (bit_cast::<64, 3>(self.req_tc.val()) << 20)
                            | (bit_cast::<64, 2>(self.req_attr.val()) << 12)
                            | self.cpl_len.val()
                            | (bit_cast::<64, 16>(self.cfg_id.val()) << 48)
                            | (bit_cast::<64, 3>(self.cpl_status.val()) << 45)
                            | (bit_cast::<64, 12>(self.cpl_bc.val()) << 32);
                    }
                    TxKind::Write => {
                        // DW0: MWr of two DWs; DW1: our ID, tag 0, all bytes enabled.
                        self.ft.next = self.k_mwr32.val();
                        if self.write_4dw.val() {
                            self.ft.next = self.k_mwr64.val();
                        }
                        self.tx_tdata.next = (bit_cast::<64, 8>(self.ft.val()) << 24)
                            | bits::<64>(2)
                            | (bit_cast::<64, 16>(self.cfg_id.val()) << 48)
                            | (bits::<64>(0xFF) << 32);
                    }
                    TxKind::Read => {
                        // DW0: MRd of read_len_dw DWs; DW1: our ID, the read's tag, all bytes.
                        self.ft.next = self.k_mrd32.val();
                        if self.read_4dw.val() {
                            self.ft.next = self.k_mrd64.val();
                        }
                        self.tx_tdata.next = (bit_cast::<64, 8>(self.ft.val()) << 24)
                            | bit_cast::<64, 6>(self.read_len_dw.val())
                            | (bit_cast::<64, 16>(self.cfg_id.val()) << 48)
                            | (bit_cast::<64, 8>(self.read_tag.val()) << 40)
                            | (bits::<64>(0xFF) << 32);
                    }
                }
                if self.tx_tready.val() {
                    self.state.d.next = TxState::Beat1;
                }
            }
            TxState::Beat1 => {
                match self.kind.q.val() {
                    TxKind::Completion => {
                        // DW2: requester, tag, lower address; DW3: the register's value.
                        self.tx_tdata.next = (bit_cast::<64, 16>(self.req_rid.val()) << 16)
                            | (bit_cast::<64, 8>(self.req_tag.val()) << 8)
                            | (bit_cast::<64, 5>(self.req_addr.val().get_bits::<5>(2)) << 2)
                            | bit_cast::<64, 2>(self.be_low.val())
                            | (bit_cast::<64, 32>(self.value_payload.val()) << 32);
                        self.last.next = true;
                        if self.req_ur.val() {
                            self.tx_tkeep.next = bits::<8>(0x0F);
                        }
                    }
                    TxKind::Write => {
                        // 3 DW: address, first data DW; 4 DW: address high, address low.
                        self.tx_tdata.next = bit_cast::<64, 32>(self.write_addr.val().get_bits::<32>(0))
                            | (bit_cast::<64, 32>(self.write_payload.val().get_bits::<32>(0)) << 32);
                        if self.write_4dw.val() {
                            self.tx_tdata.next = bit_cast::<64, 32>(self.write_addr.val().get_bits::<32>(32))
                                | (bit_cast::<64, 32>(self.write_addr.val().get_bits::<32>(0)) << 32);
                        }
                    }
                    TxKind::Read => {
                        self.tx_tdata.next = bit_cast::<64, 32>(self.read_addr.val().get_bits::<32>(0));
                        self.tx_tkeep.next = bits::<8>(0x0F);
                        if self.read_4dw.val() {
                            self.tx_tdata.next = bit_cast::<64, 32>(self.read_addr.val().get_bits::<32>(32))
                                | (bit_cast::<64, 32>(self.read_addr.val().get_bits::<32>(0)) << 32);
                            self.tx_tkeep.next = bits::<8>(0xFF);
                        }
                        self.last.next = true;
                    }
                }
                if self.tx_tready.val() {
                    self.state.d.next = TxState::Beat2;
                    if self.last.val() {
                        self.state.d.next = TxState::Idle;
                        self.cpl_sent.next = self.kind.q.val() == TxKind::Completion;
                        self.read_sent.next = self.kind.q.val() == TxKind::Read;
                    }
                }
            }
            TxState::Beat2 => {
                // Only writes have a third beat: the rest of the data.
                self.tx_tdata.next = bit_cast::<64, 32>(self.write_payload.val().get_bits::<32>(32));
                self.tx_tkeep.next = bits::<8>(0x0F);
                if self.write_4dw.val() {
                    self.tx_tdata.next = self.write_payload.val();
                    self.tx_tkeep.next = bits::<8>(0xFF);
                }
                self.last.next = true;
                if self.tx_tready.val() {
                    self.state.d.next = TxState::Idle;
                    self.write_sent.next = true;
                }
            }
        }
        self.tx_tlast.next = self.last.val();
    }
}
