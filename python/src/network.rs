//! `memfire.Network`: neurons with parameters (scalars, or per-neuron arrays that become
//! parameter groups), synapses from a dense or sparse weight matrix, built into the spec
//! crate's `Network` when a device loads it.

use std::collections::BTreeMap;

use memfire_spec::format_network::network_to_toml;
use memfire_spec::network::{Network, Synapse};
use memfire_spec::params::NeuronParams;
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::{to_py, MemfireError};

/// A network of 1M1T1R neurons.
///
/// `Network(neurons, seed=1, **params)`: parameters by their names in the model document
/// (`R_c`, `sigma1`, `t_abs`, …); omitted ones take the defaults.
#[pyclass(name = "Network", module = "memfire", subclass)]
#[derive(Debug, Clone)]
pub struct PyNetwork {
    neurons: u32,
    seed: u64,
    base: NeuronParams,
    per_neuron: BTreeMap<String, Vec<f64>>,
    synapses: Vec<Synapse>,
}

fn param_err(e: impl std::error::Error) -> PyErr {
    to_py(e)
}

impl PyNetwork {
    /// The spec crate's network: neurons whose per-neuron parameters are equal share a set.
    pub fn build(&self) -> PyResult<Network> {
        let mut net = Network::new(self.neurons, self.seed, self.base).map_err(to_py)?;
        if !self.per_neuron.is_empty() {
            let mut groups: BTreeMap<Vec<u64>, Vec<u32>> = BTreeMap::new();
            for i in 0..self.neurons as usize {
                let key = self.per_neuron.values().map(|v| v[i].to_bits()).collect();
                groups.entry(key).or_default().push(i as u32);
            }
            for (key, members) in groups {
                let mut p = self.base;
                for (name, bits) in self.per_neuron.keys().zip(key) {
                    p.set(name, f64::from_bits(bits)).map_err(param_err)?;
                }
                if p != self.base {
                    net.add_group(p, &members).map_err(to_py)?;
                }
            }
        }
        for s in &self.synapses {
            net.add_synapse(*s).map_err(to_py)?;
        }
        net.validate().map_err(to_py)?;
        Ok(net)
    }

    pub fn from_network(net: &Network) -> PyNetwork {
        let mut per_neuron: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        if net.param_sets().len() > 1 {
            for name in NeuronParams::NAMES {
                let values: Vec<f64> = (0..net.neurons())
                    .map(|i| net.params_of(i).get(name).unwrap_or(0.0))
                    .collect();
                if values.iter().any(|&v| v.to_bits() != values[0].to_bits()) {
                    per_neuron.insert(name.to_string(), values);
                }
            }
        }
        PyNetwork {
            neurons: net.neurons(),
            seed: net.seed(),
            base: net.param_sets()[0],
            per_neuron,
            synapses: net.synapses().to_vec(),
        }
    }

    fn check_neuron(&self, what: &str, i: i64) -> PyResult<u32> {
        u32::try_from(i).ok().filter(|&i| i < self.neurons).ok_or_else(|| {
            MemfireError::new_err(format!(
                "{what} {i} is out of range: the network has {} neurons",
                self.neurons
            ))
        })
    }
}

#[pymethods]
impl PyNetwork {
    #[new]
    #[pyo3(signature = (neurons, seed = 1, **params))]
    fn new(neurons: u32, seed: u64, params: Option<&Bound<'_, PyDict>>) -> PyResult<PyNetwork> {
        let mut net = PyNetwork {
            neurons,
            seed,
            base: NeuronParams::default(),
            per_neuron: BTreeMap::new(),
            synapses: Vec::new(),
        };
        Network::new(neurons, seed, net.base).map_err(to_py)?;
        if let Some(params) = params {
            for (k, v) in params.iter() {
                let name: String = k.extract()?;
                net.set(&name, &v)?;
            }
        }
        Ok(net)
    }

    /// Set parameter `name` for every neuron (a number) or per neuron (a sequence or array of
    /// `neurons` numbers: neurons with equal values share a parameter set, at most 16).
    fn set(&mut self, name: &str, value: &Bound<'_, PyAny>) -> PyResult<()> {
        if let Ok(x) = value.extract::<f64>() {
            self.base.set(name, x).map_err(param_err)?;
            self.base.validate().map_err(param_err)?;
            self.per_neuron.remove(name);
            return Ok(());
        }
        let values: Vec<f64> = value.extract().map_err(|_| {
            MemfireError::new_err(format!(
                "parameter {name}: give a number or a sequence of {} numbers",
                self.neurons
            ))
        })?;
        if values.len() != self.neurons as usize {
            return Err(MemfireError::new_err(format!(
                "parameter {name}: {} values for {} neurons",
                values.len(),
                self.neurons
            )));
        }
        let mut probe = self.base;
        for (i, &v) in values.iter().enumerate() {
            probe
                .set(name, v)
                .map_err(|e| MemfireError::new_err(format!("neuron {i}: {e}")))?;
            probe
                .validate()
                .map_err(|e| MemfireError::new_err(format!("neuron {i}: {e}")))?;
        }
        self.per_neuron.insert(name.to_string(), values);
        Ok(())
    }

    /// Value of parameter `name`: a number, or a list when it differs between neurons.
    fn get(&self, py: Python<'_>, name: &str) -> PyResult<Py<PyAny>> {
        if let Some(v) = self.per_neuron.get(name) {
            return Ok(v.clone().into_pyobject(py)?.into_any().unbind());
        }
        let x = self.base.get(name).ok_or_else(|| {
            MemfireError::new_err(format!(
                "unknown parameter `{name}`; known: {}",
                NeuronParams::NAMES.join(", ")
            ))
        })?;
        Ok(x.into_pyobject(py)?.into_any().unbind())
    }

    /// Add one synapse: a rectangular pulse of `weight` volts for `width` steps on `to`,
    /// starting one step after each spike of `source`.
    #[pyo3(signature = (source, to, weight, width = 100))]
    fn add_synapse(&mut self, source: i64, to: i64, weight: f64, width: u32) -> PyResult<()> {
        let from = self.check_neuron("source neuron", source)?;
        let to = self.check_neuron("target neuron", to)?;
        let s = Synapse {
            from,
            to,
            weight,
            width,
        };
        // Validate now so the error names this synapse.
        let mut probe = Network::new(self.neurons, self.seed, self.base).map_err(to_py)?;
        probe.add_synapse(s).map_err(to_py)?;
        self.synapses.push(s);
        Ok(())
    }

    /// Add the synapses of a dense weight matrix `weights[from, to]` (volts; 0 = none).
    #[pyo3(signature = (weights, width = 100))]
    fn connect_dense(&mut self, weights: PyReadonlyArray2<'_, f64>, width: u32) -> PyResult<()> {
        let w = weights.as_array();
        let n = self.neurons as usize;
        if w.shape() != [n, n] {
            return Err(MemfireError::new_err(format!(
                "weight matrix has shape {:?}, the network needs ({n}, {n}) (row = source, column = target)",
                w.shape()
            )));
        }
        let mut added = Vec::new();
        for ((from, to), &weight) in w.indexed_iter() {
            if weight != 0.0 {
                added.push(Synapse {
                    from: from as u32,
                    to: to as u32,
                    weight,
                    width,
                });
            }
        }
        self.extend_checked(added)
    }

    /// Add synapses from coordinate arrays (`scipy.sparse` COO: `row`, `col`, `data`).
    #[pyo3(signature = (sources, targets, weights, width = 100))]
    fn connect_sparse(
        &mut self,
        sources: PyReadonlyArray1<'_, i64>,
        targets: PyReadonlyArray1<'_, i64>,
        weights: PyReadonlyArray1<'_, f64>,
        width: u32,
    ) -> PyResult<()> {
        let (s, t, w) = (sources.as_array(), targets.as_array(), weights.as_array());
        if s.len() != t.len() || s.len() != w.len() {
            return Err(MemfireError::new_err(format!(
                "sources, targets and weights differ in length ({}, {}, {})",
                s.len(),
                t.len(),
                w.len()
            )));
        }
        let mut added = Vec::with_capacity(s.len());
        for k in 0..s.len() {
            let from = self.check_neuron(&format!("entry {k}: source neuron"), s[k])?;
            let to = self.check_neuron(&format!("entry {k}: target neuron"), t[k])?;
            added.push(Synapse {
                from,
                to,
                weight: w[k],
                width,
            });
        }
        self.extend_checked(added)
    }

    /// Read a network file (the TOML format of docs/file-formats.md).
    #[staticmethod]
    fn from_file(path: &str) -> PyResult<PyNetwork> {
        let net = memfire_host::files::load_network(std::path::Path::new(path)).map_err(to_py)?;
        Ok(PyNetwork::from_network(&net))
    }

    /// An independent copy (its parameters and synapses can change without this one's).
    fn copy(&self) -> PyNetwork {
        self.clone()
    }

    /// The network in the TOML file format.
    fn to_toml(&self) -> PyResult<String> {
        Ok(network_to_toml(&self.build()?))
    }

    #[getter]
    fn neurons(&self) -> u32 {
        self.neurons
    }

    #[getter]
    fn seed(&self) -> u64 {
        self.seed
    }

    /// The time step in seconds (the `dt` parameter, one for the whole network).
    #[getter]
    fn dt(&self) -> PyResult<f64> {
        Ok(self.build()?.dt())
    }

    /// Number of synapses.
    #[getter]
    fn synapse_count(&self) -> usize {
        self.synapses.len()
    }

    /// Every synapse in insertion order as four arrays: (sources, targets, weights in volts,
    /// widths in steps).
    #[allow(clippy::type_complexity)]
    fn synapse_arrays<'py>(
        &self,
        py: Python<'py>,
    ) -> (
        Bound<'py, PyArray1<i64>>,
        Bound<'py, PyArray1<i64>>,
        Bound<'py, PyArray1<f64>>,
        Bound<'py, PyArray1<i64>>,
    ) {
        let column = |f: &dyn Fn(&Synapse) -> i64| self.synapses.iter().map(f).collect::<Vec<i64>>();
        (
            column(&|s| i64::from(s.from)).into_pyarray(py),
            column(&|s| i64::from(s.to)).into_pyarray(py),
            self.synapses
                .iter()
                .map(|s| s.weight)
                .collect::<Vec<f64>>()
                .into_pyarray(py),
            column(&|s| i64::from(s.width)).into_pyarray(py),
        )
    }

    /// A copy with synapse k's weight set to `weights[k]` (volts, insertion order; one per
    /// synapse): the same synapses otherwise.
    fn with_weights(&self, weights: PyReadonlyArray1<'_, f64>) -> PyResult<PyNetwork> {
        let weights = weights.as_array();
        if weights.len() != self.synapses.len() {
            return Err(MemfireError::new_err(format!(
                "{} weights for a network of {} synapses: give one per synapse, in the order of synapse_arrays()",
                weights.len(),
                self.synapses.len()
            )));
        }
        let mut probe = Network::new(self.neurons, self.seed, self.base).map_err(to_py)?;
        for s in &self.synapses {
            probe.add_synapse(*s).map_err(to_py)?;
        }
        for (k, &w) in weights.iter().enumerate() {
            probe.set_weight(k, w).map_err(to_py)?;
        }
        probe.validate().map_err(to_py)?;
        let mut out = self.clone();
        for (s, &w) in out.synapses.iter_mut().zip(weights.iter()) {
            s.weight = w;
        }
        Ok(out)
    }

    /// Parameter set of each neuron after grouping (validates the network).
    fn parameter_sets(&self) -> PyResult<Vec<u8>> {
        Ok(self.build()?.param_set_of().to_vec())
    }

    fn __repr__(&self) -> String {
        format!(
            "memfire.Network(neurons={}, synapses={}, seed={}, per-neuron parameters: {})",
            self.neurons,
            self.synapses.len(),
            self.seed,
            if self.per_neuron.is_empty() {
                "none".to_string()
            } else {
                self.per_neuron.keys().cloned().collect::<Vec<_>>().join(", ")
            }
        )
    }
}

impl PyNetwork {
    fn extend_checked(&mut self, added: Vec<Synapse>) -> PyResult<()> {
        let mut probe = Network::new(self.neurons, self.seed, self.base).map_err(to_py)?;
        for s in self.synapses.iter().chain(&added) {
            probe.add_synapse(*s).map_err(to_py)?;
        }
        probe.validate().map_err(to_py)?;
        self.synapses.extend(added);
        Ok(())
    }
}

/// Names of the neuron parameters, as in the model document.
#[pyfunction]
pub fn parameter_names() -> Vec<&'static str> {
    NeuronParams::NAMES.to_vec()
}

/// The default value of every parameter.
#[pyfunction]
pub fn default_parameters() -> BTreeMap<&'static str, f64> {
    let p = NeuronParams::default();
    NeuronParams::NAMES
        .iter()
        .map(|&n| (n, p.get(n).unwrap_or(f64::NAN)))
        .collect()
}
