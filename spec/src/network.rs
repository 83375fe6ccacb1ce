//! A network: neurons (grouped into parameter sets), recurrent synapses and a global seed.
//! Built and validated here; parsed from files in `format_network`.

use std::fmt;

use crate::coef_set::FixedCoeffs;
use crate::fixed::{volts_range_error, U_MAX};
use crate::params::{NeuronParams, ParamError};
use crate::weight_code::stored_q;

/// Most neurons one network may hold.
pub const MAX_NEURONS: u32 = 1 << 20;
/// Longest synaptic pulse, in steps (the depth of the hardware delay ring).
pub const MAX_WIDTH: u32 = 1024;
/// Most distinct parameter sets (the size of the hardware coefficient table).
pub const MAX_PARAM_SETS: usize = 16;
/// Bound on the summed |weight| into one neuron, in Q2.22 LSBs: a delay-ring slot is a
/// 32-bit word (one +w and one −w per synapse at most) and must never wrap.
pub const MAX_SLOT_LSB: i64 = (1i64 << 31) - 1;
/// Bound on the summed |weight|·width into one neuron, in Q2.22 LSBs: the synaptic
/// accumulator is a 48-bit word and must never wrap; external input adds < 4 V on top.
pub const MAX_INPUT_LSB: i64 = (1i64 << 47) - 1 - U_MAX as i64;

/// A synapse: each spike of `from` adds `weight` volts to the input of `to` for `width`
/// steps, starting one step after the spike (the rectangular drain pulse).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Synapse {
    /// Presynaptic neuron.
    pub from: u32,
    /// Postsynaptic neuron.
    pub to: u32,
    /// Pulse height, volts (negative = inhibitory), from -4 V to 4 - 2^-22 V (Q2.22); the
    /// fixed-point backends use the nearest weight a synapse word stores (`weight_code`).
    pub weight: f64,
    /// Pulse width, steps, 1..=MAX_WIDTH.
    pub width: u32,
}

/// A network that cannot be built as described.
#[derive(Debug, Clone, PartialEq)]
pub enum NetworkError {
    /// A parameter is out of range or unrepresentable.
    Param(ParamError),
    /// Anything else: the message says what and which neuron or synapse.
    Invalid(String),
}

impl fmt::Display for NetworkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NetworkError::Param(e) => e.fmt(f),
            NetworkError::Invalid(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for NetworkError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            NetworkError::Param(e) => Some(e),
            NetworkError::Invalid(_) => None,
        }
    }
}

impl From<ParamError> for NetworkError {
    fn from(e: ParamError) -> Self {
        NetworkError::Param(e)
    }
}

fn invalid(msg: impl Into<String>) -> NetworkError {
    NetworkError::Invalid(msg.into())
}

/// A validated network description.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    neurons: u32,
    seed: u64,
    param_sets: Vec<NeuronParams>,
    param_set_of: Vec<u8>,
    synapses: Vec<Synapse>,
}

impl Network {
    /// `neurons` neurons, all with `params` (parameter set 0), no synapses.
    pub fn new(neurons: u32, seed: u64, params: NeuronParams) -> Result<Network, NetworkError> {
        if neurons == 0 || neurons > MAX_NEURONS {
            return Err(invalid(format!("neurons = {neurons}: must be in 1..={MAX_NEURONS}")));
        }
        if i64::try_from(seed).is_err() {
            return Err(invalid(format!(
                "seed = {seed}: must be below 2^63 (network files hold it as a TOML integer)"
            )));
        }
        FixedCoeffs::new(&params)?;
        Ok(Network {
            neurons,
            seed,
            param_sets: vec![params],
            param_set_of: vec![0; neurons as usize],
            synapses: Vec::new(),
        })
    }

    /// Give `members` their own parameters (a new parameter set). `dt` is global: it must
    /// equal the network's. A neuron may belong to one group only.
    pub fn add_group(&mut self, params: NeuronParams, members: &[u32]) -> Result<u8, NetworkError> {
        FixedCoeffs::new(&params)?;
        if params.dt != self.param_sets[0].dt {
            return Err(invalid(format!(
                "dt = {} differs from the network's dt = {}: the time step is global",
                params.dt, self.param_sets[0].dt
            )));
        }
        if self.param_sets.len() >= MAX_PARAM_SETS {
            return Err(invalid(format!("more than {} parameter groups (the hardware holds {MAX_PARAM_SETS} parameter sets, the first being [neuron])", MAX_PARAM_SETS - 1)));
        }
        if members.is_empty() {
            return Err(invalid("a group must list at least one neuron"));
        }
        let set = self.param_sets.len() as u8;
        for &n in members {
            self.check_neuron("group neuron", n)?;
            let current = self.param_set_of[n as usize];
            if current != 0 {
                return Err(invalid(format!(
                    "neuron {n} is already in group {current}; a neuron may belong to one group only"
                )));
            }
            self.param_set_of[n as usize] = set;
        }
        self.param_sets.push(params);
        Ok(set)
    }

    /// Add one synapse, checking ids, weight and width.
    pub fn add_synapse(&mut self, s: Synapse) -> Result<(), NetworkError> {
        self.check_neuron("from", s.from)?;
        self.check_neuron("to", s.to)?;
        if let Some(why) = volts_range_error(s.weight) {
            return Err(invalid(format!("weight = {} V: {why}", s.weight)));
        }
        if s.width == 0 || s.width > MAX_WIDTH {
            return Err(invalid(format!(
                "width = {}: must be in 1..={MAX_WIDTH} steps",
                s.width
            )));
        }
        self.synapses.push(s);
        Ok(())
    }

    /// Give synapse `k` (insertion order) the weight `weight`, checking its range.
    pub fn set_weight(&mut self, k: usize, weight: f64) -> Result<(), NetworkError> {
        let count = self.synapses.len();
        let Some(s) = self.synapses.get_mut(k) else {
            return Err(invalid(format!("synapse {k} does not exist: the network has {count}")));
        };
        if let Some(why) = volts_range_error(weight) {
            return Err(invalid(format!(
                "synapse {k} ({} -> {}): weight = {weight} V: {why}",
                s.from, s.to
            )));
        }
        s.weight = weight;
        Ok(())
    }

    /// Whole-network checks: no neuron's synaptic input may overflow the 32-bit delay-ring
    /// slot (sum of |weight|) or the 48-bit accumulator (sum of |weight|·width).
    pub fn validate(&self) -> Result<(), NetworkError> {
        let n = self.neurons as usize;
        let (mut slot, mut load) = (vec![0i64; n], vec![0i64; n]);
        for s in &self.synapses {
            let w = i64::from(stored_q(s.weight).unwrap_or(0)).abs();
            slot[s.to as usize] += w;
            load[s.to as usize] += w * i64::from(s.width);
        }
        let volts = |lsb: i64| lsb as f64 / f64::from(crate::fixed::ONE_V);
        if let Some((i, &l)) = slot.iter().enumerate().find(|(_, &l)| l > MAX_SLOT_LSB) {
            return Err(invalid(format!(
                "neuron {i} has {:.1} V of summed |weight| over its inputs, more than the {:.1} V a 32-bit delay-ring slot holds",
                volts(l),
                volts(MAX_SLOT_LSB)
            )));
        }
        if let Some((i, &l)) = load.iter().enumerate().find(|(_, &l)| l > MAX_INPUT_LSB) {
            return Err(invalid(format!(
                "neuron {i} can receive up to {:.1} V of summed synaptic input (sum of |weight|·width), more than the {:.1} V the 48-bit accumulator holds",
                volts(l),
                volts(MAX_INPUT_LSB)
            )));
        }
        Ok(())
    }

    fn check_neuron(&self, what: &str, n: u32) -> Result<(), NetworkError> {
        if n >= self.neurons {
            Err(invalid(format!(
                "{what} = {n} is out of range: the network has {} neurons (ids 0..={})",
                self.neurons,
                self.neurons - 1
            )))
        } else {
            Ok(())
        }
    }

    /// Number of neurons.
    pub fn neurons(&self) -> u32 {
        self.neurons
    }
    /// Global seed of the random streams.
    pub fn seed(&self) -> u64 {
        self.seed
    }
    /// Parameter sets; set 0 is the network default.
    pub fn param_sets(&self) -> &[NeuronParams] {
        &self.param_sets
    }
    /// Parameter set of each neuron.
    pub fn param_set_of(&self) -> &[u8] {
        &self.param_set_of
    }
    /// Parameters of neuron `n`.
    pub fn params_of(&self, n: u32) -> &NeuronParams {
        &self.param_sets[self.param_set_of[n as usize] as usize]
    }
    /// All synapses in insertion order.
    pub fn synapses(&self) -> &[Synapse] {
        &self.synapses
    }
    /// Time step (global), s.
    pub fn dt(&self) -> f64 {
        self.param_sets[0].dt
    }
    /// Whether any neuron has a noise source on.
    pub fn any_noise(&self) -> bool {
        self.param_sets.iter().any(|p| p.noise_on() || p.c2c_on())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net() -> Network {
        Network::new(4, 1, NeuronParams::default()).expect("valid")
    }

    #[test]
    fn synapse_checks_name_the_problem() {
        let mut n = net();
        let e = n
            .add_synapse(Synapse {
                from: 0,
                to: 9,
                weight: 0.1,
                width: 5,
            })
            .expect_err("range");
        assert!(e.to_string().contains("to = 9"), "{e}");
        let e = n
            .add_synapse(Synapse {
                from: 0,
                to: 1,
                weight: f64::NAN,
                width: 5,
            })
            .expect_err("nan");
        assert!(e.to_string().contains("weight"), "{e}");
        let e = n
            .add_synapse(Synapse {
                from: 0,
                to: 1,
                weight: 0.1,
                width: 0,
            })
            .expect_err("width");
        assert!(e.to_string().contains("width"), "{e}");
        n.add_synapse(Synapse {
            from: 3,
            to: 3,
            weight: -0.5,
            width: 1024,
        })
        .expect("self-loop ok");
    }

    #[test]
    fn groups_and_input_bound() {
        let mut n = net();
        let p = NeuronParams {
            r_c: 1e9,
            ..NeuronParams::default()
        };
        assert_eq!(n.add_group(p, &[1, 2]).expect("group"), 1);
        assert!(n.add_group(p, &[2]).is_err());
        let bad_dt = NeuronParams {
            dt: 5e-6,
            ..NeuronParams::default()
        };
        assert!(n.add_group(bad_dt, &[3]).is_err());
        assert_eq!(n.params_of(2).r_c, 1e9);
        for _ in 0..200 {
            n.add_synapse(Synapse {
                from: 0,
                to: 1,
                weight: 3.0,
                width: 1024,
            })
            .expect("each ok");
        }
        let e = n.validate().expect_err("overflow");
        assert!(e.to_string().contains("neuron 1"), "{e}");
    }
}
