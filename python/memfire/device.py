"""`memfire.open` and `Device.run`: stimulus arrays in, spike arrays out, with progress."""

import sys

import numpy as np

from . import _memfire


def open(backend: str = "model", trace=None, threads: int = 1) -> "Device":
    """Open a backend: "model", "model:float", "sim" (the FPGA design under Verilator;
    `trace="run.fst"` records a waveform), "sim-pcie", "serial:<tty>" or "vfio:<pci address>"
    for a board. `threads` (the fixed-point model only) splits its neurons into blocks of at
    least 32 Ki on that many threads; the spikes are the same for any count."""
    threads = _whole(threads, "threads")
    if threads < 1:
        raise _memfire.MemfireError(f"threads must be at least 1, not {threads}")
    return Device(_memfire.open(backend, None if trace is None else str(trace), threads))


def _whole(value, what):
    """`value` as an int: an integer, or a float with no fraction (`run(1e4)`); anything
    else is an error, never truncated."""
    if isinstance(value, (bool, np.bool_)):
        raise _memfire.MemfireError(f"{what} must be a whole number, not {value!r}")
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return int(value)
    raise _memfire.MemfireError(f"{what} must be a whole number, not {value!r}")


def _whole_array(values, what):
    """An int64 array of whole numbers (integers, or floats with no fraction)."""
    arr = np.asarray(values)
    if arr.dtype.kind in "iu":
        return arr.astype(np.int64)
    if arr.dtype.kind == "f":
        bad = np.flatnonzero(~np.isfinite(arr) | (np.mod(arr, 1) != 0))
        if bad.size:
            raise _memfire.MemfireError(f"{what} must be whole numbers: entry {bad[0]} is {arr.flat[bad[0]].item()!r}")
        return arr.astype(np.int64)
    raise _memfire.MemfireError(f"{what} must be whole numbers, got an array of {arr.dtype}")


_EVENTS_HINT = "for input events pass a tuple of three arrays: stimulus=(steps, neurons, volts)"


def _dense(volts, neurons, steps):
    """A stimulus array as [rows, neurons]: a 1-D array of one volt level per neuron is one
    row (held from step 0)."""
    try:
        arr = np.asarray(volts, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise _memfire.MemfireError(f"stimulus is not an array of volts ({e}); {_EVENTS_HINT}") from None
    if arr.ndim == 1 and arr.shape[0] == neurons:
        arr = arr[np.newaxis, :]
    if arr.ndim != 2 or arr.shape[1] != neurons:
        raise _memfire.MemfireError(
            f"stimulus array has shape {arr.shape}, not [steps, {neurons}] for this network of {neurons} "
            f"neurons; {_EVENTS_HINT}"
        )
    if arr.shape[0] > steps:
        raise _memfire.MemfireError(f"stimulus has {arr.shape[0]} rows for a run of {steps} steps")
    return arr


def _events(stimulus, neurons, steps):
    """Validated events (step from now, neuron, volts): whole steps in [0, steps), whole
    neuron ids in [0, neurons); none is dropped."""
    s, n, v = stimulus
    s = np.atleast_1d(_whole_array(s, "stimulus steps"))
    n = np.atleast_1d(_whole_array(n, "stimulus neuron ids"))
    v = np.atleast_1d(np.asarray(v, dtype=np.float64))
    if not (s.shape == n.shape == v.shape) or s.ndim != 1:
        raise _memfire.MemfireError(
            f"stimulus (steps, neurons, volts) arrays must be 1-D and equally long, got {s.shape}, {n.shape}, {v.shape}"
        )
    for arr, lo, hi, what in ((s, 0, steps, "step"), (n, 0, neurons, "neuron")):
        bad = np.flatnonzero((arr < lo) | (arr >= hi))
        if bad.size:
            k = bad[0]
            where = f"a run of {steps} steps (0..{steps - 1} from now)" if what == "step" else f"a network of {neurons} neurons"
            raise _memfire.MemfireError(f"stimulus event {k}: {what} {arr[k]} is outside {where}")
    return s, n, v


def _merge_first(first, start, ev):
    """`first` events (at the run's first step) joined with `ev` (absolute steps); an event
    of `ev` for the same neuron at that step replaces the one of `first`."""
    s, n, v = first
    if ev[0] is None:
        return s + start, n, v
    keep = ~np.isin(n, ev[1][ev[0] == start])
    return (
        np.concatenate([s[keep] + start, ev[0]]),
        np.concatenate([n[keep], ev[1]]),
        np.concatenate([v[keep], ev[2]]),
    )


def _events_from_dense(volts, start):
    """Events (step, neuron, volts) where a [steps, neurons] input array changes value."""
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


def _progress_callback(progress, steps):
    """`run`'s `progress` as a callable(done, total) or None: True is a tqdm bar (a text bar
    on stderr without tqdm)."""
    if progress is True:
        try:
            from tqdm.auto import tqdm
        except ImportError:
            return _text_progress
        bar = tqdm(total=steps, unit="step")

        def update(done, total):
            bar.update(done - bar.n)
            if done >= total:
                bar.close()

        return update
    if progress is False or progress is None:
        return None
    return progress


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

    @property
    def clock_cycles(self):
        """Clock cycles the simulated FPGA has run since it was opened (`None` for the
        model and boards): cycles per step = the difference over a run / its steps."""
        return self._dev.clock_cycles

    def load(self, network) -> "Device":
        """Load a `memfire.Network` and go to step 0."""
        self._pending_inputs = None
        self._dev.load(network)
        self._neurons = network.neurons
        self._dt = network.dt
        self._net = network.copy()
        return self

    def set_param(self, name: str, value) -> None:
        """Change a neuron parameter of the loaded network (model-document name, e.g. "R_c",
        "sigma1", "t_abs"; a number for every neuron or one value per neuron) from the next
        step on. Every neuron's state, the inputs and the pulses under way are kept, and every
        backend (model, simulated FPGA, boards) gives the same spikes after it. The network
        object given to `load` is not changed."""
        net = getattr(self, "_net", None)
        if net is None:
            raise _memfire.MemfireError("no network loaded: call load(network) first")
        changed = net.copy()
        changed.set(name, value)
        self._dev.set_params(changed)
        self._net = changed

    def get_param(self, name: str):
        """A parameter of the loaded network as it is now: a number, or one value per neuron
        when they differ."""
        net = getattr(self, "_net", None)
        if net is None:
            raise _memfire.MemfireError("no network loaded: call load(network) first")
        return net.get(name)

    def get_weights(self) -> dict:
        """The loaded network's synapses as they are now (after `set_weights`): arrays
        "source", "target", "weight" (volts) and "width" (steps), in insertion order."""
        net = self._loaded()
        source, target, weight, width = net.synapse_arrays()
        return {"source": source, "target": target, "weight": weight, "width": width}

    def set_weights(self, weights) -> None:
        """Change the loaded network's synaptic weights from the next step on.

        weights: one value per synapse in `get_weights()` order, or a matrix
            [source, target] of volts (a NumPy array or scipy.sparse) from which every
            synapse j -> i takes entry [j, i] (two synapses between one pair both take it).
            Synapses cannot be added or removed this way (a weight may be 0): a nonzero
            entry with no synapse behind it is an error.

        A pulse under way switches to its synapse's new weight too (its target's input
        changes by new - old until it ends), the same on every backend; states, inputs and
        the step count stay. The network object given to `load` is not changed."""
        net = self._loaded()
        source, target, _, _ = (np.array(a) for a in net.synapse_arrays())
        new = self._weights_from(weights, source, target, net.neurons)
        changed = net.with_weights(new)
        self._dev.set_weights(changed)
        self._net = changed

    @staticmethod
    def _weights_from(weights, source, target, neurons):
        if hasattr(weights, "tocsr"):  # scipy.sparse
            matrix = weights.tocsr()
        else:
            matrix = np.asarray(weights, dtype=np.float64)
            if matrix.ndim == 1:
                if matrix.shape[0] != len(source):
                    raise _memfire.MemfireError(
                        f"{matrix.shape[0]} weights for {len(source)} synapses: give one per synapse "
                        "(in get_weights() order) or a [source, target] matrix"
                    )
                return matrix
        if matrix.ndim != 2 or matrix.shape != (neurons, neurons):
            raise _memfire.MemfireError(
                f"a weight matrix of shape {matrix.shape}, not [{neurons}, {neurons}] (source, target) for this network"
            )
        new = np.asarray(matrix[source, target], dtype=np.float64).ravel()
        rows, cols = matrix.nonzero()
        has = np.zeros((0,), dtype=np.int64) if len(source) == 0 else source * neurons + target
        stray = np.setdiff1d(np.asarray(rows, dtype=np.int64) * neurons + np.asarray(cols, dtype=np.int64), has)
        if stray.size:
            j, i = divmod(int(stray[0]), neurons)
            raise _memfire.MemfireError(
                f"weight [{j}, {i}] is {float(matrix[j, i])!r} but there is no synapse from {j} to {i} "
                f"({stray.size} such entries): set_weights changes existing synapses; add new ones to the "
                "network and load it"
            )
        return new

    def state(self) -> dict:
        """Every neuron's state now: arrays "x1", "x2", "v" (volts), "m" and "refractory"
        (steps left), one entry per neuron."""
        self._loaded()
        return self._dev.state()

    def set_input(self, neurons, volts) -> None:
        """Set the external input of `neurons` (ids) to `volts` (one value, or one per id)
        from the next step on; it holds until changed, like a stimulus event at the next
        run's first step (which a stimulus of that run at its step 0 overrides)."""
        self._loaded()
        ids = np.atleast_1d(_whole_array(neurons, "neuron ids"))
        values = np.broadcast_to(np.asarray(volts, dtype=np.float64), ids.shape)
        bad = np.flatnonzero((ids < 0) | (ids >= self._neurons))
        if bad.size:
            raise _memfire.MemfireError(f"neuron {ids[bad[0]]} is out of range: the network has {self._neurons} neurons")
        pending = getattr(self, "_pending_inputs", None) or {}
        pending.update(zip(ids.tolist(), values.tolist()))
        self._pending_inputs = pending

    def _take_pending_inputs(self):
        """Events (step 0 of the next run) of `set_input` calls not yet run, then none."""
        pending = getattr(self, "_pending_inputs", None)
        self._pending_inputs = None
        if not pending:
            return None
        ids = np.fromiter(pending.keys(), dtype=np.int64)
        return np.zeros_like(ids), ids, np.fromiter(pending.values(), dtype=np.float64)

    def _loaded(self):
        net = getattr(self, "_net", None)
        if net is None:
            raise _memfire.MemfireError("no network loaded: call load(network) first")
        return net

    def reset(self):
        self._pending_inputs = None
        self._dev.reset()

    def probe(self, neuron: int) -> dict:
        """State of one neuron now: dict with x1, x2, v, m, refractory."""
        neuron = _whole(neuron, "neuron")
        if neuron < 0:
            raise _memfire.MemfireError(f"neuron {neuron} is out of range: ids start at 0")
        return self._dev.probe(neuron)

    def run(self, steps: int, stimulus=None, probe=None, raster: bool = False, progress=None, changes=None) -> dict:
        """Run `steps` steps (the GIL is released while the backend works).

        stimulus: None (inputs stay as they are), an array [steps, neurons] of volts, or
            events `(step, neuron, volts)` with steps counted from now; an input holds until
            it changes.
        probe: neuron ids whose state to record every step (slower; states in out["probe"]).
        raster: also return out["raster"], a bool array [steps, neurons].
        progress: True for a progress bar on stderr, or a callable(done, total).
        changes: `{step: {name: value}}`, steps counted from now (1..steps-1): before that
            step the parameters change (as `set_param`) and, under the name "weights", the
            weights (as `set_weights`); the run stops there for the change and goes on, so
            every backend gives the same spikes.

        Returns a dict: "step" and "neuron" (int64 arrays, one entry per spike, sorted by
        step then neuron), "time" (each spike's step in seconds since load or reset), "dt",
        "start", "steps", and "raster"/"probe" when asked.
        """
        steps = _whole(steps, "steps")
        if steps < 0:
            raise _memfire.MemfireError(f"steps must be 0 or more, not {steps}")
        neurons = getattr(self, "_neurons", None)
        if neurons is None:
            raise _memfire.MemfireError("no network loaded: call load(network) first")
        progress = _progress_callback(progress, steps)
        if changes:
            return self._run_with_changes(steps, stimulus, probe, raster, progress, changes)
        start = self._dev.step
        ev = (None, None, None)
        if stimulus is not None:
            if isinstance(stimulus, tuple) and len(stimulus) == 3:
                s, n, v = _events(stimulus, neurons, steps)
                ev = (s + start, n, v)
            else:
                ev = _events_from_dense(_dense(stimulus, neurons, steps), start)
        pending = self._take_pending_inputs() if steps > 0 else None
        if pending is not None:
            ev = _merge_first(pending, start, ev)
        ids = None
        if probe is not None:
            ids = [int(i) for i in np.atleast_1d(_whole_array(probe, "probe neuron ids"))]
            negative = [i for i in ids if i < 0]
            if negative:
                raise _memfire.MemfireError(f"probe neuron {negative[0]} is out of range: ids start at 0")
        out = self._dev._run(steps, *ev, probe=ids, raster=bool(raster), progress=progress)
        out["dt"] = self._dt
        out["time"] = out["step"] * self._dt
        return out

    def _run_with_changes(self, steps, stimulus, probe, raster, progress, changes):
        """`run` in segments between the steps of `changes`, joined into one result."""
        at = {}
        for k, params in changes.items():
            k = _whole(k, "a step of changes")
            if not 0 < k < steps:
                raise _memfire.MemfireError(f"changes at step {k}: outside 1..{steps - 1} of a run of {steps} steps")
            if not isinstance(params, dict) or not params:
                raise _memfire.MemfireError(f"changes at step {k}: give {{parameter: value}}, not {params!r}")
            at[k] = params
        events = None
        if stimulus is not None:
            if isinstance(stimulus, tuple) and len(stimulus) == 3:
                events = _events(stimulus, self._neurons, steps)
            else:
                events = _events_from_dense(_dense(stimulus, self._neurons, steps), 0)
        bounds = [0, *sorted(at), steps]
        parts = []
        for a, b in zip(bounds, bounds[1:]):
            if a in at:
                for name, value in at[a].items():
                    if name == "weights":
                        self.set_weights(value)
                    else:
                        self.set_param(name, value)
            seg = None
            if events is not None:
                keep = (events[0] >= a) & (events[0] < b)
                if keep.any():
                    seg = (events[0][keep] - a, events[1][keep], events[2][keep])
            tick = None if progress is None else (lambda done, total, _a=a: progress(_a + done, steps))
            parts.append(self.run(b - a, stimulus=seg, probe=probe, raster=raster, progress=tick))
        out = dict(parts[0])
        for key in ("step", "neuron", "time"):
            out[key] = np.concatenate([p[key] for p in parts])
        out["steps"] = steps
        if raster:
            out["raster"] = np.concatenate([p["raster"] for p in parts])
        if "probe" in out:
            out["probe"] = {
                k: (v if k == "neurons" else np.concatenate([p["probe"][k] for p in parts]))
                for k, v in parts[0]["probe"].items()
            }
        return out

    def __repr__(self):
        return repr(self._dev)
