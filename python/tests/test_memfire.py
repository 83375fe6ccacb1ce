"""The Python package as a notebook user drives it: every result is checked against the
Rust model through the same bindings, and bad input must raise MemfireError with a message
that says what and where."""

import threading

import numpy as np
import pytest
import scipy.sparse

import memfire


def random_network(n=24, seed=5, width=40):
    rng = np.random.default_rng(seed)
    w = rng.uniform(-0.02, 0.1, size=(n, n)) * (rng.random((n, n)) < 0.2)
    net = memfire.Network(n, seed=seed)
    net.set("R_c", np.where(np.arange(n) % 3 == 0, 1e9, 2.5e8))
    net.connect(w, width=width)
    volts = rng.uniform(0.6, 1.8, size=(1, n))
    return net, w, volts


@pytest.mark.parametrize("backend", ["model", "sim", "sim-pcie"])
def test_runs_return_sorted_spike_arrays(backend):
    net, _, volts = random_network()
    dev = memfire.open(backend)
    dev.load(net)
    out = dev.run(4000, stimulus=volts, raster=True)
    steps, neurons = out["step"], out["neuron"]
    assert steps.dtype == np.int64 and len(steps) == len(neurons) > 20
    assert np.all(np.diff(steps * net.neurons + neurons) > 0), "sorted by step then neuron"
    assert out["raster"].shape == (4000, net.neurons) and out["raster"].sum() == len(steps)
    assert dev.step == 4000


def test_simulated_fpga_matches_the_model_spike_for_spike():
    net, _, volts = random_network(seed=11)
    results = []
    for backend in ["model", "sim", "sim-pcie"]:
        dev = memfire.open(backend)
        dev.load(net)
        first = dev.run(1500, stimulus=volts)
        second = dev.run(1500, stimulus=np.zeros((1, net.neurons)) + 0.9)
        results.append((first["step"], first["neuron"], second["step"], second["neuron"]))
    for other in results[1:]:
        for a, b in zip(results[0], other):
            np.testing.assert_array_equal(a, b)


def test_mixed_pulse_widths_run_on_the_simulated_fpga_as_on_the_model():
    rng = np.random.default_rng(3)
    n = 40
    net = memfire.Network(n, seed=3)
    for source in range(n):
        for target in rng.integers(0, n, size=6):
            net.add_synapse(source, int(target), float(rng.uniform(-0.03, 0.1)), width=int(rng.choice([2, 9, 30, 120])))
    volts = rng.uniform(0.6, 1.6, size=(1, n))
    runs = []
    for backend in ["model", "sim", "sim-pcie"]:
        dev = memfire.open(backend)
        dev.load(net)
        runs.append(dev.run(3000, stimulus=volts))
    assert len(runs[0]["step"]) > 50
    for other in runs[1:]:
        np.testing.assert_array_equal(other["step"], runs[0]["step"])
        np.testing.assert_array_equal(other["neuron"], runs[0]["neuron"])


def test_dense_and_sparse_weights_and_event_stimulus_agree():
    net, w, volts = random_network(seed=7)
    sparse = memfire.Network(net.neurons, seed=7)
    sparse.set("R_c", np.where(np.arange(net.neurons) % 3 == 0, 1e9, 2.5e8))
    sparse.connect(scipy.sparse.csr_matrix(w), width=40)
    events = (np.zeros(net.neurons, dtype=int), np.arange(net.neurons), volts[0])
    a, b = memfire.open("model"), memfire.open("model")
    a.load(net)
    b.load(sparse)
    ra, rb = a.run(3000, stimulus=volts), b.run(3000, stimulus=events)
    np.testing.assert_array_equal(ra["step"], rb["step"])
    np.testing.assert_array_equal(ra["neuron"], rb["neuron"])


def test_probe_traces_end_at_the_probed_state():
    net, _, volts = random_network(n=6)
    dev = memfire.open("model")
    dev.load(net)
    out = dev.run(300, stimulus=volts, probe=[0, 5])
    assert out["probe"]["x1"].shape == (300, 2)
    last = dev.probe(5)
    assert out["probe"]["x1"][-1, 1] == last["x1"] and out["probe"]["v"][-1, 1] == last["v"]


def test_probe_traces_of_the_boards_equal_the_models():
    # The simulated boards stream the probed states as DMA probe records while they run
    # (two chunks of the Python loop, a repeated neuron); the model probes between steps.
    net, _, volts = random_network(n=30, seed=3)
    probe = [4, 17, 4, 29]
    traces = []
    for backend in ["model", "sim", "sim-pcie"]:
        dev = memfire.open(backend)
        dev.load(net)
        out = dev.run(2500, stimulus=volts, probe=probe)
        assert out["probe"]["v"].shape == (2500, 4)
        traces.append(out["probe"])
    assert np.ptp(traces[0]["x1"]) > 0.1 and np.ptp(traces[0]["v"]) > 0.1, "the probed states move"
    for other in traces[1:]:
        for field in ["x1", "x2", "v", "m", "refractory"]:
            np.testing.assert_array_equal(traces[0][field], other[field], err_msg=field)


def test_bad_input_raises_clear_errors():
    with pytest.raises(memfire.MemfireError, match="unknown backend `fpga`"):
        memfire.open("fpga")
    with pytest.raises(memfire.MemfireError, match="no PCI device 0000:01:00.0"):
        memfire.open("vfio:0000:01:00.0")
    net = memfire.Network(4)
    with pytest.raises(memfire.MemfireError, match="shape"):
        net.connect(np.zeros((3, 3)))
    with pytest.raises(memfire.MemfireError, match="target neuron 9 is out of range"):
        net.add_synapse(0, 9, 0.1)
    with pytest.raises(memfire.MemfireError, match="R_c"):
        net.set("R_c", -1.0)
    with pytest.raises(memfire.MemfireError, match="3 values for 4 neurons"):
        net.set("R_c", [1e9, 1e9, 1e9])
    with pytest.raises(memfire.MemfireError, match="unknown parameter"):
        net.get("R_x")
    dev = memfire.open("model")
    with pytest.raises(memfire.MemfireError, match="no network loaded"):
        dev.run(10)
    dev.load(net)
    with pytest.raises(memfire.MemfireError, match="probe neuron 4 is out of range"):
        dev.run(10, probe=[4])
    mixed = memfire.Network(18)
    for k in range(17):
        mixed.add_synapse(k, k + 1, 0.1, width=k + 1)
    sim = memfire.open("sim")
    with pytest.raises(memfire.MemfireError, match="17 distinct pulse widths .* at most 16"):
        sim.load(mixed)


def test_long_runs_release_the_gil_and_report_progress():
    net, _, volts = random_network(n=48)
    dev = memfire.open("sim")
    dev.load(net)
    seen, ticks = [], [0]
    done = threading.Event()

    def count():
        while not done.is_set():
            ticks[0] += 1

    t = threading.Thread(target=count)
    t.start()
    dev.run(20000, stimulus=volts, progress=lambda d, total: seen.append(d))
    done.set()
    t.join()
    assert seen[-1] == 20000 and len(seen) >= 2
    assert ticks[0] > 1000, "another Python thread ran while the simulation worked"


def test_inputs_are_never_misread():
    net, _, volts = random_network(n=4)
    dev = memfire.open("model")
    dev.load(net)
    cases = [
        # A list of event tuples is not a [steps, neurons] array.
        (dict(steps=10, stimulus=[(0, 0, 1.5)]), r"shape \(1, 3\), not \[steps, 4\].*stimulus=\(steps, neurons, volts\)"),
        (dict(steps=10, stimulus=np.ones((5, 3))), r"shape \(5, 3\), not \[steps, 4\]"),
        (dict(steps=1.5), r"steps must be a whole number, not 1.5"),
        (dict(steps=-3), r"steps must be 0 or more"),
        (dict(steps=10, probe=[1.9]), r"probe neuron ids must be whole numbers: entry 0 is 1.9"),
        (dict(steps=10, probe=[-1]), r"probe neuron -1 is out of range"),
        (dict(steps=10, stimulus=([0], [1.9], [1.0])), r"stimulus neuron ids must be whole numbers"),
        (dict(steps=10, stimulus=([10], [1], [1.0])), r"event 0: step 10 is outside a run of 10 steps"),
        (dict(steps=10, stimulus=([-1], [1], [1.0])), r"event 0: step -1 is outside"),
        (dict(steps=10, stimulus=([0, 2], [1, 4], [1.0, 1.0])), r"event 1: neuron 4 is outside a network of 4"),
        (dict(steps=2**40, probe=[0]), r"would need .* GB for its result arrays .* run fewer steps"),
    ]
    for kwargs, message in cases:
        with pytest.raises(memfire.MemfireError, match=message):
            dev.run(**kwargs)
    assert dev.step == 0, "a refused run runs nothing"
    # Whole floats are whole numbers; a 1-D array is one volt level per neuron.
    a = dev.run(1e3, stimulus=volts[0])
    dev.reset()
    b = dev.run(1000, stimulus=volts)
    np.testing.assert_array_equal(a["step"], b["step"])
    assert len(a["step"]) > 0


def test_two_threads_share_a_device_one_call_at_a_time():
    net, _, volts = random_network(n=24)
    dev = memfire.open("sim")
    dev.load(net)
    want = memfire.open("model")
    want.load(net)
    expected = want.run(3000, stimulus=volts)
    results, errors = [], []

    def work():
        try:
            results.append(len(dev.run(1000, stimulus=volts if dev.step == 0 else None)["step"]))
        except Exception as e:  # noqa: BLE001 - the test reports any failure
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert dev.step == 3000 and sum(results) == len(expected["step"])


def test_characterize_returns_the_protocol_table():
    t = memfire.characterize("dc-latency")
    assert t["columns"][0] == "volts" and t["data"].shape[1] == len(t["columns"])
    latency_at_1v = t["data"][t["data"][:, 0] == 1.0][0, 1]
    assert 14 < latency_at_1v < 17  # ms, R1 of the model document
    with pytest.raises(memfire.MemfireError, match="unknown protocol"):
        memfire.characterize("nope")


def test_nir_graph_maps_to_a_running_network():
    nir = pytest.importorskip("nir")
    rng = np.random.default_rng(1)
    graph = nir.NIRGraph(
        nodes={
            "in": nir.Input(input_type={"input": np.array([4])}),
            "fc1": nir.Affine(weight=rng.uniform(0, 1, (6, 4)), bias=np.full(6, 0.1)),
            "lif1": nir.LIF(tau=np.full(6, 0.02), r=np.ones(6), v_leak=np.zeros(6), v_threshold=np.ones(6)),
            "rec": nir.Linear(weight=rng.uniform(0, 0.5, (6, 6))),
            "fc2": nir.Linear(weight=rng.uniform(0, 1, (2, 6))),
            "lif2": nir.CubaLIF(
                tau_syn=np.full(2, 5e-4), tau_mem=np.full(2, 0.02), r=np.ones(2),
                v_leak=np.zeros(2), v_threshold=np.full(2, 0.5),
            ),
            "out": nir.Output(output_type={"output": np.array([2])}),
        },
        edges=[("in", "fc1"), ("fc1", "lif1"), ("lif1", "rec"), ("rec", "lif1"),
               ("lif1", "fc2"), ("fc2", "lif2"), ("lif2", "out")],
    )
    m = memfire.from_nir(graph)
    # The Input is the data fed in: fc1 becomes the input volts of lif1, not synapses.
    assert m.populations == {"lif1": (0, 6), "lif2": (6, 2)}
    assert m.network.synapse_count == 36 + 12
    size, (projection,) = m.inputs["in"]
    assert size == 4 and list(projection.targets) == list(range(6))
    np.testing.assert_allclose(projection.volts, 0.5 * graph.nodes["fc1"].weight)
    # Two pulse widths (tau_syn / dt = 50 steps into the CubaLIF, 100 elsewhere): the
    # simulated FPGA runs it with the model's spikes.
    stimulus = m.stimulus(20000, {"in": np.full((20000, 4), 2.0)})
    runs = []
    for backend in ["model", "sim"]:
        dev = memfire.open(backend)
        dev.load(m.network)
        runs.append(dev.run(20000, stimulus=stimulus))
    out = runs[0]
    fired = set(out["neuron"].tolist())
    assert fired & set(range(0, 6)), "the hidden population fires"
    np.testing.assert_array_equal(runs[1]["step"], out["step"])
    np.testing.assert_array_equal(runs[1]["neuron"], out["neuron"])

    bad = nir.NIRGraph(
        nodes={"in": nir.Input(input_type={"input": np.array([1, 8, 8])}),
               "conv": nir.Conv2d(input_shape=(8, 8), weight=np.ones((1, 1, 3, 3)), stride=1, padding=0,
                                  dilation=1, groups=1, bias=np.zeros(1)),
               "pool": nir.SumPool2d(kernel_size=np.array([2, 2]), stride=np.array([2, 2]), padding=np.array([0, 0]))},
        edges=[("in", "conv"), ("conv", "pool")],
        type_check=False,
    )
    with pytest.raises(memfire.MemfireError, match=r"conv \(Conv2d\), pool \(SumPool2d\)"):
        memfire.from_nir(bad)


def test_network_files_round_trip(tmp_path):
    net, _, _ = random_network(n=10)
    path = tmp_path / "net.toml"
    path.write_text(net.to_toml())
    again = memfire.Network.from_file(str(path))
    assert again.neurons == 10 and again.synapse_count == net.synapse_count
    assert again.get("R_c") == net.get("R_c")
    with pytest.raises(memfire.MemfireError, match="nope.toml"):
        memfire.Network.from_file(str(tmp_path / "nope.toml"))


def test_the_model_on_two_threads_gives_the_same_spikes_and_refuses_what_it_cannot_do():
    net, _, volts = random_network(n=24)
    one = memfire.open("model")
    one.load(net)
    two = memfire.open("model", threads=2)
    two.load(net)
    a = one.run(2000, stimulus=volts)
    b = two.run(2000, stimulus=volts)
    assert len(a["step"]) > 0
    assert np.array_equal(a["step"], b["step"]) and np.array_equal(a["neuron"], b["neuron"])
    with pytest.raises(memfire.MemfireError, match="at least 1"):
        memfire.open("model", threads=0)
    with pytest.raises(memfire.MemfireError, match="one thread"):
        memfire.open("model:float", threads=2)
    with pytest.raises(memfire.MemfireError, match="whole number"):
        memfire.open("model", threads=1.5)


def test_spike_train_inputs_are_voltage_pulses_on_every_backend():
    net, _, _ = random_network(n=24)
    dt = net.dt
    assert dt == pytest.approx(10e-6)
    events = memfire.spike_trains({0: [0.0, 1e-4, 1.1e-4], 3: [5e-4]}, 200, dt, volts=2.0, width=5)
    # Neuron 0: spikes at steps 0, 10, 11 (10 and 11 merge); neuron 3 at step 50.
    assert events[0].tolist() == [0, 5, 10, 16, 50, 55]
    assert events[1].tolist() == [0, 0, 0, 0, 3, 3]
    assert events[2].tolist() == [2.0, 0.0, 2.0, 0.0, 2.0, 0.0]
    with pytest.raises(memfire.MemfireError, match="after a run of 200 steps"):
        memfire.spike_trains({1: [0.002]}, 200, dt)
    with pytest.raises(memfire.MemfireError, match="not between 0 and"):
        memfire.poisson([2e5], 100, dt)
    drive = memfire.poisson([3000.0] * 8, 3000, dt, volts=3.0, width=30, seed=4)
    again = memfire.poisson([3000.0] * 8, 3000, dt, volts=3.0, width=30, seed=4)
    assert all(np.array_equal(a, b) for a, b in zip(drive, again)), "one seed, one train"
    outs = []
    for backend in ("model", "sim"):
        dev = memfire.open(backend)
        dev.load(net)
        outs.append(dev.run(3000, stimulus=drive))
    assert len(outs[0]["step"]) > 0, "Poisson pulses of 3 V make the input neurons fire"
    assert np.array_equal(outs[0]["step"], outs[1]["step"]) and np.array_equal(outs[0]["neuron"], outs[1]["neuron"])
    assert np.allclose(outs[0]["time"], outs[0]["step"] * dt) and outs[0]["dt"] == dt


def test_results_save_and_load_and_the_package_says_its_version(tmp_path):
    net, _, volts = random_network(n=24)
    dev = memfire.open("model")
    dev.load(net)
    out = dev.run(500, stimulus=volts, probe=[0, 2], raster=True)
    memfire.save(tmp_path / "run.npz", out)
    back = memfire.load(tmp_path / "run.npz")
    assert set(back) == set(out) and set(back["probe"]) == set(out["probe"])
    for key in ("step", "neuron", "time", "raster"):
        assert np.array_equal(back[key], out[key])
    assert back["start"] == out["start"] and back["dt"] == out["dt"]
    assert np.array_equal(back["probe"]["v"], out["probe"]["v"])
    (tmp_path / "junk.npz").write_text("not a result")
    with pytest.raises(memfire.MemfireError, match="not a memfire result file"):
        memfire.load(tmp_path / "junk.npz")
    assert memfire.__version__.count(".") == 2


def test_parameters_change_between_runs_the_same_on_the_model_and_the_simulated_fpga():
    net, _, volts = random_network(n=24)
    outs = []
    for backend in ("model", "sim"):
        dev = memfire.open(backend)
        dev.load(net)
        first = dev.run(1500, stimulus=volts)
        dev.set_param("R_c", np.where(np.arange(24) % 2 == 0, 1e9, 2e8))
        dev.set_param("sigma1", 2e-3)
        assert dev.get_param("sigma1") == pytest.approx(2e-3)
        second = dev.run(1500)
        outs.append(np.concatenate([first["step"], second["step"]]))
        outs.append(np.concatenate([first["neuron"], second["neuron"]]))
    assert np.array_equal(outs[0], outs[2]) and np.array_equal(outs[1], outs[3])
    assert net.get("sigma1") == 0.0, "the network given to load is not changed"
    with pytest.raises(memfire.MemfireError, match="no network loaded"):
        memfire.open("model").set_param("R_c", 1e9)


def test_changes_within_a_run_equal_runs_split_at_them():
    net, _, volts = random_network(n=24)
    dense = np.tile(volts, (3000, 1))
    dense[1200:, :5] = 0.3
    split, whole = memfire.open("model"), memfire.open("sim")
    split.load(net)
    whole.load(net)
    a = split.run(1000, stimulus=dense[:1000], probe=[1], raster=True)
    split.set_param("t_abs", 2e-4)
    b = split.run(1000, stimulus=dense[1000:2000])
    split.set_param("R_c", 1e9)
    c = split.run(1000, stimulus=dense[2000:])
    out = whole.run(3000, stimulus=dense, probe=[1], raster=True, changes={1000: {"t_abs": 2e-4}, 2000: {"R_c": 1e9}})
    assert np.array_equal(out["step"], np.concatenate([a["step"], b["step"], c["step"]]))
    assert np.array_equal(out["neuron"], np.concatenate([a["neuron"], b["neuron"], c["neuron"]]))
    assert out["raster"].shape == (3000, 24) and out["probe"]["v"].shape == (3000, 1)
    assert np.array_equal(out["probe"]["v"][:1000], a["probe"]["v"])
    assert out["start"] == 0 and out["steps"] == 3000
    with pytest.raises(memfire.MemfireError, match="outside 1..99"):
        whole.run(100, changes={100: {"R_c": 1e9}})


def test_nir_with_scalar_parameters_takes_sizes_from_its_connections_and_names_too_large_weights():
    nir = pytest.importorskip("nir")
    rng = np.random.default_rng(2)

    def leaky():  # as snnTorch's Leaky exports it: 0-d parameters
        return nir.LIF(tau=np.array(0.02), r=np.array(1.0), v_leak=np.array(0.0), v_threshold=np.array(1.0))

    graph = nir.NIRGraph(
        nodes={
            "input": nir.Input(input_type=np.array([4])),
            "fc1": nir.Affine(weight=rng.uniform(0, 1, (32, 4)), bias=np.zeros(32)),
            "lif1": leaky(),
            "fc2": nir.Affine(weight=rng.uniform(0, 1, (3, 32)), bias=np.zeros(3)),
            "lif2": leaky(),
            "output": nir.Output(output_type=np.array([3])),
        },
        edges=[("input", "fc1"), ("fc1", "lif1"), ("lif1", "fc2"), ("fc2", "lif2"), ("lif2", "output")],
        type_check=False,
    )
    m = memfire.from_nir(graph)
    assert m.populations == {"lif1": (0, 32), "lif2": (32, 3)}
    assert m.network.neurons == 35 and m.inputs["input"][0] == 4
    relay = memfire.from_nir(graph, input_neurons=True)  # Inputs as neurons driven in volts
    assert relay.populations == {"input": (0, 4), "lif1": (4, 32), "lif2": (36, 3)}

    lonely = nir.NIRGraph(nodes={"a": leaky(), "out": nir.Output(output_type=np.array([1]))},
                          edges=[("a", "out")], type_check=False)
    with pytest.raises(memfire.MemfireError, match=r"NIR node a \(LIF\): its parameters are scalars"):
        memfire.from_nir(lonely)

    synaptic = nir.NIRGraph(
        nodes={
            "input": nir.Input(input_type=np.array([2])),
            "fc": nir.Linear(weight=np.full((2, 2), 1.0)),
            "syn": nir.CubaLIF(tau_syn=np.array(5e-4), tau_mem=np.array(0.02), r=np.array(1.0),
                               v_leak=np.array(0.0), v_threshold=np.array(1.0), w_in=np.array(50.0)),
        },
        edges=[("input", "fc"), ("fc", "syn")],
        type_check=False,
    )
    with pytest.raises(memfire.MemfireError, match=r"NIR node fc \(Linear\) into syn: .* w_in 50 .* weight_scale <= 0\.08"):
        memfire.from_nir(synaptic)
    np.testing.assert_allclose(memfire.from_nir(synaptic, weight_scale=0.05).inputs["input"][1][0].volts, np.full((2, 2), 2.5))
