//! `memfire.Device`: one `Engine` (model, simulated FPGA, board) behind a Python object.
//! Runs release the GIL and come back between chunks to report progress and honour Ctrl-C.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, TryLockError};
use std::time::Duration;

use memfire_host::characterize::run_protocol;
use memfire_host::{BackendSpec, Engine};
use memfire_spec::format_stimulus::{StimEvent, Stimulus};
use memfire_spec::params::NeuronParams;
use numpy::ndarray::Array2;
use numpy::{IntoPyArray, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::{result_dict, Collected, Traces};
use crate::network::PyNetwork;
use crate::{to_py, MemfireError};

fn open_engine(backend: &str, trace: Option<PathBuf>, threads: usize) -> PyResult<Box<dyn Engine>> {
    let spec: BackendSpec = backend.parse().map_err(to_py)?;
    let spec = spec.with_threads(threads).map_err(to_py)?;
    if trace.is_some() && spec != BackendSpec::Sim {
        return Err(MemfireError::new_err(
            "trace= records the simulated FPGA: use it with open(\"sim\")",
        ));
    }
    open_spec(&spec, trace)
}

#[cfg(feature = "sim")]
fn open_spec(spec: &BackendSpec, trace: Option<PathBuf>) -> PyResult<Box<dyn Engine>> {
    let options = memfire_sim::SimOptions {
        trace,
        ..Default::default()
    };
    memfire_sim::open_engine(spec, options).map_err(to_py)
}

/// Built without the simulated boards (the `sim` feature needs Verilator and g++).
#[cfg(not(feature = "sim"))]
fn open_spec(spec: &BackendSpec, _trace: Option<PathBuf>) -> PyResult<Box<dyn Engine>> {
    if matches!(spec, BackendSpec::Sim | BackendSpec::SimPcie) {
        return Err(MemfireError::new_err(
            "this memfire was built without the simulated FPGA (the `sim` feature, which needs \
             Verilator): install Verilator and reinstall, or open(\"model\")",
        ));
    }
    memfire_host::open(spec).map_err(to_py)
}

/// Open a backend: `"model"` (bit-exact fixed point), `"model:float"`, `"sim"` (the FPGA
/// design under Verilator; `trace="run.fst"` writes a waveform), `"vfio:0000:01:00.0"`.
/// `threads` splits the fixed-point model's neurons into blocks (the same spikes).
#[pyfunction]
#[pyo3(signature = (backend = "model", trace = None, threads = 1))]
pub fn open(backend: &str, trace: Option<PathBuf>, threads: usize) -> PyResult<PyDevice> {
    if threads == 0 {
        return Err(MemfireError::new_err("threads must be at least 1"));
    }
    Ok(PyDevice {
        state: Mutex::new(State {
            engine: open_engine(backend, trace, threads)?,
            neurons: None,
        }),
    })
}

/// The engine and the size of the network loaded on it.
struct State {
    engine: Box<dyn Engine>,
    neurons: Option<u32>,
}

impl State {
    fn neurons(&self) -> PyResult<u32> {
        self.neurons
            .ok_or_else(|| MemfireError::new_err("no network loaded: call load(network) first"))
    }
}

/// A backend with (after `load`) a network on it. Python threads may share it: a call
/// waits (with the GIL released) while another thread's call uses the device.
#[pyclass(name = "Device", module = "memfire")]
pub struct PyDevice {
    state: Mutex<State>,
}

impl std::fmt::Debug for PyDevice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PyDevice").finish_non_exhaustive()
    }
}

impl PyDevice {
    /// The device, once no other thread is using it. The wait releases the GIL (the
    /// other thread's run needs it for its progress callback) and honours Ctrl-C.
    fn lock(&self, py: Python<'_>) -> PyResult<MutexGuard<'_, State>> {
        loop {
            match self.state.try_lock() {
                Ok(guard) => return Ok(guard),
                Err(TryLockError::WouldBlock) => {
                    py.detach(|| std::thread::sleep(Duration::from_millis(1)));
                    py.check_signals()?;
                }
                Err(TryLockError::Poisoned(_)) => {
                    return Err(MemfireError::new_err(
                        "an earlier call panicked while using this device; open it again",
                    ))
                }
            }
        }
    }
}

/// Bytes of memory available now (Linux `MemAvailable`), if known.
fn memory_available() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Refuse a run whose result arrays would not fit in memory, before allocating them.
fn check_result_memory(steps: u64, neurons: u32, probed: usize, raster: bool) -> PyResult<()> {
    // Five f64/u32 arrays of [steps, probed] (8 bytes a cell at most), a bool raster.
    let probe_bytes = u128::from(steps) * probed as u128 * 5 * 8;
    let raster_bytes = if raster {
        u128::from(steps) * u128::from(neurons)
    } else {
        0
    };
    let need = probe_bytes + raster_bytes;
    let have = memory_available().map_or(u128::from(u64::MAX), u128::from);
    if need > have {
        let gb = |b: u128| b as f64 / 1e9;
        return Err(MemfireError::new_err(format!(
            "a run of {steps} steps would need {:.1} GB for its result arrays (probes of {probed} neurons: \
             {:.1} GB, raster: {:.1} GB), more than the {:.1} GB of memory available: run fewer steps at a time",
            gb(need),
            gb(probe_bytes),
            gb(raster_bytes),
            gb(have)
        )));
    }
    Ok(())
}

#[pymethods]
impl PyDevice {
    /// Load a network and go to step 0.
    fn load(&self, py: Python<'_>, network: &PyNetwork) -> PyResult<()> {
        let net = network.build()?;
        let mut state = self.lock(py)?;
        state.neurons = None;
        let engine: &mut dyn Engine = state.engine.as_mut();
        py.detach(|| engine.load(&net)).map_err(to_py)?;
        state.neurons = Some(net.neurons());
        Ok(())
    }

    /// The loaded network with other parameter values: they apply from the next step, with
    /// every state, input and pulse kept (see `Engine::set_params`).
    fn set_params(&self, py: Python<'_>, network: &PyNetwork) -> PyResult<()> {
        let net = network.build()?;
        let mut state = self.lock(py)?;
        let engine: &mut dyn Engine = state.engine.as_mut();
        py.detach(|| engine.set_params(&net)).map_err(to_py)
    }

    /// The loaded network with other weights: they apply from the next step, pulses under
    /// way included (see `Engine::set_weights`).
    fn set_weights(&self, py: Python<'_>, network: &PyNetwork) -> PyResult<()> {
        let net = network.build()?;
        let mut state = self.lock(py)?;
        let engine: &mut dyn Engine = state.engine.as_mut();
        py.detach(|| engine.set_weights(&net)).map_err(to_py)
    }

    /// Every neuron's state now, as arrays: x1, x2, v (volts), m, refractory.
    fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let mut state = self.lock(py)?;
        let n = state.neurons()?;
        let engine: &mut dyn Engine = state.engine.as_mut();
        let probes = py
            .detach(|| (0..n).map(|i| engine.probe(i)).collect::<Result<Vec<_>, _>>())
            .map_err(to_py)?;
        let d = PyDict::new(py);
        d.set_item("x1", probes.iter().map(|p| p.x1).collect::<Vec<f64>>().into_pyarray(py))?;
        d.set_item("x2", probes.iter().map(|p| p.x2).collect::<Vec<f64>>().into_pyarray(py))?;
        d.set_item("v", probes.iter().map(|p| p.v).collect::<Vec<f64>>().into_pyarray(py))?;
        d.set_item("m", probes.iter().map(|p| p.m).collect::<Vec<f64>>().into_pyarray(py))?;
        d.set_item(
            "refractory",
            probes
                .iter()
                .map(|p| i64::from(p.refractory))
                .collect::<Vec<i64>>()
                .into_pyarray(py),
        )?;
        Ok(d)
    }

    /// Back to step 0 with the loaded network.
    fn reset(&self, py: Python<'_>) -> PyResult<()> {
        self.lock(py)?.engine.reset().map_err(to_py)
    }

    /// Backend name.
    #[getter]
    fn name(&self, py: Python<'_>) -> PyResult<String> {
        Ok(self.lock(py)?.engine.name())
    }

    /// Steps run since load/reset.
    #[getter]
    fn step(&self, py: Python<'_>) -> PyResult<u64> {
        Ok(self.lock(py)?.engine.step_index())
    }

    /// Clock cycles the simulated FPGA has run since it was opened; `None` for the model
    /// and boards.
    #[getter]
    fn clock_cycles(&self, py: Python<'_>) -> PyResult<Option<u64>> {
        Ok(self.lock(py)?.engine.clock_cycles())
    }

    /// State of one neuron now: dict of x1, x2, v (volts), m, refractory.
    fn probe<'py>(&self, py: Python<'py>, neuron: u32) -> PyResult<Bound<'py, PyDict>> {
        let p = self.lock(py)?.engine.probe(neuron).map_err(to_py)?;
        let d = PyDict::new(py);
        d.set_item("x1", p.x1)?;
        d.set_item("x2", p.x2)?;
        d.set_item("v", p.v)?;
        d.set_item("m", p.m)?;
        d.set_item("refractory", p.refractory)?;
        Ok(d)
    }

    /// Run `steps` steps. Input events (`ev_step` absolute, from reset) set a neuron's input
    /// from that step on. Returns a dict of NumPy arrays (see `memfire.Device.run`).
    #[pyo3(signature = (steps, ev_step=None, ev_neuron=None, ev_volts=None, probe=None, raster=false, progress=None))]
    #[allow(clippy::too_many_arguments)]
    fn _run<'py>(
        &self,
        py: Python<'py>,
        steps: u64,
        ev_step: Option<PyReadonlyArray1<'py, i64>>,
        ev_neuron: Option<PyReadonlyArray1<'py, i64>>,
        ev_volts: Option<PyReadonlyArray1<'py, f64>>,
        probe: Option<Vec<u32>>,
        raster: bool,
        progress: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let mut state = self.lock(py)?;
        let n = state.neurons()?;
        let stimulus = stimulus_of(n, ev_step, ev_neuron, ev_volts)?;
        check_result_memory(steps, n, probe.as_ref().map_or(0, Vec::len), raster)?;
        let engine = &mut state.engine;
        let start = engine.step_index();
        if let Some(ids) = &probe {
            if let Some(&bad) = ids.iter().find(|&&i| i >= n) {
                return Err(MemfireError::new_err(format!(
                    "probe neuron {bad} is out of range: the network has {n} neurons"
                )));
            }
        }
        let mut spikes = Collected::default();
        let mut traces = probe.as_ref().map(|ids| Traces::new(steps as usize, ids.len()));
        // Chunks keep Ctrl-C and the progress callback alive; a board with probe records
        // streams the probed states while it runs, others stop after each step for them.
        let chunk = (steps / 100).max(1000);
        let mut done = 0u64;
        while done < steps {
            let k = chunk.min(steps - done);
            let stim = &stimulus;
            let e: &mut dyn Engine = engine.as_mut();
            let (ids, t) = (probe.as_deref(), traces.as_mut());
            let collected = py
                .detach(|| {
                    let mut c = Collected::default();
                    let mut on_spikes = |step: u64, neurons: &[u32]| {
                        for &i in neurons {
                            c.steps.push(step as i64);
                            c.neurons.push(i64::from(i));
                        }
                    };
                    match (ids, t) {
                        (Some(ids), Some(t)) => e.run_probed(stim, k, ids, &mut on_spikes, &mut |step, slot, p| {
                            t.set((step - start) as usize, slot, p)
                        }),
                        _ => e.run(stim, k, &mut on_spikes),
                    }
                    .map(|_| c)
                })
                .map_err(to_py)?;
            spikes.steps.extend(collected.steps);
            spikes.neurons.extend(collected.neurons);
            done += k;
            py.check_signals()?;
            if let Some(cb) = &progress {
                cb.call1((done, steps))?;
            }
        }
        result_dict(py, spikes, start, steps, n, raster, probe.zip(traces))
    }

    fn __repr__(&self) -> String {
        match self.state.try_lock() {
            Ok(s) => format!("memfire.Device({:?}, step={})", s.engine.name(), s.engine.step_index()),
            Err(TryLockError::WouldBlock) => "memfire.Device(<running in another thread>)".into(),
            Err(TryLockError::Poisoned(_)) => "memfire.Device(<poisoned>)".into(),
        }
    }
}

fn stimulus_of(
    neurons: u32,
    step: Option<PyReadonlyArray1<'_, i64>>,
    neuron: Option<PyReadonlyArray1<'_, i64>>,
    volts: Option<PyReadonlyArray1<'_, f64>>,
) -> PyResult<Stimulus> {
    let (Some(step), Some(neuron), Some(volts)) = (step, neuron, volts) else {
        return Ok(Stimulus::default());
    };
    let (s, n, v) = (step.as_array(), neuron.as_array(), volts.as_array());
    if s.len() != n.len() || s.len() != v.len() {
        return Err(MemfireError::new_err("stimulus event arrays differ in length"));
    }
    let mut events = Vec::with_capacity(s.len());
    for k in 0..s.len() {
        let (Ok(step), Ok(neuron)) = (u64::try_from(s[k]), u32::try_from(n[k])) else {
            return Err(MemfireError::new_err(format!(
                "stimulus event {k}: step {} / neuron {} is negative",
                s[k], n[k]
            )));
        };
        events.push(StimEvent {
            step,
            neuron,
            volts: v[k],
        });
    }
    Stimulus::new(events, neurons).map_err(|e| MemfireError::new_err(format!("stimulus: {e}")))
}

/// Run one of the paper's protocols on a single neuron (`memfire.PROTOCOLS`); returns the
/// table as a dict: name, title, columns, labels and `data` [rows, columns] (NaN = no spike).
#[pyfunction]
#[pyo3(signature = (protocol, backend = "model", trials = 200, **params))]
pub fn characterize<'py>(
    py: Python<'py>,
    protocol: &str,
    backend: &str,
    trials: u32,
    params: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let mut p = NeuronParams::default();
    if let Some(params) = params {
        for (k, v) in params.iter() {
            let name: String = k.extract()?;
            p.set(&name, v.extract()?).map_err(to_py)?;
        }
    }
    p.validate().map_err(to_py)?;
    let mut engine = open_engine(backend, None, 1)?;
    let table = py
        .detach(|| run_protocol(protocol, &p, trials, engine.as_mut(), &mut |_, _| {}, &|| false))
        .map_err(to_py)?;
    let d = PyDict::new(py);
    d.set_item("name", table.name)?;
    d.set_item("title", &table.title)?;
    d.set_item("columns", &table.columns)?;
    d.set_item("labels", (&table.labels.0, &table.labels.1))?;
    let rows = table.rows.len();
    let cols = table.columns.len();
    let flat: Vec<f64> = table.rows.into_iter().flatten().collect();
    let data = Array2::from_shape_vec((rows, cols), flat).map_err(|e| MemfireError::new_err(e.to_string()))?;
    d.set_item("data", data.into_pyarray(py))?;
    Ok(d)
}
