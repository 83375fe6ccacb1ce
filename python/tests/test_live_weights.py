"""Weights changed and state read back from Python: `set_weights` (per synapse or as a
matrix, between runs and at a step within one), `get_weights`, `state`, `set_input`, the same
spikes on the model and the simulated FPGA."""

import numpy as np
import pytest
import scipy.sparse as sparse

import memfire
from test_memfire import random_network


def run_with_changes(backend, net, volts, new_w):
    dev = memfire.open(backend)
    dev.load(net)
    a = dev.run(3000, stimulus=volts)
    dev.set_weights(new_w)
    b = dev.run(2000)
    c = dev.run(3000, changes={1000: {"weights": np.zeros_like(new_w), "R_c": 5e8}})
    return [np.stack([r["step"], r["neuron"]]) for r in (a, b, c)], dev


def test_weights_change_between_and_within_runs_the_same_on_model_and_simulated_fpga():
    net, w, volts = random_network(n=24, seed=7)
    new_w = np.where(w != 0, -1.5 * w + 0.05, 0.0)
    model, dev = run_with_changes("model", net, volts, new_w)
    sim, _ = run_with_changes("sim", net, volts, new_w)
    for k, (m, s) in enumerate(zip(model, sim)):
        np.testing.assert_array_equal(m, s, err_msg=f"run {k}")
    # The changes matter: without them the second run differs.
    plain = memfire.open("model")
    plain.load(net)
    plain.run(3000, stimulus=volts)
    assert not np.array_equal(plain.run(2000)["neuron"], model[1][1])
    # get_weights shows the weights now; the network object given to load is unchanged.
    now = dev.get_weights()
    assert now["weight"].shape == (net.synapse_count,) and not now["weight"].any()
    assert net.synapse_arrays()[2].any()


def test_set_weights_takes_one_value_per_synapse_or_a_sparse_matrix():
    net, w, _ = random_network(n=10, seed=3)
    dev = memfire.open("model")
    dev.load(net)
    src, dst, weight, width = (dev.get_weights()[k] for k in ("source", "target", "weight", "width"))
    np.testing.assert_allclose(weight, w[src, dst])
    dev.set_weights(weight * 2)
    np.testing.assert_allclose(dev.get_weights()["weight"], 2 * weight)
    dev.set_weights(sparse.csr_matrix(w * 3))
    np.testing.assert_allclose(dev.get_weights()["weight"], 3 * weight)
    assert (dev.get_weights()["width"] == width).all()


def test_set_weights_refuses_what_it_cannot_do():
    net, w, _ = random_network(n=10, seed=3)
    dev = memfire.open("model")
    with pytest.raises(memfire.MemfireError, match="no network loaded"):
        dev.set_weights(w)
    dev.load(net)
    stray = w.copy()
    j, i = np.argwhere(w == 0)[0]
    stray[j, i] = 0.1
    with pytest.raises(memfire.MemfireError, match=rf"weight \[{j}, {i}\] is 0.1 but there is no synapse from {j} to {i}"):
        dev.set_weights(stray)
    with pytest.raises(memfire.MemfireError, match="3 weights for .* synapses"):
        dev.set_weights([0.1, 0.2, 0.3])
    with pytest.raises(memfire.MemfireError, match=r"shape \(10, 9\)"):
        dev.set_weights(w[:, :9])
    with pytest.raises(memfire.MemfireError, match="weight = 9 V"):
        dev.set_weights(np.where(w != 0, 9.0, 0.0))


def test_state_and_set_input_on_both_backends():
    net, _, volts = random_network(n=12, seed=4)
    states = []
    for backend in ("model", "sim"):
        dev = memfire.open(backend)
        dev.load(net)
        dev.set_input(range(12), volts[0])
        dev.run(1500)
        dev.set_input([0, 1], 0.0)
        dev.run(500, stimulus=(np.array([0]), np.array([1]), np.array([2.0])))  # overrides neuron 1
        st = dev.state()
        assert set(st) == {"x1", "x2", "v", "m", "refractory"} and st["x1"].shape == (12,)
        for i in (0, 5):
            assert dev.probe(i)["x1"] == pytest.approx(st["x1"][i])
        states.append(st)
    for key in states[0]:
        np.testing.assert_array_equal(states[0][key], states[1][key], err_msg=key)
    assert states[0]["x1"].any()
    dev = memfire.open("model")
    dev.load(net)
    with pytest.raises(memfire.MemfireError, match="neuron 12 is out of range"):
        dev.set_input([12], 1.0)
