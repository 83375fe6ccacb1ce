"""Plots with matplotlib: spike rasters and characterisation tables."""

import numpy as np


def raster(result, dt=1e-5, ax=None, title="Spike raster", **scatter):
    """Scatter plot of `Device.run`'s spikes: time (ms) against neuron."""
    import matplotlib.pyplot as plt

    ax = ax or plt.subplots(figsize=(8, 3))[1]
    t = np.asarray(result["step"]) * dt * 1e3
    ax.scatter(t, result["neuron"], s=scatter.pop("s", 2), marker=scatter.pop("marker", "|"), **scatter)
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("neuron")
    ax.set_title(title)
    return ax


def table(result, ax=None):
    """Line plot of a `memfire.characterize` table (NaN = no spike, drawn as gaps)."""
    import matplotlib.pyplot as plt

    ax = ax or plt.subplots(figsize=(5, 3))[1]
    data = np.asarray(result["data"])
    for k in range(1, data.shape[1]):
        ax.plot(data[:, 0], data[:, k], marker="o", label=result["columns"][k])
    ax.set_xlabel(result["labels"][0])
    ax.set_ylabel(result["labels"][1])
    ax.set_title(result["title"], fontsize=9)
    if data.shape[1] > 2:
        ax.legend(fontsize=8)
    return ax
