//! UART receiver and transmitter, 8N1, `CPB` clock cycles per bit (the ULX3S's 120 MHz / 1 Mbaud = 120).

use rust_hdl::prelude::*;

#[derive(Copy, Clone, Debug, PartialEq, Eq, LogicState)]
pub enum RxState {
    Idle,
    Start,
    Data,
    Stop,
}

/// 8N1 receiver: `valid` is high for one cycle with each received byte in `data`.
#[derive(LogicBlock)]
pub struct UartRx<const CPB: u64> {
    pub clock: Signal<In, Clock>,
    pub rx: Signal<In, Bit>,
    pub data: Signal<Out, Bits<8>>,
    pub valid: Signal<Out, Bit>,
    sync1: DFF<Bit>,
    sync2: DFF<Bit>,
    state: DFF<RxState>,
    timer: DFF<Bits<16>>,
    /// `timer` is zero: decided a cycle ahead (from `timer ≤ 1`, or false where the timer
    /// is loaded), so a bit's sampling waits on one flip-flop, not on the timer's 16-bit
    /// zero test. (After reset it is false with the timer at zero; only `Idle`, which does
    /// not look at it, runs before the first load.)
    expired: DFF<Bit>,
    bitno: DFF<Bits<4>>,
    shift: DFF<Bits<8>>,
    out: DFF<Bits<8>>,
    strobe: DFF<Bit>,
    full: Constant<Bits<16>>,
    half: Constant<Bits<16>>,
}

impl<const CPB: u64> Default for UartRx<CPB> {
    fn default() -> Self {
        assert!(CPB >= 4, "at least 4 clocks per bit");
        Self {
            clock: Default::default(),
            rx: Default::default(),
            data: Default::default(),
            valid: Default::default(),
            sync1: Default::default(),
            sync2: Default::default(),
            state: Default::default(),
            timer: Default::default(),
            expired: Default::default(),
            bitno: Default::default(),
            shift: Default::default(),
            out: Default::default(),
            strobe: Default::default(),
            full: Constant::new((CPB - 1).into()),
            half: Constant::new((CPB / 2 - 1).into()),
        }
    }
}

impl<const CPB: u64> Logic for UartRx<CPB> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, sync1, sync2, state, timer, expired, bitno, shift, out, strobe);
        // Two flip-flops bring the asynchronous line into this clock domain.
        self.sync1.d.next = self.rx.val();
        self.sync2.d.next = self.sync1.q.val();
        self.strobe.d.next = false;
        self.data.next = self.out.q.val();
        self.valid.next = self.strobe.q.val();
        if self.timer.q.val().any() {
            self.timer.d.next = self.timer.q.val() - 1;
        }
        self.expired.d.next = !(self.timer.q.val() >> 1).any();
        match self.state.q.val() {
            RxState::Idle => {
                if !self.sync2.q.val() {
                    self.timer.d.next = self.half.val();
                    self.expired.d.next = false;
                    self.state.d.next = RxState::Start;
                }
            }
            RxState::Start => {
                if self.expired.q.val() {
                    // Middle of the start bit: still low, or it was a glitch.
                    if !self.sync2.q.val() {
                        self.timer.d.next = self.full.val();
                        self.expired.d.next = false;
                        self.bitno.d.next = bits::<4>(0);
                        self.state.d.next = RxState::Data;
                    } else {
                        self.state.d.next = RxState::Idle;
                    }
                }
            }
            RxState::Data => {
                if self.expired.q.val() {
                    self.shift.d.next = self.shift.q.val() >> 1; // LSB first
                    if self.sync2.q.val() {
                        self.shift.d.next = (self.shift.q.val() >> 1) | bits::<8>(0x80);
                    }
                    self.timer.d.next = self.full.val();
                    self.expired.d.next = false;
                    self.bitno.d.next = self.bitno.q.val() + 1;
                    if self.bitno.q.val() == 7 {
                        self.state.d.next = RxState::Stop;
                    }
                }
            }
            RxState::Stop => {
                if self.expired.q.val() {
                    if self.sync2.q.val() {
                        self.out.d.next = self.shift.q.val();
                        self.strobe.d.next = true;
                    }
                    self.state.d.next = RxState::Idle;
                }
            }
        }
    }
}

/// 8N1 transmitter: raise `start` for one cycle with `data` while `busy` is low.
#[derive(LogicBlock)]
pub struct UartTx<const CPB: u64> {
    pub clock: Signal<In, Clock>,
    pub data: Signal<In, Bits<8>>,
    pub start: Signal<In, Bit>,
    pub busy: Signal<Out, Bit>,
    pub tx: Signal<Out, Bit>,
    frame: DFF<Bits<10>>,
    left: DFF<Bits<4>>,
    timer: DFF<Bits<16>>,
    /// `timer` is zero while sending: decided a cycle ahead (from `timer ≤ 1`, or false
    /// where the timer is loaded), so the next bit and the timer's reload wait on one
    /// flip-flop, not on the timer's 16-bit zero test.
    expired: DFF<Bit>,
    full: Constant<Bits<16>>,
}

impl<const CPB: u64> Default for UartTx<CPB> {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            data: Default::default(),
            start: Default::default(),
            busy: Default::default(),
            tx: Default::default(),
            frame: Default::default(),
            left: Default::default(),
            timer: Default::default(),
            expired: Default::default(),
            full: Constant::new((CPB - 1).into()),
        }
    }
}

impl<const CPB: u64> Logic for UartTx<CPB> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, frame, left, timer, expired);
        self.busy.next = self.left.q.val().any();
        // Idle line is high; while sending, bit 0 of the frame is on the line.
        self.tx.next = true;
        self.expired.d.next = !(self.timer.q.val() >> 1).any();
        if self.left.q.val().any() {
            self.tx.next = self.frame.q.val().get_bit(0);
            if !self.expired.q.val() {
                self.timer.d.next = self.timer.q.val() - 1;
            } else {
                self.frame.d.next = self.frame.q.val() >> 1;
                self.left.d.next = self.left.q.val() - 1;
                self.timer.d.next = self.full.val();
                self.expired.d.next = false;
            }
        } else if self.start.val() {
            // stop bit (1), the byte LSB first, start bit (0)
            self.frame.d.next = (bit_cast::<10, 8>(self.data.val()) << 1) | bits::<10>(0x200);
            self.left.d.next = bits::<4>(10);
            self.timer.d.next = self.full.val();
            self.expired.d.next = false;
        }
    }
}
