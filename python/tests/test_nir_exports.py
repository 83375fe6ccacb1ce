"""Graphs written by the real exporters (python/examples/nir/export.py: snnTorch, Norse,
Sinabs, Rockpool)
import and run end to end, with the same spikes on the model and the simulated FPGA."""

import os
from pathlib import Path
import random

import numpy as np
import pytest

import memfire

pytest.importorskip("nir")

EXPORTS = Path(__file__).resolve().parent.parent / "examples" / "nir"
STEPS = 6000

#: file -> (populations and sizes, recurrent synapses)
EXPECTED = {
    "snntorch_leaky.nir": ({"1": 16, "3": 4}, 0),
    "snntorch_synaptic.nir": ({"1": 16, "3": 4}, 0),
    "snntorch_rleaky.nir": ({"1.lif": 16, "3": 4}, 16 * 16),
    "snntorch_rsynaptic.nir": ({"1.lif": 16, "3": 4}, 16 * 16),
    "snntorch_flatten.nir": ({"2": 8}, 0),
    "norse_lif.nir": ({"1": 16, "3": 4}, 0),
    "snntorch_digits.nir": ({"1": 32, "3": 10}, 0),
    "sinabs_iaf.nir": ({"1": 16, "3": 4}, 0),
    "rockpool_lif.nir": ({"1_LIFTorch": 16, "3_LIFTorch": 4}, 0),
}


def run_both(net, stimulus):
    runs = []
    for backend in ("model", "sim"):
        dev = memfire.open(backend)
        dev.load(net)
        runs.append(dev.run(STEPS, stimulus=stimulus))
    return runs


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_exported_graph_imports_and_runs_the_same_on_model_and_simulated_fpga(name):
    seed = int(os.environ.get("MEMFIRE_SEED", random.randrange(1 << 16)))
    rng = np.random.default_rng(seed)
    # Untrained exports have small weights: a larger weight_scale makes them fire in 60 ms.
    m = memfire.from_nir(EXPORTS / name, weight_scale=2.0)
    sizes, recurrent = EXPECTED[name]
    assert {k: v[1] for k, v in m.populations.items()} == sizes
    (input_size, projections), = m.inputs.values()
    feedforward = sum(np.count_nonzero(p.volts) for p in projections)
    assert feedforward > 0
    hidden_to_out = m.network.synapse_count - recurrent
    assert hidden_to_out >= 0
    # Value inputs held as levels, then spike inputs as pulses.
    levels = np.repeat(rng.uniform(0.5, 3.0, (1, input_size)), STEPS, axis=0)
    spikes = rng.random((STEPS, input_size)) < 0.05
    for data in (levels, spikes):
        stimulus = np.clip(m.stimulus(STEPS, {"input": data}), -3.99, 3.99)
        model, sim = run_both(m.network, stimulus)
        assert len(model["step"]) > 0, f"seed {seed}: {name} does not fire"
        same = np.array_equal(model["step"], sim["step"]) and np.array_equal(model["neuron"], sim["neuron"])
        assert same, f"seed {seed}: {name} differs between model and simulated FPGA (MEMFIRE_SEED={seed})"


def test_spike_inputs_become_pulses_of_the_target_synapses_width():
    m = memfire.from_nir(EXPORTS / "snntorch_leaky.nir", pulse_width=50)
    size, (projection,) = m.inputs["input"]
    spikes = np.zeros((200, size), dtype=bool)
    spikes[10, 3] = True
    drive = m.stimulus(200, {"input": spikes}) - m.dc
    target = projection.targets
    np.testing.assert_allclose(drive[10:60, target], np.tile(projection.volts[:, 3], (50, 1)))
    assert not drive[:10].any() and not drive[60:].any()


def test_input_data_of_the_wrong_shape_or_name_is_refused():
    m = memfire.from_nir(EXPORTS / "snntorch_leaky.nir")
    with pytest.raises(memfire.MemfireError, match=r"input 'input': an array of shape \(100, 7\), not \[100, 8\] or \[8\]"):
        m.stimulus(100, {"input": np.zeros((100, 7))})
    with pytest.raises(memfire.MemfireError, match="no Input node or population named 'x'"):
        m.stimulus(100, {"x": np.zeros(8)})
    with pytest.raises(memfire.MemfireError, match="no NIR file at"):
        memfire.from_nir(EXPORTS / "missing.nir")


def test_nested_subgraphs_are_expanded_and_flatten_passes_through():
    nir = pytest.importorskip("nir")
    rng = np.random.default_rng(3)
    scalar = dict(tau=np.array(0.02), r=np.array(1.0), v_leak=np.array(0.0), v_threshold=np.array(1.0))
    recurrent = nir.NIRGraph(
        nodes={
            "input": nir.Input(input_type={"input": np.array([5])}),
            "lif": nir.LIF(tau=np.full(5, 0.02), r=np.ones(5), v_leak=np.zeros(5), v_threshold=np.ones(5)),
            "w_rec": nir.Linear(weight=rng.uniform(0, 0.5, (5, 5))),
            "output": nir.Output(output_type={"output": np.array([5])}),
        },
        edges=[("input", "lif"), ("lif", "w_rec"), ("w_rec", "lif"), ("lif", "output")],
        type_check=False,
    )
    graph = nir.NIRGraph(
        nodes={
            "input": nir.Input(input_type={"input": np.array([2, 3])}),
            "flat": nir.Flatten(input_type={"input": np.array([2, 3])}, start_dim=0, end_dim=-1),
            "fc": nir.Affine(weight=rng.uniform(0, 1, (5, 6)), bias=np.zeros(5)),
            "rnn": recurrent,
            "fc2": nir.Linear(weight=rng.uniform(0, 1, (2, 5))),
            "out_lif": nir.LIF(**scalar),
            "output": nir.Output(output_type={"output": np.array([2])}),
        },
        edges=[("input", "flat"), ("flat", "fc"), ("fc", "rnn"), ("rnn", "fc2"), ("fc2", "out_lif"), ("out_lif", "output")],
        type_check=False,
    )
    m = memfire.from_nir(graph)
    assert m.populations == {"rnn.lif": (0, 5), "out_lif": (5, 2)}
    assert m.inputs["input"][0] == 6
    assert m.network.synapse_count == 25 + 10
