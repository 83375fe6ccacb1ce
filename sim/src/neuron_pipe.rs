//! The verilated neuron pipeline on its own: configure it with a parameter set's words,
//! push neurons through it, get their next states. The bit-exact tests of the datapath's
//! Verilog use this; the full core is driven through the driver's bus instead.

use memfire_spec::coef_set::FixedCoeffs;
use memfire_spec::coef_words::{config_writes, ConfigTarget};
use memfire_spec::neuron_fixed::FixedState;
use memfire_spec::tables::sqrt_table;

use crate::ffi::{PipeCfg, PipeIn, PipeModel, PipeOut};

/// Cycles from input to output: `memfire_hdl::lane::neuron_pipe::PIPE_LATENCY`, passed on by the
/// build script that generated the Verilog (this crate links the model, not memfire-hdl).
pub const LATENCY: usize = match usize::from_str_radix(env!("MEMFIRE_PIPE_LATENCY"), 10) {
    Ok(latency) => latency,
    Err(_) => panic!("MEMFIRE_PIPE_LATENCY is not a number"),
};

/// One neuron to update: its state, input (Q2.22, any 48-bit value) and parameter set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PipeJob {
    pub state: FixedState,
    pub u: i64,
    pub set: u8,
}

/// The verilated pipeline.
#[derive(Debug)]
pub struct VerilatedPipe {
    model: PipeModel,
}

impl VerilatedPipe {
    /// A pipeline loaded with `sets` (at most 16) and the square-root table.
    pub fn new(sets: &[FixedCoeffs]) -> VerilatedPipe {
        let mut model = PipeModel::new();
        let writes: Vec<PipeCfg> = config_writes(sets, &sqrt_table())
            .iter()
            .map(|w| PipeCfg {
                data: w.data,
                addr: w.addr,
                target: match w.target {
                    ConfigTarget::Coef => 0,
                    ConfigTarget::Drive => 1,
                    ConfigTarget::Sqrt => 2,
                },
                pad: 0,
            })
            .collect();
        model.configure(&writes);
        VerilatedPipe { model }
    }

    /// Update `jobs` back to back, one per cycle; returns each next state and spike flag, in order.
    pub fn update(&mut self, jobs: &[PipeJob]) -> Vec<(FixedState, bool)> {
        let mut input: Vec<PipeIn> = jobs
            .iter()
            .enumerate()
            .map(|(i, j)| PipeIn {
                u: j.u as u64,
                rng: j.state.rng,
                x1: j.state.x1,
                x2: j.state.x2,
                v: j.state.v,
                m: j.state.m,
                tag: i as u32 & 0xF_FFFF,
                refr: j.state.refractory as u16,
                set: j.set,
                valid: 1,
            })
            .collect();
        input.extend(std::iter::repeat_n(PipeIn::default(), LATENCY));
        let mut out = vec![PipeOut::default(); input.len()];
        self.model.run(&input, &mut out);
        out.iter()
            .filter(|o| o.valid != 0)
            .map(|o| {
                let state = FixedState {
                    x1: o.x1,
                    x2: o.x2,
                    v: o.v,
                    m: o.m,
                    refractory: u32::from(o.refr),
                    rng: o.rng,
                };
                (state, o.spike != 0)
            })
            .collect()
    }
}
