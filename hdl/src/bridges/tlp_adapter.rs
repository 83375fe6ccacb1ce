//! `TlpAdapter`: the core's bus and its DMA engine's memory-request port on the Xilinx
//! 7-series PCI Express integrated block (PG054), through its 64-bit AXI-Stream TLP
//! interface. Packet layouts are `memfire_spec::tlp`'s.
//!
//! - **BAR0 → bus**: memory reads of one DW and memory writes of one or two DWs that hit
//!   BAR0 become bus accesses at word address `BAR offset / 4` (the 128 MiB BAR covers the
//!   core's 25-bit word space); a read is answered with a completion carrying the word. Any
//!   other memory read is answered "unsupported request"; other writes are dropped.
//!   One request is served at a time (the receive side waits while a read completes).
//! - **memory-request port → host memory**: an engine write becomes a posted memory write
//!   (3 DW header below 4 GiB, 4 DW above, as PCIe requires); an engine read becomes a read
//!   of up to 128 bytes from the requested address to the end of its 4 KiB page (a page the
//!   IOMMU maps, since the engine's address is in it). The completions (split by the host at
//!   its read-completion boundary, in address order) fill a 16-word line; the engine's read
//!   is answered from its first word, and later engine reads that fall in the line are
//!   answered from it without a round trip over the link (the engine reads descriptors and
//!   input records front to back). The line is dropped when the engine writes into it and at
//!   any BAR0 write: the host announces new data in memory by writing a register, so what was
//!   fetched before may be stale. (With today's engine the line is also replaced before any
//!   such reuse — it alternates between a ring and a buffer and writes each descriptor back —
//!   so the BAR0 rule is a guard for access patterns to come.) A completion with an error status, or none within
//!   `COMPLETION_TIMEOUT` cycles, answers the engine's read with `mem_rsp_error`.
//! - **interrupt → MSI** (`MsiSender`): a rising interrupt line sends one MSI through `cfg_interrupt` once
//!   every earlier write has left for the link (so the host sees the data before the
//!   interrupt). A write to `IRQ_STATUS` that leaves the line high (a new event came as the
//!   host cleared the old one) sends another, so no event waits for a timeout.
//! - Nothing goes out towards host memory while the host has not enabled bus mastering.

use memfire_spec::memmap::reg_addr;
use memfire_spec::regs::offset;
use memfire_spec::tlp::{fmt_type, status, MAX_READ_BYTES, PAGE_BYTES};
use rust_hdl::prelude::*;

use super::msi::MsiSender;

/// Cycles the adapter waits for a read's completions (2^20: 17 ms at 62.5 MHz, inside the
/// 50 µs – 50 ms range PCIe allows).
pub const COMPLETION_TIMEOUT: u64 = 1 << 20;

/// What the receive side is doing.
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
    /// The completion is being sent.
    Complete,
    /// Beats of a completion for the engine's read.
    CplData,
    /// Beats of a packet the adapter ignores.
    Skip,
}

/// What the transmit side is sending.
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

/// The engine's read that missed the line.
#[derive(Copy, Clone, Debug, PartialEq, Eq, LogicState)]
pub enum FetchState {
    Idle,
    /// Read request out, completions coming in.
    Fetching,
    /// All in (or failed): read the line's first word, then answer the engine.
    Answer,
    Respond,
}

#[derive(LogicBlock)]
pub struct TlpAdapter {
    pub clock: Signal<In, Clock>,
    // ---- completer and requester packets from the link (m_axis_rx_*) ----
    pub rx_tdata: Signal<In, Bits<64>>,
    pub rx_tkeep: Signal<In, Bits<8>>,
    pub rx_tlast: Signal<In, Bit>,
    pub rx_tvalid: Signal<In, Bit>,
    pub rx_tready: Signal<Out, Bit>,
    /// `m_axis_rx_tuser[2]`: the request hit BAR0.
    pub rx_bar0: Signal<In, Bit>,
    // ---- packets to the link (s_axis_tx_*) ----
    pub tx_tdata: Signal<Out, Bits<64>>,
    pub tx_tkeep: Signal<Out, Bits<8>>,
    pub tx_tlast: Signal<Out, Bit>,
    pub tx_tvalid: Signal<Out, Bit>,
    pub tx_tready: Signal<In, Bit>,
    // ---- configuration space ----
    /// Our requester/completer ID: {cfg_bus_number, cfg_device_number, cfg_function_number}.
    pub cfg_id: Signal<In, Bits<16>>,
    /// `cfg_command[2]`: the host allows us to master the bus.
    pub cfg_bus_master: Signal<In, Bit>,
    pub cfg_msi_enable: Signal<In, Bit>,
    pub cfg_interrupt: Signal<Out, Bit>,
    pub cfg_interrupt_rdy: Signal<In, Bit>,
    // ---- the core's bus (we are its master) ----
    pub bus_addr: Signal<Out, Bits<25>>,
    pub bus_wdata: Signal<Out, Bits<32>>,
    pub bus_we: Signal<Out, Bit>,
    pub bus_re: Signal<Out, Bit>,
    pub bus_rdata: Signal<In, Bits<32>>,
    pub bus_rvalid: Signal<In, Bit>,
    pub irq: Signal<In, Bit>,
    // ---- the DMA engine's memory-request port (we serve it) ----
    pub mem_req_valid: Signal<In, Bit>,
    pub mem_req_ready: Signal<Out, Bit>,
    pub mem_req_write: Signal<In, Bit>,
    pub mem_req_addr: Signal<In, Bits<64>>,
    pub mem_req_wdata: Signal<In, Bits<64>>,
    pub mem_rsp_valid: Signal<Out, Bit>,
    pub mem_rsp_data: Signal<Out, Bits<64>>,
    pub mem_rsp_error: Signal<Out, Bit>,

    // ---- receive side: the request in hand ----
    rx_state: DFF<RxState>,
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
    // ---- receive side: a completion for the engine's read ----
    c_status: DFF<Bits<3>>,
    c_bytes: DFF<Bits<12>>,
    c_len: DFF<Bits<10>>,
    c_first: DFF<Bit>,
    c_ok: DFF<Bit>,
    carry: DFF<Bits<32>>,
    fill_idx: DFF<Bits<4>>,
    // ---- the engine's reads ----
    line: RAM<Bits<64>, 4>,
    line_valid: DFF<Bit>,
    line_base: DFF<Bits<64>>,
    line_bytes: DFF<Bits<8>>,
    f_state: DFF<FetchState>,
    f_addr: DFF<Bits<64>>,
    f_len_dw: DFF<Bits<6>>,
    f_tag: DFF<Bits<8>>,
    f_err: DFF<Bit>,
    f_stale: DFF<Bit>,
    f_timer: DFF<Bits<21>>,
    /// The read request still has to go out.
    rd_send: DFF<Bit>,
    /// A line hit: answer from the line's read port next cycle.
    hit_rsp: DFF<Bit>,
    // ---- the engine's write in hand ----
    w_pend: DFF<Bit>,
    w_addr: DFF<Bits<64>>,
    w_data: DFF<Bits<64>>,
    // ---- transmit side ----
    tx_state: DFF<TxState>,
    tx_kind: DFF<TxKind>,
    /// The interrupt line as MSIs.
    msi: MsiSender,

    // ---- combinational ----
    rx_swap: DwSwap,
    w_swap: DwSwap,
    rd_swap: DwSwap,
    rx_ready: Signal<Local, Bit>,
    rx_beat: Signal<Local, Bit>,
    rx_ft: Signal<Local, Bits<8>>,
    /// `rx_tdata` with each DW's bytes reversed: payload DWs in register/memory order.
    rx_sw: Signal<Local, Bits<64>>,
    q_4dw: Signal<Local, Bit>,
    q_read: Signal<Local, Bit>,
    c_match: Signal<Local, Bit>,
    c_done: Signal<Local, Bit>,
    mem_ready: Signal<Local, Bit>,
    take: Signal<Local, Bit>,
    line_off: Signal<Local, Bits<64>>,
    line_hit: Signal<Local, Bit>,
    page_left: Signal<Local, Bits<13>>,
    w_4dw: Signal<Local, Bit>,
    f_4dw: Signal<Local, Bit>,
    w_sw: Signal<Local, Bits<64>>,
    rd_sw: Signal<Local, Bits<32>>,
    be_low: Signal<Local, Bits<2>>,
    be_high: Signal<Local, Bits<2>>,
    cpl_bc: Signal<Local, Bits<12>>,
    tx_last: Signal<Local, Bit>,
    /// Beat 0's Fmt/Type, and a completion's length and status.
    tx_ft: Signal<Local, Bits<8>>,
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
    k_max_read: Constant<Bits<13>>,
    k_page: Constant<Bits<13>>,
    k_timeout: Constant<Bits<21>>,
    k_irq_status: Constant<Bits<25>>,
}

/// Reverses the bytes of each 32-bit half: payload DWs between the interface's order (lowest
/// address in bits 31:24) and little-endian registers and memory.
#[derive(LogicBlock, Default)]
pub struct DwSwap {
    pub a: Signal<In, Bits<64>>,
    pub y: Signal<Out, Bits<64>>,
}

impl Logic for DwSwap {
    #[hdl_gen]
    fn update(&mut self) {
        self.y.next = (bit_cast::<64, 8>(self.a.val().get_bits::<8>(0)) << 24)
            | (bit_cast::<64, 8>(self.a.val().get_bits::<8>(8)) << 16)
            | (bit_cast::<64, 8>(self.a.val().get_bits::<8>(16)) << 8)
            | bit_cast::<64, 8>(self.a.val().get_bits::<8>(24))
            | (bit_cast::<64, 8>(self.a.val().get_bits::<8>(32)) << 56)
            | (bit_cast::<64, 8>(self.a.val().get_bits::<8>(40)) << 48)
            | (bit_cast::<64, 8>(self.a.val().get_bits::<8>(48)) << 40)
            | (bit_cast::<64, 8>(self.a.val().get_bits::<8>(56)) << 32);
    }
}

fn byte(x: u8) -> Constant<Bits<8>> {
    Constant::new(u64::from(x).into())
}

impl Default for TlpAdapter {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            rx_tdata: Default::default(),
            rx_tkeep: Default::default(),
            rx_tlast: Default::default(),
            rx_tvalid: Default::default(),
            rx_tready: Default::default(),
            rx_bar0: Default::default(),
            tx_tdata: Default::default(),
            tx_tkeep: Default::default(),
            tx_tlast: Default::default(),
            tx_tvalid: Default::default(),
            tx_tready: Default::default(),
            cfg_id: Default::default(),
            cfg_bus_master: Default::default(),
            cfg_msi_enable: Default::default(),
            cfg_interrupt: Default::default(),
            cfg_interrupt_rdy: Default::default(),
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
            rx_state: Default::default(),
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
            line: Default::default(),
            line_valid: Default::default(),
            line_base: Default::default(),
            line_bytes: Default::default(),
            f_state: Default::default(),
            f_addr: Default::default(),
            f_len_dw: Default::default(),
            f_tag: Default::default(),
            f_err: Default::default(),
            f_stale: Default::default(),
            f_timer: Default::default(),
            rd_send: Default::default(),
            hit_rsp: Default::default(),
            w_pend: Default::default(),
            w_addr: Default::default(),
            w_data: Default::default(),
            tx_state: Default::default(),
            tx_kind: Default::default(),
            msi: Default::default(),
            rx_swap: Default::default(),
            w_swap: Default::default(),
            rd_swap: Default::default(),
            rx_ready: Default::default(),
            rx_beat: Default::default(),
            rx_ft: Default::default(),
            rx_sw: Default::default(),
            q_4dw: Default::default(),
            q_read: Default::default(),
            c_match: Default::default(),
            c_done: Default::default(),
            mem_ready: Default::default(),
            take: Default::default(),
            line_off: Default::default(),
            line_hit: Default::default(),
            page_left: Default::default(),
            w_4dw: Default::default(),
            f_4dw: Default::default(),
            w_sw: Default::default(),
            rd_sw: Default::default(),
            be_low: Default::default(),
            be_high: Default::default(),
            cpl_bc: Default::default(),
            tx_last: Default::default(),
            tx_ft: Default::default(),
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
            k_max_read: Constant::new(MAX_READ_BYTES.into()),
            k_page: Constant::new(PAGE_BYTES.into()),
            k_timeout: Constant::new((COMPLETION_TIMEOUT - 1).into()),
            k_irq_status: Constant::new(u64::from(reg_addr(offset::IRQ_STATUS)).into()),
        }
    }
}

impl Logic for TlpAdapter {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, rx_state, q_fmt, q_len, q_tc, q_attr, q_rid, q_tag, q_fbe, q_lbe, q_addr, q_ur, q_data0,
            q_data1, rd_value, b_addr, b_wdata, b_we, b_re, c_status, c_bytes, c_len, c_first, c_ok, carry, fill_idx,
            line_valid, line_base, line_bytes, f_state, f_addr, f_len_dw, f_tag, f_err, f_stale, f_timer, rd_send,
            hit_rsp, w_pend, w_addr, w_data, tx_state, tx_kind
        );
        clock!(self, clock, msi);
        self.line.read_clock.next = self.clock.val();
        self.line.write_clock.next = self.clock.val();

        // ================= byte order =================
        // Payload DWs travel with their lowest-address byte in bits 31:24; registers and
        // host memory are little-endian.
        self.rx_swap.a.next = self.rx_tdata.val();
        self.rx_sw.next = self.rx_swap.y.val();
        self.w_swap.a.next = self.w_data.q.val();
        self.w_sw.next = self.w_swap.y.val();
        self.rd_swap.a.next = bit_cast::<64, 32>(self.rd_value.q.val());
        self.rd_sw.next = self.rd_swap.y.val().get_bits::<32>(0);

        // ================= outputs from registers =================
        self.bus_addr.next = self.b_addr.q.val();
        self.bus_wdata.next = self.b_wdata.q.val();
        self.bus_we.next = self.b_we.q.val();
        self.bus_re.next = self.b_re.q.val();
        self.b_we.d.next = false;
        self.b_re.d.next = false;
        self.cfg_interrupt.next = self.msi.cfg_interrupt.val();

        // ================= receive side =================
        self.rx_ready.next = (self.rx_state.q.val() == RxState::Idle)
            | (self.rx_state.q.val() == RxState::Header2)
            | (self.rx_state.q.val() == RxState::WriteData)
            | (self.rx_state.q.val() == RxState::CplData)
            | (self.rx_state.q.val() == RxState::Skip);
        self.rx_tready.next = self.rx_ready.val();
        self.rx_beat.next = self.rx_ready.val() & self.rx_tvalid.val();
        self.rx_ft.next = self.rx_tdata.val().get_bits::<8>(24);
        self.q_4dw.next = self.q_fmt.q.val().get_bit(5);
        self.q_read.next = !self.q_fmt.q.val().get_bit(6);
        // A completion for the read in flight: our tag and our requester ID.
        self.c_match.next = self.c_ok.q.val();
        if self.c_first.q.val() {
            self.c_match.next = (self.rx_tdata.val().get_bits::<8>(8) == self.f_tag.q.val())
                & (self.rx_tdata.val().get_bits::<16>(16) == self.cfg_id.val())
                & (self.f_state.q.val() == FetchState::Fetching);
        }
        self.c_done.next = false;
        self.line.write_enable.next = false;
        self.line.write_address.next = self.fill_idx.q.val();
        self.line.write_data.next =
            (bit_cast::<64, 32>(self.rx_sw.val().get_bits::<32>(0)) << 32) | bit_cast::<64, 32>(self.carry.q.val());

        match self.rx_state.q.val() {
            RxState::Idle => {
                if self.rx_beat.val() {
                    self.q_fmt.d.next = self.rx_ft.val();
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
                    if (self.rx_ft.val() == self.k_mrd32.val()) | (self.rx_ft.val() == self.k_mrd64.val()) {
                        self.q_ur.d.next = !self.rx_bar0.val() | (self.rx_tdata.val().get_bits::<10>(0) != 1);
                        self.rx_state.d.next = RxState::Header2;
                    } else if ((self.rx_ft.val() == self.k_mwr32.val()) | (self.rx_ft.val() == self.k_mwr64.val()))
                        & self.rx_bar0.val()
                        & ((self.rx_tdata.val().get_bits::<10>(0) == 1) | (self.rx_tdata.val().get_bits::<10>(0) == 2))
                    {
                        self.q_ur.d.next = false;
                        self.rx_state.d.next = RxState::Header2;
                    } else if (self.rx_ft.val() == self.k_cpld.val()) | (self.rx_ft.val() == self.k_cpl.val()) {
                        self.c_first.d.next = true;
                        self.rx_state.d.next = RxState::CplData;
                    } else if !self.rx_tlast.val() {
                        self.rx_state.d.next = RxState::Skip;
                    }
                }
            }
            RxState::Header2 => {
                if self.rx_beat.val() {
                    // 3 DW: address in the low DW; 4 DW: address high, then low.
                    self.q_addr.d.next = self.rx_tdata.val().get_bits::<32>(0);
                    if self.q_4dw.val() {
                        self.q_addr.d.next = self.rx_tdata.val().get_bits::<32>(32);
                    }
                    self.q_data0.d.next = self.rx_sw.val().get_bits::<32>(32);
                    if self.q_read.val() {
                        if self.q_ur.q.val() {
                            self.rx_state.d.next = RxState::Complete;
                        } else {
                            self.rx_state.d.next = RxState::BusRead;
                        }
                    } else if self.q_4dw.val() | (self.q_len.q.val() == 2) {
                        self.rx_state.d.next = RxState::WriteData;
                    } else {
                        self.rx_state.d.next = RxState::BusWrite;
                    }
                }
            }
            RxState::WriteData => {
                if self.rx_beat.val() {
                    if self.q_4dw.val() {
                        self.q_data0.d.next = self.rx_sw.val().get_bits::<32>(0);
                        self.q_data1.d.next = self.rx_sw.val().get_bits::<32>(32);
                    } else {
                        self.q_data1.d.next = self.rx_sw.val().get_bits::<32>(0);
                    }
                    self.rx_state.d.next = RxState::BusWrite;
                }
            }
            RxState::BusWrite => {
                self.b_addr.d.next = self.q_addr.q.val().get_bits::<25>(2);
                self.b_wdata.d.next = self.q_data0.q.val();
                self.b_we.d.next = self.q_fbe.q.val().any();
                self.rx_state.d.next = RxState::Idle;
                if self.q_len.q.val() == 2 {
                    self.rx_state.d.next = RxState::BusWrite2;
                }
            }
            RxState::BusWrite2 => {
                self.b_addr.d.next = self.q_addr.q.val().get_bits::<25>(2) + 1;
                self.b_wdata.d.next = self.q_data1.q.val();
                self.b_we.d.next = self.q_lbe.q.val().any();
                self.rx_state.d.next = RxState::Idle;
            }
            RxState::BusRead => {
                self.b_addr.d.next = self.q_addr.q.val().get_bits::<25>(2);
                self.b_re.d.next = true;
                self.rx_state.d.next = RxState::BusReadWait;
            }
            RxState::BusReadWait => {
                if self.bus_rvalid.val() {
                    self.rd_value.d.next = self.bus_rdata.val();
                    self.rx_state.d.next = RxState::Complete;
                }
            }
            RxState::Complete => {
                // The transmit side sends the completion and returns us to Idle.
            }
            RxState::CplData => {
                if self.rx_beat.val() {
                    self.c_first.d.next = false;
                    self.c_ok.d.next = self.c_match.val();
                    self.carry.d.next = self.rx_sw.val().get_bits::<32>(32);
                    // From the second beat on, each beat completes one 8-byte word: the DW
                    // carried from the beat before and this beat's low DW.
                    if !self.c_first.q.val() {
                        self.line.write_enable.next = self.c_match.val();
                        self.fill_idx.d.next = self.fill_idx.q.val() + 1;
                    }
                    if self.rx_tlast.val() {
                        self.rx_state.d.next = RxState::Idle;
                        // The last completion of the read: an error, or the remaining byte
                        // count is exactly this packet's payload.
                        self.c_done.next = self.c_match.val()
                            & ((self.c_status.q.val() != self.k_sc.val())
                                | (self.q_fmt.q.val() == self.k_cpl.val())
                                | (self.c_bytes.q.val() == (bit_cast::<12, 10>(self.c_len.q.val()) << 2)));
                        if self.c_match.val()
                            & ((self.c_status.q.val() != self.k_sc.val()) | (self.q_fmt.q.val() == self.k_cpl.val()))
                        {
                            self.f_err.d.next = true;
                        }
                    }
                }
            }
            RxState::Skip => {
                if self.rx_beat.val() & self.rx_tlast.val() {
                    self.rx_state.d.next = RxState::Idle;
                }
            }
        }

        // ================= the engine's memory requests =================
        self.mem_ready.next = (self.f_state.q.val() == FetchState::Idle)
            & !self.w_pend.q.val()
            & !self.hit_rsp.q.val()
            & self.cfg_bus_master.val();
        self.mem_req_ready.next = self.mem_ready.val();
        self.take.next = self.mem_ready.val() & self.mem_req_valid.val();
        self.line_off.next = self.mem_req_addr.val() - self.line_base.q.val();
        self.line_hit.next =
            self.line_valid.q.val() & (self.line_off.val() < bit_cast::<64, 8>(self.line_bytes.q.val()));
        self.page_left.next = self.k_page.val() - bit_cast::<13, 12>(self.mem_req_addr.val().get_bits::<12>(0));
        self.line.read_address.next = bits::<4>(0);
        self.mem_rsp_valid.next = self.hit_rsp.q.val();
        self.mem_rsp_data.next = self.line.read_data.val();
        self.mem_rsp_error.next = false;
        self.hit_rsp.d.next = false;
        if self.take.val() {
            if self.mem_req_write.val() {
                self.w_pend.d.next = true;
                self.w_addr.d.next = self.mem_req_addr.val();
                self.w_data.d.next = self.mem_req_wdata.val();
                if self.line_hit.val() {
                    self.line_valid.d.next = false;
                }
            } else if self.line_hit.val() {
                self.line.read_address.next = self.line_off.val().get_bits::<4>(3);
                self.hit_rsp.d.next = true;
            } else {
                self.f_state.d.next = FetchState::Fetching;
                self.f_addr.d.next = self.mem_req_addr.val();
                self.f_len_dw.d.next = bit_cast::<6, 13>(self.k_max_read.val() >> 2);
                if self.page_left.val() < self.k_max_read.val() {
                    self.f_len_dw.d.next = bit_cast::<6, 13>(self.page_left.val() >> 2);
                }
                self.f_tag.d.next = self.f_tag.q.val() + 1;
                self.f_err.d.next = false;
                self.f_stale.d.next = false;
                self.f_timer.d.next = bits::<21>(0);
                self.fill_idx.d.next = bits::<4>(0);
                self.line_valid.d.next = false;
                self.rd_send.d.next = true;
            }
        }
        match self.f_state.q.val() {
            FetchState::Idle => {}
            FetchState::Fetching => {
                self.f_timer.d.next = self.f_timer.q.val() + 1;
                if self.c_done.val() {
                    self.f_state.d.next = FetchState::Answer;
                } else if self.f_timer.q.val() == self.k_timeout.val() {
                    self.f_err.d.next = true;
                    self.f_state.d.next = FetchState::Answer;
                }
            }
            FetchState::Answer => {
                // The line's read port is at word 0 (the engine's address) by default.
                self.f_state.d.next = FetchState::Respond;
            }
            FetchState::Respond => {
                self.mem_rsp_valid.next = true;
                self.mem_rsp_error.next = self.f_err.q.val();
                self.line_base.d.next = self.f_addr.q.val();
                self.line_bytes.d.next = bit_cast::<8, 6>(self.f_len_dw.q.val()) << 2;
                self.line_valid.d.next = !self.f_err.q.val() & !self.f_stale.q.val();
                self.f_state.d.next = FetchState::Idle;
            }
        }
        // A register write may announce new data in host memory: what was fetched before it
        // (or is being fetched) may be stale.
        if self.rx_state.q.val() == RxState::BusWrite {
            self.line_valid.d.next = false;
            self.f_stale.d.next = true;
        }

        // ================= transmit side =================
        self.w_4dw.next = self.w_addr.q.val().get_bits::<32>(32).any();
        self.f_4dw.next = self.f_addr.q.val().get_bits::<32>(32).any();
        // A one-DW read's byte count and first byte, from its first byte enables.
        self.be_low.next = bits::<2>(0);
        if !self.q_fbe.q.val().get_bit(0) & self.q_fbe.q.val().get_bit(1) {
            self.be_low.next = bits::<2>(1);
        }
        if !self.q_fbe.q.val().get_bits::<2>(0).any() & self.q_fbe.q.val().get_bit(2) {
            self.be_low.next = bits::<2>(2);
        }
        if !self.q_fbe.q.val().get_bits::<3>(0).any() & self.q_fbe.q.val().get_bit(3) {
            self.be_low.next = bits::<2>(3);
        }
        self.be_high.next = bits::<2>(0);
        if self.q_fbe.q.val().get_bit(1) {
            self.be_high.next = bits::<2>(1);
        }
        if self.q_fbe.q.val().get_bit(2) {
            self.be_high.next = bits::<2>(2);
        }
        if self.q_fbe.q.val().get_bit(3) {
            self.be_high.next = bits::<2>(3);
        }
        self.cpl_bc.next = bit_cast::<12, 2>(self.be_high.val() - self.be_low.val()) + 1;

        self.tx_tvalid.next = self.tx_state.q.val() != TxState::Idle;
        self.tx_tdata.next = bits::<64>(0);
        self.tx_tkeep.next = bits::<8>(0xFF);
        self.tx_last.next = false;
        self.tx_ft.next = bits::<8>(0);
        self.cpl_len.next = bits::<64>(0);
        self.cpl_status.next = bits::<3>(0);
        match self.tx_state.q.val() {
            TxState::Idle => {
                if self.rx_state.q.val() == RxState::Complete {
                    self.tx_kind.d.next = TxKind::Completion;
                    self.tx_state.d.next = TxState::Beat0;
                } else if self.w_pend.q.val() {
                    self.tx_kind.d.next = TxKind::Write;
                    self.tx_state.d.next = TxState::Beat0;
                } else if self.rd_send.q.val() {
                    self.tx_kind.d.next = TxKind::Read;
                    self.tx_state.d.next = TxState::Beat0;
                }
            }
            TxState::Beat0 => {
                match self.tx_kind.q.val() {
                    TxKind::Completion => {
                        // DW0: CplD of one DW (or Cpl, no data, for an unsupported request)
                        // with the request's TC and attributes; DW1: completer, status,
                        // byte count.
                        self.tx_ft.next = self.k_cpld.val();
                        self.cpl_len.next = bits::<64>(1);
                        self.cpl_status.next = self.k_sc.val();
                        if self.q_ur.q.val() {
                            self.tx_ft.next = self.k_cpl.val();
                            self.cpl_len.next = bits::<64>(0);
                            self.cpl_status.next = self.k_ur.val();
                        }
                        self.tx_tdata.next = (bit_cast::<64, 8>(self.tx_ft.val()) << 24)
                            | (bit_cast::<64, 3>(self.q_tc.q.val()) << 20)
                            | (bit_cast::<64, 2>(self.q_attr.q.val()) << 12)
                            | self.cpl_len.val()
                            | (bit_cast::<64, 16>(self.cfg_id.val()) << 48)
                            | (bit_cast::<64, 3>(self.cpl_status.val()) << 45)
                            | (bit_cast::<64, 12>(self.cpl_bc.val()) << 32);
                    }
                    TxKind::Write => {
                        // DW0: MWr of two DWs; DW1: our ID, tag 0, all bytes enabled.
                        self.tx_ft.next = self.k_mwr32.val();
                        if self.w_4dw.val() {
                            self.tx_ft.next = self.k_mwr64.val();
                        }
                        self.tx_tdata.next = (bit_cast::<64, 8>(self.tx_ft.val()) << 24)
                            | bits::<64>(2)
                            | (bit_cast::<64, 16>(self.cfg_id.val()) << 48)
                            | (bits::<64>(0xFF) << 32);
                    }
                    TxKind::Read => {
                        // DW0: MRd of f_len_dw DWs; DW1: our ID, this read's tag, all bytes.
                        self.tx_ft.next = self.k_mrd32.val();
                        if self.f_4dw.val() {
                            self.tx_ft.next = self.k_mrd64.val();
                        }
                        self.tx_tdata.next = (bit_cast::<64, 8>(self.tx_ft.val()) << 24)
                            | bit_cast::<64, 6>(self.f_len_dw.q.val())
                            | (bit_cast::<64, 16>(self.cfg_id.val()) << 48)
                            | (bit_cast::<64, 8>(self.f_tag.q.val()) << 40)
                            | (bits::<64>(0xFF) << 32);
                    }
                }
                if self.tx_tready.val() {
                    self.tx_state.d.next = TxState::Beat1;
                }
            }
            TxState::Beat1 => {
                match self.tx_kind.q.val() {
                    TxKind::Completion => {
                        // DW2: requester, tag, lower address; DW3: the register's value.
                        self.tx_tdata.next = (bit_cast::<64, 16>(self.q_rid.q.val()) << 16)
                            | (bit_cast::<64, 8>(self.q_tag.q.val()) << 8)
                            | (bit_cast::<64, 5>(self.q_addr.q.val().get_bits::<5>(2)) << 2)
                            | bit_cast::<64, 2>(self.be_low.val())
                            | (bit_cast::<64, 32>(self.rd_sw.val()) << 32);
                        self.tx_last.next = true;
                        if self.q_ur.q.val() {
                            self.tx_tkeep.next = bits::<8>(0x0F);
                        }
                    }
                    TxKind::Write => {
                        // 3 DW: address, first data DW; 4 DW: address high, address low.
                        self.tx_tdata.next = bit_cast::<64, 32>(self.w_addr.q.val().get_bits::<32>(0))
                            | (bit_cast::<64, 32>(self.w_sw.val().get_bits::<32>(0)) << 32);
                        if self.w_4dw.val() {
                            self.tx_tdata.next = bit_cast::<64, 32>(self.w_addr.q.val().get_bits::<32>(32))
                                | (bit_cast::<64, 32>(self.w_addr.q.val().get_bits::<32>(0)) << 32);
                        }
                    }
                    TxKind::Read => {
                        self.tx_tdata.next = bit_cast::<64, 32>(self.f_addr.q.val().get_bits::<32>(0));
                        self.tx_tkeep.next = bits::<8>(0x0F);
                        if self.f_4dw.val() {
                            self.tx_tdata.next = bit_cast::<64, 32>(self.f_addr.q.val().get_bits::<32>(32))
                                | (bit_cast::<64, 32>(self.f_addr.q.val().get_bits::<32>(0)) << 32);
                            self.tx_tkeep.next = bits::<8>(0xFF);
                        }
                        self.tx_last.next = true;
                    }
                }
                if self.tx_tready.val() {
                    self.tx_state.d.next = TxState::Beat2;
                    if self.tx_last.val() {
                        self.tx_state.d.next = TxState::Idle;
                        if self.tx_kind.q.val() == TxKind::Completion {
                            self.rx_state.d.next = RxState::Idle;
                        }
                        if self.tx_kind.q.val() == TxKind::Read {
                            self.rd_send.d.next = false;
                        }
                    }
                }
            }
            TxState::Beat2 => {
                // Only writes have a third beat: the rest of the data.
                self.tx_tdata.next = bit_cast::<64, 32>(self.w_sw.val().get_bits::<32>(32));
                self.tx_tkeep.next = bits::<8>(0x0F);
                if self.w_4dw.val() {
                    self.tx_tdata.next = self.w_sw.val();
                    self.tx_tkeep.next = bits::<8>(0xFF);
                }
                self.tx_last.next = true;
                if self.tx_tready.val() {
                    self.tx_state.d.next = TxState::Idle;
                    self.w_pend.d.next = false;
                }
            }
        }
        self.tx_tlast.next = self.tx_last.val();

        // ================= MSI =================
        self.msi.irq.next = self.irq.val();
        self.msi.status_write.next = (self.rx_state.q.val() == RxState::BusWrite)
            & (self.q_addr.q.val().get_bits::<25>(2) == self.k_irq_status.val());
        self.msi.link_quiet.next = !self.w_pend.q.val() & (self.tx_state.q.val() == TxState::Idle);
        self.msi.msi_enable.next = self.cfg_msi_enable.val();
        self.msi.cfg_interrupt_rdy.next = self.cfg_interrupt_rdy.val();
    }
}
