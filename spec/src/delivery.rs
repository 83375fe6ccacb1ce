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
pub trait Volt: Copy + Default + PartialEq + Send + Sync + 'static {
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
pub trait Accumulate<V: Volt>: Volt {
    /// `self + slot`.
    fn take(self, slot: V) -> Self;

    /// Every neuron's `take` of its slot, and the slot cleared.
    #[inline]
    fn take_all(acc: &mut [Self], slots: &mut [V]) {
        for (acc, pending) in acc.iter_mut().zip(slots.iter_mut()) {
            *acc = acc.take(*pending);
            *pending = V::default();
        }
    }
}

impl Accumulate<i32> for i64 {
    #[inline(always)]
    fn take(self, slot: i32) -> i64 {
        self.wrapping_add(i64::from(slot))
    }

    /// With AVX2 where the CPU has it: the x86-64 baseline has no sign extension of 32-bit
    /// words to 64 (SSE4.1's), and this loop runs over every neuron each step.
    #[inline]
    #[allow(unsafe_code)]
    fn take_all(acc: &mut [i64], slots: &mut [i32]) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2 (checked above), all the function needs.
            return unsafe { take_all_avx2(acc, slots) };
        }
        take_all_scalar(acc, slots);
    }
}

#[inline(always)]
fn take_all_scalar(acc: &mut [i64], slots: &mut [i32]) {
    for (acc, pending) in acc.iter_mut().zip(slots.iter_mut()) {
        *acc = acc.wrapping_add(i64::from(*pending));
        *pending = 0;
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn take_all_avx2(acc: &mut [i64], slots: &mut [i32]) {
    take_all_scalar(acc, slots);
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
    /// Per source: the width all its synapses share, or `MIXED_WIDTHS`. Most networks use
    /// one width per source, and then both ring slots of a spike are known up front.
    source_width: Vec<u32>,
    max_width: u32,
}

const MIXED_WIDTHS: u32 = u32::MAX;

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
        let source_width = (0..n)
            .map(|j| {
                let w = &widths[offsets[j]..offsets[j + 1]];
                match w.first() {
                    Some(&first) if w.iter().all(|&x| x == first) => first,
                    _ => MIXED_WIDTHS,
                }
            })
            .collect();
        Fanout {
            offsets,
            targets,
            weights,
            widths,
            source_width,
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

    /// Take `net`'s weights (`net` has this fan-out's synapses in the same order, as
    /// `Fanout::new` read them) and return the synapses whose weight changed.
    pub fn reweigh(&mut self, net: &Network, convert: impl Fn(f64) -> V) -> Vec<Reweighed<V>> {
        let mut fill = self.offsets.clone();
        let mut changed = Vec::new();
        for s in net.synapses() {
            let k = fill[s.from as usize];
            fill[s.from as usize] += 1;
            let new = convert(s.weight);
            if new != self.weights[k] {
                changed.push(Reweighed {
                    source: s.from,
                    target: self.targets[k],
                    width: self.widths[k],
                    delta: new.minus(self.weights[k]),
                });
                self.weights[k] = new;
            }
        }
        changed
    }
}

/// A synapse whose weight changed by `delta`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reweighed<V> {
    pub source: u32,
    pub target: u32,
    pub width: u32,
    pub delta: V,
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

    /// Add `delta` to neuron `i`'s change due at `step` (within the ring's reach: from the
    /// next step to take up to `max_width` steps later).
    pub fn add(&mut self, step: u64, i: u32, delta: V) {
        let at = (step % self.slots as u64) as usize * self.neurons + i as usize;
        self.data[at] = self.data[at].plus(delta);
    }

    /// Add the changes due at `step` into `syn` and clear their slot.
    #[inline]
    pub fn take_into<A: Accumulate<V>>(&mut self, step: u64, syn: &mut [A]) {
        let base = (step % self.slots as u64) as usize * self.neurons;
        A::take_all(syn, &mut self.data[base..base + self.neurons]);
    }

    /// Schedule the pulses of the spikes `fired` at `step`. Returns the number of synaptic
    /// events (one per outgoing synapse of each spike).
    #[inline]
    pub fn schedule(&mut self, step: u64, fired: &[u32], fanout: &Fanout<V>) -> u64 {
        let mut events = 0u64;
        let slots = self.slots as u64;
        let start_slot = ((step + 1) % slots) as usize;
        let n = self.neurons;
        for &j in fired {
            let range = fanout.offsets[j as usize]..fanout.offsets[j as usize + 1];
            events += range.len() as u64;
            let (targets, weights) = (&fanout.targets[range.clone()], &fanout.weights[range.clone()]);
            let width = fanout.source_width[j as usize] as usize;
            if width != 0 && width < self.slots {
                // One width for the whole fan-out: borrow the two slots once.
                let end_slot = (start_slot + width) % self.slots;
                let (on, off) = two_slots(&mut self.data, n, start_slot, end_slot);
                for (&to, &w) in targets.iter().zip(weights) {
                    on[to as usize] = on[to as usize].plus(w);
                    off[to as usize] = off[to as usize].minus(w);
                }
                continue;
            }
            for (k, (&to, &w)) in range.zip(targets.iter().zip(weights)) {
                let to = to as usize;
                let on = start_slot * n + to;
                self.data[on] = self.data[on].plus(w);
                let mut end_slot = start_slot + fanout.widths[k] as usize;
                if end_slot >= self.slots {
                    end_slot -= self.slots;
                }
                let off = end_slot * n + to;
                self.data[off] = self.data[off].minus(w);
            }
        }
        events
    }
}

/// Two different slots of the ring as separate mutable slices (`a != b`).
fn two_slots<V>(data: &mut [V], n: usize, a: usize, b: usize) -> (&mut [V], &mut [V]) {
    debug_assert_ne!(a, b);
    if a < b {
        let (lo, hi) = data.split_at_mut(b * n);
        (&mut lo[a * n..(a + 1) * n], &mut hi[..n])
    } else {
        let (lo, hi) = data.split_at_mut(a * n);
        (&mut hi[..n], &mut lo[b * n..(b + 1) * n])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::{Network, Synapse};
    use crate::params::NeuronParams;

    /// The ring after one spike of each source, computed slot by slot from the definition.
    fn expected(net: &Network, slots: usize, start: usize) -> Vec<i32> {
        let n = net.neurons() as usize;
        let mut data = vec![0i32; slots * n];
        for s in net.synapses() {
            let w = (s.weight * 1000.0) as i32;
            data[start * n + s.to as usize] += w;
            data[(start + s.width as usize) % slots * n + s.to as usize] -= w;
        }
        data
    }

    #[test]
    fn uniform_and_mixed_widths_schedule_the_same_pulses() {
        let mut net = Network::new(4, 1, NeuronParams::default()).expect("valid network");
        // Source 0: one shared width (fast path). Source 1: mixed widths (general path).
        for (from, to, weight, width) in [(0, 1, 0.01, 3), (0, 2, 0.02, 3), (1, 2, 0.03, 1), (1, 3, 0.04, 3)] {
            net.add_synapse(Synapse {
                from,
                to,
                weight,
                width,
            })
            .expect("valid synapse");
        }
        let fanout = Fanout::new(&net, |v| (v * 1000.0) as i32);
        let mut ring = DelayRing::new(4, fanout.max_width());
        for step in 0..6u64 {
            ring.clear();
            let events = ring.schedule(step, &[0, 1], &fanout);
            assert_eq!(events, 4);
            assert_eq!(
                ring.data,
                expected(&net, ring.slots, (step as usize + 1) % ring.slots),
                "step {step}"
            );
        }
    }
}
