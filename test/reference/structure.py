"""Reference structural measures from networkx, for the analysis tests.

Reads {"graphs": [{"name", "nodes", "edges": [[u, v, w], ...]}, ...]} on stdin
and writes {"networkx": version, "graphs": [{"name", ...}]} on stdout, with
per graph:
- core_number, clustering, clustering_weighted, constraint,
  constraint_weighted, effective_size, effective_size_borgatti,
  effective_size_weighted: {node: value};
- components: {"count", "sizes"} with sizes largest first;
- articulation_points: [node, ...];
- bridges: [[u, v], ...].

Weighted effective size is asked for with nodes=list(G), which takes networkx's
per-node path (Burt's definition). networkx 3.6.1's default sparse-matrix path
divides each tie w_jq by the largest tie of q instead of j (max(axis=1) comes
back 1-D and broadcasts across columns), so it disagrees with its own per-node
path on weighted graphs: networkx/networkx pull request #8906. Unweighted, both
paths agree, and both are written out (effective_size, effective_size_borgatti).

NaN (networkx's constraint and effective size of an isolated node) is written
as null, since JSON has no NaN.

The graph is built the way ocgnet's CSR snapshot sees it: undirected, simple,
parallel edges merged with their weights summed, self-loops left out (networkx's
core_number refuses self-loops anyway).
"""

import json
import math
import sys

import networkx as nx

from graphs import build as build_graph


def build(spec):
    return build_graph(spec)


def floats(values):
    return {str(k): (None if math.isnan(float(v)) else float(v)) for k, v in values.items()}


def measures(G):
    sizes = sorted((len(c) for c in nx.connected_components(G)), reverse=True)
    return {
        "core_number": {str(k): int(v) for k, v in nx.core_number(G).items()},
        "clustering": floats(nx.clustering(G)),
        "clustering_weighted": floats(nx.clustering(G, weight="weight")),
        "components": {"count": nx.number_connected_components(G), "sizes": sizes},
        "articulation_points": [str(v) for v in nx.articulation_points(G)],
        "bridges": [[str(u), str(v)] for u, v in nx.bridges(G)],
        "constraint": floats(nx.constraint(G)),
        "constraint_weighted": floats(nx.constraint(G, weight="weight")),
        # Default (sparse-matrix) path and Borgatti's per-node n - 2t/n path.
        "effective_size": floats(nx.effective_size(G)),
        "effective_size_borgatti": floats(nx.effective_size(G, nodes=list(G))),
        # Per-node path only: see the note on effective size above.
        "effective_size_weighted": floats(nx.effective_size(G, nodes=list(G), weight="weight")),
    }


def main():
    request = json.load(sys.stdin)
    graphs = [{"name": spec["name"], **measures(build(spec))} for spec in request["graphs"]]
    json.dump({"networkx": nx.__version__, "graphs": graphs}, sys.stdout, allow_nan=False)


if __name__ == "__main__":
    main()
