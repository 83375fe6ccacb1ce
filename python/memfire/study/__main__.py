"""`python -m memfire.study`: the ablation study from scratch — the table, the figure, the
simulated FPGA's agreement and speed, the energy projection (see docs/study.md)."""

import argparse
from dataclasses import asdict
import json
from pathlib import Path
import sys
import time

from . import ablation, conditions
from .energy import ENERGY_PER_SPIKE_65NM
from .reservoir import ReservoirConfig


def _arguments(argv):
    p = argparse.ArgumentParser(prog="python -m memfire.study", description=__doc__)
    p.add_argument("--samples", type=int, default=None, help="digits used (default: all 1797)")
    p.add_argument("--seeds", type=int, default=5, help="seeds per condition (default 5)")
    p.add_argument("--reduced", action="store_true", help="only the full neuron, each characteristic off and the baselines")
    p.add_argument("--quick", action="store_true", help="CI's run: --reduced --samples 200 --seeds 2 --fpga-samples 5")
    p.add_argument("--scheduler", default=None, help="a Dask scheduler address (default: a local cluster)")
    p.add_argument("--workers", type=int, default=None, help="local cluster processes (default: one per CPU)")
    p.add_argument("--backend", default="sim", help="the FPGA path the full neuron is checked on (default sim; 'none' skips)")
    p.add_argument("--fpga-samples", type=int, default=20, help="samples run on the FPGA path (default 20)")
    p.add_argument("--neurons", type=int, default=None, help="reservoir neurons (default 200)")
    p.add_argument("--bins", type=int, default=None, help="readout windows over the 8 rows: 1, 2, 4 (default) or 8")
    p.add_argument("--row-steps", type=int, default=None, help="steps each row is shown (default 500 = 5 ms)")
    p.add_argument("--out", type=Path, default=Path("build/study"), help="where results.csv, summary.md and ablation.png go")
    a = p.parse_args(argv)
    if a.quick:
        a.reduced, a.samples, a.seeds, a.fpga_samples = True, a.samples or 200, min(a.seeds, 2), min(a.fpga_samples, 5)
    return a


def _fpga_lines(args, table, config):
    """The full neuron on the FPGA path beside the model: agreement and speed."""
    if args.backend == "none":
        return []
    r = ablation.backend_comparison(samples=args.fpga_samples, seed=0, backend=args.backend, config=config)
    lines = [
        f"FPGA path ({args.backend}), condition 'full', {r['samples']} digits, {r['neurons']} neurons a run: "
        + (f"all {r['spikes']} spikes identical to the model's" if r["identical"] else "SPIKES DIFFER from the model's"),
    ]
    model_rate = table.loc[table["condition"] == "full", "neuron_updates_per_s"].mean()
    lines.append(f"  software model (this machine, one thread, measured): {model_rate:.3g} neuron-updates/s")
    if r["cycles_per_step"]:
        fpga = r["neurons"] * 1e8 / r["cycles_per_step"]
        lines.append(
            f"  simulated FPGA core (2 lanes): {r['cycles_per_step']:.0f} cycles/step measured in Verilator "
            f"= {fpga:.3g} neuron-updates/s at a 100 MHz core clock (projection; the images' clocks are in docs/timing.md)"
        )
    if not r["identical"]:
        lines.append("  (the model and the FPGA path must agree spike for spike: report this)")
    return lines


def main(argv=None):
    args = _arguments(sys.argv[1:] if argv is None else argv)
    args.out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    settings = {"neurons": args.neurons, "bins": args.bins, "row_steps": args.row_steps}
    config = ReservoirConfig().with_changes(**{k: v for k, v in settings.items() if v is not None})
    config = {k: v for k, v in asdict(config).items() if v != getattr(ReservoirConfig, k)} or None
    table = ablation.study(
        samples=args.samples, seeds=args.seeds, reduced=args.reduced, scheduler=args.scheduler, workers=args.workers, config=config
    )
    table.to_csv(args.out / "results.csv", index=False)
    summary = ablation.summary(table)
    text = ablation.markdown(summary)
    ablation.figure(summary, args.out / "ablation.png")
    fpga = _fpga_lines(args, table, config)
    elapsed = time.perf_counter() - start
    samples = int(table["samples"].dropna().iloc[0]) if table["samples"].notna().any() else 0
    report = [
        f"# 1M1T1R reservoir on digits: {samples} samples, {args.seeds} seeds, {len(table)} tasks in {elapsed:.0f} s",
        "",
        f"Reservoir: {ReservoirConfig(**(config or {}))}",
        "",
        text,
        "",
        ablation.ENERGY_NOTE + ".",
        f"Not ablated: threshold firing ({conditions.NOT_ABLATED['threshold firing']}).",
        "",
        *fpga,
    ]
    (args.out / "summary.md").write_text("\n".join(report) + "\n")
    (args.out / "run.json").write_text(json.dumps({"seconds": elapsed, "energy_per_spike": ENERGY_PER_SPIKE_65NM, **vars(args)}, default=str, indent=1))
    print("\n".join(report))
    print(f"\nwrote {args.out}/results.csv, summary.md, ablation.png")
    failed = table["error"].notna().sum()
    if failed:
        print(f"{failed} task(s) failed: see the error column of {args.out}/results.csv", file=sys.stderr)
        return 1
    if fpga and "DIFFER" in fpga[0]:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
