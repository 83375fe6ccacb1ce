//! `TlpRequester`: serves the DMA engine's memory-request port (`DmaEngine`'s protocol)
//! with requests of our own towards host memory.
//!
//! - An engine write becomes a posted memory write (held in `write_*` until the
//!   transmitter has sent it).
//! - An engine read becomes a read of up to `MAX_READ_BYTES` from the requested address to
//!   the end of its 4 KiB page (a page the IOMMU maps, since the engine's address is in it).
//!   The completions (split by the host at its read-completion boundary, in address order)
//!   fill a 16-word line; the engine's read is answered from its first word, and later
//!   engine reads that fall in the line are answered from it without a round trip over the
//!   link (the engine reads descriptors and input records front to back).
//! - The line is dropped when the engine writes into it and at any BAR0 write: the host
//!   announces new data in memory by writing a register, so what was fetched before may be
//!   stale. A completion with an error status, or none within `COMPLETION_TIMEOUT` cycles,
//!   answers the engine's read with `mem_rsp_error`.
//! - Nothing is taken from the engine while the host has not enabled bus mastering.
//!
//! What it tells the receiver and the transmitter comes from registers.

use memfire_spec::tlp::{MAX_READ_BYTES, PAGE_BYTES};
use rust_hdl::prelude::*;

/// Cycles the requester waits for a read's completions (2^20: 17 ms at 62.5 MHz, inside
/// the 50 µs – 50 ms range PCIe allows).
pub const COMPLETION_TIMEOUT: u64 = 1 << 20;

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
pub struct TlpRequester {
    pub clock: Signal<In, Clock>,
    /// `cfg_command[2]`: the host allows us to master the bus.
    pub cfg_bus_master: Signal<In, Bit>,
    // ---- the DMA engine's memory-request port (we serve it) ----
    pub mem_req_valid: Signal<In, Bit>,
    pub mem_req_ready: Signal<Out, Bit>,
    pub mem_req_write: Signal<In, Bit>,
    pub mem_req_addr: Signal<In, Bits<64>>,
    pub mem_req_wdata: Signal<In, Bits<64>>,
    pub mem_rsp_valid: Signal<Out, Bit>,
    pub mem_rsp_data: Signal<Out, Bits<64>>,
    pub mem_rsp_error: Signal<Out, Bit>,
    // ---- to the transmitter: the write and the read to send ----
    pub write_pending: Signal<Out, Bit>,
    pub write_addr: Signal<Out, Bits<64>>,
    pub write_data: Signal<Out, Bits<64>>,
    pub write_sent: Signal<In, Bit>,
    pub read_pending: Signal<Out, Bit>,
    pub read_addr: Signal<Out, Bits<64>>,
    pub read_len_dw: Signal<Out, Bits<6>>,
    pub read_tag: Signal<Out, Bits<8>>,
    pub read_sent: Signal<In, Bit>,
    // ---- from the receiver: the read's completions ----
    pub fetching: Signal<Out, Bit>,
    pub line_we: Signal<In, Bit>,
    pub line_waddr: Signal<In, Bits<4>>,
    pub line_wdata: Signal<In, Bits<64>>,
    pub cpl_done: Signal<In, Bit>,
    pub cpl_error: Signal<In, Bit>,
    /// A BAR0 write: the line may be stale.
    pub bus_write: Signal<In, Bit>,

    line: RAM<Bits<64>, 4>,
    line_valid: DFF<Bit>,
    line_base: DFF<Bits<64>>,
    line_bytes: DFF<Bits<8>>,
    f_state: DFF<FetchState>,
    f_addr: DFF<Bits<64>>,
    f_len_dw: DFF<Bits<6>>,
    f_tag: DFF<Bits<8>>,
    f_err: DFF<Bit>,
    /// A BAR0 write came while fetching: answer the engine but do not keep the line.
    f_stale: DFF<Bit>,
    f_timer: DFF<Bits<21>>,
    /// The read request still has to go out.
    rd_send: DFF<Bit>,
    /// A line hit: answer from the line's read port next cycle.
    hit_rsp: DFF<Bit>,
    w_pend: DFF<Bit>,
    w_addr: DFF<Bits<64>>,
    w_data: DFF<Bits<64>>,
    ready: Signal<Local, Bit>,
    take: Signal<Local, Bit>,
    line_off: Signal<Local, Bits<64>>,
    line_hit: Signal<Local, Bit>,
    page_left: Signal<Local, Bits<13>>,
    k_max_read: Constant<Bits<13>>,
    k_page: Constant<Bits<13>>,
    k_timeout: Constant<Bits<21>>,
}

impl Default for TlpRequester {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            cfg_bus_master: Default::default(),
            mem_req_valid: Default::default(),
            mem_req_ready: Default::default(),
            mem_req_write: Default::default(),
            mem_req_addr: Default::default(),
            mem_req_wdata: Default::default(),
            mem_rsp_valid: Default::default(),
            mem_rsp_data: Default::default(),
            mem_rsp_error: Default::default(),
            write_pending: Default::default(),
            write_addr: Default::default(),
            write_data: Default::default(),
            write_sent: Default::default(),
            read_pending: Default::default(),
            read_addr: Default::default(),
            read_len_dw: Default::default(),
            read_tag: Default::default(),
            read_sent: Default::default(),
            fetching: Default::default(),
            line_we: Default::default(),
            line_waddr: Default::default(),
            line_wdata: Default::default(),
            cpl_done: Default::default(),
            cpl_error: Default::default(),
            bus_write: Default::default(),
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
            ready: Default::default(),
            take: Default::default(),
            line_off: Default::default(),
            line_hit: Default::default(),
            page_left: Default::default(),
            k_max_read: Constant::new(MAX_READ_BYTES.into()),
            k_page: Constant::new(PAGE_BYTES.into()),
            k_timeout: Constant::new((COMPLETION_TIMEOUT - 1).into()),
        }
    }
}

impl Logic for TlpRequester {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, line_valid, line_base, line_bytes, f_state, f_addr, f_len_dw, f_tag, f_err, f_stale, f_timer,
            rd_send, hit_rsp, w_pend, w_addr, w_data
        );
        self.line.read_clock.next = self.clock.val();
        self.line.write_clock.next = self.clock.val();
        self.line.write_enable.next = self.line_we.val();
        self.line.write_address.next = self.line_waddr.val();
        self.line.write_data.next = self.line_wdata.val();
        self.write_pending.next = self.w_pend.q.val();
        self.write_addr.next = self.w_addr.q.val();
        self.write_data.next = self.w_data.q.val();
        self.read_pending.next = self.rd_send.q.val();
        self.read_addr.next = self.f_addr.q.val();
        self.read_len_dw.next = self.f_len_dw.q.val();
        self.read_tag.next = self.f_tag.q.val();
        self.fetching.next = self.f_state.q.val() == FetchState::Fetching;
        if self.write_sent.val() {
            self.w_pend.d.next = false;
        }
        if self.read_sent.val() {
            self.rd_send.d.next = false;
        }
        if self.cpl_error.val() {
            self.f_err.d.next = true;
        }

        // ---- the engine's request ----
        self.ready.next = (self.f_state.q.val() == FetchState::Idle)
            & !self.w_pend.q.val()
            & !self.hit_rsp.q.val()
            & self.cfg_bus_master.val();
        self.mem_req_ready.next = self.ready.val();
        self.take.next = self.ready.val() & self.mem_req_valid.val();
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
                self.line_valid.d.next = false;
                self.rd_send.d.next = true;
            }
        }

        // ---- the read that missed the line ----
        match self.f_state.q.val() {
            FetchState::Idle => {}
            FetchState::Fetching => {
                self.f_timer.d.next = self.f_timer.q.val() + 1;
                if self.cpl_done.val() {
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
        if self.bus_write.val() {
            self.line_valid.d.next = false;
            self.f_stale.d.next = true;
        }
    }
}
