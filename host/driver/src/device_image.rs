//! A network as the words the core's memories must hold: coefficients and tables, the reset
//! state of every neuron, the fan-out table and synapses. Pure data, so it is tested without
//! a device and written by `Device` through any backend.

use memfire_spec::coef_set::FixedCoeffs;
use memfire_spec::coef_words::{config_writes, ConfigTarget, HW_PARAM_SETS};
use memfire_spec::memmap::{row_fits, synapse_word, word_addr, Region};
use memfire_spec::network::Network;
use memfire_spec::neuron_fixed::FixedState;
use memfire_spec::tables::sqrt_table;
use memfire_spec::weight_code::code_of_volts;

use crate::error::{EngineError, Result};

/// What a core can hold (read from its header registers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capacity {
    pub neurons: u32,
    pub synapses: u32,
    pub max_width: u32,
    /// Distinct pulse widths a network may have.
    pub width_classes: u32,
    pub param_sets: u32,
    /// Neurons the core updates per clock cycle.
    pub lanes: u32,
}

/// Words to write at consecutive bus addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub addr: u32,
    pub words: Vec<u32>,
}

/// Everything `Device::load` writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub blocks: Vec<Block>,
    /// Width classes the network uses (at least 1; their widths are in the blocks).
    pub classes: u32,
    pub neurons: u32,
}

fn too_big(what: &str, need: u64, have: u64) -> EngineError {
    EngineError::DoesNotFit {
        what: what.to_string(),
        need,
        have,
    }
}

/// The parameter sets of `net` (coefficients, drive-law and square-root tables) and which
/// neuron has which: what `Device::set_params` rewrites, and part of `build`. Also the sets'
/// coefficients.
pub fn param_blocks(net: &Network, cap: &Capacity) -> Result<(Vec<Block>, Vec<FixedCoeffs>)> {
    let sets = net.param_sets();
    if sets.len() > (cap.param_sets as usize).min(HW_PARAM_SETS) {
        return Err(too_big("parameter sets", sets.len() as u64, cap.param_sets.into()));
    }
    let coeffs = sets.iter().map(FixedCoeffs::new).collect::<Result<Vec<_>, _>>()?;
    let mut blocks = Vec::new();
    for w in config_writes(&coeffs, &sqrt_table()) {
        let region = match w.target {
            ConfigTarget::Coef => Region::Coef,
            ConfigTarget::Drive => Region::Drive,
            ConfigTarget::Sqrt => Region::Sqrt,
        };
        push_word(&mut blocks, word_addr(region, u32::from(w.addr)), w.data);
    }
    blocks.push(Block {
        addr: word_addr(Region::Set, 0),
        words: net.param_set_of().iter().map(|&s| u32::from(s)).collect(),
    });
    Ok((blocks, coeffs))
}

/// Build the image of `net` for a core of capacity `cap`, or say what does not fit.
pub fn build(net: &Network, cap: &Capacity) -> Result<Image> {
    let n = net.neurons();
    if n > cap.neurons {
        return Err(too_big("neurons", n.into(), cap.neurons.into()));
    }
    let synapses = net.synapses();
    if synapses.len() as u64 > u64::from(cap.synapses) {
        return Err(too_big("synapses", synapses.len() as u64, cap.synapses.into()));
    }
    let (params, coeffs) = param_blocks(net, cap)?;
    let widths = width_classes(net, cap)?;

    let mut blocks = vec![Block {
        addr: word_addr(Region::ClassWidth, 0),
        words: widths.clone(),
    }];
    blocks.extend(params);

    let states: Vec<FixedState> = (0..n)
        .map(|i| {
            let set = net.param_set_of()[i as usize] as usize;
            FixedState::reset(&coeffs[set], net.seed(), i)
        })
        .collect();
    let column = |region: Region, f: &dyn Fn(&FixedState) -> u32| Block {
        addr: word_addr(region, 0),
        words: states.iter().map(f).collect(),
    };
    blocks.push(column(Region::X1, &|s| s.x1 as u32));
    blocks.push(column(Region::X2, &|s| s.x2 as u32));
    blocks.push(column(Region::V, &|s| s.v as u32));
    blocks.push(column(Region::M, &|s| s.m as u32));
    blocks.push(column(Region::Refractory, &|s| s.refractory));
    blocks.push(column(Region::Rng, &|s| s.rng));
    blocks.push(Block {
        addr: word_addr(Region::Ext, 0),
        words: vec![0; n as usize],
    });
    blocks.push(Block {
        addr: word_addr(Region::Acc, 0),
        words: vec![0; n as usize],
    });

    // Each lane's bank: the synapses into the lane (targets n ≡ lane mod P, at address
    // n / P), grouped by source in file order, and every source's row of them.
    let lanes = cap.lanes.max(1);
    // A bank holds `per_lane` synapses, its indices spaced by the power of two above.
    let per_lane = cap.synapses / lanes;
    let syn_bits = per_lane.next_power_of_two().trailing_zeros();
    let row_bits = cap.neurons.trailing_zeros();
    let mut by_lane: Vec<Vec<usize>> = vec![Vec::new(); lanes as usize];
    for (k, s) in synapses.iter().enumerate() {
        by_lane[(s.to % lanes) as usize].push(k);
    }
    for (lane, members) in by_lane.iter_mut().enumerate() {
        if members.len() as u64 > u64::from(per_lane) {
            return Err(too_big(
                &format!("synapses into lane {lane} of {lanes} (targets n with n mod {lanes} = {lane})"),
                members.len() as u64,
                per_lane.into(),
            ));
        }
        members.sort_by_key(|&k| synapses[k].from);
        let mut row_len = vec![0u32; n as usize];
        for &k in members.iter() {
            row_len[synapses[k].from as usize] += 1;
        }
        if let Some((source, &len)) = row_len
            .iter()
            .enumerate()
            .find(|(_, &len)| !row_fits(len.into(), syn_bits))
        {
            return Err(too_big(
                &format!("synapses from neuron {source} into lane {lane} of {lanes} (one row)"),
                len.into(),
                (1u64 << syn_bits) - 1,
            ));
        }
        // Each source's row ends where the next one's starts: the prefix sums of the lengths.
        let row_end: Vec<u32> = row_len
            .iter()
            .scan(0u32, |end, &len| {
                *end += len;
                Some(*end)
            })
            .collect();
        let lane = lane as u32;
        blocks.push(Block {
            addr: word_addr(Region::RowEnd, lane << row_bits),
            words: row_end,
        });
        if !members.is_empty() {
            blocks.push(Block {
                addr: word_addr(Region::Synapse, lane << syn_bits),
                words: members
                    .iter()
                    .map(|&k| {
                        let s = &synapses[k];
                        synapse_word(
                            s.to / lanes,
                            class_of(&widths, s.width),
                            code_of_volts(s.weight).unwrap_or(0),
                        )
                    })
                    .collect(),
            });
        }
    }
    Ok(Image {
        blocks,
        classes: widths.len() as u32,
        neurons: n,
    })
}

/// The distinct pulse widths of `net`'s synapses, widest first: class c has width
/// `widths[c]` (the core frees its spike history after the widest class's pulse ends, so
/// that one must be class 0). A network without synapses has one class of width 1.
fn width_classes(net: &Network, cap: &Capacity) -> Result<Vec<u32>> {
    let mut widths: Vec<u32> = net.synapses().iter().map(|s| s.width).collect();
    widths.sort_unstable_by(|a, b| b.cmp(a));
    widths.dedup();
    if widths.is_empty() {
        widths.push(1);
    }
    if widths[0] > cap.max_width {
        return Err(too_big("pulse width (steps)", widths[0].into(), cap.max_width.into()));
    }
    if widths.len() > cap.width_classes as usize {
        const SHOWN: usize = 24;
        let mut list = widths
            .iter()
            .take(SHOWN)
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        if widths.len() > SHOWN {
            list.push_str(", …");
        }
        return Err(EngineError::TooManyWidths {
            count: widths.len(),
            widths: list,
            limit: cap.width_classes,
        });
    }
    Ok(widths)
}

/// The class of a synapse of `width` (one of `widths`, which are sorted widest first).
fn class_of(widths: &[u32], width: u32) -> u32 {
    widths.partition_point(|&w| w > width) as u32
}

/// Append a word, extending the last block when the address follows on.
fn push_word(blocks: &mut Vec<Block>, addr: u32, word: u32) {
    if let Some(last) = blocks.last_mut() {
        if last.addr + last.words.len() as u32 == addr {
            last.words.push(word);
            return;
        }
    }
    blocks.push(Block {
        addr,
        words: vec![word],
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use memfire_spec::network::Synapse;
    use memfire_spec::params::NeuronParams;

    const CAP: Capacity = Capacity {
        neurons: 8,
        synapses: 16,
        max_width: 10,
        width_classes: 3,
        param_sets: 16,
        lanes: 1,
    };

    fn net(widths: &[u32]) -> Network {
        let mut net = Network::new(4, 1, NeuronParams::default()).expect("valid");
        for (k, &width) in widths.iter().enumerate() {
            let (from, to) = ((3 - k % 4) as u32, (k % 4) as u32);
            net.add_synapse(Synapse {
                from,
                to,
                weight: 0.01,
                width,
            })
            .expect("valid");
        }
        net
    }

    /// The words `image` writes from `index` of `region` on (one block).
    fn words_at(image: &Image, region: Region, index: u32) -> Option<Vec<u32>> {
        image
            .blocks
            .iter()
            .find(|b| b.addr == word_addr(region, index))
            .map(|b| b.words.clone())
    }

    /// The target fields of synapse words.
    fn targets(words: Option<Vec<u32>>) -> Option<Vec<u32>> {
        words.map(|w| {
            w.iter()
                .map(|&w| w & ((1 << memfire_spec::memmap::SYN_TARGET_BITS) - 1))
                .collect()
        })
    }

    #[test]
    fn a_synapse_word_holds_target_class_and_weight_code() {
        let image = build(&net(&[5, 5, 5]), &CAP).expect("fits");
        let words = words_at(&image, Region::Synapse, 0).expect("synapses");
        let code = memfire_spec::weight_code::code_of_volts(0.01).expect("in range");
        assert_eq!(words[0], memfire_spec::memmap::synapse_word(2, 0, code));
        assert_eq!(words[0] >> memfire_spec::memmap::SYN_WEIGHT_SHIFT, u32::from(code));
    }

    #[test]
    fn banks_of_any_depth_are_spaced_by_a_power_of_two() {
        // Three synapses a lane: lane 1's bank starts at index 4.
        let cap = Capacity {
            lanes: 2,
            synapses: 6,
            ..CAP
        };
        let image = build(&net(&[5, 5, 5, 5]), &cap).expect("fits");
        assert_eq!(targets(words_at(&image, Region::Synapse, 4)), Some(vec![1, 0]));
    }

    #[test]
    fn fan_out_is_grouped_by_source() {
        let image = build(&net(&[5, 5, 5]), &CAP).expect("fits");
        let find = |r: Region| words_at(&image, r, 0);
        // Rows of 0, 1, 1 and 1 synapses.
        assert_eq!(find(Region::RowEnd), Some(vec![0, 1, 2, 3]));
        assert_eq!(targets(find(Region::Synapse)), Some(vec![2, 1, 0]));
        assert_eq!(find(Region::ClassWidth), Some(vec![5]));
        assert_eq!(image.classes, 1);
    }

    #[test]
    fn widths_become_classes_widest_first() {
        let image = build(&net(&[3, 7, 3, 5]), &CAP).expect("fits");
        let find = |r: Region| words_at(&image, r, 0);
        assert_eq!(find(Region::ClassWidth), Some(vec![7, 5, 3]));
        assert_eq!(image.classes, 3);
        // Grouped by source (3, 2, 1, 0 for synapses 0..4): widths 5, 3, 7, 3.
        let class = |w: u32| (w >> memfire_spec::memmap::SYN_CLASS_SHIFT) & 0xF;
        let words = find(Region::Synapse).expect("synapses");
        assert_eq!(words.iter().map(|&w| class(w)).collect::<Vec<_>>(), vec![1, 2, 0, 2]);
    }

    #[test]
    fn synapses_go_to_the_bank_of_their_targets_lane() {
        let cap = Capacity {
            lanes: 2,
            synapses: 8,
            ..CAP
        };
        // Synapses 3->0, 2->1, 1->2, 0->3: lane 0 gets the targets 0 and 2, lane 1 1 and 3.
        let image = build(&net(&[5, 5, 5, 5]), &cap).expect("fits");
        let at = |r: Region, index: u32| words_at(&image, r, index);
        // Lane 0: sources 1 (->2) and 3 (->0); lane 1 (rows at 1 << 3, synapses at 1 << 2):
        // sources 0 (->3) and 2 (->1). Targets are addresses in the lane (n / 2).
        assert_eq!(targets(at(Region::Synapse, 0)), Some(vec![1, 0]));
        assert_eq!(at(Region::RowEnd, 0), Some(vec![0, 1, 1, 2]));
        assert_eq!(targets(at(Region::Synapse, 4)), Some(vec![1, 0]));
        assert_eq!(at(Region::RowEnd, 8), Some(vec![1, 1, 2, 2]));
        // Three synapses into lane 0, room for two: the total (3 of 4) fits, the lane does not.
        let mut skewed = Network::new(4, 1, NeuronParams::default()).expect("valid");
        for to in [0, 2, 2] {
            skewed
                .add_synapse(Synapse {
                    from: 1,
                    to,
                    weight: 0.01,
                    width: 5,
                })
                .expect("valid");
        }
        let e = build(&skewed, &Capacity { synapses: 4, ..cap }).expect_err("lane 0 holds 2");
        assert!(e.to_string().contains("needs 3 synapses into lane 0 of 2"), "{e}");
    }

    #[test]
    fn a_row_as_long_as_its_bank_is_refused() {
        // A bank of 4 synapses (indices of 2 bits): a row of 4 would end where it starts.
        let cap = Capacity { synapses: 4, ..CAP };
        let fan_out = |n: u32| {
            let mut net = Network::new(4, 1, NeuronParams::default()).expect("valid");
            for to in 0..n {
                net.add_synapse(Synapse {
                    from: 0,
                    to,
                    weight: 0.01,
                    width: 5,
                })
                .expect("valid");
            }
            net
        };
        let e = build(&fan_out(4), &cap).expect_err("a row of 4 in a bank of 4");
        assert!(
            e.to_string()
                .contains("synapses from neuron 0 into lane 0 of 1 (one row)"),
            "{e}"
        );
        let image = build(&fan_out(3), &cap).expect("a row of 3 fits");
        assert_eq!(words_at(&image, Region::RowEnd, 0), Some(vec![3, 3, 3, 3]));
    }

    #[test]
    fn what_does_not_fit_is_named() {
        let e = build(&net(&[5, 6, 7, 8]), &CAP).expect_err("four widths, three classes");
        let text = e.to_string();
        assert!(
            text.contains("4 distinct pulse widths (8, 7, 6, 5)") && text.contains("at most 3"),
            "{e}"
        );
        let e = build(&net(&[11]), &CAP).expect_err("too wide");
        assert!(e.to_string().contains("pulse width"), "{e}");
        let big = Network::new(9, 1, NeuronParams::default()).expect("valid");
        let e = build(&big, &CAP).expect_err("too many neurons");
        assert!(
            e.to_string().contains("9 neurons") || e.to_string().contains("needs 9"),
            "{e}"
        );
    }
}
