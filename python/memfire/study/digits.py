"""The task: scikit-learn's handwritten digits (8 × 8 pixels, 16 grey levels, 1797 images;
the data ships inside the scikit-learn wheel, nothing is downloaded), shown to a network row
by row: each of the 8 rows is held as input volts for `row_steps` steps."""

import numpy as np

ROWS = 8
COLUMNS = 8
CLASSES = 10

#: The subset of samples a study uses is the first n of this fixed shuffle, the same for
#: every condition and seed, with every class in proportion.
_SUBSET_SEED = 2025

#: Four a class: the readout's 30 % test split then holds every class.
MIN_SAMPLES = 4 * CLASSES


def load(samples=None):
    """(images [n, 8, 8] in 0..1, labels [n]): all 1797 digits, or a class-balanced subset."""
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        from .. import _memfire

        raise _memfire.MemfireError("the digits task needs scikit-learn: pip install scikit-learn (or memfire[study])") from None
    images, labels = load_digits(return_X_y=True)
    images = images.reshape(-1, ROWS, COLUMNS) / 16.0
    if samples is None or samples >= len(labels):
        return images, labels
    if samples < MIN_SAMPLES:
        from .. import _memfire

        raise _memfire.MemfireError(
            f"the digits task needs at least {MIN_SAMPLES} samples (a 30 % test split with every class), not {samples}"
        )
    rng = np.random.default_rng(_SUBSET_SEED)
    order = rng.permutation(len(labels))
    # Round-robin over the classes keeps the subset balanced.
    by_class = [order[labels[order] == c] for c in range(CLASSES)]
    pick = [idx[k] for k in range(max(map(len, by_class))) for idx in by_class if k < len(idx)][:samples]
    pick = np.sort(np.asarray(pick))
    return images[pick], labels[pick]


def row_volts(images, projection, bias, gain):
    """Input volts [n, rows, neurons]: neuron i sees the mean of the row's pixels weighted by
    `projection[i]` (its input columns), as `bias + gain × mean`; a neuron without input
    columns sits at `bias`."""
    total = projection.sum(axis=1)
    mean = np.einsum("nrc,ic->nri", images, projection) / np.where(total > 0, total, 1.0)
    return bias + gain * np.where(total > 0, mean, 0.0)
