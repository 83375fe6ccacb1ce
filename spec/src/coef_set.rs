//! Physical parameters → the fixed-point coefficients the datapath multiplies by, converted
//! once, with a report of each coefficient's quantisation error.

use crate::coefficient::{Coef, CoefError};
use crate::fixed::{f64_to_qx, M_FRAC};
use crate::params::{NeuronParams, ParamError};
use crate::rng::XI_STD;
use crate::tables::DriveTable;

/// Extra fractional bits kept between the two noise multiplies (see `neuron_fixed`).
pub const NOISE_EXTRA_BITS: u32 = 8;

/// Every coefficient one parameter set needs. One such set per neuron group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedCoeffs {
    /// `2·mu·dt`: Q2.22 volts → Q1.23 filament growth per unit of drive law.
    pub k_grow: Coef,
    /// `1 − exp(−(gamma1 + beta)·dt)`: filament decay per step.
    pub k_dec: Coef,
    /// `beta / (gamma1 + beta)`: share of the decay that becomes residue.
    pub k_res: Coef,
    /// `1 − exp(−gamma2·dt)`: residue decay per step.
    pub k_x2leak: Coef,
    /// `1 − exp(−dt / (R_c·C_g))`: gate discharge per step.
    pub k_vleak: Coef,
    /// `R_c / (R_c + R_on)`: gate voltage divider at a spike.
    pub k_von: Coef,
    /// `eta`: residue deposit per spike.
    pub k_eta: Coef,
    /// `sqrt(sigma1) / XI_STD · 2^8`: ionic noise per unit of byte-sum draw.
    pub k_noise: Coef,
    /// `c2c / XI_STD · 2^14`: cycle-to-cycle spread of `m` per unit of byte-sum draw.
    pub k_c2c: Coef,
    /// `x2max` in Q1.23.
    pub x2max: i32,
    /// `round(t_abs / dt)`.
    pub refractory_steps: u16,
    /// Ionic noise on (sigma1 > 0): the neuron's random stream advances every step.
    pub noise_on: bool,
    /// Cycle-to-cycle variation on (c2c > 0): `m` is redrawn at reset and at every spike.
    pub c2c_on: bool,
    /// The drive-law table `1/(alpha + |1 − x|)`.
    pub drive: DriveTable,
}

/// One line of the quantisation report.
#[derive(Debug, Clone, PartialEq)]
pub struct QuantLine {
    /// Coefficient name.
    pub name: &'static str,
    /// The expression in physical parameters.
    pub formula: &'static str,
    /// Exact value (including any fixed scale factor).
    pub exact: f64,
    /// The coefficient as stored.
    pub coef: Coef,
    /// `|stored − exact| / |exact|` (0 when exact is 0).
    pub relative_error: f64,
}

struct Spec {
    name: &'static str,
    formula: &'static str,
    depends: &'static str,
    exact: f64,
}

fn specs(p: &NeuronParams) -> [Spec; 9] {
    let g = p.gamma1 + p.beta;
    [
        Spec {
            name: "k_grow",
            formula: "2·mu·dt",
            depends: "mu, dt",
            exact: 2.0 * p.mu * p.dt,
        },
        Spec {
            name: "k_dec",
            formula: "1-exp(-(gamma1+beta)·dt)",
            depends: "gamma1, beta, dt",
            exact: -(-g * p.dt).exp_m1(),
        },
        Spec {
            name: "k_res",
            formula: "beta/(gamma1+beta)",
            depends: "beta, gamma1",
            exact: p.beta / g,
        },
        Spec {
            name: "k_x2leak",
            formula: "1-exp(-gamma2·dt)",
            depends: "gamma2, dt",
            exact: -(-p.gamma2 * p.dt).exp_m1(),
        },
        Spec {
            name: "k_vleak",
            formula: "1-exp(-dt/(R_c·C_g))",
            depends: "R_c, C_g, dt",
            exact: -(-p.dt / p.tau_c()).exp_m1(),
        },
        Spec {
            name: "k_von",
            formula: "R_c/(R_c+R_on)",
            depends: "R_c, R_on",
            exact: p.r_c / (p.r_c + p.r_on),
        },
        Spec {
            name: "k_eta",
            formula: "eta",
            depends: "eta",
            exact: p.eta,
        },
        Spec {
            name: "k_noise",
            formula: "sqrt(sigma1)/147.8·2^8",
            depends: "sigma1",
            exact: p.sigma1.sqrt() / XI_STD * f64::from(1u32 << NOISE_EXTRA_BITS),
        },
        Spec {
            name: "k_c2c",
            formula: "c2c/147.8·2^14",
            depends: "c2c",
            exact: p.c2c / XI_STD * f64::from(1u32 << M_FRAC),
        },
    ]
}

/// The coefficient of `spec`, or an error that names the coefficient, its formula and
/// the values of the parameters it comes from (as the user wrote them, not scaled by dt).
fn quantize(spec: &Spec, p: &NeuronParams) -> Result<Coef, ParamError> {
    Coef::quantize(spec.exact).map_err(|e| {
        let inputs = spec
            .depends
            .split(", ")
            .map(|name| format!("{name} = {}", p.get(name).unwrap_or(f64::NAN)))
            .collect::<Vec<_>>()
            .join(", ");
        ParamError {
            what: "coefficient",
            name: format!("{} = {}", spec.name, spec.formula),
            value: spec.exact,
            reason: match e {
                CoefError::NotFinite => format!("not finite (from {inputs})"),
                CoefError::TooLarge => format!("too large for an 18-bit coefficient (from {inputs})"),
                CoefError::TooSmall => {
                    format!("too small to represent: it would round to 0 and the term would vanish (from {inputs})")
                }
            },
        }
    })
}

impl FixedCoeffs {
    /// Validate `p` and convert it to fixed point.
    pub fn new(p: &NeuronParams) -> Result<FixedCoeffs, ParamError> {
        p.validate()?;
        let s = specs(p);
        let q = |i: usize| quantize(&s[i], p);
        Ok(FixedCoeffs {
            k_grow: q(0)?,
            k_dec: q(1)?,
            k_res: q(2)?,
            k_x2leak: q(3)?,
            k_vleak: q(4)?,
            k_von: q(5)?,
            k_eta: q(6)?,
            k_noise: q(7)?,
            k_c2c: q(8)?,
            x2max: f64_to_qx(p.x2max),
            refractory_steps: p.refractory_steps(),
            noise_on: p.noise_on(),
            c2c_on: p.c2c_on(),
            drive: DriveTable::new(p.alpha),
        })
    }

    /// Each coefficient's exact value, stored value and relative error, plus the drive table.
    pub fn quantization_report(&self, p: &NeuronParams) -> Vec<QuantLine> {
        let stored = [
            self.k_grow,
            self.k_dec,
            self.k_res,
            self.k_x2leak,
            self.k_vleak,
            self.k_von,
            self.k_eta,
            self.k_noise,
            self.k_c2c,
        ];
        let mut lines: Vec<QuantLine> = specs(p)
            .iter()
            .zip(stored)
            .map(|(s, coef)| QuantLine {
                name: s.name,
                formula: s.formula,
                exact: s.exact,
                coef,
                relative_error: rel(coef.value(), s.exact),
            })
            .collect();
        let max_drive = f64::from(self.drive.entries.iter().copied().max().unwrap_or(0));
        lines.push(QuantLine {
            name: "drive table",
            formula: "1/(alpha+|1-x|), worst over x",
            exact: 1.0 / p.alpha,
            coef: Coef {
                mantissa: max_drive as i32,
                shift: self.drive.shift,
            },
            relative_error: self.drive.worst_relative_error(p.alpha),
        });
        lines
    }
}

fn rel(stored: f64, exact: f64) -> f64 {
    if exact == 0.0 {
        stored.abs()
    } else {
        ((stored - exact) / exact).abs()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_quantize_precisely() {
        let p = NeuronParams::default();
        let c = FixedCoeffs::new(&p).expect("defaults representable");
        for line in c.quantization_report(&p) {
            let bound = if line.name == "drive table" { 0.005 } else { 1e-3 };
            assert!(line.relative_error <= bound, "{line:?}");
        }
    }

    #[test]
    fn unrepresentable_coefficients_name_their_parameters() {
        let p = NeuronParams {
            r_c: 1e13,
            c_g: 1e-6,
            ..NeuronParams::default()
        };
        let e = FixedCoeffs::new(&p).expect_err("k_vleak vanishes");
        assert!(
            e.name.contains("k_vleak") && e.reason.contains("R_c = 10000000000000"),
            "{e}"
        );
    }
}
