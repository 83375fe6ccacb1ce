//! The `Engine` trait: one interface over every backend.

use memfire_spec::format_spikes::Spike;
use memfire_spec::format_stimulus::Stimulus;
use memfire_spec::kernel::Probe;
use memfire_spec::network::Network;

use crate::error::{EngineError, Result};

/// Counters of one `run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RunStats {
    /// Steps run.
    pub steps: u64,
    /// Neuron updates.
    pub neuron_updates: u64,
    /// Output spikes.
    pub spikes: u64,
    /// Synaptic events delivered.
    pub synaptic_events: u64,
    /// Spikes dropped by the backend (always 0 for backends that stall instead).
    pub dropped: u64,
}

impl RunStats {
    /// Add the counters of a later run.
    pub fn add(&mut self, other: &RunStats) {
        self.steps += other.steps;
        self.neuron_updates += other.neuron_updates;
        self.spikes += other.spikes;
        self.synaptic_events += other.synaptic_events;
        self.dropped += other.dropped;
    }
}

/// Every probed neuron must exist (checked before anything runs).
pub fn check_probes(probes: &[u32], neurons: Option<u32>) -> Result<()> {
    let n = neurons.ok_or(EngineError::NotLoaded)?;
    match probes.iter().find(|&&id| id >= n) {
        Some(&neuron) => Err(EngineError::NeuronOutOfRange { neuron, neurons: n }),
        None => Ok(()),
    }
}

/// `Engine::run_probed` one step at a time: run a step, probe each neuron, repeat.
pub fn run_probed_stepwise<E: Engine + ?Sized>(
    engine: &mut E,
    stimulus: &Stimulus,
    steps: u64,
    probes: &[u32],
    sink: &mut dyn FnMut(u64, &[u32]),
    probe_sink: &mut dyn FnMut(u64, usize, &Probe),
) -> Result<RunStats> {
    check_probes(probes, engine.neurons())?;
    let mut stats = RunStats::default();
    for _ in 0..steps {
        let step = engine.step_index();
        stats.add(&engine.run(stimulus, 1, sink)?);
        for (slot, &neuron) in probes.iter().enumerate() {
            probe_sink(step, slot, &engine.probe(neuron)?);
        }
    }
    Ok(stats)
}

/// What `Engine::set_params` must find unchanged in a network: its neurons, seed and
/// synapses, the synapses as their count and a hash (so a backend need not keep a copy of a
/// large network to check them); `Engine::set_weights`, all but the weights.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wiring {
    neurons: u32,
    seed: u64,
    synapses: usize,
    synapse_hash: u64,
    /// The synapses' sources, targets and widths, without their weights.
    endpoint_hash: u64,
}

impl Wiring {
    /// The wiring of `net`.
    pub fn of(net: &Network) -> Wiring {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        let mut ends = std::collections::hash_map::DefaultHasher::new();
        for s in net.synapses() {
            (s.from, s.to, s.weight.to_bits(), s.width).hash(&mut h);
            (s.from, s.to, s.width).hash(&mut ends);
        }
        Wiring {
            neurons: net.neurons(),
            seed: net.seed(),
            synapses: net.synapses().len(),
            synapse_hash: h.finish(),
            endpoint_hash: ends.finish(),
        }
    }
}

/// Whether `new` is the loaded network (wired as `loaded`) with other parameters only: what
/// `Engine::set_params` takes.
pub fn check_same_wiring(loaded: Option<&Wiring>, new: &Network) -> Result<()> {
    differences(loaded, new, false).map_err(|e| e.map_or(EngineError::NotLoaded, EngineError::NotOnlyParams))
}

/// Whether `new` is the loaded network (wired as `loaded`) with other weights only: the same
/// neurons, seed and synapses (sources, targets and widths, in the same order). What
/// `Engine::set_weights` takes; its parameters are not read.
pub fn check_same_synapses(loaded: Option<&Wiring>, new: &Network) -> Result<()> {
    differences(loaded, new, true).map_err(|e| e.map_or(EngineError::NotLoaded, EngineError::NotOnlyWeights))
}

/// What differs between the loaded wiring and `new` (the weights too unless
/// `weights_may_change`): `Err(None)` when nothing is loaded, `Err(Some(why))` on a difference.
fn differences(loaded: Option<&Wiring>, new: &Network, weights_may_change: bool) -> Result<(), Option<String>> {
    let loaded = loaded.ok_or(None)?;
    let new = Wiring::of(new);
    let (hash, new_hash, rule) = if weights_may_change {
        (
            loaded.endpoint_hash,
            new.endpoint_hash,
            "; sources, targets and widths must stay, in the same order",
        )
    } else {
        (loaded.synapse_hash, new.synapse_hash, "")
    };
    if loaded.neurons != new.neurons {
        Err(Some(format!(
            "{} neurons, the loaded network {}",
            new.neurons, loaded.neurons
        )))
    } else if (loaded.synapses, hash) != (new.synapses, new_hash) {
        Err(Some(format!(
            "other synapses ({} against the loaded network's {}{rule})",
            new.synapses, loaded.synapses
        )))
    } else if loaded.seed != new.seed {
        Err(Some(format!("seed {}, the loaded network {}", new.seed, loaded.seed)))
    } else {
        Ok(())
    }
}

/// What every backend offers: load, run, stream spikes, probe.
pub trait Engine: Send {
    /// Short backend name, e.g. `model (fixed)`.
    fn name(&self) -> String;

    /// Load a network and reset to step 0.
    fn load(&mut self, network: &Network) -> Result<()>;

    /// Back to step 0 with the loaded network.
    fn reset(&mut self) -> Result<()>;

    /// Change the loaded network's neuron parameters: `network` is it with other parameter
    /// values (per neuron or for all), the same neurons and synapses. They apply from the
    /// next step; every neuron's state, the inputs, the pulses under way and the step count
    /// stay, on every backend alike.
    fn set_params(&mut self, network: &Network) -> Result<()>;

    /// Change the loaded network's synaptic weights: `network` is it with other weights (the
    /// same synapses in the same order). From the next step every synapse has its new
    /// weight, pulses still on included (their target's input changes by new − old until
    /// they end); states, inputs and the step count stay, on every backend alike. The
    /// network's parameters are not read (see `set_params`).
    fn set_weights(&mut self, network: &Network) -> Result<()>;

    /// Steps run since load/reset.
    fn step_index(&self) -> u64;
    /// Neurons of the loaded network (`None` before `load`).
    fn neurons(&self) -> Option<u32>;

    /// Run `steps` steps. Stimulus steps count from reset; events before the current step
    /// have already been applied. `sink(step, neurons)` receives each step's spikes
    /// (ascending neuron ids) as they are produced.
    fn run(&mut self, stimulus: &Stimulus, steps: u64, sink: &mut dyn FnMut(u64, &[u32])) -> Result<RunStats>;

    /// State of one neuron now.
    fn probe(&mut self, neuron: u32) -> Result<Probe>;

    /// Run like `run`, and after every step pass the state of each neuron in `probes` to
    /// `probe_sink(step, slot, state)`, `slot` being its position in `probes`. A device with
    /// probe records streams them while it runs; the default runs one step at a time and
    /// probes in between.
    fn run_probed(
        &mut self,
        stimulus: &Stimulus,
        steps: u64,
        probes: &[u32],
        sink: &mut dyn FnMut(u64, &[u32]),
        probe_sink: &mut dyn FnMut(u64, usize, &Probe),
    ) -> Result<RunStats> {
        run_probed_stepwise(self, stimulus, steps, probes, sink, probe_sink)
    }

    /// Clock cycles the simulated core has run since power-up; `None` for the software
    /// model and boards, whose clock is not counted.
    fn clock_cycles(&mut self) -> Option<u64> {
        None
    }

    /// Run and collect the spikes, sorted by step then neuron.
    fn run_collect(&mut self, stimulus: &Stimulus, steps: u64) -> Result<Vec<Spike>> {
        let mut out = Vec::new();
        self.run(stimulus, steps, &mut |step, neurons| {
            out.extend(neurons.iter().map(|&neuron| Spike { step, neuron }))
        })?;
        Ok(out)
    }
}
