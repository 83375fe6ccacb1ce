"""memfire.sweep on a 2-worker Dask LocalCluster, and the digits ablation study: its pieces,
its command end to end (reduced), and its full neuron on the simulated FPGA, spike for spike."""

import math
import os
import random

import numpy as np
import pytest

pytest.importorskip("dask.distributed")
pytest.importorskip("sklearn")
pytest.importorskip("pandas")

import memfire  # noqa: E402
from memfire.study import ablation, conditions, digits, lif, reservoir  # noqa: E402
from memfire.study.__main__ import main as study_main  # noqa: E402

RAW = conditions.RAW_INPUT


@pytest.fixture(scope="module")
def cluster_client():
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
    client = Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_sweep_keeps_every_row_and_reports_a_failed_task_with_its_parameters(cluster_client):
    grid = {"condition": [RAW, "no such condition"], "samples": [60]}
    with pytest.warns(RuntimeWarning, match="2 of 4 tasks failed.*no such condition"):
        table = memfire.sweep(ablation.run_condition, grid, seeds=[3, 4], scheduler=cluster_client, progress=False)
    assert list(table["condition"]) == [RAW, RAW, "no such condition", "no such condition"]
    assert list(table["seed"]) == [3, 4, 3, 4]
    ok, failed = table.iloc[:2], table.iloc[2:]
    assert ok["error"].isna().all() and (ok["accuracy"] > 0.5).all()
    assert failed["error"].str.contains("MemfireError: no ablation condition 'no such condition'").all()
    assert (table["seconds"] >= 0).all()


def test_sweep_takes_a_list_of_points_and_its_own_local_cluster():
    table = memfire.sweep(ablation.run_condition, [{"condition": RAW, "samples": 40}], seeds=1, workers=2, progress=False)
    assert len(table) == 1 and table["error"].isna().all() and table["samples"].iloc[0] == 40


@pytest.mark.parametrize(
    "grid, seeds, message",
    [
        ({"condition": RAW}, 1, "must be a list of values"),
        ([RAW], 1, "not a dict of parameters"),
        ({"condition": [RAW]}, 0, "at least one seed"),
        ({"condition": [RAW]}, [], "seeds is empty"),
    ],
)
def test_sweep_refuses_a_malformed_grid_before_starting_a_cluster(grid, seeds, message):
    with pytest.raises(memfire.MemfireError, match=message):
        memfire.sweep(ablation.run_condition, grid, seeds=seeds)


def test_sweep_reports_an_unreachable_scheduler():
    with pytest.raises(memfire.MemfireError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        memfire.sweep(ablation.run_condition, {"condition": [RAW]}, scheduler="tcp://127.0.0.1:9", progress=False)


def test_digits_subset_is_class_balanced_and_fixed():
    images, labels = digits.load(100)
    again, _ = digits.load(100)
    assert images.shape == (100, 8, 8) and np.array_equal(images, again)
    assert np.bincount(labels, minlength=10).tolist() == [10] * 10
    with pytest.raises(memfire.MemfireError, match="at least 40 samples"):
        digits.load(5)


def test_reservoir_settings_are_checked():
    with pytest.raises(memfire.MemfireError, match="must divide the 8 rows"):
        reservoir.ReservoirConfig(bins=3).check()
    with pytest.raises(memfire.MemfireError, match="no setting"):
        reservoir.ReservoirConfig().with_changes(lanes=4)


def test_lif_neuron_fires_at_the_analytic_interval():
    # One neuron, no synapses, a constant 2 V: V(t) = 2 (1 - exp(-t/tau)) reaches 1 V at
    # tau ln 2, then it is refractory, then it integrates again from 0.
    cfg = reservoir.ReservoirConfig(neurons=1, bins=1, bias=2.0, gain=0.0, row_steps=1000)
    wires = reservoir.Wiring(weights=np.zeros((1, 1)), projection=np.zeros((1, 8)))
    params = lif.LifConfig()
    act = lif.lif_activity(np.zeros((1, 8, 8)), cfg, wires, params)
    steps = 8 * 1000 // 5
    crossing = math.ceil(params.tau_m * math.log(2) / params.dt)
    period = crossing + round(params.refractory / params.dt)
    # The first spike at step crossing-1, then one every period (+1 for the reset step).
    expected = len(range(crossing - 1, steps, period + 1))
    assert act.spikes == expected, (act.spikes, expected)


def test_lif_pulses_last_their_width():
    # Neuron 0 sees 2 V during row 0 only (2.5 ms): it fires once (at tau_m ln 2 = 1.1 ms) and
    # is refractory for the rest of the row. Its synapse onto neuron 1 (no input) is a 5 ms
    # pulse: 0.9 V leaves neuron 1 below the 1 V threshold, 1.8 V takes it over.
    cfg = reservoir.ReservoirConfig(neurons=2, bins=1, bias=0.0, gain=2.0, row_steps=250, width=500)
    image = np.zeros((1, 8, 8))
    image[0, 0, :] = 1.0
    projection = np.array([[1.0] * 8, [0.0] * 8])
    for weight, fires in ((0.9, False), (1.8, True)):
        wires = reservoir.Wiring(weights=np.array([[0.0, weight], [0.0, 0.0]]), projection=projection)
        counts = lif.lif_activity(image, cfg, wires).features.reshape(2)
        assert counts[0] == 1, (weight, counts)
        assert (counts[1] > 0) == fires, (weight, counts)


def test_each_condition_changes_what_it_says():
    for c in conditions.CONDITIONS:
        changed = set(c.params) | ({"weights"} if c.weight_scale != 1.0 else set())
        assert (c.name == "full") == (not changed), c.name
        assert c.meaning, c.name
        for name in c.params:
            assert name in memfire.parameter_names(), (c.name, name)
    assert set(conditions.names(reduced=True)) >= {"full", *conditions.BASELINES}
    chars = {conditions.condition(n).characteristic for n in conditions.names(reduced=True) if n not in conditions.BASELINES}
    assert chars == {"all", "leaky integration", "cascaded connection", "intrinsic plasticity", "refractory period", "stochasticity"}


def test_a_task_counts_operations_and_projects_energy():
    r = ablation.run_condition("full", 1, samples=40)
    assert r["neuron_updates_per_sample"] == 200 * 8 * 500
    assert r["spikes_per_sample"] > 0 and r["synaptic_events_per_sample"] > r["spikes_per_sample"]
    assert r["energy_per_sample_projected"] == pytest.approx(r["spikes_per_sample"] * 1.39e-12)
    silent = ablation.run_condition("cascade: weights x0", 1, samples=40)
    assert silent["synaptic_events_per_sample"] == 0


def test_full_neuron_on_the_simulated_fpga_matches_the_model_spike_for_spike():
    seed = int(os.environ.get("MEMFIRE_SEED", random.randrange(1 << 16)))
    r = ablation.backend_comparison(samples=3, seed=seed, backend="sim")
    assert r["spikes"] > 0
    assert r["identical"], f"seed {seed}: the model and the simulated FPGA differ (rerun with MEMFIRE_SEED={seed})"
    assert r["cycles_per_step"] > r["neurons"] / 2  # 2 lanes: at least N/2 cycles a step


def test_study_command_reduced_end_to_end(tmp_path):
    rc = study_main(["--quick", "--samples", "100", "--workers", "2", "--fpga-samples", "2", "--out", str(tmp_path)])
    assert rc == 0
    summary = (tmp_path / "summary.md").read_text()
    for name in conditions.names(reduced=True):
        assert f"| {name} |" in summary
    assert "spikes identical to the model's" in summary and "projection" in summary
    assert (tmp_path / "ablation.png").stat().st_size > 10_000
    import pandas as pd

    table = pd.read_csv(tmp_path / "results.csv")
    assert len(table) == 2 * len(conditions.names(reduced=True)) and table["error"].isna().all()
