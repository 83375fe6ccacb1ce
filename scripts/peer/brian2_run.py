"""The f64 model of the model document (docs: neuron-model.md, section 4), noise off, in
Brian2's C++ standalone mode, on a network written by `memfire generate`: prints its spike
count and how fast it ran, as `name: value unit` lines. Run by scripts/bench-peer.sh.

    python brian2_run.py NETWORK_DIR STEPS BUILD_DIR

Only what the benchmark presets use: default neuron parameters, one seed, synapses in a CSV
synapse list or [[synapse]] tables, a DC stimulus (every event at step 0).
"""

import csv
import sys
import time
import tomllib
from pathlib import Path

import numpy as np

import brian2 as b2

# Default parameters (neuron-model.md, section 2).
MU, ALPHA, BETA, GAMMA1, GAMMA2 = 150.0, 0.01, 20.0, 600.0, 5.0
R_ON, R_C, C_G = 1e6, 250e6, 10e-12
ETA, X2MAX, DT = 0.03, 0.8, 10e-6
U_MAX = 4.0 - 2.0**-22


def load(folder):
    """Neurons, synapses (from, to, weight, width) and the DC input of a generated network."""
    net = tomllib.loads((folder / "network.toml").read_text())
    n = int(net["network"]["neurons"])
    if "params" in net or "group" in net:
        sys.exit("brian2_run: only networks with the default neuron parameters")
    if "synapses" in net:
        with open(folder / net["synapses"]["file"], newline="") as f:
            rows = [(int(r["from"]), int(r["to"]), float(r["weight"]), int(r["width"])) for r in csv.DictReader(f)]
    else:
        rows = [(s["from"], s["to"], s["weight"], s["width"]) for s in net.get("synapse", [])]
    ext = np.zeros(n)
    with open(folder / "stimulus.csv", newline="") as f:
        for r in csv.DictReader(f):
            if int(r["step"]) != 0:
                sys.exit("brian2_run: only DC stimuli (every event at step 0)")
            ext[int(r["neuron"])] = float(r["volts"])
    syn = np.array(rows, dtype=float).reshape(-1, 4)
    return n, syn, ext


def main():
    folder, steps, build = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    n, syn, dc = load(folder)
    b2.set_device("cpp_standalone", directory=build, build_on_run=False)
    b2.prefs.devices.cpp_standalone.openmp_threads = 0
    b2.defaultclock.dt = DT * b2.second
    # Python floats (a NumPy float's repr is not Brian2 code).
    k_dec = float(1.0 - np.exp(-(GAMMA1 + BETA) * DT))
    k_x2 = float(np.exp(-GAMMA2 * DT))
    k_v = float(np.exp(-DT / (R_C * C_G)))
    group = b2.NeuronGroup(
        n,
        """x1 : 1
           x2 : 1
           v : 1
           u : 1
           ext : 1
           isyn : 1""",
        threshold="x1 + x2 >= 1",
        reset=f"""v = u * {R_C / (R_C + R_ON)!r}
                  x1 = 0
                  x2 = x2 + {ETA!r} * ({X2MAX!r} - x2)""",
    )
    # One step of section 4 (noise off, m = 1, no absolute refractory time), before the
    # spike test; the input is clamped to the fixed-point range, as in memfire.
    group.run_regularly(
        f"""u = clip(ext + isyn, -4.0, {U_MAX!r})
            x_total = x1 + x2
            grow = {MU * DT!r} * clip(u - v, 0, 1e9) / ({ALPHA!r} + abs(1 - x_total))
            dec = x1 * {k_dec!r}
            x2 = clip(x2 * {k_x2!r} + {BETA / (GAMMA1 + BETA)!r} * dec, 0, {X2MAX!r})
            x1 = clip(x1 + grow - dec, 0, 1.5)
            v = v * {k_v!r}""",
        when="start",
    )
    group.ext = dc
    # A rectangular pulse of `width` steps from the step after the spike: added on the
    # spike, taken away `width` steps later.
    synapses = b2.Synapses(
        group, group, "w : 1", on_pre={"start": "isyn_post += w", "end": "isyn_post -= w"}
    )
    synapses.connect(i=syn[:, 0].astype(int), j=syn[:, 1].astype(int))
    synapses.w = syn[:, 2]
    synapses.end.delay = syn[:, 3] * DT * b2.second
    spikes = b2.SpikeMonitor(group, record=False)
    b2.run(steps * DT * b2.second)
    compile_start = time.perf_counter()
    b2.device.build(directory=build, run=False)
    compile_secs = time.perf_counter() - compile_start
    start = time.perf_counter()
    b2.device.run()
    secs = time.perf_counter() - start
    count = int(spikes.num_spikes)
    print(f"brian2_neuron_updates: {n * steps / secs:.3e} updates/s")
    print(f"brian2_synaptic_events: {count * len(syn) / n / secs:.3e} events/s (spikes x mean fan-out)")
    print(f"brian2_spikes: {count} spikes in {steps} steps ({count / n / (steps * DT):.1f} Hz per neuron)")
    print(f"brian2_wall: {secs:.3f} s (the compiled program; building it took {compile_secs:.0f} s)")


if __name__ == "__main__":
    main()
