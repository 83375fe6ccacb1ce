//! Clocking a block in rust-hdl's own simulator without its threaded `Simulation`: set
//! inputs, `settle`, toggle the clock. The tests of every block use this.

use rust_hdl::prelude::*;

/// The block's combinational logic did not settle (a logic loop).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoSettle;

impl std::fmt::Display for NoSettle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the circuit did not settle within 100 delta cycles (a combinational loop?)")
    }
}

impl std::error::Error for NoSettle {}

/// Propagate changes until nothing changes.
pub fn settle<T: Block>(uut: &mut T) -> Result<(), NoSettle> {
    for _ in 0..100 {
        uut.update_all();
        if !uut.has_changed() {
            return Ok(());
        }
    }
    Err(NoSettle)
}

/// One full clock cycle on `clock`: settle the inputs the caller just set, then rising
/// edge, settle, falling edge, settle. (Raising the clock in the same delta as changing an
/// input would let registers race the new value.)
pub fn cycle<T: Block>(uut: &mut T, clock: impl Fn(&mut T) -> &mut Signal<In, Clock>) -> Result<(), NoSettle> {
    settle(uut)?;
    clock(uut).next = Clock { clk: true };
    settle(uut)?;
    clock(uut).next = Clock { clk: false };
    settle(uut)
}
