"""`memfire.Network`: the Rust network builder plus NumPy/SciPy conveniences."""

import numpy as np

from . import _memfire


class Network(_memfire.Network):
    """A network of 1M1T1R neurons: `Network(neurons, seed=1, **params)`.

    Parameters are named as in the model document (`R_c`, `sigma1`, `c2c`, `t_abs`, ...);
    `net.set(name, value)` takes a number or one value per neuron.
    """

    def connect(self, weights, width=100):
        """Add the synapses of a weight matrix `weights[source, target]` in volts (0 = none).

        `weights` is a dense array or any `scipy.sparse` matrix; every synapse is a pulse of
        `width` steps starting one step after each spike of its source.
        """
        if hasattr(weights, "tocoo"):  # scipy.sparse
            coo = weights.tocoo()
            self.connect_sparse(
                np.asarray(coo.row, dtype=np.int64),
                np.asarray(coo.col, dtype=np.int64),
                np.asarray(coo.data, dtype=np.float64),
                int(width),
            )
        else:
            self.connect_dense(np.ascontiguousarray(weights, dtype=np.float64), int(width))
        return self
