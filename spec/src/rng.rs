//! Per-neuron random streams, identical on every backend.
//!
//! Each neuron owns one xorshift32 state, seeded from (global seed, neuron index) by
//! [`neuron_seed`]. A Gaussian draw is the sum of the four bytes of the next xorshift32 output
//! minus 510 (an Irwin–Hall approximation: mean 0, standard deviation [`XI_STD`], range
//! ±510), which is cheap in hardware: three adders.

/// Standard deviation of the byte-sum draw: sqrt(4 · (256² − 1) / 12).
pub const XI_STD: f64 = 147.801_217_816_949_88;

/// Mean of the sum of four uniform bytes.
pub const XI_MEAN: i32 = 510;

/// One xorshift32 step (Marsaglia's 13/17/5 triple). Never maps a non-zero state to zero.
#[inline(always)]
pub fn xorshift32(mut s: u32) -> u32 {
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    s
}

/// Centred integer Gaussian draw from a 32-bit word: byte sum − 510, in −510..=510.
#[inline(always)]
pub fn byte_sum_gauss(r: u32) -> i32 {
    let b = r.to_le_bytes();
    i32::from(b[0]) + i32::from(b[1]) + i32::from(b[2]) + i32::from(b[3]) - XI_MEAN
}

/// Initial xorshift32 state of neuron `index` under global `seed`: a SplitMix64 finaliser of
/// `seed · 2^32 + index`, folded to 32 bits; never zero (zero is a fixed point of xorshift).
pub fn neuron_seed(seed: u64, index: u32) -> u32 {
    let mut z = seed
        .wrapping_shl(32)
        .wrapping_add(u64::from(index))
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    let folded = (z as u32) ^ ((z >> 32) as u32);
    if folded == 0 {
        0x6D2B_79F5
    } else {
        folded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_differ_per_neuron_and_seed_and_are_nonzero() {
        let a: Vec<u32> = (0..1000).map(|i| neuron_seed(1, i)).collect();
        let mut sorted = a.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), a.len());
        assert!(a.iter().all(|&s| s != 0));
        assert_ne!(neuron_seed(1, 0), neuron_seed(2, 0));
    }

    #[test]
    fn byte_sum_is_centred_with_the_documented_spread() {
        let mut s = neuron_seed(7, 3);
        let n = 200_000;
        let (mut sum, mut sq) = (0f64, 0f64);
        for _ in 0..n {
            s = xorshift32(s);
            let g = f64::from(byte_sum_gauss(s));
            sum += g;
            sq += g * g;
        }
        let mean = sum / f64::from(n);
        let std = (sq / f64::from(n) - mean * mean).sqrt();
        assert!(mean.abs() < 2.0, "mean {mean}");
        assert!((std / XI_STD - 1.0).abs() < 0.01, "std {std}");
    }
}
