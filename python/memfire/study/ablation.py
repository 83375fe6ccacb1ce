"""The ablation study: accuracy on the digits task per condition and seed, run as a Dask
sweep, summarised as a table and a figure."""

import numpy as np

from . import conditions, digits
from .energy import ENERGY_PER_SPIKE_65NM, ENERGY_PER_SYNAPTIC_EVENT, projected_energy
from .lif import lif_activity
from .readout import accuracy
from .reservoir import ReservoirConfig, memristor_activity, wiring


def run_condition(condition, seed, samples=None, backend="model", config=None):
    """One task of the study: the reservoir (or a baseline) under `condition` with the
    network, noise and train/test split drawn from `seed`. Returns accuracy and, per sample,
    spikes, synaptic events, neuron updates and projected energy (J)."""
    config = ReservoirConfig(**(config or {})).check()
    images, labels = digits.load(samples)
    wires = wiring(config, seed)
    result = {"characteristic": "baseline", "samples": len(labels)}
    if condition == conditions.RAW_INPUT:
        result["accuracy"] = accuracy(images.reshape(len(labels), -1), labels, seed)
        return result
    if condition == conditions.LIF:
        activity = lif_activity(images, config, wires)
    else:
        spec = conditions.condition(condition)
        result["characteristic"] = spec.characteristic
        wires = wires.scaled(spec.weight_scale)
        activity = memristor_activity(images, config, wires, spec.neuron_params(), seed, backend=backend)
        result["neuron_updates_per_s"] = activity.neuron_updates / activity.seconds
        if activity.cycles_per_step is not None:
            result["cycles_per_step"] = activity.cycles_per_step
    n = len(labels)
    result.update(
        accuracy=accuracy(activity.features, labels, seed),
        spikes_per_sample=activity.spikes / n,
        synaptic_events_per_sample=activity.synaptic_events / n,
        neuron_updates_per_sample=float(config.neurons * config.steps),
    )
    if condition != conditions.LIF:
        result["energy_per_sample_projected"] = projected_energy(activity.spikes, activity.synaptic_events) / n
    return result


def study(samples=None, seeds=5, reduced=False, scheduler=None, workers=None, config=None, progress=True):
    """Every condition (or the reduced set) × seeds through `memfire.sweep`: one row each."""
    from ..sweep import sweep

    grid = {"condition": conditions.names(reduced), "samples": [samples], "config": [config]}
    table = sweep(run_condition, grid, seeds=seeds, scheduler=scheduler, workers=workers, progress=progress)
    return table.drop(columns=["config"])


def summary(table):
    """Per condition: accuracy mean and spread (standard deviation) over seeds, activity per
    sample, in the study's order."""
    ok = table[table["error"].isna()]
    columns = {
        "accuracy": ["mean", "std", "count"],
        "spikes_per_sample": "mean",
        "synaptic_events_per_sample": "mean",
        "neuron_updates_per_sample": "mean",
        "energy_per_sample_projected": "mean",
    }
    columns = {k: v for k, v in columns.items() if k in ok}
    out = ok.groupby("condition", sort=False).agg(columns)
    # ("accuracy", "mean") -> accuracy_mean; the other columns keep their names (means).
    out.columns = [f"{name}_{how}" if name == "accuracy" else name for name, how in out.columns]
    out = out.rename(columns={"accuracy_count": "seeds"})
    order = [c for c in table["condition"].unique() if c in out.index]
    return out.loc[order]


def markdown(summary_table):
    """The summary as a Markdown table (accuracy as mean ± sd, in %)."""
    lines = [
        "| condition | test accuracy (mean ± sd) | seeds | spikes / sample | synaptic events / sample | neuron updates / sample | projected energy / sample |",
        "|---|---|---|---|---|---|---|",
    ]

    def cell(row, key, form):
        value = row.get(key, np.nan)
        return "–" if np.isnan(value) else form(value)

    for name, row in summary_table.iterrows():
        cells = [
            name,
            f"{100 * row['accuracy_mean']:.1f} ± {100 * np.nan_to_num(row['accuracy_std']):.1f} %",
            str(int(row["seeds"])),
            cell(row, "spikes_per_sample", lambda v: f"{v:.0f}"),
            cell(row, "synaptic_events_per_sample", lambda v: f"{v:.0f}"),
            cell(row, "neuron_updates_per_sample", lambda v: f"{v:,.0f}"),
            cell(row, "energy_per_sample_projected", lambda v: f"{v * 1e12:.0f} pJ"),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def figure(summary_table, path=None):
    """Accuracy per condition (mean ± sd over seeds) beside spikes per sample; saved to
    `path` when given. Returns the matplotlib figure."""
    import matplotlib

    if path is not None:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(summary_table.index)
    y = np.arange(len(names))[::-1]
    fig, (acc_ax, spk_ax) = plt.subplots(1, 2, figsize=(11, 0.38 * len(names) + 1.5), sharey=True, gridspec_kw={"width_ratios": [3, 2]})
    acc_ax.barh(y, 100 * summary_table["accuracy_mean"], xerr=100 * summary_table["accuracy_std"].fillna(0), color="tab:blue", alpha=0.8)
    acc_ax.set_yticks(y, names)
    acc_ax.set_xlabel("test accuracy (%), mean ± sd over seeds")
    low = 100 * (summary_table["accuracy_mean"] - summary_table["accuracy_std"].fillna(0)).min()
    acc_ax.set_xlim(max(0.0, low - 5), 100)
    if "spikes_per_sample" in summary_table:
        spk_ax.barh(y, summary_table["spikes_per_sample"].fillna(0), color="tab:orange", alpha=0.8)
    spk_ax.set_xlabel("spikes per sample")
    fig.suptitle("1M1T1R reservoir on handwritten digits: each characteristic ablated")
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=120)
    return fig


def backend_comparison(samples=10, seed=0, condition="full", backend="sim", config=None):
    """One condition on the model and on `backend` with the same batches: whether every
    spike agrees, and each side's speed. The batch is as many copies as the simulated
    core's 1024 neurons hold."""
    config = ReservoirConfig(**(config or {}))
    config = config.with_changes(batch=max(1, 1024 // config.neurons))
    images, _ = digits.load(max(samples, digits.MIN_SAMPLES))
    images = images[:samples]
    spec = conditions.condition(condition)
    wires = wiring(config, seed).scaled(spec.weight_scale)
    params = spec.neuron_params()
    model = memristor_activity(images, config, wires, params, seed, backend="model", keep_spikes=True)
    other = memristor_activity(images, config, wires, params, seed, backend=backend, keep_spikes=True)
    same = model.spike_list.shape == other.spike_list.shape and bool(np.all(model.spike_list == other.spike_list))
    return {
        "condition": condition,
        "samples": samples,
        "spikes": model.spikes,
        "identical": same,
        "model_spikes": model.spike_list,
        "backend_spikes": other.spike_list,
        "model_neuron_updates_per_s": model.neuron_updates / model.seconds,
        "backend_wall_neuron_updates_per_s": other.neuron_updates / other.seconds,
        "cycles_per_step": other.cycles_per_step,
        "neurons": config.neurons * config.batch,
    }


ENERGY_NOTE = (
    f"projected energy = spikes × {ENERGY_PER_SPIKE_65NM * 1e12:.2f} pJ (the paper's estimate per spike at 65 nm)"
    + ("" if ENERGY_PER_SYNAPTIC_EVENT == 0 else f" + synaptic events × {ENERGY_PER_SYNAPTIC_EVENT * 1e12:.2f} pJ")
    + "; synaptic events are not costed (the paper gives no figure): a projection, not a measurement"
)
