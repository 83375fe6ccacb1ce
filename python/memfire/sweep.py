"""`memfire.sweep`: a grid of independent runs (parameters × seeds) on Dask, gathered into
a pandas DataFrame.

Each point of the grid and each seed is one Dask task that calls `task(**point, seed=seed)`
in a worker process; the task returns a dict of results (numbers or strings). A task that
raises is not lost: its row keeps its parameters and says what went wrong in `error`.
"""

import itertools
import os
import sys
import time
import traceback
import warnings

from . import _memfire


def _points(grid):
    """The grid as a list of dicts: a dict of lists is its cartesian product; a list of dicts
    is taken as it is."""
    if isinstance(grid, dict):
        for name, values in grid.items():
            if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
                raise _memfire.MemfireError(f"sweep grid: {name!r} must be a list of values, not {values!r}")
        names = list(grid)
        return [dict(zip(names, combo)) for combo in itertools.product(*(list(grid[n]) for n in names))]
    points = list(grid)
    for k, p in enumerate(points):
        if not isinstance(p, dict):
            raise _memfire.MemfireError(f"sweep grid: point {k} is {p!r}, not a dict of parameters")
    return points


def _seeds(seeds):
    if isinstance(seeds, int):
        if seeds < 1:
            raise _memfire.MemfireError(f"sweep: seeds={seeds}: give at least one seed")
        return list(range(seeds))
    seeds = list(seeds)
    if not seeds:
        raise _memfire.MemfireError("sweep: seeds is empty")
    return seeds


def _run_one(task, point, seed):
    """One task in a worker: its result, or its error as text (never raised, so the sweep
    keeps every row)."""
    start = time.perf_counter()
    try:
        result = task(**point, seed=seed)
        if not isinstance(result, dict):
            raise TypeError(f"the task returned {type(result).__name__}, not a dict of results")
        result = dict(result)
        error = None
    except Exception as e:  # the row reports any failure with its parameters
        result = {}
        error = f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=-3)}"
    result["seconds"] = time.perf_counter() - start
    result["error"] = error
    return result


def _client(scheduler, workers):
    """A Dask client and whether this call owns it (and must close it)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise _memfire.MemfireError(
            "memfire.sweep needs Dask: pip install 'dask[distributed]' pandas (or memfire[study])"
        ) from None
    if scheduler is None:
        n = workers or os.cpu_count() or 1
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0")
        return Client(cluster), True
    if isinstance(scheduler, str):
        try:
            return Client(scheduler, timeout="30s"), True
        except OSError as e:
            raise _memfire.MemfireError(f"sweep: cannot reach the Dask scheduler at {scheduler}: {e}") from e
    return scheduler, False


def _progress(total, enabled):
    if not enabled:
        return lambda: None, lambda: None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        done = [0]

        def tick():
            done[0] += 1
            sys.stderr.write(f"\rsweep: {done[0]}/{total} tasks")
            if done[0] == total:
                sys.stderr.write("\n")
            sys.stderr.flush()

        return tick, lambda: None
    bar = tqdm(total=total, unit="task", desc="sweep")
    return lambda: bar.update(1), bar.close


def sweep(task, grid, seeds=1, scheduler=None, workers=None, progress=True):
    """Run `task(**point, seed=seed)` for every point of `grid` and every seed on Dask.

    task: a function importable by the workers (defined in a module, not in a notebook
        cell, when the workers are on other machines) returning a dict of results.
    grid: a dict of lists (every combination) or a list of dicts (these points).
    seeds: a number n (seeds 0..n-1) or a list of seeds.
    scheduler: None for a local cluster of `workers` processes (default: one per CPU),
        an address such as "tcp://10.0.0.5:8786" for a running Dask cluster, or a
        `dask.distributed.Client`.
    progress: a progress bar (tqdm when installed) as tasks finish.

    Returns a pandas DataFrame, one row per (point, seed) in grid order: the parameters,
    `seed`, the task's results, `seconds` (the task's time in its worker) and `error`
    (None, or the exception and where it was raised). Failed tasks are also named in a
    warning.
    """
    try:
        import pandas as pd
    except ImportError:
        raise _memfire.MemfireError("memfire.sweep needs pandas: pip install pandas (or memfire[study])") from None
    if not callable(task):
        raise _memfire.MemfireError(f"sweep: task must be a function, not {task!r}")
    points = _points(grid)
    seeds = _seeds(seeds)
    jobs = [(p, s) for p in points for s in seeds]
    client, owned = _client(scheduler, workers)
    rows = [None] * len(jobs)
    tick, close = _progress(len(jobs), progress)
    try:
        from dask.distributed import as_completed

        futures = {}
        for k, (p, s) in enumerate(jobs):
            f = client.submit(_run_one, task, p, s, pure=False, key=f"memfire-sweep-{k}-{time.time_ns()}")
            futures[f] = k
        for f in as_completed(futures):
            k = futures[f]
            try:
                rows[k] = f.result()
            except Exception as e:  # the worker itself died (memory, signal): keep the row
                rows[k] = {"seconds": float("nan"), "error": f"{type(e).__name__}: {e}"}
            tick()
    finally:
        close()
        if owned:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None:
                cluster.close()
    table = pd.DataFrame([{**p, "seed": s, **r} for (p, s), r in zip(jobs, rows)])
    failed = table[table["error"].notna()]
    if len(failed):
        first = failed.iloc[0]
        params = {k: first[k] for k in (*points[0].keys(), "seed") if k in first}
        warnings.warn(
            f"sweep: {len(failed)} of {len(table)} tasks failed; the first, {params}: "
            f"{str(first['error']).splitlines()[0]}",
            RuntimeWarning,
            stacklevel=2,
        )
    return table
