//! Weights changed on a loaded device: which synapse words to rewrite, and how much each
//! target's accumulator must move so that pulses still on switch to their new weight, as the
//! model does (`Model::set_weights`).
//!
//! The core delivers a pulse's start with the weight it reads then, and its end with the
//! weight it reads at the end: after a weight changes, a pulse that started with the old one
//! would end with the new one. Adding (new − old) to the target's accumulator for each such
//! pulse makes the pulse carry the new weight from the next step to its end, which is the
//! model's rule. At a step boundary the core has delivered every start of the steps run and
//! the ends due at the next step (with the old weights), so the pulses to correct are those
//! whose end comes later than the next step.

use std::collections::{BTreeMap, VecDeque};

use memfire_spec::memmap::{Region, INDEX_BITS};
use memfire_spec::network::Network;
use memfire_spec::weight_code::stored_q;

use crate::device_image::{self, Capacity};
use crate::error::Result;

/// The spikes of the last steps, as many as the longest pulse of the loaded network needs.
#[derive(Debug, Default)]
pub struct RecentSpikes {
    steps: VecDeque<(u64, Vec<u32>)>,
    /// Steps kept: the longest pulse width + 1.
    horizon: u64,
}

impl RecentSpikes {
    /// Keep spikes for a network whose longest pulse is `max_width` steps.
    pub fn new(max_width: u32) -> RecentSpikes {
        RecentSpikes {
            steps: VecDeque::new(),
            horizon: u64::from(max_width) + 1,
        }
    }

    /// A step's spikes, in step order.
    pub fn record(&mut self, step: u64, neurons: &[u32]) {
        self.steps.push_back((step, neurons.to_vec()));
        while self.steps.front().is_some_and(|(s, _)| s + self.horizon <= step) {
            self.steps.pop_front();
        }
    }

    /// How many pulses of a synapse from `source` with `width` started before step `now`
    /// and end after it (a spike at step s starts a pulse at s + 1 that ends, its change
    /// taken, at s + 1 + width).
    fn pulses_ending_after(&self, source: u32, width: u32, now: u64) -> i64 {
        let on = |&&(step, ref fired): &&(u64, Vec<u32>)| {
            step < now && step + 1 + u64::from(width) > now && fired.contains(&source)
        };
        self.steps.iter().filter(on).count() as i64
    }
}

/// The synapse words of `new` that differ from `old`'s (only their weights can), as (bus
/// word address, word).
pub fn changed_weight_words(old: &Network, new: &Network, cap: &Capacity) -> Result<Vec<(u32, u32)>> {
    let words = |net: &Network| -> Result<Vec<(u32, u32)>> {
        let image = device_image::build(net, cap)?;
        Ok(image
            .blocks
            .iter()
            .filter(|b| b.addr >> INDEX_BITS == Region::Synapse as u32)
            .flat_map(|b| (b.addr..).zip(b.words.iter().copied()))
            .collect())
    };
    let (before, after) = (words(old)?, words(new)?);
    Ok(after
        .into_iter()
        .zip(before)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a)
        .collect())
}

/// For each target with a pulse still on whose synapse changed: the Q2.22 amount to add to
/// its accumulator before step `now`.
pub fn accumulator_corrections(old: &Network, new: &Network, recent: &RecentSpikes, now: u64) -> BTreeMap<u32, i64> {
    let mut out = BTreeMap::new();
    for (a, b) in old.synapses().iter().zip(new.synapses()) {
        // The weights the core stores: a change the code cannot hold is no change.
        let delta = i64::from(stored_q(b.weight).unwrap_or(0)) - i64::from(stored_q(a.weight).unwrap_or(0));
        if delta == 0 {
            continue;
        }
        let pulses = recent.pulses_ending_after(a.from, a.width, now);
        if pulses > 0 {
            *out.entry(a.to).or_insert(0) += pulses * delta;
        }
    }
    out.retain(|_, d| *d != 0);
    out
}
