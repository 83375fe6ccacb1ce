//! Fixed-point formats and the two primitive operations (rounded right shift, saturation)
//! that every line of the fixed-point model is built from.
//!
//! Formats, as the FPGA stores them (all two's complement, 25-bit words unless noted):
//! - filament `x1` and residue `x2`: Q1.23 — 1.0 is `ONE_X = 2^23`.
//! - voltages `u`, `v`, synaptic weights and external input: Q2.22 — 1 V is `ONE_V = 2^22`.
//! - migration-rate factor `m`: UQ3.14 — 1.0 is `ONE_M = 2^14`, range 0.25..4.
//! - coefficients: 18-bit signed mantissa (|mantissa| < 2^17) with its own right shift.
//!
//! Rounding is always "add half, then arithmetic shift right": `(a + 2^(s-1)) >> s`, i.e.
//! round half up (towards +inf), for positive and negative values alike.

/// Fractional bits of `x1`, `x2` (Q1.23).
pub const X_FRAC: u32 = 23;
/// 1.0 in Q1.23: the firing threshold of `x1 + x2`.
pub const ONE_X: i32 = 1 << X_FRAC;
/// Ceiling of `x1`: 1.5 in Q1.23.
pub const X1_MAX: i32 = ONE_X + (ONE_X >> 1);

/// Fractional bits of voltages (Q2.22).
pub const V_FRAC: u32 = 22;
/// 1 V in Q2.22.
pub const ONE_V: i32 = 1 << V_FRAC;
/// Largest representable voltage: 4 V − 1 LSB. Inputs are clamped to `0..=U_MAX`.
pub const U_MAX: i32 = (1 << 24) - 1;

/// Fractional bits of the migration-rate factor `m` (UQ3.14).
pub const M_FRAC: u32 = 14;
/// 1.0 in UQ3.14.
pub const ONE_M: i32 = 1 << M_FRAC;
/// Lower clip of `m` (0.25).
pub const M_MIN: i32 = ONE_M >> 2;
/// Upper clip of `m` (4.0).
pub const M_MAX: i32 = ONE_M << 2;

/// Width of every state word in bits.
pub const STATE_BITS: u32 = 25;
/// Smallest / largest value of a signed 25-bit word.
pub const SAT_MIN: i64 = -(1 << (STATE_BITS - 1));
/// Largest value of a signed 25-bit word.
pub const SAT_MAX: i64 = (1 << (STATE_BITS - 1)) - 1;

/// Coefficient mantissas are 18-bit signed: |mantissa| < 2^17.
pub const COEF_MANT_BITS: u32 = 17;

/// `(a + 2^(s-1)) >> s`: round half up. `s == 0` returns `a` unchanged. Branch-free, so
/// loops over many neurons vectorise.
#[inline(always)]
pub fn round_shift(a: i64, s: u32) -> i64 {
    (a + ((1i64 << s) >> 1)) >> s
}

/// Saturate to a signed 25-bit word.
#[inline(always)]
pub fn sat25(a: i64) -> i32 {
    a.clamp(SAT_MIN, SAT_MAX) as i32
}

/// Why `volts` is not a voltage the hardware holds (a finite number that rounds, half up,
/// to a Q2.22 word: −4 V to 4 − 2^-22 V), or `None` when it is.
pub fn volts_range_error(volts: f64) -> Option<String> {
    if volts_to_q(volts).is_some() {
        return None;
    }
    Some(format!(
        "must be a finite number from -4 V to {} V (4 - 2^-22, the range of Q2.22)",
        q_to_volts(SAT_MAX as i32)
    ))
}

/// Volts (finite) to Q2.22 with round-half-up; `None` when outside the 25-bit range.
pub fn volts_to_q(volts: f64) -> Option<i32> {
    let q = (volts * f64::from(ONE_V) + 0.5).floor();
    if q.is_finite() && (SAT_MIN as f64..=SAT_MAX as f64).contains(&q) {
        Some(q as i32)
    } else {
        None
    }
}

/// Q2.22 to volts.
pub fn q_to_volts(q: i32) -> f64 {
    f64::from(q) / f64::from(ONE_V)
}

/// Q1.23 to a real number.
pub fn qx_to_f64(q: i32) -> f64 {
    f64::from(q) / f64::from(ONE_X)
}

/// A real number to Q1.23 with round-half-up (saturated to 25 bits).
pub fn f64_to_qx(x: f64) -> i32 {
    sat25((x * f64::from(ONE_X) + 0.5).floor() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_shift_rounds_half_up_for_both_signs() {
        assert_eq!(round_shift(5, 1), 3); // 2.5 -> 3
        assert_eq!(round_shift(-5, 1), -2); // -2.5 -> -2
        assert_eq!(round_shift(7, 2), 2); // 1.75 -> 2
        assert_eq!(round_shift(-7, 2), -2); // -1.75 -> -2
        assert_eq!(round_shift(42, 0), 42);
    }

    #[test]
    fn volts_round_trip_and_range() {
        assert_eq!(volts_to_q(1.0), Some(ONE_V));
        // The bounds as the hardware holds them, the same on both sides.
        assert_eq!(volts_to_q(-4.0), Some(SAT_MIN as i32));
        assert_eq!(volts_to_q(q_to_volts(SAT_MAX as i32)), Some(SAT_MAX as i32));
        assert!(volts_range_error(3.999_999_7).is_none() && volts_range_error(-3.999_999_9).is_none());
        assert!(volts_range_error(3.999_999_9).is_some() && volts_range_error(-4.000_001).is_some());
        assert!(volts_range_error(f64::NAN).is_some());
        assert_eq!(volts_to_q(4.0), None);
        assert_eq!(volts_to_q(f64::NAN), None);
        let back = q_to_volts(volts_to_q(0.8).unwrap_or(0));
        assert!((back - 0.8).abs() <= 0.5 / f64::from(ONE_V));
    }
}
