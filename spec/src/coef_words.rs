//! How one parameter set's coefficients are laid out for the hardware: one 32-bit word per
//! slot, written by the host into the neuron pipeline's coefficient memory at
//! `slot · 16 + set`. The hdl crate decodes exactly these fields.

use crate::coef_set::FixedCoeffs;
use crate::coefficient::Coef;

/// The coefficient slots of a parameter set, in memory order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum CoefSlot {
    KGrow = 0,
    KDec = 1,
    KRes = 2,
    KX2leak = 3,
    KVleak = 4,
    KVon = 5,
    KEta = 6,
    KNoise = 7,
    KC2c = 8,
    /// `x2max`, Q1.23 in bits 24..0.
    X2max = 9,
    /// Absolute-refractory steps, bits 15..0.
    Refractory = 10,
    /// Bit 0: ionic noise on; bit 1: cycle-to-cycle variation on.
    Flags = 11,
    /// Right shift of the drive table's entries, bits 5..0.
    DriveShift = 12,
}

/// Number of slots per parameter set.
pub const COEF_SLOTS: usize = 13;
/// Parameter sets the hardware holds (the network format allows up to 16).
pub const HW_PARAM_SETS: usize = 16;
/// Bit position of the shift in a coefficient word (mantissa in bits 17..0, signed).
pub const COEF_SHIFT_LSB: u32 = 18;
/// Flag bits of [`CoefSlot::Flags`].
pub const FLAG_NOISE: u32 = 1;
pub const FLAG_C2C: u32 = 2;

/// A coefficient as a word: mantissa (18-bit two's complement) in bits 17..0, shift in 23..18.
pub fn coef_word(c: Coef) -> u32 {
    (c.mantissa as u32 & 0x3_FFFF) | (c.shift << COEF_SHIFT_LSB)
}

/// All slots of one parameter set, indexed by `CoefSlot as usize`.
pub fn coefficient_words(c: &FixedCoeffs) -> [u32; COEF_SLOTS] {
    let mut w = [0u32; COEF_SLOTS];
    w[CoefSlot::KGrow as usize] = coef_word(c.k_grow);
    w[CoefSlot::KDec as usize] = coef_word(c.k_dec);
    w[CoefSlot::KRes as usize] = coef_word(c.k_res);
    w[CoefSlot::KX2leak as usize] = coef_word(c.k_x2leak);
    w[CoefSlot::KVleak as usize] = coef_word(c.k_vleak);
    w[CoefSlot::KVon as usize] = coef_word(c.k_von);
    w[CoefSlot::KEta as usize] = coef_word(c.k_eta);
    w[CoefSlot::KNoise as usize] = coef_word(c.k_noise);
    w[CoefSlot::KC2c as usize] = coef_word(c.k_c2c);
    w[CoefSlot::X2max as usize] = c.x2max as u32;
    w[CoefSlot::Refractory as usize] = u32::from(c.refractory_steps);
    w[CoefSlot::Flags as usize] = (u32::from(c.noise_on) * FLAG_NOISE) | (u32::from(c.c2c_on) * FLAG_C2C);
    w[CoefSlot::DriveShift as usize] = c.drive.shift;
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::NeuronParams;

    #[test]
    fn words_round_trip_the_coefficients() {
        let c = FixedCoeffs::new(&NeuronParams::default()).expect("defaults are valid");
        let w = coefficient_words(&c);
        let mant = ((w[CoefSlot::KDec as usize] << 14) as i32) >> 14;
        assert_eq!(mant, c.k_dec.mantissa);
        assert_eq!(w[CoefSlot::KDec as usize] >> COEF_SHIFT_LSB, c.k_dec.shift);
        assert_eq!(w[CoefSlot::X2max as usize] as i32, c.x2max);
    }
}

/// Which of the neuron pipeline's configuration memories a write goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigTarget {
    /// Coefficient memory, address `slot · 16 + set`.
    Coef,
    /// Drive-law table, address `set · 1024 + index`.
    Drive,
    /// Square-root table, address `index`.
    Sqrt,
}

/// One word written into the neuron pipeline's configuration memories.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfigWrite {
    pub target: ConfigTarget,
    pub addr: u16,
    pub data: u32,
}

/// Every configuration write that loads `sets` (at most [`HW_PARAM_SETS`]) and the square-root
/// table: what the host sends before the first step.
pub fn config_writes(sets: &[FixedCoeffs], sqrt: &[u32; crate::tables::TABLE_ENTRIES]) -> Vec<ConfigWrite> {
    let mut out = Vec::new();
    for (set, c) in sets.iter().enumerate().take(HW_PARAM_SETS) {
        for (slot, &data) in coefficient_words(c).iter().enumerate() {
            out.push(ConfigWrite {
                target: ConfigTarget::Coef,
                addr: (slot * HW_PARAM_SETS + set) as u16,
                data,
            });
        }
        for (i, &data) in c.drive.entries.iter().enumerate() {
            out.push(ConfigWrite {
                target: ConfigTarget::Drive,
                addr: (set * crate::tables::DRIVE_ENTRIES + i) as u16,
                data,
            });
        }
    }
    for (i, &data) in sqrt.iter().enumerate() {
        out.push(ConfigWrite {
            target: ConfigTarget::Sqrt,
            addr: i as u16,
            data,
        });
    }
    out
}
