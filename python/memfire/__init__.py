"""memfire: memristive 1M1T1R spiking neurons from Python.

    import memfire
    net = memfire.Network(32, seed=1, R_c=250e6)
    net.connect(weights, width=100)            # dense array or scipy.sparse, volts
    dev = memfire.open("sim")                  # "model", "model:float", "sim", "vfio:0000:01:00.0"
    dev.load(net)
    out = dev.run(50_000, stimulus=volts)      # volts: array [steps, neurons] or events
    out["step"], out["neuron"], out["time"]    # spikes as NumPy arrays (time in seconds)
    events = memfire.poisson([50.0] * 8, 50_000, net.dt, volts=1.5, width=20)
    out = dev.run(50_000, stimulus=events)     # spike-train inputs as voltage pulses
    memfire.save("run.npz", out)               # memfire.load("run.npz") reads it back
    table = memfire.sweep(task, {"R_c": [5e7, 2.5e8]}, seeds=5)   # on Dask: a DataFrame

Everything runs in the Rust host library (the same code as the `memfire` command); this
package only converts between NumPy and it.
"""

from . import _memfire
from ._memfire import MemfireError, PROTOCOLS, characterize, default_parameters, parameter_names
from .device import Device, open
from .inputs import merge, poisson, spike_trains
from .network import Network
from .nir_import import NirNetwork, from_nir
from .results import load, save
from .sweep import sweep

__version__ = _memfire.__version__

__all__ = [
    "Device",
    "MemfireError",
    "Network",
    "NirNetwork",
    "PROTOCOLS",
    "characterize",
    "default_parameters",
    "from_nir",
    "load",
    "merge",
    "open",
    "parameter_names",
    "poisson",
    "save",
    "spike_trains",
    "sweep",
]
