//! `EventCount`: how many of the P synapse banks started a pulse this cycle, registered.
//!
//! The count feeds the SYN_EVENTS statistics counter only, so it may arrive a cycle late;
//! what matters is that its logic does not grow with the lanes along one path. The bits
//! are summed as a balanced tree of adders (log2 P levels, each a narrow add) and
//! registered, not as a chain of P − 1 adds into the statistics counter: a chain link is
//! ~0.8 ns on a Xilinx 7 series, so at eight lanes the chain and the 32-bit add behind it
//! would be 7.3 ns of logic, the deepest in the core.
//!
//! A custom block because the tree's shape depends on P: the Verilog is written for the
//! given P (`tree_verilog`), its simulation counts the bits.

use rust_hdl::prelude::*;

#[derive(LogicBlock)]
pub struct EventCount<const P: usize> {
    pub clock: Signal<In, Clock>,
    /// Bank `i` started a pulse this cycle.
    pub events: [Signal<In, Bit>; P],
    /// How many `events` were high at the last clock edge (P ≤ 255).
    pub count: Signal<Out, Bits<8>>,
}

impl<const P: usize> Default for EventCount<P> {
    fn default() -> Self {
        assert!((1..=255).contains(&P), "a count of P events fits 8 bits");
        Self {
            clock: Default::default(),
            events: core::array::from_fn(|_| Default::default()),
            count: Default::default(),
        }
    }
}

impl<const P: usize> Logic for EventCount<P> {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            let ones = self.events.iter().filter(|e| e.val()).count();
            self.count.next = (ones as u64).to_bits();
        }
    }

    fn connect(&mut self) {
        self.count.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(tree_verilog(P))
    }
}

/// The sum of the `p` bits `events$0..` as a tree of adds, each level pairing the sums of
/// the one below (an odd one out passes up as it is), registered into `count`.
fn tree_verilog(p: usize) -> String {
    let mut v = String::new();
    let mut level: Vec<String> = Vec::new();
    for i in 0..p {
        v += &format!("wire [7:0] s0_{i} = {{7'd0, events${i}}};\n");
        level.push(format!("s0_{i}"));
    }
    let mut depth = 0;
    while level.len() > 1 {
        depth += 1;
        let mut next = Vec::new();
        for (j, pair) in level.chunks(2).enumerate() {
            let name = format!("s{depth}_{j}");
            let sum = pair.join(" + ");
            v += &format!("wire [7:0] {name} = {sum};\n");
            next.push(name);
        }
        level = next;
    }
    v += &format!("always @(posedge clock) begin\n   count <= {};\nend\n", level[0]);
    v
}
