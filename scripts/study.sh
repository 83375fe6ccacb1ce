#!/usr/bin/env bash
# The ablation study (docs/study.md): a recurrent 1M1T1R reservoir on scikit-learn's digits,
# each neuron characteristic switched off or swept, on a local Dask cluster. Makes the Python
# environment (scripts/python-env.sh) first. Arguments go to `python -m memfire.study`:
#   scripts/study.sh            all 16 conditions + 2 baselines, 1797 digits, 5 seeds
#   scripts/study.sh --quick    the reduced study CI runs (200 digits, 2 seeds)
#   scripts/study.sh --scheduler tcp://host:8786   on a running Dask cluster
# Writes build/study/{results.csv,summary.md,ablation.png} (or --out DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
py=$(scripts/python-env.sh)
exec "$py" -m memfire.study "$@"
