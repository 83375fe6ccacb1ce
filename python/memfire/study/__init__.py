"""The paper's question on a real task: a recurrent network of 1M1T1R neurons classifying
handwritten digits, with each of the neuron's characteristics ablated (see docs/study.md).

    from memfire.study import study, summary, markdown, figure
    table = study(samples=300, seeds=2, reduced=True)   # a Dask sweep; a DataFrame
    print(markdown(summary(table)))

`python -m memfire.study` runs it from a terminal. Needs scikit-learn, scipy, pandas and
Dask (`pip install memfire[study]`).
"""

from .ablation import backend_comparison, figure, markdown, run_condition, study, summary
from .conditions import BASELINES, CONDITIONS, NOT_ABLATED, Condition
from .reservoir import ReservoirConfig

__all__ = [
    "BASELINES",
    "CONDITIONS",
    "Condition",
    "NOT_ABLATED",
    "ReservoirConfig",
    "backend_comparison",
    "figure",
    "markdown",
    "run_condition",
    "study",
    "summary",
]
