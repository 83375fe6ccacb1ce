//! `memfire params`: the fixed-point coefficients of each parameter set and their
//! quantisation error.

use crate::output::say;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use memfire_host::files::load_network;
use memfire_spec::coef_set::FixedCoeffs;
use memfire_spec::params::NeuronParams;

/// Arguments of `memfire params`.
#[derive(Args, Debug)]
pub struct ParamsArgs {
    /// Network whose parameter sets to report (default parameters if omitted).
    #[arg(long)]
    network: Option<PathBuf>,
}

/// `memfire params`.
pub fn run(a: &ParamsArgs) -> Result<()> {
    let sets: Vec<NeuronParams> = match &a.network {
        Some(p) => load_network(p)?.param_sets().to_vec(),
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
    Ok(())
}
