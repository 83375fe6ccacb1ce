//! `ClockGen<C>`: a board's core clock, made by one of the FPGA's clock circuits (`C`: an
//! MMCM on the LiteFury, a PLL on the ULX3S) and released through a clock buffer only once
//! the circuit locked, so registers without reset see no edge of an unlocked clock.
//!
//! The leaf exists only for synthesis (rust-hdl cannot simulate a PLL): its `update` passes
//! the input clock through, as the simulated boards run their core on a clock they choose.

use std::marker::PhantomData;

use rust_hdl::prelude::*;

/// A clock circuit: the vendor primitives, as Verilog inside a module whose ports are
/// `clk_in`, `clk_out` and `locked`.
pub trait ClockCircuit {
    fn instance() -> String;
}

#[derive(LogicBlock)]
pub struct ClockGen<C: ClockCircuit> {
    /// The clock the circuit multiplies.
    pub clk_in: Signal<In, Clock>,
    /// The circuit's clock, running once it locked.
    pub clk_out: Signal<Out, Clock>,
    pub locked: Signal<Out, Bit>,
    _circuit: PhantomData<C>,
}

impl<C: ClockCircuit> Default for ClockGen<C> {
    fn default() -> Self {
        Self {
            clk_in: Default::default(),
            clk_out: Default::default(),
            locked: Default::default(),
            _circuit: PhantomData,
        }
    }
}

impl<C: ClockCircuit> Logic for ClockGen<C> {
    fn update(&mut self) {
        self.clk_out.next = self.clk_in.val();
        self.locked.next = true;
    }

    fn connect(&mut self) {
        self.clk_out.connect();
        self.locked.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Wrapper(Wrapper {
            code: C::instance(),
            cores: String::new(),
        })
    }
}
