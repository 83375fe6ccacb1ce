"""`memfire.open` and `Device.run`: stimulus arrays in, spike arrays out, with progress."""

import sys

import numpy as np

from . import _memfire


def open(backend="model", trace=None):
    """Open a backend: "model", "model:float", "sim" (the FPGA design under Verilator;
    `trace="run.fst"` records a waveform), or "vfio:<pci address>" for a board."""
    return Device(_memfire.open(backend, None if trace is None else str(trace)))


def _events_from_dense(volts, start):
    """Events (step, neuron, volts) where a [steps, neurons] input array changes value."""
    volts = np.asarray(volts, dtype=np.float64)
    if volts.ndim != 2:
        raise _memfire.MemfireError(f"stimulus array must be [steps, neurons], got shape {volts.shape}")
    changed = np.ones_like(volts, dtype=bool)
    changed[1:] = volts[1:] != volts[:-1]
    steps, neurons = np.nonzero(changed)
    return steps.astype(np.int64) + start, neurons.astype(np.int64), volts[steps, neurons]


def _text_progress(done, total):
    width = 40
    filled = int(width * done / max(total, 1))
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} steps")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


class Device:
    """A backend with a network loaded on it (see `memfire.open`)."""

    def __init__(self, inner):
        self._dev = inner

    @property
    def name(self):
        return self._dev.name

    @property
    def step(self):
        """Steps run since load/reset."""
        return self._dev.step

    def load(self, network):
        """Load a `memfire.Network` and go to step 0."""
        self._dev.load(network)
        self._neurons = network.neurons
        return self

    def reset(self):
        self._dev.reset()

    def probe(self, neuron):
        """State of one neuron now: dict with x1, x2, v, m, refractory."""
        return self._dev.probe(int(neuron))

    def run(self, steps, stimulus=None, probe=None, raster=False, progress=None):
        """Run `steps` steps (the GIL is released while the backend works).

        stimulus: None (inputs stay as they are), an array [steps, neurons] of volts, or
            events `(step, neuron, volts)` with steps counted from now; an input holds until
            it changes.
        probe: neuron ids whose state to record every step (slower; states in out["probe"]).
        raster: also return out["raster"], a bool array [steps, neurons].
        progress: True for a progress bar on stderr, or a callable(done, total).

        Returns a dict: "step" and "neuron" (int64 arrays, one entry per spike, sorted by
        step then neuron), "start", "steps", and "raster"/"probe" when asked.
        """
        start = self._dev.step
        ev = (None, None, None)
        if stimulus is not None:
            if isinstance(stimulus, tuple) and len(stimulus) == 3:
                s, n, v = (np.asarray(x) for x in stimulus)
                ev = (s.astype(np.int64) + start, n.astype(np.int64), v.astype(np.float64))
            else:
                arr = np.asarray(stimulus, dtype=np.float64)
                if arr.shape[0] > steps:
                    raise _memfire.MemfireError(f"stimulus has {arr.shape[0]} rows for a run of {steps} steps")
                ev = _events_from_dense(arr, start)
        if progress is True:
            try:
                from tqdm.auto import tqdm

                bar = tqdm(total=steps, unit="step")

                def progress(done, total, _bar=bar):
                    _bar.update(done - _bar.n)
                    if done >= total:
                        _bar.close()
            except ImportError:
                progress = _text_progress
        elif progress is False:
            progress = None
        ids = None if probe is None else [int(i) for i in np.atleast_1d(probe)]
        return self._dev._run(int(steps), *ev, probe=ids, raster=bool(raster), progress=progress)

    def __repr__(self):
        return repr(self._dev)
