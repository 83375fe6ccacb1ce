"""Saving a run's result (the dict `Device.run` returns) and reading it back."""

import numpy as np

from . import _memfire


def save(path, result: dict) -> None:
    """Write `result` to `path` as a NumPy `.npz` file (compressed): every array and number
    of the dict, the probe records included."""
    arrays = {}
    for key, value in result.items():
        if key == "probe":
            for field, column in value.items():
                arrays[f"probe.{field}"] = np.asarray(column)
        else:
            arrays[key] = np.asarray(value)
    np.savez_compressed(path, **arrays)


def load(path) -> dict:
    """Read a result written by `save`: the same dict."""
    try:
        with np.load(path, allow_pickle=False) as data:
            out, probe = {}, {}
            for key in data.files:
                value = data[key]
                value = value.item() if value.ndim == 0 else value
                if key.startswith("probe."):
                    probe[key[len("probe.") :]] = value
                else:
                    out[key] = value
    except (OSError, ValueError) as e:
        raise _memfire.MemfireError(f"{path}: not a memfire result file ({e})") from e
    if probe:
        out["probe"] = probe
    return out
