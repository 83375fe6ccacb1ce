//! Synaptic delivery: the fan-out table (CSR by presynaptic neuron) and the delay ring
//! that turns each spike into a rectangular input pulse.
//!
//! A spike of `j` at step `t` adds `w` to slot `t + 1` and subtracts it at slot
//! `t + 1 + width`; at the start of each step the neuron's synaptic accumulator takes in
//! its slot. With `L = max_width + 1` slots every pending change has its own slot.

use crate::network::Network;

/// Arithmetic of synaptic voltages: Q2.22 in 32-bit ring slots and a 64-bit accumulator for
/// the fixed model (the network's validation bounds every slot to 32 bits and every
/// accumulator to 48 bits, so nothing wraps), plain for floats.
pub trait Volt: Copy + Default + Send + Sync + 'static {
    /// `self + other`.
    fn plus(self, other: Self) -> Self;
    /// `self − other`.
    fn minus(self, other: Self) -> Self;
}

impl Volt for i32 {
    #[inline(always)]
    fn plus(self, o: i32) -> i32 {
        self.wrapping_add(o)
    }
    #[inline(always)]
    fn minus(self, o: i32) -> i32 {
        self.wrapping_sub(o)
    }
}

impl Volt for i64 {
    #[inline(always)]
    fn plus(self, o: i64) -> i64 {
        self.wrapping_add(o)
    }
    #[inline(always)]
    fn minus(self, o: i64) -> i64 {
        self.wrapping_sub(o)
    }
}

/// A wider accumulator for ring slots of type `V`.
pub trait Accumulate<V>: Volt {
    /// `self + slot`.
    fn take(self, slot: V) -> Self;
}

impl Accumulate<i32> for i64 {
    #[inline(always)]
    fn take(self, slot: i32) -> i64 {
        self.wrapping_add(i64::from(slot))
    }
}

impl Accumulate<f64> for f64 {
    #[inline(always)]
    fn take(self, slot: f64) -> f64 {
        self + slot
    }
}

impl Volt for f64 {
    #[inline(always)]
    fn plus(self, o: f64) -> f64 {
        self + o
    }
    #[inline(always)]
    fn minus(self, o: f64) -> f64 {
        self - o
    }
}

/// Outgoing synapses of every neuron, stored contiguously.
#[derive(Debug, Clone)]
pub struct Fanout<V> {
    offsets: Vec<usize>,
    targets: Vec<u32>,
    weights: Vec<V>,
    widths: Vec<u32>,
    max_width: u32,
}

impl<V: Volt> Fanout<V> {
    /// Build from a network, converting each weight with `convert`.
    pub fn new(net: &Network, convert: impl Fn(f64) -> V) -> Fanout<V> {
        let n = net.neurons() as usize;
        let mut counts = vec![0usize; n + 1];
        for s in net.synapses() {
            counts[s.from as usize + 1] += 1;
        }
        for i in 0..n {
            counts[i + 1] += counts[i];
        }
        let offsets = counts.clone();
        let total = net.synapses().len();
        let mut fill = counts;
        let (mut targets, mut weights, mut widths) = (vec![0u32; total], vec![V::default(); total], vec![0u32; total]);
        for s in net.synapses() {
            let k = fill[s.from as usize];
            fill[s.from as usize] += 1;
            targets[k] = s.to;
            weights[k] = convert(s.weight);
            widths[k] = s.width;
        }
        let max_width = widths.iter().copied().max().unwrap_or(0);
        Fanout {
            offsets,
            targets,
            weights,
            widths,
            max_width,
        }
    }

    /// Number of outgoing synapses of neuron `j`.
    #[inline(always)]
    pub fn degree(&self, j: u32) -> usize {
        self.offsets[j as usize + 1] - self.offsets[j as usize]
    }

    /// Longest pulse width of the network.
    pub fn max_width(&self) -> u32 {
        self.max_width
    }
}

/// Pending changes of every neuron's synaptic input, one slot per future step.
#[derive(Debug, Clone)]
pub struct DelayRing<V> {
    neurons: usize,
    slots: usize,
    data: Vec<V>,
}

impl<V: Volt> DelayRing<V> {
    /// A ring for `neurons` neurons and pulses up to `max_width` steps.
    pub fn new(neurons: usize, max_width: u32) -> DelayRing<V> {
        let slots = max_width as usize + 1;
        DelayRing {
            neurons,
            slots,
            data: vec![V::default(); slots * neurons],
        }
    }

    /// Clear every pending change.
    pub fn clear(&mut self) {
        self.data.iter_mut().for_each(|d| *d = V::default());
    }

    /// Add the changes due at `step` into `syn` and clear their slot.
    #[inline]
    pub fn take_into<A: Accumulate<V>>(&mut self, step: u64, syn: &mut [A]) {
        let base = (step % self.slots as u64) as usize * self.neurons;
        let slot = &mut self.data[base..base + self.neurons];
        for (acc, pending) in syn.iter_mut().zip(slot.iter_mut()) {
            *acc = acc.take(*pending);
            *pending = V::default();
        }
    }

    /// Schedule the pulses of the spikes `fired` at `step`. Returns the number of synaptic
    /// events (one per outgoing synapse of each spike).
    #[inline]
    pub fn schedule(&mut self, step: u64, fired: &[u32], fanout: &Fanout<V>) -> u64 {
        let mut events = 0u64;
        let slots = self.slots as u64;
        let start_slot = ((step + 1) % slots) as usize;
        for &j in fired {
            let range = fanout.offsets[j as usize]..fanout.offsets[j as usize + 1];
            events += range.len() as u64;
            for k in range {
                let to = fanout.targets[k] as usize;
                let w = fanout.weights[k];
                let on = start_slot * self.neurons + to;
                self.data[on] = self.data[on].plus(w);
                let mut end_slot = start_slot + fanout.widths[k] as usize;
                if end_slot >= self.slots {
                    end_slot -= self.slots;
                }
                let off = end_slot * self.neurons + to;
                self.data[off] = self.data[off].minus(w);
            }
        }
        events
    }
}
