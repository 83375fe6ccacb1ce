"""The reservoir: a recurrent network of 1M1T1R neurons that sees a digit row by row, and the
features a readout gets from it (each neuron's spike count in each of `bins` time windows).

Samples are independent: a batch of samples runs as that many copies of the reservoir in one
network (block-diagonal synapses), every copy from rest, so one long run serves many samples
and a sample's spikes do not depend on the samples before it. The features of a sample do
depend on its copy (each neuron index has its own random streams), so a backend comparison
uses the same batch size on both sides.
"""

from dataclasses import asdict, dataclass, replace
import time

import numpy as np

from .. import _memfire
from . import digits


@dataclass(frozen=True)
class ReservoirConfig:
    """The reservoir, its input and its readout features; volts and steps of dt = 10 µs."""

    neurons: int = 200
    #: Probability of a synapse from one neuron to another (no self-synapses).
    connectivity: float = 0.1
    #: Fraction of excitatory neurons; the rest inhibit.
    excitatory: float = 0.8
    #: Excitatory weight scale (volts): each weight is uniform in [0.5, 1] × this.
    weight: float = 0.3
    #: An inhibitory weight is this many times an excitatory one, negative.
    inhibition: float = 2.0
    #: Pulse width of every synapse, steps.
    width: int = 50
    #: Probability that a neuron sees a given pixel column.
    input_fraction: float = 0.3
    #: Input volts = bias + gain × (weighted mean of the row's pixels in 0..1).
    bias: float = 0.3
    gain: float = 2.5
    #: Steps each of the 8 rows is shown (500 = 5 ms).
    row_steps: int = 500
    #: Readout windows over the 8 rows (a divisor of 8): 4 = a window per two rows.
    bins: int = 4
    #: Samples per run (copies of the reservoir in one network).
    batch: int = 128

    def check(self):
        if self.neurons < 1 or self.batch < 1 or self.row_steps < 1 or self.width < 1:
            raise _memfire.MemfireError(f"reservoir: neurons, batch, row_steps and width must be positive ({self})")
        if digits.ROWS % self.bins:
            raise _memfire.MemfireError(f"reservoir: bins={self.bins} must divide the {digits.ROWS} rows")
        return self

    def with_changes(self, **changes):
        unknown = set(changes) - set(asdict(self))
        if unknown:
            raise _memfire.MemfireError(f"reservoir: no setting {sorted(unknown)}; settings are {sorted(asdict(self))}")
        return replace(self, **changes).check()

    @property
    def steps(self):
        """Steps a sample takes."""
        return digits.ROWS * self.row_steps


@dataclass(frozen=True)
class Wiring:
    """A reservoir's random draw: recurrent weights [source, target] and input columns."""

    weights: np.ndarray
    projection: np.ndarray

    def scaled(self, factor):
        """This wiring with every recurrent weight times `factor`."""
        return self if factor == 1.0 else Wiring(weights=self.weights * factor, projection=self.projection)

    @property
    def fan_out(self):
        """Synapses leaving each neuron."""
        return np.count_nonzero(self.weights, axis=1)


def wiring(config, seed):
    """The reservoir's synapses and input projection drawn from `seed`."""
    rng = np.random.default_rng([seed, 0x1E5E])
    n = config.neurons
    exists = rng.random((n, n)) < config.connectivity
    np.fill_diagonal(exists, False)
    excitatory = rng.random(n) < config.excitatory
    sign = np.where(excitatory, 1.0, -config.inhibition)
    weights = exists * sign[:, None] * config.weight * rng.uniform(0.5, 1.0, (n, n))
    projection = (rng.random((n, digits.COLUMNS)) < config.input_fraction) * rng.uniform(0.5, 1.0, (n, digits.COLUMNS))
    return Wiring(weights=weights, projection=projection)


def batch_network(config, wires, params, seed):
    """A network of `config.batch` copies of the reservoir with neuron parameters `params`."""
    import scipy.sparse as sparse

    net = _network_class()(config.neurons * config.batch, seed=seed, **params)
    if np.any(wires.weights):
        block = sparse.csr_matrix(wires.weights)
        net.connect(sparse.block_diag([block] * config.batch, format="coo"), width=config.width)
    return net


def _network_class():
    from ..network import Network

    return Network


@dataclass
class Activity:
    """What a set of samples did: readout features and the operation counts."""

    features: np.ndarray
    spikes: int
    synaptic_events: int
    neuron_updates: int
    seconds: float
    #: Simulated FPGA clock cycles per step (None on the model).
    cycles_per_step: float = None
    #: Every spike as (sample, step, neuron): kept when asked, to compare backends.
    spike_list: np.ndarray = None


def memristor_activity(images, config, wires, params, seed, backend="model", keep_spikes=False):
    """Run every image through the reservoir on `backend` ("model", "sim", a board):
    features [n, bins × neurons] and counts."""
    from ..device import open as open_device

    config.check()
    n, per = config.neurons, config.batch
    volts = digits.row_volts(images, wires.projection, config.bias, config.gain)
    net = batch_network(config, wires, params, seed)
    dev = open_device(backend)
    dev.load(net)
    steps = config.steps
    window = steps // config.bins
    features = np.zeros((len(images), config.bins, n))
    spikes = events = cycles = 0
    kept = []
    start = time.perf_counter()
    for first in range(0, len(images), per):
        batch = volts[first : first + per]
        k = len(batch)
        if first:
            dev.reset()
        row, copy, neuron = np.meshgrid(np.arange(digits.ROWS), np.arange(k), np.arange(n), indexing="ij")
        stimulus = ((row * config.row_steps).ravel(), (copy * n + neuron).ravel(), batch[copy, row, neuron].ravel())
        before = dev.clock_cycles
        out = dev.run(steps, stimulus=stimulus)
        if before is not None:
            cycles += dev.clock_cycles - before
        sample, local = np.divmod(out["neuron"], n)
        np.add.at(features, (first + sample, out["step"] // window, local), 1)
        spikes += len(local)
        events += int(wires.fan_out[local].sum())
        if keep_spikes:
            kept.append(np.stack([first + sample, out["step"], local], axis=1))
    seconds = time.perf_counter() - start
    runs = -(-len(images) // per)
    return Activity(
        features=features.reshape(len(images), -1),
        spikes=spikes,
        synaptic_events=events,
        neuron_updates=runs * per * n * steps,
        seconds=seconds,
        cycles_per_step=(cycles / (runs * steps)) if dev.clock_cycles is not None else None,
        spike_list=np.concatenate(kept) if keep_spikes and kept else None,
    )
