//! Rust results as Python objects: spike lists as NumPy columns, rasters, probe traces.

use memfire_spec::kernel::Probe;
use numpy::ndarray::Array2;
use numpy::{IntoPyArray, PyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Spikes of a run as columns, relative step range `[start, start + steps)`.
#[derive(Debug, Default)]
pub struct Collected {
    pub steps: Vec<i64>,
    pub neurons: Vec<i64>,
}

/// Per-step states of the probed neurons, `[steps, probed]` each.
#[derive(Debug)]
pub struct Traces {
    pub x1: Array2<f64>,
    pub x2: Array2<f64>,
    pub v: Array2<f64>,
    pub m: Array2<f64>,
    pub refractory: Array2<u32>,
}

impl Traces {
    pub fn new(steps: usize, probed: usize) -> Traces {
        Traces {
            x1: Array2::zeros((steps, probed)),
            x2: Array2::zeros((steps, probed)),
            v: Array2::zeros((steps, probed)),
            m: Array2::zeros((steps, probed)),
            refractory: Array2::zeros((steps, probed)),
        }
    }

    /// Row `row` (step from the run's start), column `slot` (position in the probe list).
    pub fn set(&mut self, row: usize, slot: usize, p: &Probe) {
        self.x1[[row, slot]] = p.x1;
        self.x2[[row, slot]] = p.x2;
        self.v[[row, slot]] = p.v;
        self.m[[row, slot]] = p.m;
        self.refractory[[row, slot]] = p.refractory;
    }
}

/// The dictionary `Device.run` returns.
pub fn result_dict<'py>(
    py: Python<'py>,
    spikes: Collected,
    start: u64,
    steps: u64,
    neurons: u32,
    raster: bool,
    traces: Option<(Vec<u32>, Traces)>,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    if raster {
        let mut r = Array2::<bool>::from_elem((steps as usize, neurons as usize), false);
        for (&s, &n) in spikes.steps.iter().zip(&spikes.neurons) {
            r[[(s as u64 - start) as usize, n as usize]] = true;
        }
        d.set_item("raster", r.into_pyarray(py))?;
    }
    d.set_item("step", PyArray1::from_vec(py, spikes.steps))?;
    d.set_item("neuron", PyArray1::from_vec(py, spikes.neurons))?;
    d.set_item("start", start)?;
    d.set_item("steps", steps)?;
    if let Some((ids, t)) = traces {
        let p = PyDict::new(py);
        p.set_item("neurons", PyArray1::from_vec(py, ids))?;
        p.set_item("x1", t.x1.into_pyarray(py))?;
        p.set_item("x2", t.x2.into_pyarray(py))?;
        p.set_item("v", t.v.into_pyarray(py))?;
        p.set_item("m", t.m.into_pyarray(py))?;
        p.set_item("refractory", t.refractory.into_pyarray(py))?;
        d.set_item("probe", p)?;
    }
    Ok(d)
}
