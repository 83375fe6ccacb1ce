//! Random networks and stimuli from a seed: the benchmark network of the brief and the random
//! cases of the cross-backend tests. Deterministic for a given seed on every machine.

use crate::format_stimulus::{StimEvent, Stimulus};
use crate::network::{Network, NetworkError, Synapse};
use crate::params::NeuronParams;
use crate::rng::{neuron_seed, xorshift32};

/// A small deterministic generator (xorshift32 seeded through SplitMix64).
#[derive(Debug, Clone)]
pub struct Gen(u32);

impl Gen {
    /// Generator for `seed` and stream `stream`.
    pub fn new(seed: u64, stream: u32) -> Gen {
        Gen(neuron_seed(seed ^ 0xA5A5_5A5A_0F0F_F0F0, stream))
    }
    /// Next 32 random bits.
    pub fn next_u32(&mut self) -> u32 {
        self.0 = xorshift32(self.0);
        self.0
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        f64::from(self.next_u32()) / 4_294_967_296.0
    }
    /// Uniform in [lo, hi).
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
    /// Uniform integer in 0..n (n > 0).
    pub fn below(&mut self, n: u32) -> u32 {
        ((u64::from(self.next_u32()) * u64::from(n)) >> 32) as u32
    }
}

/// Shape of a random recurrent network.
#[derive(Debug, Clone, PartialEq)]
pub struct RandomNetwork {
    /// Neurons.
    pub neurons: u32,
    /// Random targets per neuron (with replacement, self-loops allowed).
    pub fanout: u32,
    /// Excitatory weights uniform in [lo, hi) volts.
    pub weight: (f64, f64),
    /// The chance that a synapse is inhibitory (0: none, and no draw for it), and the size
    /// of an inhibitory weight, uniform in [lo, hi) volts (subtracted).
    pub inhibitory: f64,
    pub inhibitory_weight: (f64, f64),
    /// Pulse widths, steps: each synapse draws one of them (one width: no draw).
    pub widths: Vec<u32>,
    /// DC input uniform in [lo, hi) volts, from step 0.
    pub dc: (f64, f64),
    /// Seed of the network and of its random streams.
    pub seed: u64,
    /// Neuron parameters.
    pub params: NeuronParams,
}

impl RandomNetwork {
    /// The benchmark network: 1024 neurons, 100 random recurrent targets each, weights
    /// uniform in [0, 0.08] V, pulse width 100 steps, DC input uniform in [0.15, 0.6] V, seed 1.
    pub fn benchmark(noise: bool) -> RandomNetwork {
        let mut params = NeuronParams::default();
        if noise {
            params.sigma1 = 1e-3;
            params.c2c = 0.1;
        }
        RandomNetwork {
            neurons: 1024,
            fanout: 100,
            weight: (0.0, 0.08),
            inhibitory: 0.0,
            inhibitory_weight: (0.0, 0.0),
            widths: vec![100],
            dc: (0.15, 0.6),
            seed: 1,
            params,
        }
    }

    /// Build the network and its DC stimulus.
    pub fn build(&self) -> Result<(Network, Stimulus), NetworkError> {
        let mut net = Network::new(self.neurons, self.seed, self.params)?;
        let mut g = Gen::new(self.seed, 0);
        for from in 0..self.neurons {
            for _ in 0..self.fanout {
                let to = g.below(self.neurons);
                let weight = if self.inhibitory > 0.0 && g.unit() < self.inhibitory {
                    -g.uniform(self.inhibitory_weight.0, self.inhibitory_weight.1)
                } else {
                    g.uniform(self.weight.0, self.weight.1)
                };
                let width = match self.widths.as_slice() {
                    [] => return Err(NetworkError::Invalid("no pulse width given".into())),
                    [one] => *one,
                    many => many[g.below(many.len() as u32) as usize],
                };
                net.add_synapse(Synapse {
                    from,
                    to,
                    weight,
                    width,
                })?;
            }
        }
        net.validate()?;
        let events = (0..self.neurons)
            .map(|neuron| StimEvent {
                step: 0,
                neuron,
                volts: g.uniform(self.dc.0, self.dc.1),
            })
            .collect();
        let stim = Stimulus::new(events, self.neurons).map_err(NetworkError::Invalid)?;
        Ok((net, stim))
    }
}

/// A named benchmark network: what it is for, how it is built, and how many steps it takes
/// to reach the regime its figures are measured in.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    pub name: &'static str,
    pub about: &'static str,
    pub network: fn() -> RandomNetwork,
    /// Steps to run before measuring: the network is in its measured regime after them.
    pub warmup_steps: u64,
}

/// The steady benchmark: `neurons` neurons, 100 random recurrent targets each, 80 %
/// excitatory (U[0, 0.06) V) and 20 % inhibitory (U[0, 1.2) V subtracted), width 100 steps,
/// DC input U[0.5, 0.9) V. It fires ~70 Hz per neuron in its second 100 ms and settles at
/// 90-95 Hz from ~300 ms on (the model's intrinsic plasticity takes that long to adapt).
fn steady(neurons: u32) -> RandomNetwork {
    RandomNetwork {
        neurons,
        weight: (0.0, 0.06),
        inhibitory: 0.2,
        inhibitory_weight: (0.0, 1.2),
        dc: (0.5, 0.9),
        ..RandomNetwork::benchmark(false)
    }
}

/// Every benchmark network, by name (`memfire generate --preset`, `memfire bench --preset`).
pub const PRESETS: &[Preset] = &[
    Preset {
        name: "steady-1k",
        about: "1024 neurons x 100 targets, 80/20 excitatory/inhibitory, DC input: a steady ~93 Hz per neuron \
                after 300 ms (~0.95 spikes and ~95 synaptic events per step)",
        network: || steady(1024),
        warmup_steps: 30_000,
    },
    Preset {
        name: "steady-16k",
        about: "steady-1k scaled to 16384 neurons x 100 targets: ~93 Hz per neuron after 300 ms (~15 spikes and \
                ~1500 synaptic events per step)",
        network: || steady(16_384),
        warmup_steps: 30_000,
    },
    Preset {
        name: "steady-256k",
        about: "steady-1k scaled to 262144 neurons x 100 targets (26 M synapses, ~1 GB): ~89 Hz per neuron after \
                300 ms, for the scale of one machine",
        network: || steady(262_144),
        warmup_steps: 30_000,
    },
    Preset {
        name: "steady-1m",
        about: "steady-1k scaled to 1048576 neurons x 100 targets (105 M synapses, ~4 GB), for the scale of one \
                machine: unlike the smaller ones it settles near 310 Hz per neuron after 300 ms",
        network: || steady(1_048_576),
        warmup_steps: 30_000,
    },
    Preset {
        name: "saturated-1k",
        about: "the stress case: 1024 neurons x 100 excitatory targets U[0,0.08) V, DC U[0.15,0.6) V; from ~400 ms \
                every neuron fires every ~58 steps, inputs at the 4 V clamp (~17 spikes and ~1700 synaptic events \
                per step)",
        network: || RandomNetwork::benchmark(false),
        warmup_steps: 40_000,
    },
];

/// The preset named `name`.
pub fn preset(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

/// The names of every preset, for messages.
pub fn preset_names() -> String {
    PRESETS.iter().map(|p| p.name).collect::<Vec<_>>().join(", ")
}

/// A random but valid neuron state for parameter set `c`: every field anywhere in its range
/// (including refractory counts and the saturation corners), for bit-exact tests of the
/// neuron update in other backends.
pub fn random_state(g: &mut Gen, c: &crate::coef_set::FixedCoeffs) -> crate::neuron_fixed::FixedState {
    use crate::fixed::{M_MAX, M_MIN, X1_MAX};
    let corner = g.below(8) == 0;
    crate::neuron_fixed::FixedState {
        x1: if corner {
            X1_MAX
        } else {
            g.below(X1_MAX as u32 + 1) as i32
        },
        x2: if corner {
            c.x2max
        } else {
            g.below(c.x2max as u32 + 1) as i32
        },
        v: g.below(1 << 24) as i32,
        m: (M_MIN as u32 + g.below((M_MAX - M_MIN) as u32 + 1)) as i32,
        refractory: if g.below(4) == 0 { g.below(4) } else { 0 },
        rng: g.next_u32() | 1,
    }
}

/// A random input for one neuron update, Q2.22, sometimes outside 0..=4 V (the update clamps).
pub fn random_input(g: &mut Gen) -> i64 {
    i64::from(g.below(crate::fixed::U_MAX as u32 + (1 << 22))) - (1 << 20)
}
