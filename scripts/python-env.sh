#!/usr/bin/env bash
# Make build/pyenv: a virtualenv with memfire's Python package (built from this checkout by
# maturin) and what its tests and notebook need. Idempotent; prints the venv's python.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=build/pyenv
if [ ! -x $venv/bin/python ]; then
    python3 -m venv $venv 2>/dev/null || {
        echo "python-env: cannot create a virtualenv: install python3-venv (apt-get install python3-venv)" >&2
        exit 1
    }
fi
if ! $venv/bin/python -c "import maturin, numpy, scipy, matplotlib, pytest, nbclient, nbformat, ipykernel, nir, sklearn, pandas, dask.distributed, tqdm" 2>/dev/null; then
    echo "python-env: installing maturin and the test dependencies into $venv" >&2
    $venv/bin/pip install -q --upgrade pip >/dev/null
    $venv/bin/pip install -q "maturin>=1.5,<2" numpy scipy matplotlib pytest nbclient nbformat ipykernel nir \
        scikit-learn pandas "dask[distributed]" tqdm >&2
fi
(cd python && VIRTUAL_ENV=$PWD/../$venv ../$venv/bin/maturin develop --release -q >&2)
echo $venv/bin/python
