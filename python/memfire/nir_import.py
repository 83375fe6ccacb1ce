"""Import a graph in the Neuromorphic Intermediate Representation (the `nir` package, as
exported by snnTorch, Norse, Sinabs, Rockpool) as a memfire network.

Conversion (documented in docs/python.md):
- every `Input`, `LIF`, `CubaLIF` and `IF` node becomes a population of 1M1T1R neurons of
  the same size, in graph order; `Output` nodes are dropped (their population's spikes are
  the output). A node whose parameters are all scalars (as snnTorch's `Leaky` exports them)
  takes its size from the `Affine`/`Linear` node that feeds it or that it feeds;
- an `Affine`/`Linear` node between two populations becomes synapses: the synapse from
  neuron j to neuron i has `weight_scale * W[i, j] * w_in / v_threshold[i]` volts, so a
  weight equal to the target's threshold gives a `weight_scale`-volt pulse; an Affine bias
  becomes a constant input of `weight_scale * bias / v_threshold` volts (`NirNetwork.dc`);
  a direct population-to-population edge is a one-to-one connection of `weight_scale` volts;
- the pulse width is `tau_syn / dt` steps for synapses into a `CubaLIF` population and
  `pulse_width` steps otherwise; the 1M1T1R neurons keep their physical parameters (the
  membrane time constant of an LIF has no one-to-one counterpart in the memristor model);
- a synapse must fit the ±4 V a pulse holds: a larger mapped weight (e.g. from a large
  `w_in`) is an error naming the node and the `weight_scale` that would fit;
- any other node raises `MemfireError` naming every node that cannot be mapped.
"""

from dataclasses import dataclass, field

import numpy as np

from . import _memfire
from .network import Network

POPULATIONS = ("Input", "LIF", "CubaLIF", "IF")
CONNECTIONS = ("Affine", "Linear")
IGNORED = ("Output",)


@dataclass
class NirNetwork:
    """The result of `from_nir`: the network, where each NIR population landed, and the
    constant inputs that came from Affine biases."""

    network: Network
    populations: dict = field(default_factory=dict)  # node name -> (first neuron, count)
    dc: np.ndarray = None  # volts per neuron

    def stimulus(self, steps, inputs=None):
        """A [steps, neurons] input array: the bias currents plus, for each Input node named
        in `inputs`, its [steps, size] array of volts."""
        volts = np.tile(self.dc, (steps, 1))
        for name, arr in (inputs or {}).items():
            if name not in self.populations:
                raise _memfire.MemfireError(f"no population named {name!r}; have {sorted(self.populations)}")
            first, count = self.populations[name]
            volts[:, first : first + count] += np.asarray(arr, dtype=np.float64).reshape(steps, count)
        return volts


#: A synapse's pulse height is Q2.22 volts: below 4 V in magnitude.
MAX_WEIGHT_VOLTS = 4.0 - 2.0**-22


def _own_size(node):
    """A population's size from the node itself, or None when its parameters are all scalars
    (the size then comes from the connections around it)."""
    if type(node).__name__ == "Input":
        return int(np.prod(np.asarray(node.input_type["input"])))
    sizes = {
        np.asarray(v).size
        for k, v in vars(node).items()
        if k not in ("input_type", "output_type", "metadata") and isinstance(v, np.ndarray) and v.ndim > 0
    }
    if len(sizes) > 1:
        raise _memfire.MemfireError(
            f"NIR {type(node).__name__} node: its per-neuron parameters have different sizes {sorted(sizes)}"
        )
    return sizes.pop() if sizes else None


def _population_sizes(nodes, edges, populations, preds, succs):
    """Every population's size: its own, else from the weight shapes of its Affine/Linear
    neighbours or a population it connects to one to one."""
    sizes = {name: _own_size(nodes[name]) for name in populations}
    changed = True
    while changed:
        changed = False
        for name, n in nodes.items():
            if type(n).__name__ not in CONNECTIONS or np.asarray(n.weight).ndim != 2:
                continue
            rows, cols = np.asarray(n.weight).shape
            for p in preds[name]:
                if sizes.get(p, 0) is None:
                    sizes[p], changed = cols, True
            for q in succs[name]:
                if sizes.get(q, 0) is None:
                    sizes[q], changed = rows, True
        for a, b in edges:
            if a in sizes and b in sizes and (sizes[a] is None) != (sizes[b] is None):
                sizes[a] = sizes[b] = sizes[a] if sizes[a] is not None else sizes[b]
                changed = True
    unknown = [name for name, size in sizes.items() if size is None]
    if unknown:
        name = unknown[0]
        raise _memfire.MemfireError(
            f"NIR node {name} ({type(nodes[name]).__name__}): its parameters are scalars and no Affine or "
            "Linear node connects it, so its size is unknown; give one of its parameters one value per neuron"
        )
    return sizes


def from_nir(graph, weight_scale=0.5, pulse_width=100, dt=1e-5, seed=1, **params):
    """Convert a `nir.NIRGraph` to a memfire network (see the module documentation)."""
    nodes = graph.nodes
    bad = [f"{name} ({type(n).__name__})" for name, n in nodes.items()
           if type(n).__name__ not in POPULATIONS + CONNECTIONS + IGNORED]
    if bad:
        raise _memfire.MemfireError(
            "cannot map NIR nodes: " + ", ".join(bad)
            + "; memfire maps Input, Output, Affine, Linear, LIF, CubaLIF and IF"
        )
    preds = {name: [] for name in nodes}
    succs = {name: [] for name in nodes}
    for a, b in graph.edges:
        succs[a].append(b)
        preds[b].append(a)
    names = [name for name, n in nodes.items() if type(n).__name__ in POPULATIONS]
    if not names:
        raise _memfire.MemfireError("the NIR graph has no neuron populations (Input, LIF, CubaLIF, IF)")
    sizes = _population_sizes(nodes, graph.edges, names, preds, succs)
    populations, first = {}, 0
    for name in names:
        populations[name] = (first, sizes[name])
        first += sizes[name]

    net = Network(first, seed=seed, **params)
    dc = np.zeros(first)
    sources, targets, weights, widths = [], [], [], []

    def threshold_and_width(target):
        node = nodes[target]
        kind = type(node).__name__
        size = sizes[target]
        thr = np.broadcast_to(np.asarray(node.v_threshold, dtype=float), (size,))
        w_in = np.broadcast_to(np.asarray(getattr(node, "w_in", 1.0), dtype=float), (size,))
        if kind == "CubaLIF":
            taus = np.broadcast_to(np.asarray(node.tau_syn, dtype=float), (size,))
            width = np.clip(np.rint(taus / dt), 1, 1023).astype(int)
        else:
            width = np.full(size, int(pulse_width))
        return thr, w_in, width

    for name, n in nodes.items():
        kind = type(n).__name__
        if kind in CONNECTIONS:
            src = [p for p in preds[name] if p in populations]
            dst = [s for s in succs[name] if s in populations and type(nodes[s]).__name__ != "Input"]
            if len(src) != 1 or not dst:
                raise _memfire.MemfireError(
                    f"cannot map NIR node {name} ({kind}): it must lie between one population and "
                    f"at least one LIF/CubaLIF/IF population (found inputs {preds[name]}, outputs {succs[name]})"
                )
            w = np.asarray(n.weight, dtype=float)
            s0, scount = populations[src[0]]
            for d in dst:
                d0, dcount = populations[d]
                if w.shape != (dcount, scount):
                    raise _memfire.MemfireError(
                        f"NIR node {name} ({kind}): weight shape {w.shape} does not connect "
                        f"{src[0]} ({scount}) to {d} ({dcount})"
                    )
                thr, w_in, width = threshold_and_width(d)
                rows, cols = np.nonzero(w)
                mapped = weight_scale * w[rows, cols] * w_in[rows] / thr[rows]
                if mapped.size and np.abs(mapped).max() > MAX_WEIGHT_VOLTS:
                    k = int(np.argmax(np.abs(mapped)))
                    i, j = rows[k], cols[k]
                    fit = weight_scale * MAX_WEIGHT_VOLTS / abs(mapped[k])
                    raise _memfire.MemfireError(
                        f"NIR node {name} ({kind}) into {d}: weight [{i}, {j}] maps to {mapped[k]:.4g} V "
                        f"(weight_scale {weight_scale:g} x W {w[i, j]:.4g} x w_in {w_in[i]:.4g} / v_threshold "
                        f"{thr[i]:.4g}), beyond the 4 V a synapse holds: use weight_scale <= {fit:.3g}"
                    )
                sources.append(s0 + cols)
                targets.append(d0 + rows)
                weights.append(mapped)
                widths.append(width[rows])
                if kind == "Affine":
                    dc[d0 : d0 + dcount] += weight_scale * np.asarray(n.bias, dtype=float).reshape(dcount) / thr
        elif kind in POPULATIONS:
            for s in succs[name]:
                if s in populations and type(nodes[s]).__name__ != "Input":
                    (a0, acount), (b0, bcount) = populations[name], populations[s]
                    if acount != bcount:
                        raise _memfire.MemfireError(
                            f"NIR edge {name} -> {s}: populations of {acount} and {bcount} neurons "
                            "cannot connect one to one (put an Affine node between them)"
                        )
                    _, _, width = threshold_and_width(s)
                    sources.append(a0 + np.arange(acount))
                    targets.append(b0 + np.arange(acount))
                    weights.append(np.full(acount, weight_scale))
                    widths.append(width)
    if sources:
        s, t, w, wd = (np.concatenate(x) for x in (sources, targets, weights, widths))
        for width in np.unique(wd):
            sel = wd == width
            net.connect_sparse(s[sel].astype(np.int64), t[sel].astype(np.int64), w[sel], int(width))
    return NirNetwork(network=net, populations=populations, dc=dc)
