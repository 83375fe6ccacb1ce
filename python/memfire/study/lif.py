"""The baseline reservoir of leaky integrate-and-fire neurons: the same size, synapses,
input volts, pulse widths and readout windows as the memristor reservoir, in NumPy.

    tau_m dV/dt = u(t) + synaptic input(t) − V;   V ≥ threshold → spike, V = 0, refractory

tau_m is the memristor's filament time constant 1/(gamma1 + beta) and the refractory time its
gate's R_c·C_g (model-document defaults), so the two reservoirs differ in the neuron, not in
their time scales. All samples run at once (one row of the state matrix each), on a coarser
step than the memristor model's 10 µs; pulse widths and windows are converted to it.
"""

from dataclasses import dataclass

import numpy as np

from . import digits
from .reservoir import Activity


@dataclass(frozen=True)
class LifConfig:
    #: Membrane time constant (s): 1/(gamma1 + beta) = 1/620 s.
    tau_m: float = 1.0 / 620.0
    #: Firing threshold (V), on the same volts as the memristor's input.
    threshold: float = 1.0
    #: Refractory time (s): R_c·C_g = 250 MΩ × 10 pF.
    refractory: float = 2.5e-3
    #: Integration step (s), a multiple of the model's 10 µs.
    dt: float = 50e-6


MODEL_DT = 10e-6


def lif_activity(images, config, wires, lif=LifConfig()):
    """Features [n, bins × neurons] and counts of the LIF reservoir on every image."""
    import time

    start = time.perf_counter()
    ratio = round(lif.dt / MODEL_DT)
    row_steps = max(1, config.row_steps // ratio)
    width = max(1, config.width // ratio)
    refractory_steps = round(lif.refractory / lif.dt)
    steps = digits.ROWS * row_steps
    window = steps // config.bins
    volts = digits.row_volts(images, wires.projection, config.bias, config.gain)
    samples, n = len(images), config.neurons
    decay = np.exp(-lif.dt / lif.tau_m)
    v = np.zeros((samples, n))
    synaptic = np.zeros((samples, n))
    refractory = np.zeros((samples, n), dtype=np.int32)
    # Spikes of the last `width` steps: each one's pulse ends `width` steps after it starts.
    history = [None] * width
    features = np.zeros((samples, config.bins, n))
    spikes = events = 0
    fan_out = wires.fan_out
    for t in range(steps):
        # Pulses start one step after their source's spike and last `width` steps.
        ending = history[t % width]
        if ending is not None:
            np.subtract.at(synaptic, ending[0], wires.weights[ending[1]])
        u = volts[:, t // row_steps, :] + synaptic
        v = u + (v - u) * decay
        active = refractory == 0
        refractory[~active] -= 1
        v[~active] = 0.0
        fired = np.nonzero(active & (v >= lif.threshold))
        v[fired] = 0.0
        refractory[fired] = refractory_steps
        features[fired[0], t // window, fired[1]] += 1
        spikes += len(fired[0])
        events += int(fan_out[fired[1]].sum())
        if len(fired[0]):
            np.add.at(synaptic, fired[0], wires.weights[fired[1]])
        history[t % width] = fired if len(fired[0]) else None
    return Activity(
        features=features.reshape(samples, -1),
        spikes=spikes,
        synaptic_events=events,
        neuron_updates=samples * n * steps,
        seconds=time.perf_counter() - start,
    )
