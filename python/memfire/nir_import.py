"""Import a graph in the Neuromorphic Intermediate Representation (the `nir` package, as
exported by snnTorch, Norse, Sinabs, Rockpool) as a memfire network.

Conversion (the table is in docs/python.md):
- a nested subgraph (a recurrent layer) is expanded into its nodes, named `outer.inner`;
  `Flatten` nodes, and the Input/Output nodes inside subgraphs, pass their input through;
- every `LIF`, `CubaLIF` and `IF` node becomes a population of 1M1T1R neurons of the same
  size, in graph order; `Output` nodes are dropped (their population's spikes are the
  output). A node whose parameters are all scalars (snnTorch's `Leaky`, Norse's
  `LIFBoxCell`) takes its size from the `Affine`/`Linear` node that feeds it or that it feeds;
- an `Input` node is the data fed in, not neurons: its Affine/Linear projections become the
  input volts of their targets (`NirNetwork.stimulus`), a spike input as pulses like a
  synapse's, a value input as a level. `input_neurons=True` makes Inputs populations instead;
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

from . import _memfire, nir_graph
from .network import Network
from .nir_graph import CONNECTIONS, POPULATIONS, kind

IGNORED = ("Output",)

#: A synapse's pulse height is Q2.22 volts: below 4 V in magnitude.
MAX_WEIGHT_VOLTS = 4.0 - 2.0**-22


@dataclass
class InputProjection:
    """How an Input node drives its targets: input j adds `volts[i, j]` to neuron
    `targets[i]` (held for a value input; a pulse of `widths[i]` steps for a spike)."""

    targets: np.ndarray
    volts: np.ndarray
    widths: np.ndarray


@dataclass
class NirNetwork:
    """The result of `from_nir`: the network, where each NIR population landed, the constant
    inputs that came from Affine biases, and how each Input node drives the network."""

    network: Network
    populations: dict = field(default_factory=dict)  # node name -> (first neuron, count)
    dc: np.ndarray = None  # volts per neuron
    inputs: dict = field(default_factory=dict)  # Input node name -> (size, [InputProjection])

    def stimulus(self, steps, inputs=None):
        """A [steps, neurons] array of input volts: the Affine biases plus, for each Input node
        named in `inputs`, its data: an array [steps, size] (or [size], held) of values, or of
        bools for spikes. A value x_j drives target i with volts[i, j] · x_j for that step; a
        spike of input j at step t adds volts[i, j] to target i for the steps t .. t+width-1, as
        a synapse's pulse would. With `input_neurons=True` an Input is a population and its
        array is added to those neurons' volts."""
        steps = int(steps)
        volts = np.tile(self.dc, (steps, 1))
        for name, data in (inputs or {}).items():
            if name in self.inputs:
                size, projections = self.inputs[name]
                x = _input_array(name, data, steps, size)
                for p in projections:
                    volts[:, p.targets] += _drive(x, p)
            elif name in self.populations:
                first, count = self.populations[name]
                volts[:, first : first + count] += _input_array(name, data, steps, count)
            else:
                raise _memfire.MemfireError(
                    f"no Input node or population named {name!r}; inputs: {sorted(self.inputs)}, "
                    f"populations: {sorted(self.populations)}"
                )
        return volts


def _input_array(name, data, steps, size):
    x = np.asarray(data)
    if x.ndim == 1:
        x = np.broadcast_to(x, (steps, x.shape[0]))
    if x.ndim != 2 or x.shape != (steps, size):
        raise _memfire.MemfireError(f"input {name!r}: an array of shape {np.shape(data)}, not [{steps}, {size}] or [{size}]")
    return x


def _drive(x, projection):
    """[steps, targets] volts from an input array: values as levels, bools as pulses."""
    if x.dtype != np.bool_:
        return x.astype(np.float64) @ projection.volts.T
    per_step = x.astype(np.float64) @ projection.volts.T  # pulse heights starting each step
    total = np.cumsum(per_step, axis=0)
    out = total.copy()
    for width in np.unique(projection.widths):
        cols = projection.widths == width
        if width < len(total):
            out[width:, cols] -= total[:-width, cols]
    return out


def _threshold_and_width(node, size, pulse_width, dt):
    thr = np.broadcast_to(np.asarray(node.v_threshold, dtype=float), (size,))
    w_in = np.broadcast_to(np.asarray(getattr(node, "w_in", 1.0), dtype=float), (size,))
    if kind(node) == "CubaLIF":
        taus = np.broadcast_to(np.asarray(node.tau_syn, dtype=float), (size,))
        width = np.clip(np.rint(taus / dt), 1, 1023).astype(int)
    else:
        width = np.full(size, int(pulse_width))
    return thr, w_in, width


def _mapped_weights(name, node, target, w, weight_scale, thr, w_in):
    rows, cols = np.nonzero(w)
    mapped = weight_scale * w[rows, cols] * w_in[rows] / thr[rows]
    if mapped.size and np.abs(mapped).max() > MAX_WEIGHT_VOLTS:
        k = int(np.argmax(np.abs(mapped)))
        i, j = rows[k], cols[k]
        fit = weight_scale * MAX_WEIGHT_VOLTS / abs(mapped[k])
        raise _memfire.MemfireError(
            f"NIR node {name} ({kind(node)}) into {target}: weight [{i}, {j}] maps to {mapped[k]:.4g} V "
            f"(weight_scale {weight_scale:g} x W {w[i, j]:.4g} x w_in {w_in[i]:.4g} / v_threshold "
            f"{thr[i]:.4g}), beyond the 4 V a synapse holds: use weight_scale <= {fit:.3g}"
        )
    return rows, cols, mapped


def from_nir(graph, weight_scale=0.5, pulse_width=100, dt=1e-5, seed=1, input_neurons=False, **params):
    """Convert a `nir.NIRGraph`, or a `.nir` file, to a memfire network (see the module
    documentation)."""
    nodes, edges = nir_graph.normalise(nir_graph.read(graph))
    pop_kinds = POPULATIONS + (("Input",) if input_neurons else ())
    bad = [f"{name} ({kind(n)})" for name, n in nodes.items()
           if kind(n) not in POPULATIONS + CONNECTIONS + IGNORED + ("Input",)]
    if bad:
        raise _memfire.MemfireError(
            "cannot map NIR nodes: " + ", ".join(bad)
            + "; memfire maps Input, Output, Affine, Linear, LIF, CubaLIF and IF, passes Flatten through "
            "and expands subgraphs"
        )
    preds = {name: [a for a, b in edges if b == name] for name in nodes}
    succs = {name: [b for a, b in edges if a == name] for name in nodes}
    names = [name for name, n in nodes.items() if kind(n) in pop_kinds]
    if not [n for n in names if kind(nodes[n]) in POPULATIONS]:
        raise _memfire.MemfireError("the NIR graph has no neuron populations (LIF, CubaLIF, IF)")
    input_names = [name for name, n in nodes.items() if kind(n) == "Input" and not input_neurons]
    size = nir_graph.sizes(nodes, edges, names + input_names)
    populations, first = {}, 0
    for name in names:
        populations[name] = (first, size[name])
        first += size[name]

    net = Network(first, seed=seed, **params)
    dc = np.zeros(first)
    inputs = {name: (size[name], []) for name in input_names}
    sources, targets, weights, widths = [], [], [], []

    def is_target(s):
        return s in populations and kind(nodes[s]) != "Input"

    for name, n in nodes.items():
        k = kind(n)
        if k in CONNECTIONS:
            src = [p for p in preds[name] if p in populations or p in inputs]
            dst = [s for s in succs[name] if is_target(s)]
            if len(src) != 1 or not dst:
                raise _memfire.MemfireError(
                    f"cannot map NIR node {name} ({k}): it must lie between one Input or population and "
                    f"at least one LIF/CubaLIF/IF population (found inputs {preds[name]}, outputs {succs[name]})"
                )
            w = np.asarray(n.weight, dtype=float)
            scount = size[src[0]]
            for d in dst:
                d0, dcount = populations[d]
                if w.shape != (dcount, scount):
                    raise _memfire.MemfireError(
                        f"NIR node {name} ({k}): weight shape {w.shape} does not connect "
                        f"{src[0]} ({scount}) to {d} ({dcount})"
                    )
                thr, w_in, width = _threshold_and_width(nodes[d], dcount, pulse_width, dt)
                rows, cols, mapped = _mapped_weights(name, n, d, w, weight_scale, thr, w_in)
                if src[0] in inputs:
                    volts = np.zeros((dcount, scount))
                    volts[rows, cols] = mapped
                    inputs[src[0]][1].append(InputProjection(targets=d0 + np.arange(dcount), volts=volts, widths=width))
                else:
                    sources.append(populations[src[0]][0] + cols)
                    targets.append(d0 + rows)
                    weights.append(mapped)
                    widths.append(width[rows])
                if k == "Affine":
                    dc[d0 : d0 + dcount] += weight_scale * np.asarray(n.bias, dtype=float).reshape(dcount) / thr
        elif k in POPULATIONS or name in populations or name in inputs:
            for s in succs[name]:
                if not is_target(s):
                    continue
                (b0, bcount) = populations[s]
                acount = size[name]
                if acount != bcount:
                    raise _memfire.MemfireError(
                        f"NIR edge {name} -> {s}: {acount} and {bcount} neurons cannot connect one to one "
                        "(put an Affine node between them)"
                    )
                _, _, width = _threshold_and_width(nodes[s], bcount, pulse_width, dt)
                if name in inputs:
                    inputs[name][1].append(
                        InputProjection(targets=b0 + np.arange(bcount), volts=weight_scale * np.eye(bcount), widths=width)
                    )
                else:
                    sources.append(populations[name][0] + np.arange(acount))
                    targets.append(b0 + np.arange(acount))
                    weights.append(np.full(acount, weight_scale))
                    widths.append(width)
    if sources:
        s, t, w, wd = (np.concatenate(x) for x in (sources, targets, weights, widths))
        for width in np.unique(wd):
            sel = wd == width
            net.connect_sparse(s[sel].astype(np.int64), t[sel].astype(np.int64), w[sel], int(width))
    return NirNetwork(network=net, populations=populations, dc=dc, inputs=inputs)
