//! `UartBridge`: the core's bus over a serial line, for boards without PCIe. It speaks the
//! framed protocol of `memfire_spec::uart_proto`: a write is buffered and applied only after
//! its CRC checks; reads stream words back as they are read; every reply carries a CRC.

use memfire_spec::uart_proto::{
    CMD_IRQ, CMD_READ, CMD_WRITE, MAX_WORDS, REPLY_SYNC, REQ_SYNC, STATUS_BAD_CMD, STATUS_BAD_CRC, STATUS_OK,
    STATUS_TOO_LONG,
};
use rust_hdl::prelude::*;

use crate::bridges::crc16::Crc16Byte;
use crate::bridges::uart::{UartRx, UartTx};
use crate::lane::lane_ram::LaneRam;

#[derive(Copy, Clone, Debug, PartialEq, Eq, LogicState)]
pub enum BridgeState {
    WaitSync,
    Cmd,
    A0,
    A1,
    A2,
    A3,
    C0,
    C1,
    /// The length is in: its comparisons are registered (`too_long`, `nonzero`, `single`,
    /// `writing`), a cycle after the byte (the next byte is a thousand cycles away).
    Sizes,
    /// What the request asks for is decided from those flags alone.
    Length,
    Payload,
    K0,
    K1,
    /// The check bytes are in: whether they match the running CRC is registered
    /// (`crc_ok`), a cycle after the last byte, so the 16-bit comparison has a cycle of
    /// its own.
    Check,
    /// What the request is answered with is decided from flags alone.
    Decide,
    WLoad,
    WWrite,
    TSync,
    TStatus,
    TC0,
    TC1,
    TFetch,
    TWait,
    TByte,
    TK0,
    TK1,
}

/// Serial line in and out, bus master towards the core. `CPB` clocks per bit.
#[derive(LogicBlock)]
pub struct UartBridge<const CPB: u64> {
    pub clock: Signal<In, Clock>,
    pub rx: Signal<In, Bit>,
    pub tx: Signal<Out, Bit>,
    /// The bus access, from registers (`bus_*_r`): a cycle after the state that makes it.
    pub bus_addr: Signal<Out, Bits<25>>,
    pub bus_wdata: Signal<Out, Bits<32>>,
    pub bus_we: Signal<Out, Bit>,
    pub bus_re: Signal<Out, Bit>,
    pub bus_rdata: Signal<In, Bits<32>>,
    /// `bus_rdata` holds the word asked for.
    pub bus_rvalid: Signal<In, Bit>,
    pub irq: Signal<In, Bit>,
    uart_rx: UartRx<CPB>,
    uart_tx: UartTx<CPB>,
    crc_unit: Crc16Byte,
    /// The words of a write, received before any is applied. No word is read at the edge
    /// it is written (the payload is written while it arrives and read only after its
    /// CRC), so the memory has no read-collision logic (`LaneRam`'s `no_rw_check`) and its
    /// block RAM's output goes straight into `bus_wdata_r`, which `bram-outreg` then makes
    /// the block's own output register.
    payload: LaneRam<Bits<32>, 8>,
    /// The bus access registered before it leaves: the payload's word comes from a block
    /// RAM with its late output, and the address is a 32-bit sum, so neither reaches the
    /// core's register file in the cycle it is made.
    bus_addr_r: DFF<Bits<25>>,
    bus_wdata_r: DFF<Bits<32>>,
    bus_we_r: DFF<Bit>,
    bus_re_r: DFF<Bit>,
    state: DFF<BridgeState>,
    cmd: DFF<Bits<8>>,
    addr: DFF<Bits<32>>,
    count: DFF<Bits<16>>,
    reply_words: DFF<Bits<16>>,
    idx: DFF<Bits<16>>,
    /// Words of the phase after `idx`'s: `count` (receiving or writing the payload) or
    /// `reply_words` (sending the reply) less `idx + 1`. Counted down as idx moves, so
    /// `last` is decided by comparing one register with a constant, not by idx's carry
    /// chain and a 16-bit comparison of two registers.
    left: DFF<Bits<16>>,
    /// `idx` is the phase's last word (`left` is zero). Kept as idx moves, so the state's
    /// change at the last word waits on one flip-flop.
    last: DFF<Bit>,
    /// The request's length and command, compared in `Sizes`: over the payload buffer,
    /// not zero, one word; a write, a read, an interrupt poll. `count` and `cmd` stay as
    /// they are until the reply.
    too_long: DFF<Bit>,
    nonzero: DFF<Bit>,
    single: DFF<Bit>,
    writing: DFF<Bit>,
    reading: DFF<Bit>,
    polling: DFF<Bit>,
    /// The request's second check byte, and whether both match the running CRC.
    crc_hi: DFF<Bits<8>>,
    crc_ok: DFF<Bit>,
    /// The core's interrupt line, registered here: it is an OR of the core's status and
    /// mask registers, and a poll's reply is a byte time away anyway.
    irq_r: DFF<Bit>,
    nbyte: DFF<Bits<2>>,
    word: DFF<Bits<32>>,
    crc: DFF<Bits<16>>,
    /// The byte to fold into `crc` next cycle, if `fold`.
    fold_byte: DFF<Bits<8>>,
    fold: DFF<Bit>,
    crc_lo: DFF<Bits<8>>,
    status: DFF<Bits<8>>,
    /// Cycles since the last received byte; a request that stalls for 20 byte times is
    /// abandoned, so a corrupted length cannot make the bridge swallow the next frames.
    idle: DFF<Bits<16>>,
    k_idle_limit: Constant<Bits<16>>,
    byte_in: Signal<Local, Bits<8>>,
    got: Signal<Local, Bit>,
    new_count: Signal<Local, Bits<16>>,
    receiving: Signal<Local, Bit>,
    idx_next: Signal<Local, Bits<16>>,
    k_req_sync: Constant<Bits<8>>,
    k_reply_sync: Constant<Bits<8>>,
    k_write: Constant<Bits<8>>,
    k_read: Constant<Bits<8>>,
    k_irq: Constant<Bits<8>>,
    k_ok: Constant<Bits<8>>,
    k_bad_crc: Constant<Bits<8>>,
    k_bad_cmd: Constant<Bits<8>>,
    k_too_long: Constant<Bits<8>>,
    k_max_words: Constant<Bits<16>>,
}

fn byte(x: u8) -> Constant<Bits<8>> {
    Constant::new(u64::from(x).into())
}

impl<const CPB: u64> Default for UartBridge<CPB> {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            rx: Default::default(),
            tx: Default::default(),
            bus_addr: Default::default(),
            bus_wdata: Default::default(),
            bus_we: Default::default(),
            bus_re: Default::default(),
            bus_rdata: Default::default(),
            bus_rvalid: Default::default(),
            irq: Default::default(),
            uart_rx: Default::default(),
            uart_tx: Default::default(),
            crc_unit: Default::default(),
            payload: Default::default(),
            bus_addr_r: Default::default(),
            bus_wdata_r: Default::default(),
            bus_we_r: Default::default(),
            bus_re_r: Default::default(),
            state: Default::default(),
            cmd: Default::default(),
            addr: Default::default(),
            count: Default::default(),
            reply_words: Default::default(),
            idx: Default::default(),
            left: Default::default(),
            last: Default::default(),
            too_long: Default::default(),
            nonzero: Default::default(),
            single: Default::default(),
            writing: Default::default(),
            reading: Default::default(),
            polling: Default::default(),
            crc_hi: Default::default(),
            crc_ok: Default::default(),
            irq_r: Default::default(),
            nbyte: Default::default(),
            word: Default::default(),
            crc: Default::default(),
            fold_byte: Default::default(),
            fold: Default::default(),
            crc_lo: Default::default(),
            status: Default::default(),
            idle: Default::default(),
            k_idle_limit: Constant::new((200 * CPB).into()),
            byte_in: Default::default(),
            got: Default::default(),
            new_count: Default::default(),
            receiving: Default::default(),
            idx_next: Default::default(),
            k_req_sync: byte(REQ_SYNC),
            k_reply_sync: byte(REPLY_SYNC),
            k_write: byte(CMD_WRITE),
            k_read: byte(CMD_READ),
            k_irq: byte(CMD_IRQ),
            k_ok: byte(STATUS_OK),
            k_bad_crc: byte(STATUS_BAD_CRC),
            k_bad_cmd: byte(STATUS_BAD_CMD),
            k_too_long: byte(STATUS_TOO_LONG),
            k_max_words: Constant::new((MAX_WORDS as u64).into()),
        }
    }
}

impl<const CPB: u64> Logic for UartBridge<CPB> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            bus_addr_r,
            bus_wdata_r,
            bus_we_r,
            bus_re_r,
            state,
            cmd,
            too_long,
            nonzero,
            single,
            writing,
            reading,
            polling,
            crc_hi,
            crc_ok,
            irq_r,
            addr,
            count,
            reply_words,
            idx,
            left,
            last,
            nbyte,
            word,
            crc,
            fold_byte,
            fold,
            crc_lo,
            status,
            idle
        );
        clock!(self, clock, uart_rx, uart_tx);
        self.payload.read_clock.next = self.clock.val();
        self.payload.write_clock.next = self.clock.val();
        self.uart_rx.rx.next = self.rx.val();
        self.tx.next = self.uart_tx.tx.val();
        self.byte_in.next = self.uart_rx.data.val();
        self.got.next = self.uart_rx.valid.val();
        self.irq_r.d.next = self.irq.val();
        // Defaults: nothing on the bus, nothing to send, CRC of the received byte.
        self.bus_addr.next = self.bus_addr_r.q.val();
        self.bus_wdata.next = self.bus_wdata_r.q.val();
        self.bus_we.next = self.bus_we_r.q.val();
        self.bus_re.next = self.bus_re_r.q.val();
        self.bus_addr_r.d.next = bit_cast::<25, 32>(self.addr.q.val() + bit_cast::<32, 16>(self.idx.q.val()));
        self.bus_wdata_r.d.next = self.payload.read_data.val();
        self.bus_we_r.d.next = false;
        self.bus_re_r.d.next = false;
        self.uart_tx.start.next = false;
        self.uart_tx.data.next = self.byte_in.val();
        // A byte received or sent is folded into the CRC a cycle later, from registers
        // (`fold_byte`, `fold`): the next byte is a byte time away, so the CRC is complete
        // long before it is compared or sent.
        self.crc_unit.crc.next = self.crc.q.val();
        self.crc_unit.octet.next = self.fold_byte.q.val();
        self.fold_byte.d.next = self.byte_in.val();
        self.fold.d.next = false;
        if self.fold.q.val() {
            self.crc.d.next = self.crc_unit.updated.val();
        }
        self.payload.read_address.next = self.idx.q.val().get_bits::<8>(0);
        self.payload.write_address.next = self.idx.q.val().get_bits::<8>(0);
        self.payload.write_data.next = (self.word.q.val() >> 8) | (bit_cast::<32, 8>(self.byte_in.val()) << 24);
        self.payload.write_enable.next = false;
        self.idx_next.next = self.idx.q.val() + 1;
        self.idle.d.next = self.idle.q.val() + 1;
        if self.got.val() {
            self.idle.d.next = bits::<16>(0);
        }
        self.receiving.next = (self.state.q.val() != BridgeState::WaitSync)
            & (self.state.q.val() != BridgeState::WLoad)
            & (self.state.q.val() != BridgeState::WWrite)
            & (self.state.q.val() != BridgeState::TSync)
            & (self.state.q.val() != BridgeState::TStatus)
            & (self.state.q.val() != BridgeState::TC0)
            & (self.state.q.val() != BridgeState::TC1)
            & (self.state.q.val() != BridgeState::TFetch)
            & (self.state.q.val() != BridgeState::TWait)
            & (self.state.q.val() != BridgeState::TByte)
            & (self.state.q.val() != BridgeState::TK0)
            & (self.state.q.val() != BridgeState::TK1);
        self.new_count.next = self.count.q.val() | (bit_cast::<16, 8>(self.byte_in.val()) << 8);

        match self.state.q.val() {
            // ---------------- request ----------------
            BridgeState::WaitSync => {
                if self.got.val() & (self.byte_in.val() == self.k_req_sync.val()) {
                    self.crc.d.next = bits::<16>(0xFFFF);
                    self.state.d.next = BridgeState::Cmd;
                }
            }
            BridgeState::Cmd => {
                if self.got.val() {
                    self.cmd.d.next = self.byte_in.val();
                    self.fold.d.next = true;
                    self.state.d.next = BridgeState::A0;
                }
            }
            BridgeState::A0 => {
                if self.got.val() {
                    self.addr.d.next = (self.addr.q.val() >> 8) | (bit_cast::<32, 8>(self.byte_in.val()) << 24);
                    self.fold.d.next = true;
                    self.state.d.next = BridgeState::A1;
                }
            }
            BridgeState::A1 => {
                if self.got.val() {
                    self.addr.d.next = (self.addr.q.val() >> 8) | (bit_cast::<32, 8>(self.byte_in.val()) << 24);
                    self.fold.d.next = true;
                    self.state.d.next = BridgeState::A2;
                }
            }
            BridgeState::A2 => {
                if self.got.val() {
                    self.addr.d.next = (self.addr.q.val() >> 8) | (bit_cast::<32, 8>(self.byte_in.val()) << 24);
                    self.fold.d.next = true;
                    self.state.d.next = BridgeState::A3;
                }
            }
            BridgeState::A3 => {
                if self.got.val() {
                    self.addr.d.next = (self.addr.q.val() >> 8) | (bit_cast::<32, 8>(self.byte_in.val()) << 24);
                    self.fold.d.next = true;
                    self.state.d.next = BridgeState::C0;
                }
            }
            BridgeState::C0 => {
                if self.got.val() {
                    self.count.d.next = bit_cast::<16, 8>(self.byte_in.val());
                    self.fold.d.next = true;
                    self.state.d.next = BridgeState::C1;
                }
            }
            BridgeState::C1 => {
                if self.got.val() {
                    self.count.d.next = self.new_count.val();
                    self.fold.d.next = true;
                    self.state.d.next = BridgeState::Sizes;
                }
            }
            BridgeState::Sizes => {
                self.too_long.d.next = self.count.q.val() > self.k_max_words.val();
                self.nonzero.d.next = self.count.q.val().any();
                self.single.d.next = self.count.q.val() == 1;
                self.writing.d.next = self.cmd.q.val() == self.k_write.val();
                self.reading.d.next = self.cmd.q.val() == self.k_read.val();
                self.polling.d.next = self.cmd.q.val() == self.k_irq.val();
                self.state.d.next = BridgeState::Length;
            }
            BridgeState::Length => {
                self.idx.d.next = bits::<16>(0);
                self.left.d.next = self.count.q.val() - 1;
                self.last.d.next = self.single.q.val();
                self.nbyte.d.next = bits::<2>(0);
                self.state.d.next = BridgeState::K0;
                if self.writing.q.val() {
                    if self.too_long.q.val() {
                        // Cannot buffer it: refuse before any of it is written.
                        self.status.d.next = self.k_too_long.val();
                        self.reply_words.d.next = bits::<16>(0);
                        self.state.d.next = BridgeState::TSync;
                    } else if self.nonzero.q.val() {
                        self.state.d.next = BridgeState::Payload;
                    }
                }
            }
            BridgeState::Payload => {
                if self.got.val() {
                    self.fold.d.next = true;
                    self.word.d.next = (self.word.q.val() >> 8) | (bit_cast::<32, 8>(self.byte_in.val()) << 24);
                    self.nbyte.d.next = self.nbyte.q.val() + 1;
                    if self.nbyte.q.val() == 3 {
                        self.payload.write_enable.next = true;
                        self.idx.d.next = self.idx.q.val() + 1;
                        self.left.d.next = self.left.q.val() - 1;
                        self.last.d.next = self.left.q.val() == 1;
                        if self.last.q.val() {
                            self.state.d.next = BridgeState::K0;
                        }
                    }
                }
            }
            BridgeState::K0 => {
                if self.got.val() {
                    self.crc_lo.d.next = self.byte_in.val();
                    self.state.d.next = BridgeState::K1;
                }
            }
            BridgeState::K1 => {
                if self.got.val() {
                    self.crc_hi.d.next = self.byte_in.val();
                    self.state.d.next = BridgeState::Check;
                }
            }
            BridgeState::Check => {
                self.crc_ok.d.next = (bit_cast::<16, 8>(self.crc_hi.q.val()) << 8
                    | bit_cast::<16, 8>(self.crc_lo.q.val()))
                    == self.crc.q.val();
                self.state.d.next = BridgeState::Decide;
            }
            BridgeState::Decide => {
                self.idx.d.next = bits::<16>(0);
                self.left.d.next = self.count.q.val() - 1;
                self.last.d.next = self.single.q.val();
                self.status.d.next = self.k_ok.val();
                self.reply_words.d.next = bits::<16>(0);
                self.state.d.next = BridgeState::TSync;
                if !self.crc_ok.q.val() {
                    self.status.d.next = self.k_bad_crc.val();
                } else if self.writing.q.val() {
                    if self.nonzero.q.val() {
                        self.state.d.next = BridgeState::WLoad;
                    }
                } else if self.reading.q.val() {
                    self.reply_words.d.next = self.count.q.val();
                } else if self.polling.q.val() {
                    self.reply_words.d.next = bits::<16>(1);
                } else {
                    self.status.d.next = self.k_bad_cmd.val();
                }
            }
            // ---------------- apply a checked write ----------------
            BridgeState::WLoad => {
                self.state.d.next = BridgeState::WWrite;
            }
            BridgeState::WWrite => {
                self.bus_we_r.d.next = true;
                self.idx.d.next = self.idx.q.val() + 1;
                self.left.d.next = self.left.q.val() - 1;
                self.last.d.next = self.left.q.val() == 1;
                self.payload.read_address.next = self.idx_next.val().get_bits::<8>(0);
                if self.last.q.val() {
                    self.idx.d.next = bits::<16>(0);
                    self.state.d.next = BridgeState::TSync;
                }
            }
            // ---------------- reply ----------------
            BridgeState::TSync => {
                self.crc.d.next = bits::<16>(0xFFFF);
                if !self.uart_tx.busy.val() {
                    self.uart_tx.data.next = self.k_reply_sync.val();
                    self.uart_tx.start.next = true;
                    self.state.d.next = BridgeState::TStatus;
                }
            }
            BridgeState::TStatus => {
                self.fold_byte.d.next = self.status.q.val();
                if !self.uart_tx.busy.val() {
                    self.uart_tx.data.next = self.status.q.val();
                    self.uart_tx.start.next = true;
                    self.fold.d.next = true;
                    self.state.d.next = BridgeState::TC0;
                }
            }
            BridgeState::TC0 => {
                self.fold_byte.d.next = self.reply_words.q.val().get_bits::<8>(0);
                if !self.uart_tx.busy.val() {
                    self.uart_tx.data.next = self.reply_words.q.val().get_bits::<8>(0);
                    self.uart_tx.start.next = true;
                    self.fold.d.next = true;
                    self.state.d.next = BridgeState::TC1;
                }
            }
            BridgeState::TC1 => {
                self.fold_byte.d.next = self.reply_words.q.val().get_bits::<8>(8);
                if !self.uart_tx.busy.val() {
                    self.uart_tx.data.next = self.reply_words.q.val().get_bits::<8>(8);
                    self.uart_tx.start.next = true;
                    self.fold.d.next = true;
                    self.idx.d.next = bits::<16>(0);
                    self.left.d.next = self.reply_words.q.val() - 1;
                    self.last.d.next = self.reply_words.q.val() == 1;
                    self.state.d.next = BridgeState::TFetch;
                    if !self.reply_words.q.val().any() {
                        self.state.d.next = BridgeState::TK0;
                    }
                }
            }
            BridgeState::TFetch => {
                self.nbyte.d.next = bits::<2>(0);
                if self.polling.q.val() {
                    self.word.d.next = bits::<32>(0);
                    if self.irq_r.q.val() {
                        self.word.d.next = bits::<32>(1);
                    }
                    self.state.d.next = BridgeState::TByte;
                } else {
                    self.bus_re_r.d.next = true;
                    self.state.d.next = BridgeState::TWait;
                }
            }
            BridgeState::TWait => {
                if self.bus_rvalid.val() {
                    self.word.d.next = self.bus_rdata.val();
                    self.state.d.next = BridgeState::TByte;
                }
            }
            BridgeState::TByte => {
                self.fold_byte.d.next = self.word.q.val().get_bits::<8>(0);
                if !self.uart_tx.busy.val() {
                    self.uart_tx.data.next = self.word.q.val().get_bits::<8>(0);
                    self.uart_tx.start.next = true;
                    self.fold.d.next = true;
                    self.word.d.next = self.word.q.val() >> 8;
                    self.nbyte.d.next = self.nbyte.q.val() + 1;
                    if self.nbyte.q.val() == 3 {
                        self.idx.d.next = self.idx.q.val() + 1;
                        self.left.d.next = self.left.q.val() - 1;
                        self.last.d.next = self.left.q.val() == 1;
                        self.state.d.next = BridgeState::TFetch;
                        if self.last.q.val() {
                            self.state.d.next = BridgeState::TK0;
                        }
                    }
                }
            }
            BridgeState::TK0 => {
                if !self.uart_tx.busy.val() {
                    self.uart_tx.data.next = self.crc.q.val().get_bits::<8>(0);
                    self.uart_tx.start.next = true;
                    self.state.d.next = BridgeState::TK1;
                }
            }
            BridgeState::TK1 => {
                if !self.uart_tx.busy.val() {
                    self.uart_tx.data.next = self.crc.q.val().get_bits::<8>(8);
                    self.uart_tx.start.next = true;
                    self.state.d.next = BridgeState::WaitSync;
                }
            }
        }
        if self.receiving.val() & (self.idle.q.val() == self.k_idle_limit.val()) {
            self.state.d.next = BridgeState::WaitSync;
        }
    }
}
