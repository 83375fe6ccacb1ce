//! The network model: a neuron array, synaptic delivery and external input, advanced step by
//! step. `FixedModel` is the bit-exact reference every backend must match; `FloatModel` is
//! the f64 reference it is checked against.

use crate::delivery::{DelayRing, Fanout, Volt};
use crate::format_spikes::Spike;
use crate::format_stimulus::Stimulus;
use crate::kernel::{FixedKernel, FloatKernel, Kernel, Probe, Vector};
use crate::network::Network;
use crate::params::ParamError;

/// Counters of a model since reset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ModelStats {
    /// Steps run.
    pub steps: u64,
    /// Neuron updates (steps × neurons).
    pub neuron_updates: u64,
    /// Output spikes.
    pub spikes: u64,
    /// Synaptic events (one per outgoing synapse of each spike).
    pub synaptic_events: u64,
}

/// A network model over a neuron array `K`.
#[derive(Debug, Clone)]
pub struct Model<K: Kernel> {
    kernel: K,
    fanout: Fanout<K::W>,
    ring: DelayRing<K::W>,
    ext: Vec<K::V>,
    syn: Vec<K::V>,
    fired: Vec<u32>,
    /// The spikes of the last `max_width + 1` steps, as (step, neurons) at `step % len`:
    /// the pulses that may still be on when weights change.
    recent: Vec<(u64, Vec<u32>)>,
    stats: ModelStats,
}

/// The bit-exact fixed-point network model.
pub type FixedModel = Model<FixedKernel>;
/// The f64 reference network model.
pub type FloatModel = Model<FloatKernel>;

impl Model<FixedKernel> {
    /// Run the neuron loop at vector level `v` (see `FixedKernel::set_vector`).
    pub fn set_vector(&mut self, v: Vector) -> Result<(), String> {
        self.kernel.set_vector(v)
    }
}

impl<K: Kernel> Model<K> {
    /// A model of `net` in its reset state.
    pub fn new(net: &Network) -> Result<Model<K>, ParamError> {
        let n = net.neurons() as usize;
        let fanout = Fanout::new(net, K::weight);
        let ring = DelayRing::new(n, fanout.max_width());
        let recent = vec![(u64::MAX, Vec::new()); fanout.max_width() as usize + 1];
        Ok(Model {
            kernel: K::new(net)?,
            fanout,
            ring,
            ext: vec![K::V::default(); n],
            syn: vec![K::V::default(); n],
            fired: Vec::with_capacity(n),
            recent,
            stats: ModelStats::default(),
        })
    }

    /// Update the neurons with `threads` threads (see `FixedKernel`'s `Kernel::set_threads`):
    /// the same spikes, in the same order, for any count.
    pub fn set_threads(&mut self, threads: usize) -> Result<(), String> {
        self.kernel.set_threads(threads)
    }

    /// Take `net`'s parameters from the next step on: `net` is the loaded network with other
    /// parameter values (the same neurons and synapses, which this does not check); states,
    /// inputs, pending pulses and the step count stay.
    pub fn set_params(&mut self, net: &Network) -> Result<(), ParamError> {
        self.kernel.set_params(net)
    }

    /// Take `net`'s synaptic weights from the next step on: `net` is the loaded network with
    /// other weights (the same synapses in the same order, which this does not check). A
    /// pulse still on switches to its synapse's new weight too: its target's input changes
    /// by (new − old) from the next step until the pulse ends, as a conductance changed
    /// under a current would. States, inputs and the step count stay.
    pub fn set_weights(&mut self, net: &Network) {
        let now = self.stats.steps;
        for c in self.fanout.reweigh(net, K::weight) {
            let on = |&(step, ref fired): &(u64, Vec<u32>)| {
                // The spike at `step` started its pulse at step + 1; it ends (its change is
                // taken) at step + 1 + width.
                step < now && step + 1 + u64::from(c.width) > now && fired.binary_search(&c.source).is_ok()
            };
            for &(step, _) in self.recent.iter().filter(|r| on(r)) {
                self.ring.add(now, c.target, c.delta);
                self.ring
                    .add(step + 1 + u64::from(c.width), c.target, K::W::default().minus(c.delta));
            }
        }
    }

    /// Back to step 0: states, inputs, pending pulses and counters.
    pub fn reset(&mut self) {
        self.kernel.reset();
        self.ring.clear();
        self.recent.iter_mut().for_each(|r| *r = (u64::MAX, Vec::new()));
        self.ext.iter_mut().for_each(|e| *e = K::V::default());
        self.syn.iter_mut().for_each(|e| *e = K::V::default());
        self.stats = ModelStats::default();
    }

    /// Number of neurons.
    pub fn neurons(&self) -> usize {
        self.ext.len()
    }

    /// The next step to run (= steps run since reset).
    pub fn step_index(&self) -> u64 {
        self.stats.steps
    }

    /// Counters since reset.
    pub fn stats(&self) -> ModelStats {
        self.stats
    }

    /// The neuron array (for probes of the raw state).
    pub fn kernel(&self) -> &K {
        &self.kernel
    }

    /// Set neuron `i`'s external input from the next step on (volts, already validated).
    pub fn set_input(&mut self, i: u32, volts: f64) {
        self.ext[i as usize] = K::volts(volts);
    }

    /// Run one step; returns the ids of the neurons that fired, ascending.
    pub fn step(&mut self) -> &[u32] {
        let t = self.stats.steps;
        self.ring.take_into(t, &mut self.syn);
        self.fired.clear();
        self.kernel.update(&self.ext, &self.syn, &mut self.fired);
        self.stats.synaptic_events += self.ring.schedule(t, &self.fired, &self.fanout);
        let slot = (t % self.recent.len() as u64) as usize;
        let recent = &mut self.recent[slot];
        recent.0 = t;
        recent.1.clear();
        recent.1.extend_from_slice(&self.fired);
        self.stats.steps += 1;
        self.stats.neuron_updates += self.ext.len() as u64;
        self.stats.spikes += self.fired.len() as u64;
        &self.fired
    }

    /// Run `steps` steps, applying the stimulus events due in them (stimulus steps count from
    /// reset), and hand each step's spikes to `sink(step, neurons)`.
    pub fn run(&mut self, stimulus: &Stimulus, steps: u64, mut sink: impl FnMut(u64, &[u32])) {
        let events = stimulus.events();
        let mut next = events.partition_point(|e| e.step < self.stats.steps);
        for _ in 0..steps {
            let t = self.stats.steps;
            while next < events.len() && events[next].step == t {
                self.set_input(events[next].neuron, events[next].volts);
                next += 1;
            }
            let fired = self.step();
            if !fired.is_empty() {
                sink(t, fired);
            }
        }
    }

    /// Run and collect the spikes, sorted by step then neuron.
    pub fn run_collect(&mut self, stimulus: &Stimulus, steps: u64) -> Vec<Spike> {
        let mut out = Vec::new();
        self.run(stimulus, steps, |step, fired| {
            out.extend(fired.iter().map(|&neuron| Spike { step, neuron }))
        });
        out
    }

    /// State of neuron `i`.
    pub fn probe(&self, i: u32) -> Probe {
        self.kernel.probe(i as usize)
    }

    /// Input neuron `i` will see in the next step (before this step's ring slot), volts.
    pub fn input_volts(&self, i: u32) -> f64 {
        K::input_volts(self.ext[i as usize], self.syn[i as usize])
    }

    /// Outgoing synapse count of neuron `j`.
    pub fn fanout_degree(&self, j: u32) -> usize {
        self.fanout.degree(j)
    }
}
