//! One fixed-point coefficient: an 18-bit signed mantissa and its own right shift, the
//! operand shape of a DSP48-class multiplier (25 × 18 bits).

use crate::fixed::{round_shift, COEF_MANT_BITS};

/// Largest shift a coefficient may use; keeps `a * mantissa + half` inside an i64 for any
/// 30-bit operand `a` (2^30 · 2^17 · 2 < 2^63).
pub const MAX_SHIFT: u32 = 32;

/// `value ≈ mantissa / 2^shift`, applied as `round_shift(a * mantissa, shift)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Coef {
    /// Signed mantissa, |mantissa| < 2^17 (18-bit two's complement).
    pub mantissa: i32,
    /// Right shift applied after the multiply, with rounding.
    pub shift: u32,
}

/// Why a real coefficient cannot be represented.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CoefError {
    /// NaN or infinite.
    NotFinite,
    /// Too large for an 18-bit mantissa even with shift 0.
    TooLarge,
    /// Non-zero but rounds to zero even with the largest shift.
    TooSmall,
}

impl Coef {
    /// The coefficient of largest precision for `value`: the largest shift (≤ MAX_SHIFT)
    /// whose rounded mantissa still fits in 18 bits.
    pub fn quantize(value: f64) -> Result<Coef, CoefError> {
        if !value.is_finite() {
            return Err(CoefError::NotFinite);
        }
        let limit = f64::from(1i32 << COEF_MANT_BITS);
        let mut best: Option<Coef> = None;
        for shift in 0..=MAX_SHIFT {
            let m = (value * 2f64.powi(shift as i32) + 0.5).floor();
            if m.abs() >= limit {
                break;
            }
            best = Some(Coef {
                mantissa: m as i32,
                shift,
            });
        }
        match best {
            None => Err(CoefError::TooLarge),
            Some(c) if c.mantissa == 0 && value != 0.0 => Err(CoefError::TooSmall),
            Some(c) => Ok(c),
        }
    }

    /// The real value this coefficient stands for.
    pub fn value(&self) -> f64 {
        f64::from(self.mantissa) / 2f64.powi(self.shift as i32)
    }

    /// `round_shift(a * mantissa, shift)`.
    #[inline(always)]
    pub fn apply(&self, a: i64) -> i64 {
        round_shift(a * i64::from(self.mantissa), self.shift)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantize_uses_all_mantissa_bits() {
        let c = Coef::quantize(0.006_18).expect("representable");
        assert!(c.mantissa >= 1 << 16 && c.mantissa < 1 << 17, "{c:?}");
        assert!((c.value() - 0.006_18).abs() / 0.006_18 < 1e-5);
    }

    #[test]
    fn quantize_rejects_what_cannot_be_represented() {
        assert_eq!(Coef::quantize(f64::NAN), Err(CoefError::NotFinite));
        assert_eq!(Coef::quantize(1e6), Err(CoefError::TooLarge));
        assert_eq!(Coef::quantize(1e-12), Err(CoefError::TooSmall));
        assert_eq!(Coef::quantize(0.0).map(|c| c.mantissa), Ok(0));
    }

    #[test]
    fn apply_rounds() {
        let half = Coef { mantissa: 1, shift: 1 };
        assert_eq!(half.apply(3), 2);
        assert_eq!(half.apply(-3), -1);
    }
}
