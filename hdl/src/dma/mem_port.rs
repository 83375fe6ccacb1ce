//! `MemPort`: the DMA engine's one memory-request port, shared by its three engines
//! (descriptor fetch, card→host writer, host→card reader). `DmaControl` lets one engine run
//! a job at a time, so at most one of them requests; this block passes that request on and
//! registers the port's inputs before any engine sees them (good for timing, and Verilator
//! then evaluates the engines once per cycle instead of on every input change).
//!
//! The port protocol is `DmaEngine`'s: `mem_req_valid` held until `mem_req_ready`, the
//! transfer at the edge where both are high. With the inputs registered, an engine learns
//! of the transfer (`took`) a cycle later and drops its request in that cycle: a request
//! every other cycle.

use rust_hdl::prelude::*;

#[derive(LogicBlock, Default)]
pub struct MemPort {
    pub clock: Signal<In, Clock>,
    // ---- the engines' requests (at most one valid) ----
    /// Descriptor fetch: reads only.
    pub fetch_valid: Signal<In, Bit>,
    pub fetch_addr: Signal<In, Bits<64>>,
    /// Card→host writer: writes only.
    pub c2h_valid: Signal<In, Bit>,
    pub c2h_addr: Signal<In, Bits<64>>,
    pub c2h_wdata: Signal<In, Bits<64>>,
    /// Host→card reader: reads records, writes its descriptor back.
    pub h2c_valid: Signal<In, Bit>,
    pub h2c_write: Signal<In, Bit>,
    pub h2c_addr: Signal<In, Bits<64>>,
    pub h2c_wdata: Signal<In, Bits<64>>,
    // ---- to every engine (only the one with a request acts on them) ----
    /// The request shown last cycle was taken.
    pub took: Signal<Out, Bit>,
    /// A read's data (or its failure), a cycle after the port gave it.
    pub rsp_valid: Signal<Out, Bit>,
    pub rsp_data: Signal<Out, Bits<64>>,
    pub rsp_error: Signal<Out, Bit>,
    // ---- the port ----
    pub mem_req_valid: Signal<Out, Bit>,
    pub mem_req_ready: Signal<In, Bit>,
    pub mem_req_write: Signal<Out, Bit>,
    pub mem_req_addr: Signal<Out, Bits<64>>,
    pub mem_req_wdata: Signal<Out, Bits<64>>,
    pub mem_rsp_valid: Signal<In, Bit>,
    pub mem_rsp_data: Signal<In, Bits<64>>,
    pub mem_rsp_error: Signal<In, Bit>,

    /// `mem_req_valid` as driven last cycle, and the port's inputs, registered.
    valid_q: DFF<Bit>,
    ready_q: DFF<Bit>,
    rsp_valid_q: DFF<Bit>,
    rsp_data_q: DFF<Bits<64>>,
    rsp_error_q: DFF<Bit>,
}

impl Logic for MemPort {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, valid_q, ready_q, rsp_valid_q, rsp_data_q, rsp_error_q);
        self.mem_req_valid.next = self.fetch_valid.val() | self.c2h_valid.val() | self.h2c_valid.val();
        self.mem_req_write.next = false;
        self.mem_req_addr.next = self.fetch_addr.val();
        self.mem_req_wdata.next = self.h2c_wdata.val();
        if self.c2h_valid.val() {
            self.mem_req_write.next = true;
            self.mem_req_addr.next = self.c2h_addr.val();
            self.mem_req_wdata.next = self.c2h_wdata.val();
        }
        if self.h2c_valid.val() {
            self.mem_req_write.next = self.h2c_write.val();
            self.mem_req_addr.next = self.h2c_addr.val();
        }
        self.valid_q.d.next = self.mem_req_valid.val();
        self.ready_q.d.next = self.mem_req_ready.val();
        self.rsp_valid_q.d.next = self.mem_rsp_valid.val();
        self.rsp_data_q.d.next = self.mem_rsp_data.val();
        self.rsp_error_q.d.next = self.mem_rsp_error.val();
        self.took.next = self.valid_q.q.val() & self.ready_q.q.val();
        self.rsp_valid.next = self.rsp_valid_q.q.val();
        self.rsp_data.next = self.rsp_data_q.q.val();
        self.rsp_error.next = self.rsp_error_q.q.val();
    }
}
