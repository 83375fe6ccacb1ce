"""A NIR graph as `from_nir` needs it: read from a file without nir's type check, nested
subgraphs expanded, nodes that only reshape (`Flatten`) removed, and every population's size
known."""

from pathlib import Path

import numpy as np

from . import _memfire

POPULATIONS = ("LIF", "CubaLIF", "IF")
CONNECTIONS = ("Affine", "Linear")
#: Nodes that pass their input through (a reshape keeps every element in order).
PASS_THROUGH = ("Flatten",)


def kind(node):
    return type(node).__name__


def read(source):
    """A `nir.NIRGraph`: `source` itself, or the graph in the file at `source`. Files are read
    without nir's type check: the exporters write scalar-parameter nodes (snnTorch's `Leaky`,
    Norse's `LIFBoxCell`) whose types nir's own check rejects; the sizes are inferred here."""
    if not isinstance(source, (str, Path)):
        return source
    try:
        import nir
    except ImportError:
        raise _memfire.MemfireError("reading a .nir file needs the nir package: pip install nir") from None
    path = Path(source)
    if not path.is_file():
        raise _memfire.MemfireError(f"no NIR file at {path}")
    try:
        return nir.read(path, type_check=False)
    except Exception as e:  # h5py and nir raise many kinds; the message says which file
        raise _memfire.MemfireError(f"{path}: not a NIR graph nir can read ({type(e).__name__}: {e})") from e


def expand(graph, prefix=""):
    """(nodes, edges) with every nested `NIRGraph` node replaced by its nodes, named
    `outer.inner`. An edge into a subgraph goes to its Input nodes, an edge out of it leaves
    from its Output nodes; those Input/Output nodes then pass through like a Flatten."""
    nodes, edges, inner_ends = {}, [], set()
    entries, exits = {}, {}
    for name, node in graph.nodes.items():
        full = prefix + name
        if kind(node) == "NIRGraph":
            sub_nodes, sub_edges, sub_ends = expand(node, full + ".")
            nodes.update(sub_nodes)
            edges.extend(sub_edges)
            inner_ends |= sub_ends
            entries[full] = [full + "." + n for n, m in node.nodes.items() if kind(m) == "Input"]
            exits[full] = [full + "." + n for n, m in node.nodes.items() if kind(m) == "Output"]
            if not entries[full] or not exits[full]:
                raise _memfire.MemfireError(f"NIR subgraph {full}: it needs an Input and an Output node to be connected")
            inner_ends |= set(entries[full]) | set(exits[full])
        else:
            nodes[full] = node
    for a, b in graph.edges:
        a, b = prefix + a, prefix + b
        for src in exits.get(a, [a]):
            for dst in entries.get(b, [b]):
                edges.append((src, dst))
    missing = sorted({n for e in edges for n in e if n not in nodes})
    if missing:
        raise _memfire.MemfireError(f"NIR graph: edges name nodes that are not in it: {', '.join(missing)}")
    return nodes, edges, inner_ends


def contract(nodes, edges, removable):
    """Remove the nodes in `removable` (each a pass-through), joining each of their
    predecessors to each of their successors."""
    for name in removable:
        preds = [a for a, b in edges if b == name]
        succs = [b for a, b in edges if a == name]
        edges = [(a, b) for a, b in edges if name not in (a, b)]
        edges += [(a, b) for a in preds for b in succs]
        del nodes[name]
    return nodes, list(dict.fromkeys(edges))


def normalise(graph):
    """(nodes, edges) of a graph ready to map: subgraphs expanded, pass-through nodes gone."""
    nodes, edges, inner_ends = expand(graph)
    removable = [n for n in nodes if n in inner_ends or kind(nodes[n]) in PASS_THROUGH]
    return contract(nodes, edges, removable)


def own_size(node):
    """A node's size from the node itself, or None when its parameters are all scalars (the
    size then comes from the connections around it)."""
    if kind(node) == "Input":
        shape = node.input_type["input"] if isinstance(node.input_type, dict) else node.input_type
        return int(np.prod(np.asarray(shape)))
    sizes = {
        np.asarray(v).size
        for k, v in vars(node).items()
        if k not in ("input_type", "output_type", "metadata") and isinstance(v, np.ndarray) and v.ndim > 0
    }
    if len(sizes) > 1:
        raise _memfire.MemfireError(f"NIR {kind(node)} node: its per-neuron parameters have different sizes {sorted(sizes)}")
    return sizes.pop() if sizes else None


def sizes(nodes, edges, names):
    """The size of every node in `names` (Inputs and populations): its own, else from the
    weight shapes of its Affine/Linear neighbours or a population it connects to one to one."""
    preds = {n: [a for a, b in edges if b == n] for n in nodes}
    succs = {n: [b for a, b in edges if a == n] for n in nodes}
    found = {name: own_size(nodes[name]) for name in names}
    changed = True
    while changed:
        changed = False
        for name, n in nodes.items():
            if kind(n) not in CONNECTIONS or np.asarray(n.weight).ndim != 2:
                continue
            rows, cols = np.asarray(n.weight).shape
            for p in preds[name]:
                if found.get(p, 0) is None:
                    found[p], changed = cols, True
            for q in succs[name]:
                if found.get(q, 0) is None:
                    found[q], changed = rows, True
        for a, b in edges:
            if a in found and b in found and (found[a] is None) != (found[b] is None):
                found[a] = found[b] = found[a] if found[a] is not None else found[b]
                changed = True
    unknown = [name for name, size in found.items() if size is None]
    if unknown:
        name = unknown[0]
        raise _memfire.MemfireError(
            f"NIR node {name} ({kind(nodes[name])}): its parameters are scalars and no Affine or "
            "Linear node connects it, so its size is unknown; give one of its parameters one value per neuron"
        )
    return found
