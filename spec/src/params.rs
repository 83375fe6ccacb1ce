//! Neuron parameters in physical units, named exactly as in the model document, with
//! defaults and validation. Conversion to fixed point lives in `coef_set`.

use std::fmt;

/// Parameters of one 1M1T1R neuron (SI units). Field names follow the model document's
/// table; [`NeuronParams::set`] takes those names as strings (`"R_c"`, `"C_g"`, …).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NeuronParams {
    /// Migration rate, 1/(V·s).
    pub mu: f64,
    /// Drive-law softening, dimensionless.
    pub alpha: f64,
    /// Filament → residue rate, 1/s.
    pub beta: f64,
    /// Filament dissolution rate, 1/s.
    pub gamma1: f64,
    /// Residue dissolution rate, 1/s.
    pub gamma2: f64,
    /// Memristor ON resistance, Ω.
    pub r_on: f64,
    /// Control resistor (the "1R"), Ω.
    pub r_c: f64,
    /// Gate capacitance, F.
    pub c_g: f64,
    /// Transistor threshold, V (output current only).
    pub v_t: f64,
    /// Transistor gain, A/V² (output current only).
    pub k: f64,
    /// Residue deposit per spike, dimensionless.
    pub eta: f64,
    /// Residue ceiling, dimensionless.
    pub x2max: f64,
    /// Ionic noise strength (0 = off).
    pub sigma1: f64,
    /// Cycle-to-cycle migration-rate spread (0 = off).
    pub c2c: f64,
    /// Absolute refractory time, s.
    pub t_abs: f64,
    /// Time step, s.
    pub dt: f64,
}

impl Default for NeuronParams {
    fn default() -> Self {
        NeuronParams {
            mu: 150.0,
            alpha: 0.01,
            beta: 20.0,
            gamma1: 600.0,
            gamma2: 5.0,
            r_on: 1e6,
            r_c: 250e6,
            c_g: 10e-12,
            v_t: 0.22,
            k: 3.75e-4,
            eta: 0.03,
            x2max: 0.8,
            sigma1: 0.0,
            c2c: 0.0,
            t_abs: 0.0,
            dt: 10e-6,
        }
    }
}

/// A parameter that is out of range, unknown or not representable.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamError {
    /// `"parameter"`, or `"coefficient"` for a value derived from parameters.
    pub what: &'static str,
    /// Parameter name as written in files (`"R_c"`), or a derived coefficient with its
    /// formula (`"k_grow = 2·mu·dt"`).
    pub name: String,
    /// The offending value.
    pub value: f64,
    /// What is wrong and what is allowed.
    pub reason: String,
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} `{}` = {}: {}", self.what, self.name, self.value, self.reason)
    }
}

impl std::error::Error for ParamError {}

/// Allowed closed range of each parameter: (name, min, max, min exclusive).
/// The limits keep every derived coefficient representable in 18 bits and every state
/// inside its fixed-point format.
const RANGES: [(&str, f64, f64, bool); 16] = [
    ("mu", 0.0, 1e5, true),
    ("alpha", 1e-3, 10.0, false),
    ("beta", 0.0, 1e5, false),
    ("gamma1", 0.0, 1e5, true),
    ("gamma2", 0.0, 1e5, false),
    ("R_on", 0.0, 1e12, true),
    ("R_c", 0.0, 1e13, true),
    ("C_g", 0.0, 1e-6, true),
    ("V_T", 0.0, 4.0, false),
    ("K", 0.0, 1.0, false),
    ("eta", 0.0, 1.0, false),
    ("x2max", 0.0, 0.99, false),
    ("sigma1", 0.0, 1.0, false),
    ("c2c", 0.0, 1.0, false),
    ("t_abs", 0.0, 1.0, false),
    ("dt", 0.0, 1e-3, true),
];

impl NeuronParams {
    /// Every parameter name accepted by [`NeuronParams::set`] and in files.
    pub const NAMES: [&'static str; 16] = [
        "mu", "alpha", "beta", "gamma1", "gamma2", "R_on", "R_c", "C_g", "V_T", "K", "eta", "x2max", "sigma1", "c2c",
        "t_abs", "dt",
    ];

    /// Value of a parameter by its file name.
    pub fn get(&self, name: &str) -> Option<f64> {
        Some(match name {
            "mu" => self.mu,
            "alpha" => self.alpha,
            "beta" => self.beta,
            "gamma1" => self.gamma1,
            "gamma2" => self.gamma2,
            "R_on" => self.r_on,
            "R_c" => self.r_c,
            "C_g" => self.c_g,
            "V_T" => self.v_t,
            "K" => self.k,
            "eta" => self.eta,
            "x2max" => self.x2max,
            "sigma1" => self.sigma1,
            "c2c" => self.c2c,
            "t_abs" => self.t_abs,
            "dt" => self.dt,
            _ => return None,
        })
    }

    /// Set a parameter by its file name, checking its range.
    pub fn set(&mut self, name: &str, value: f64) -> Result<(), ParamError> {
        check_range(name, value)?;
        let slot = match name {
            "mu" => &mut self.mu,
            "alpha" => &mut self.alpha,
            "beta" => &mut self.beta,
            "gamma1" => &mut self.gamma1,
            "gamma2" => &mut self.gamma2,
            "R_on" => &mut self.r_on,
            "R_c" => &mut self.r_c,
            "C_g" => &mut self.c_g,
            "V_T" => &mut self.v_t,
            "K" => &mut self.k,
            "eta" => &mut self.eta,
            "x2max" => &mut self.x2max,
            "sigma1" => &mut self.sigma1,
            "c2c" => &mut self.c2c,
            "t_abs" => &mut self.t_abs,
            "dt" => &mut self.dt,
            _ => return Err(unknown(name, value)),
        };
        *slot = value;
        Ok(())
    }

    /// Check every parameter's range and the relations between them.
    pub fn validate(&self) -> Result<(), ParamError> {
        for name in Self::NAMES {
            let value = self.get(name).unwrap_or(f64::NAN);
            check_range(name, value)?;
        }
        let steps = self.refractory_steps_f64();
        if steps > f64::from(u16::MAX) {
            return Err(ParamError {
                what: "parameter",
                name: "t_abs".into(),
                value: self.t_abs,
                reason: format!(
                    "t_abs/dt = {steps:.0} steps does not fit the 16-bit refractory counter (max {})",
                    u16::MAX
                ),
            });
        }
        Ok(())
    }

    /// Time constant of the gate discharge, R_c·C_g (s).
    pub fn tau_c(&self) -> f64 {
        self.r_c * self.c_g
    }

    /// Number of absolute-refractory steps, `round(t_abs / dt)`.
    pub fn refractory_steps(&self) -> u16 {
        self.refractory_steps_f64().min(f64::from(u16::MAX)) as u16
    }

    fn refractory_steps_f64(&self) -> f64 {
        (self.t_abs / self.dt).round()
    }

    /// Smallest DC input that can ever fire the neuron (model doc §6, S2).
    pub fn dc_threshold(&self) -> f64 {
        let g = self.gamma1 + self.beta;
        g * (1.0 + self.alpha).powi(2) / (4.0 * self.mu * (1.0 + self.beta / self.gamma2))
    }

    /// Whether the ionic noise source is on.
    pub fn noise_on(&self) -> bool {
        self.sigma1 > 0.0
    }

    /// Whether the cycle-to-cycle variation is on.
    pub fn c2c_on(&self) -> bool {
        self.c2c > 0.0
    }
}

fn unknown(name: &str, value: f64) -> ParamError {
    ParamError {
        what: "parameter",
        name: name.into(),
        value,
        reason: format!("unknown parameter; known: {}", NeuronParams::NAMES.join(", ")),
    }
}

fn check_range(name: &str, value: f64) -> Result<(), ParamError> {
    let Some(&(_, lo, hi, lo_open)) = RANGES.iter().find(|r| r.0 == name) else {
        return Err(unknown(name, value));
    };
    if !value.is_finite() {
        return Err(ParamError {
            what: "parameter",
            name: name.into(),
            value,
            reason: "must be a finite number".into(),
        });
    }
    let below = if lo_open { value <= lo } else { value < lo };
    if below || value > hi {
        let open = if lo_open { "(" } else { "[" };
        return Err(ParamError {
            what: "parameter",
            name: name.into(),
            value,
            reason: format!("out of range; allowed {open}{lo:e}, {hi:e}]"),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_threshold_matches_the_doc() {
        let p = NeuronParams::default();
        p.validate().expect("defaults valid");
        assert!((p.dc_threshold() - 0.211).abs() < 0.001, "{}", p.dc_threshold());
        assert!((p.tau_c() - 2.5e-3).abs() < 1e-12);
    }

    #[test]
    fn set_checks_names_and_ranges() {
        let mut p = NeuronParams::default();
        p.set("R_c", 1e9).expect("in range");
        assert_eq!(p.r_c, 1e9);
        let e = p.set("R_c", -1.0).expect_err("negative");
        assert!(e.to_string().contains("R_c"));
        let e = p.set("Rc", 1.0).expect_err("unknown");
        assert!(e.reason.contains("R_c"));
        assert!(p.set("mu", f64::NAN).is_err());
        let mut q = NeuronParams {
            t_abs: 1.0,
            dt: 1e-6,
            ..NeuronParams::default()
        };
        assert!(q.validate().is_err());
        q.t_abs = 1e-3;
        q.validate().expect("100 steps fits");
        for name in NeuronParams::NAMES {
            assert!(p.get(name).is_some(), "{name}");
        }
    }
}
