//! The paper's measurement protocols on a single neuron (model document §6 and Fig. 2–4):
//! each builds networks and stimuli, runs them through any backend (a `Runner`), and
//! returns a table of results.

use crate::format_spikes::Spike;
use crate::format_stimulus::{StimEvent, Stimulus};
use crate::network::{Network, NetworkError};
use crate::params::NeuronParams;

/// Runs `steps` steps of a network under a stimulus and returns its spikes.
pub type Runner<'a, E> = dyn FnMut(&Network, &Stimulus, u64) -> Result<Vec<Spike>, E> + 'a;

/// Result of one protocol: named columns of numbers (NaN = no spike) and how to plot them.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Protocol name, also the file stem of its outputs.
    pub name: &'static str,
    /// Plot title.
    pub title: String,
    /// Column names; column 0 is the x axis, the others are series.
    pub columns: Vec<String>,
    /// Rows of values.
    pub rows: Vec<Vec<f64>>,
    /// Axis labels (x, y).
    pub labels: (String, String),
}

/// Every protocol, by name, with a one-line description.
pub const PROTOCOLS: [(&str, &str); 6] = [
    (
        "dc-latency",
        "time to first spike against DC input amplitude (threshold firing)",
    ),
    (
        "leaky-integration",
        "pulses needed to fire against the gap between 0.9 V, 1 ms pulses",
    ),
    (
        "paired-pulse",
        "second-stimulus latency against the interval after a first spike (intrinsic plasticity)",
    ),
    (
        "isi-vs-rc",
        "inter-spike interval under 1 V DC against the control resistor R_c",
    ),
    (
        "refractory",
        "latency to a probe pulse against its delay after a spike (refractory period)",
    ),
    (
        "probability",
        "firing probability of a 20 ms pulse against amplitude, noise on (stochasticity)",
    ),
];

/// Steps in `ms` milliseconds at time step `dt`.
pub fn steps_of(ms: f64, dt: f64) -> u64 {
    (ms * 1e-3 / dt).round() as u64
}

fn ms_of(steps: f64, dt: f64) -> f64 {
    steps * dt * 1e3
}

/// A single-neuron network (or `trials` uncoupled copies, each with its own random stream).
pub fn single(params: NeuronParams, trials: u32, seed: u64) -> Result<Network, NetworkError> {
    Network::new(trials, seed, params)
}

/// A piecewise-constant input for all `n` neurons: `(start step, volts)` segments; of
/// segments that start at the same step, the last one holds.
pub fn waveform(segments: &[(u64, f64)], n: u32) -> Result<Stimulus, NetworkError> {
    let mut merged: Vec<(u64, f64)> = Vec::with_capacity(segments.len());
    for &(step, volts) in segments {
        match merged.iter_mut().find(|s| s.0 == step) {
            Some(s) => s.1 = volts,
            None => merged.push((step, volts)),
        }
    }
    let events = merged
        .iter()
        .flat_map(|&(step, volts)| (0..n).map(move |neuron| StimEvent { step, neuron, volts }))
        .collect();
    Stimulus::new(events, n).map_err(NetworkError::Invalid)
}

fn first_spike(spikes: &[Spike], neuron: u32, from: u64) -> Option<u64> {
    spikes
        .iter()
        .find(|s| s.neuron == neuron && s.step >= from)
        .map(|s| s.step)
}

/// Time to first spike under DC inputs (R1, S2).
pub fn dc_latency<E: From<NetworkError>>(
    p: &NeuronParams,
    amplitudes: &[f64],
    run: &mut Runner<'_, E>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Table, E> {
    let max = steps_of(500.0, p.dt);
    let net = single(*p, 1, 0)?;
    let mut rows = Vec::new();
    for (i, &u) in amplitudes.iter().enumerate() {
        let spikes = run(&net, &waveform(&[(0, u)], 1)?, max)?;
        let latency = first_spike(&spikes, 0, 0).map_or(f64::NAN, |s| ms_of(s as f64 + 1.0, p.dt));
        let count = spikes.len() as f64;
        rows.push(vec![u, latency, count / (max as f64 * p.dt)]);
        progress(i + 1, amplitudes.len());
    }
    Ok(Table {
        name: "dc-latency",
        title: "Threshold firing: time to first spike under DC input".into(),
        columns: vec!["volts".into(), "latency_ms".into(), "rate_hz".into()],
        rows,
        labels: ("DC input (V)".into(), "time to first spike (ms)".into()),
    })
}

/// Pulse train: `pulse_ms` on at `volts`, `gap_ms` off, repeated `count` times.
pub fn pulse_train(volts: f64, pulse_ms: f64, gap_ms: f64, count: u32, dt: f64) -> (Vec<(u64, f64)>, u64) {
    let (on, off) = (steps_of(pulse_ms, dt), steps_of(gap_ms, dt));
    let mut segs = Vec::new();
    for k in 0..u64::from(count) {
        segs.push((k * (on + off), volts));
        segs.push((k * (on + off) + on, 0.0));
    }
    (segs, on + off)
}

/// Leaky integration (R3): the pulse (1-based) on which the neuron first fires, against
/// the gap between 0.9 V, 1 ms pulses; NaN if it never fires within 200 pulses.
pub fn leaky_integration<E: From<NetworkError>>(
    p: &NeuronParams,
    gaps_ms: &[f64],
    run: &mut Runner<'_, E>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Table, E> {
    let net = single(*p, 1, 0)?;
    let mut rows = Vec::new();
    for (i, &gap) in gaps_ms.iter().enumerate() {
        let (segs, period) = pulse_train(0.9, 1.0, gap, 200, p.dt);
        let spikes = run(&net, &waveform(&segs, 1)?, period * 200)?;
        let pulse = first_spike(&spikes, 0, 0).map_or(f64::NAN, |s| (s / period + 1) as f64);
        rows.push(vec![gap, pulse]);
        progress(i + 1, gaps_ms.len());
    }
    Ok(Table {
        name: "leaky-integration",
        title: "Leaky integration: 0.9 V, 1 ms pulses needed to fire".into(),
        columns: vec!["gap_ms".into(), "pulses_to_fire".into()],
        rows,
        labels: ("gap between pulses (ms)".into(), "pulses to first spike".into()),
    })
}

/// The experiment behind `paired-pulse` and `refractory`: 1 V until the first spike, input
/// off for each `gap`, then 1 V again. Returns `(gap, first latency, second latency)` in ms
/// (NaN when the second stimulus does not fire within 200 ms); empty if the first never fires.
fn second_stimulus<E: From<NetworkError>>(
    p: &NeuronParams,
    gaps_ms: &[f64],
    run: &mut Runner<'_, E>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<(f64, f64, f64)>, E> {
    let net = single(*p, 1, 0)?;
    let max = steps_of(200.0, p.dt);
    let first = run(&net, &waveform(&[(0, 1.0)], 1)?, max)?;
    let Some(t1) = first_spike(&first, 0, 0) else {
        return Ok(Vec::new());
    };
    let latency1 = ms_of(t1 as f64 + 1.0, p.dt);
    let mut out = Vec::with_capacity(gaps_ms.len());
    for (i, &gap) in gaps_ms.iter().enumerate() {
        let off = t1 + 1;
        let on = off + steps_of(gap, p.dt);
        let spikes = run(&net, &waveform(&[(0, 1.0), (off, 0.0), (on, 1.0)], 1)?, on + max)?;
        let latency2 = first_spike(&spikes, 0, on).map_or(f64::NAN, |s| ms_of((s - on) as f64 + 1.0, p.dt));
        out.push((gap, latency1, latency2));
        progress(i + 1, gaps_ms.len());
    }
    Ok(out)
}

/// Intrinsic plasticity: a 1 V input until the first spike, a pause of `interval`, then 1 V
/// again; the second latency against the interval (residue x2 lowers the threshold).
pub fn paired_pulse<E: From<NetworkError>>(
    p: &NeuronParams,
    intervals_ms: &[f64],
    run: &mut Runner<'_, E>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Table, E> {
    let rows = second_stimulus(p, intervals_ms, run, progress)?
        .into_iter()
        .map(|(gap, latency1, latency2)| vec![gap, latency1, latency2, latency2 / latency1])
        .collect();
    Ok(Table {
        name: "paired-pulse",
        title: "Intrinsic plasticity: latency of a second 1 V stimulus".into(),
        columns: vec![
            "interval_ms".into(),
            "first_latency_ms".into(),
            "second_latency_ms".into(),
            "ratio".into(),
        ],
        rows,
        labels: ("interval after first spike (ms)".into(), "latency (ms)".into()),
    })
}

/// Inter-spike interval under a 1 V DC input for 0.5 s against R_c.
pub fn isi_vs_rc<E: From<NetworkError>>(
    p: &NeuronParams,
    r_c: &[f64],
    run: &mut Runner<'_, E>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Table, E> {
    let steps = steps_of(500.0, p.dt);
    let mut rows = Vec::new();
    for (i, &r) in r_c.iter().enumerate() {
        let q = NeuronParams { r_c: r, ..*p };
        let spikes = run(&single(q, 1, 0)?, &waveform(&[(0, 1.0)], 1)?, steps)?;
        let isi = if spikes.len() >= 2 {
            let span = (spikes[spikes.len() - 1].step - spikes[0].step) as f64;
            ms_of(span / (spikes.len() - 1) as f64, p.dt)
        } else {
            f64::NAN
        };
        rows.push(vec![r / 1e6, isi, spikes.len() as f64]);
        progress(i + 1, r_c.len());
    }
    Ok(Table {
        name: "isi-vs-rc",
        title: "Inter-spike interval under 1 V DC against R_c".into(),
        columns: vec!["r_c_mohm".into(), "mean_isi_ms".into(), "spikes".into()],
        rows,
        labels: ("R_c (MΩ)".into(), "mean inter-spike interval (ms)".into()),
    })
}

/// Refractory period: 1 V until the first spike, input off for `delay`, then a 1 V probe;
/// the probe's latency against the delay (long while the gate is still charged).
pub fn refractory<E: From<NetworkError>>(
    p: &NeuronParams,
    delays_ms: &[f64],
    run: &mut Runner<'_, E>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Table, E> {
    let rows = second_stimulus(p, delays_ms, run, progress)?
        .into_iter()
        .map(|(delay, _, latency)| vec![delay, latency])
        .collect();
    Ok(Table {
        name: "refractory",
        title: "Refractory period: latency of a 1 V probe after a spike".into(),
        columns: vec!["delay_ms".into(), "probe_latency_ms".into()],
        rows,
        labels: ("probe delay after spike (ms)".into(), "probe latency (ms)".into()),
    })
}

/// Stochasticity: fraction of `trials` neurons (each its own random stream, sigma1 = 1e-3,
/// c2c = 0.1 unless already set) that fire during a 20 ms pulse, against amplitude.
pub fn probability<E: From<NetworkError>>(
    p: &NeuronParams,
    amplitudes: &[f64],
    trials: u32,
    run: &mut Runner<'_, E>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Table, E> {
    let noisy = NeuronParams {
        sigma1: if p.sigma1 > 0.0 { p.sigma1 } else { 1e-3 },
        c2c: if p.c2c > 0.0 { p.c2c } else { 0.1 },
        ..*p
    };
    let pulse = steps_of(20.0, p.dt);
    let mut rows = Vec::new();
    for (i, &u) in amplitudes.iter().enumerate() {
        let net = single(noisy, trials, 1000 + i as u64)?;
        let spikes = run(&net, &waveform(&[(0, u), (pulse, 0.0)], trials)?, pulse)?;
        let mut fired: Vec<u32> = spikes.iter().map(|s| s.neuron).collect();
        fired.sort_unstable();
        fired.dedup();
        rows.push(vec![u, fired.len() as f64 / f64::from(trials)]);
        progress(i + 1, amplitudes.len());
    }
    Ok(Table {
        name: "probability",
        title: format!("Stochasticity: firing probability of a 20 ms pulse ({trials} trials)"),
        columns: vec!["volts".into(), "probability".into()],
        rows,
        labels: ("pulse amplitude (V)".into(), "firing probability".into()),
    })
}

/// Default sweep of each protocol.
pub fn default_sweep(name: &str) -> Vec<f64> {
    match name {
        "dc-latency" => [
            0.2, 0.21, 0.22, 0.25, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0, 1.2, 1.5, 2.0, 2.5, 3.0,
        ]
        .to_vec(),
        "leaky-integration" => [0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.6, 2.0, 3.0, 4.0].to_vec(),
        "paired-pulse" => [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0].to_vec(),
        "isi-vs-rc" => [50e6, 100e6, 150e6, 250e6, 400e6, 600e6, 800e6, 1e9].to_vec(),
        "refractory" => [0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 7.5, 10.0, 15.0, 20.0].to_vec(),
        "probability" => (0..=16).map(|k| 0.7 + 0.05 * f64::from(k)).collect(),
        _ => Vec::new(),
    }
}
