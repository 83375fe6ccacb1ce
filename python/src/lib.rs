//! `memfire._memfire`: the Python face of memfire-host. No logic of its own: networks are
//! built into the spec crate's `Network`, every run goes through an `Engine` (the model,
//! the simulated FPGA, a board), and results come back as NumPy arrays. The friendly layer
//! (dense stimulus arrays, progress bars, plots, NIR) is `python/memfire/*.py`.

mod convert;
mod device;
mod network;

use pyo3::prelude::*;

pyo3::create_exception!(
    memfire,
    MemfireError,
    pyo3::exceptions::PyException,
    "An error reported by memfire (the message says what and where)."
);

/// Turn any memfire error into a `MemfireError` with its whole cause chain.
pub(crate) fn to_py(e: impl std::error::Error) -> PyErr {
    let mut msg = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !msg.contains(&text) {
            msg.push_str(": ");
            msg.push_str(&text);
        }
        source = s.source();
    }
    MemfireError::new_err(msg)
}

#[pymodule]
fn _memfire(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("MemfireError", m.py().get_type::<MemfireError>())?;
    m.add_class::<network::PyNetwork>()?;
    m.add_class::<device::PyDevice>()?;
    m.add_function(wrap_pyfunction!(device::open, m)?)?;
    m.add_function(wrap_pyfunction!(device::characterize, m)?)?;
    m.add_function(wrap_pyfunction!(network::parameter_names, m)?)?;
    m.add_function(wrap_pyfunction!(network::default_parameters, m)?)?;
    m.add("PROTOCOLS", memfire_spec::protocols::PROTOCOLS.map(|p| p.0).to_vec())?;
    Ok(())
}
