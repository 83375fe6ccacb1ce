"""Spike-train inputs: given spike times or Poisson rates, as stimulus events for `Device.run`.

A 1M1T1R neuron is driven by a voltage on its input, so an input spike becomes a voltage
pulse: a spike at step k on neuron n sets n's external input to `volts` at step k and back
to 0 V `width` steps later. Pulses that overlap on one neuron merge into one (the input is
on while any of them is). The result is the event form of a stimulus, `(steps, neurons,
volts)` with steps counted from the run's start, so it goes straight to
`dev.run(steps, stimulus=events)` on every backend (model, simulated FPGA, boards), and
several can be joined with `merge`.

A pulse still on at the run's last step stays on into the next run (inputs hold until they
change): end the trains `width` steps before the run does to avoid it.
"""

from typing import Tuple

import numpy as np

from . import _memfire

#: A stimulus as events: (steps from the run's start, neuron ids, volts), 1-D and equally long.
Events = Tuple[np.ndarray, np.ndarray, np.ndarray]


def _check_pulse(steps, dt, volts, width):
    if not (isinstance(steps, (int, np.integer)) and steps > 0):
        raise _memfire.MemfireError(f"steps must be a whole number above 0, not {steps!r}")
    if not (np.isfinite(dt) and dt > 0):
        raise _memfire.MemfireError(f"dt must be a time step in seconds above 0, not {dt!r}")
    if not (isinstance(width, (int, np.integer)) and width >= 1):
        raise _memfire.MemfireError(f"width must be a whole number of steps, at least 1, not {width!r}")
    if not np.isfinite(volts):
        raise _memfire.MemfireError(f"volts must be a finite voltage, not {volts!r}")


def _pulses(spike_steps, steps, volts, width):
    """Events of one neuron's pulses: `spike_steps` sorted, unique, in [0, steps)."""
    if spike_steps.size == 0:
        return np.empty(0, np.int64), np.empty(0)
    ends = spike_steps + width
    # A pulse merges with the next when that one starts before it ends.
    starts_new = np.ones(spike_steps.size, dtype=bool)
    starts_new[1:] = spike_steps[1:] > np.maximum.accumulate(ends)[:-1]
    group = np.cumsum(starts_new) - 1
    on = spike_steps[starts_new]
    off = np.zeros(on.size, np.int64)
    np.maximum.at(off, group, ends)
    off = off[off < steps]
    s = np.concatenate([on, off])
    v = np.concatenate([np.full(on.size, float(volts)), np.zeros(off.size)])
    return s, v


def spike_trains(times, steps: int, dt: float, volts: float = 1.0, width: int = 1) -> Events:
    """Stimulus events for given input spike times.

    times: `{neuron: spike times in seconds}` or a sequence whose index is the neuron.
    steps: the run's length; a spike at or after its end is an error.
    dt: the network's time step in seconds (`net.dt`).
    volts, width: each spike's pulse, volts for `width` steps (see the module's text).

    A spike at time t lands on the nearest step to t / dt (halves to even); two spikes of one
    neuron on one step are one pulse. Returns (steps, neurons, volts) arrays sorted by step
    then neuron.
    """
    _check_pulse(steps, dt, volts, width)
    items = times.items() if isinstance(times, dict) else enumerate(times)
    all_s, all_n, all_v = [], [], []
    for neuron, t in items:
        if not (isinstance(neuron, (int, np.integer)) and neuron >= 0):
            raise _memfire.MemfireError(f"spike_trains: neuron {neuron!r} is not a neuron id (a whole number from 0)")
        t = np.atleast_1d(np.asarray(t, dtype=np.float64))
        if t.ndim != 1:
            raise _memfire.MemfireError(f"spike_trains: neuron {neuron}: spike times must be a 1-D array")
        bad = np.flatnonzero(~np.isfinite(t) | (t < 0))
        if bad.size:
            raise _memfire.MemfireError(f"spike_trains: neuron {neuron}: spike time {t[bad[0]]!r} is not a time from 0 s")
        k = np.unique(np.rint(t / dt).astype(np.int64))
        late = k[k >= steps]
        if late.size:
            raise _memfire.MemfireError(
                f"spike_trains: neuron {neuron}: a spike at {late[0] * dt:.6g} s (step {late[0]}) is after a run of "
                f"{steps} steps ({steps * dt:.6g} s)"
            )
        s, v = _pulses(k, steps, volts, width)
        all_s.append(s)
        all_n.append(np.full(s.size, int(neuron), np.int64))
        all_v.append(v)
    return merge(*zip(all_s, all_n, all_v)) if all_s else (np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0))


def poisson(rates, steps: int, dt: float, volts: float = 1.0, width: int = 1, seed=None) -> Events:
    """Stimulus events for Poisson spike trains.

    rates: Hz, one per input neuron (`{neuron: rate}` or a sequence whose index is the
    neuron). In each step a neuron spikes with probability rate · dt (a Bernoulli draw per
    step, as discrete-time simulators draw Poisson input), from NumPy's generator seeded
    with `seed`. Returns the events of `spike_trains` for those spikes.
    """
    _check_pulse(steps, dt, volts, width)
    items = list(rates.items() if isinstance(rates, dict) else enumerate(rates))
    rng = np.random.default_rng(seed)
    trains = {}
    for neuron, rate in items:
        rate = float(rate)
        if not (np.isfinite(rate) and 0 <= rate * dt <= 1):
            raise _memfire.MemfireError(
                f"poisson: neuron {neuron}: rate {rate!r} Hz is not between 0 and 1/dt = {1 / dt:.6g} Hz"
            )
        trains[neuron] = np.flatnonzero(rng.random(steps) < rate * dt) * dt
    return spike_trains(trains, steps, dt, volts, width)


def merge(*stimuli: Events) -> Events:
    """Join several event stimuli into one, sorted by step then neuron (a later stimulus's
    event wins when two set one neuron on one step)."""
    if not stimuli:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    s = np.concatenate([np.asarray(x[0], np.int64) for x in stimuli])
    n = np.concatenate([np.asarray(x[1], np.int64) for x in stimuli])
    v = np.concatenate([np.asarray(x[2], np.float64) for x in stimuli])
    order = np.lexsort((n, s))  # stable: equal (step, neuron) keep their order
    return s[order], n[order], v[order]
