"""Write the NIR graphs in this folder with the real exporters: snnTorch (`export_to_nir`),
Norse (`norse.torch.to_nir`), Sinabs (`sinabs.to_nir`) and Rockpool (`to_nir`). `memfire.from_nir` is tested on these files
(python/tests/test_nir_exports.py), and examples/snntorch.ipynb runs the trained one.

Needs torch and the exporters (not memfire's dependencies; throwaway venvs will do). Sinabs
and Rockpool pin nir 1.0.4, with which snnTorch 1.0 cannot export, so they get their own:

    python -m venv /tmp/a && /tmp/a/bin/pip install snntorch norse nir nirtorch scikit-learn
    /tmp/a/bin/python python/examples/nir/export.py            # snntorch, norse, digits
    python -m venv /tmp/b && /tmp/b/bin/pip install sinabs rockpool
    /tmp/b/bin/python python/examples/nir/export.py sinabs rockpool
    /tmp/nirexp/bin/python python/examples/nir/export.py

Two workarounds, both for the exporters' own bugs with these versions (snnTorch 1.0,
nirtorch 2.6, nir 1.0.8), leave the graphs as exported: snnTorch's final `infer_types()`
call rejects its own scalar-parameter nodes, so it is skipped while exporting; and `nir.write`
cannot gzip a scalar dataset, so the files are written uncompressed.
"""

import json
from pathlib import Path
import sys

import nir
import numpy as np
import torch

HERE = Path(__file__).resolve().parent


def save(name, graph, **meta):
    try:
        nir.write(HERE / f"{name}.nir", graph, compression=None)
    except TypeError:  # nir before 1.0.5 has no compression option (and does not compress)
        nir.write(HERE / f"{name}.nir", graph)
    if meta:
        (HERE / f"{name}.json").write_text(json.dumps(meta, indent=1) + "\n")
    print(f"wrote {name}.nir: {len(graph.nodes)} nodes")


def snntorch_graph(net, sample):
    from snntorch.export_nir import export_to_nir

    infer = nir.NIRGraph.infer_types
    nir.NIRGraph.infer_types = lambda self: None
    try:
        graph = export_to_nir(net, sample)
    finally:
        nir.NIRGraph.infer_types = infer
    # What the skipped type inference would have filled in: a Flatten's types (nir.write
    # cannot store None) from the node before it.
    for name, node in graph.nodes.items():
        if isinstance(node, nir.Flatten) and node.input_type.get("input") is None:
            (before,) = [a for a, b in graph.edges if b == name]
            shape = np.asarray(next(iter(graph.nodes[before].output_type.values())))
            node.input_type = {"input": shape}
            node.output_type = {"output": np.array([int(np.prod(shape))])}
    return graph


def export_snntorch():
    import snntorch as snn

    torch.manual_seed(0)
    sample = torch.zeros(8)
    nets = {
        "snntorch_leaky": torch.nn.Sequential(
            torch.nn.Linear(8, 16), snn.Leaky(beta=0.9, init_hidden=True),
            torch.nn.Linear(16, 4), snn.Leaky(beta=0.9, init_hidden=True, output=True)),
        "snntorch_synaptic": torch.nn.Sequential(
            torch.nn.Linear(8, 16), snn.Synaptic(alpha=0.8, beta=0.9, init_hidden=True),
            torch.nn.Linear(16, 4), snn.Synaptic(alpha=0.8, beta=0.9, init_hidden=True, output=True)),
        "snntorch_rleaky": torch.nn.Sequential(
            torch.nn.Linear(8, 16), snn.RLeaky(beta=0.9, linear_features=16, init_hidden=True),
            torch.nn.Linear(16, 4), snn.Leaky(beta=0.9, init_hidden=True, output=True)),
        "snntorch_rsynaptic": torch.nn.Sequential(
            torch.nn.Linear(8, 16), snn.RSynaptic(alpha=0.8, beta=0.9, linear_features=16, init_hidden=True),
            torch.nn.Linear(16, 4), snn.Synaptic(alpha=0.8, beta=0.9, init_hidden=True, output=True)),
    }
    for name, net in nets.items():
        save(name, snntorch_graph(net, sample))
    flat = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(16, 8), snn.Leaky(beta=0.9, init_hidden=True, output=True))
    save("snntorch_flatten", snntorch_graph(flat, torch.zeros(1, 4, 4)))


def export_norse():
    import norse.torch as norse

    torch.manual_seed(0)
    net = norse.SequentialState(torch.nn.Linear(8, 16), norse.LIFBoxCell(), torch.nn.Linear(16, 4), norse.LIFCell())
    save("norse_lif", norse.to_nir(net, torch.zeros(8)))


def export_sinabs():
    import sinabs
    import sinabs.layers as sl

    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Linear(8, 16), sl.IAFSqueeze(batch_size=1), torch.nn.Linear(16, 4), sl.IAFSqueeze(batch_size=1))
    save("sinabs_iaf", sinabs.to_nir(net, torch.zeros(1, 8)))


def export_rockpool():
    from rockpool.nn.combinators import Sequential
    from rockpool.nn.modules import LIFTorch, LinearTorch
    from rockpool.nn.modules.torch.nir import to_nir

    torch.manual_seed(0)
    save("rockpool_lif", to_nir(Sequential(LinearTorch((8, 16)), LIFTorch(16), LinearTorch((16, 4)), LIFTorch(4))))


def trained_digits(steps=25, epochs=30):
    """A 64-32-10 network of snnTorch Leaky neurons trained on scikit-learn's digits (pixels as
    a constant input current for `steps` steps; the class with most output spikes wins)."""
    import snntorch as snn
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    torch.manual_seed(0)
    x, y = load_digits(return_X_y=True)
    x = torch.tensor(x / 16.0, dtype=torch.float32)
    y = torch.tensor(y)
    train_x, test_x, train_y, test_y = train_test_split(x, y, test_size=0.3, random_state=0, stratify=y)
    fc1, fc2 = torch.nn.Linear(64, 32), torch.nn.Linear(32, 10)
    lif1, lif2 = snn.Leaky(beta=0.9), snn.Leaky(beta=0.9)

    def counts(batch):
        m1, m2 = lif1.init_leaky(), lif2.init_leaky()
        total = 0
        for _ in range(steps):
            s1, m1 = lif1(fc1(batch), m1)
            s2, m2 = lif2(fc2(s1), m2)
            total = total + s2
        return total

    params = [*fc1.parameters(), *fc2.parameters()]
    opt = torch.optim.Adam(params, lr=5e-3)
    for _ in range(epochs):
        order = torch.randperm(len(train_x))
        for k in range(0, len(order), 64):
            idx = order[k : k + 64]
            loss = torch.nn.functional.cross_entropy(counts(train_x[idx]), train_y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    with torch.no_grad():
        acc = float((counts(test_x).argmax(1) == test_y).float().mean())
    net = torch.nn.Sequential(fc1, snn.Leaky(beta=0.9, init_hidden=True), fc2, snn.Leaky(beta=0.9, init_hidden=True, output=True))
    save(
        "snntorch_digits",
        snntorch_graph(net, torch.zeros(64)),
        task="sklearn load_digits, pixels / 16 as a constant input for 25 steps, 70/30 split (random_state 0, stratified)",
        snntorch_steps=steps,
        snntorch_test_accuracy=round(acc, 4),
    )
    print(f"snnTorch test accuracy {acc:.3f}")


EXPORTERS = {
    "snntorch": export_snntorch,
    "norse": export_norse,
    "sinabs": export_sinabs,
    "rockpool": export_rockpool,
    "digits": trained_digits,
}

if __name__ == "__main__":
    for which in sys.argv[1:] or ["snntorch", "norse", "digits"]:
        EXPORTERS[which]()
