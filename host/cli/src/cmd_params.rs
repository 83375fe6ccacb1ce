//! `memfire params`: the fixed-point coefficients of each parameter set and their
//! quantisation error, and how much the synapse memories' weight code moves the weights.

use crate::output::say;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use memfire_host::files::load_network;
use memfire_spec::coef_set::FixedCoeffs;
use memfire_spec::fixed::q_to_volts;
use memfire_spec::network::Network;
use memfire_spec::params::NeuronParams;
use memfire_spec::weight_code::{self, WEIGHT_CODE_BITS, WEIGHT_MAG_MAX, WEIGHT_MANTISSA_BITS, WEIGHT_REL_ERROR};

/// Arguments of `memfire params`.
#[derive(Args, Debug)]
pub struct ParamsArgs {
    /// Network whose parameter sets to report (default parameters if omitted).
    #[arg(long)]
    network: Option<PathBuf>,
}

/// `memfire params`.
pub fn run(a: &ParamsArgs) -> Result<()> {
    let net = a.network.as_ref().map(|p| load_network(p)).transpose()?;
    let sets: Vec<NeuronParams> = match &net {
        Some(net) => net.param_sets().to_vec(),
        None => vec![NeuronParams::default()],
    };
    for (i, p) in sets.iter().enumerate() {
        let c = FixedCoeffs::new(p)?;
        say!("parameter set {i}{}", if i == 0 { " ([neuron])" } else { "" });
        say!(
            "  {:<12} {:<28} {:>14} {:>9} {:>5} {:>14} {:>10}",
            "coefficient",
            "formula",
            "exact",
            "mantissa",
            "shift",
            "stored",
            "rel.error"
        );
        for l in c.quantization_report(p) {
            say!(
                "  {:<12} {:<28} {:>14.6e} {:>9} {:>5} {:>14.6e} {:>10.2e}",
                l.name,
                l.formula,
                l.exact,
                l.coef.mantissa,
                l.coef.shift,
                l.coef.value(),
                l.relative_error
            );
        }
        say!(
            "  refractory steps: {}, x2max (Q1.23): {}, noise: {}, c2c: {}\n",
            c.refractory_steps,
            c.x2max,
            c.noise_on,
            c.c2c_on
        );
    }
    report_weights(net.as_ref())
}

/// The weight code, and what it does to `net`'s weights.
fn report_weights(net: Option<&Network>) -> Result<()> {
    say!(
        "synaptic weights: a {WEIGHT_CODE_BITS}-bit code (sign, 4-bit exponent, {WEIGHT_MANTISSA_BITS}-bit mantissa) in every backend but the f64 model: \
         a weight w is stored within {:.2e}·|w| + 2^-23 V of w (the 2^-23 V: Q2.22's own rounding; below 2^-12 V the code holds every Q2.22 weight); largest {:.5} V",
        WEIGHT_REL_ERROR,
        q_to_volts(WEIGHT_MAG_MAX)
    );
    let Some(net) = net else { return Ok(()) };
    let e = weight_code::stored_error(net.synapses().iter().map(|s| s.weight));
    say!(
        "  this network's {} synapses: {} stored exactly; worst {:.3e} V (at {} V), worst relative {:.2e}, mean relative {:.2e} (relative: weights of 2^-12 V or more)",
        e.weights,
        e.exact,
        e.worst_volts,
        e.worst_at,
        e.worst_relative,
        e.mean_relative
    );
    Ok(())
}
