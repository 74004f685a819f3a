"""Reference PageRank and eigenvector centrality, at their fixed points and
where networkx's defaults stop, for the power-iteration tests.

Reads {"graphs": [{"name", "nodes", "edges": [[u, v, w], ...]}, ...]} on stdin
(the simple view of graphs.py) and writes on stdout
{"networkx", "igraph", "graphs": [{"name", "metrics": {...}, "eigen": {...}}]}.

Converged references, each from a tool that does not share ocgnet's rule:
- "pagerank.igraph" / ".weighted": igraph's `Graph.pagerank()` (PRPACK, a
  direct solver), unweighted and with weights="weight";
- "pagerank.tight" / ".weighted": networkx `pagerank` with tol 1e-14 and
  max_iter 100000, its power iteration run to round-off;
- "eigenvector.eigh" / ".weighted": the leading eigenvector of the dense
  adjacency matrix by numpy's `eigh` (LAPACK), sign made positive, unit norm.
  "eigen" says whether that eigenvalue is simple (a gap of more than 1e-9 to
  the next): when it is not, the leading eigenvector is not unique and any
  unit vector of its eigenspace is an answer. "eigen" also gives the
  eigenvalue, so a test can check the residual |Ax − λx| instead.
networkx's defaults, to check the 'networkx' rule reproduces them:
- "pagerank.networkx" / ".weighted": `pagerank(G, weight=None)` / `pagerank(G)`;
- "eigenvector.networkx" / ".weighted": `eigenvector_centrality(G)` /
  `(G, weight="weight")`; null where networkx raised
  PowerIterationFailedConvergence.
"""

import json
import sys

import igraph as ig
import networkx as nx
import numpy as np

from graphs import build

SIMPLE_GAP = 1e-9


def floats(nodes, values):
    return {str(node): float(value) for node, value in zip(nodes, values)}


def or_null(compute):
    try:
        return {str(k): float(v) for k, v in compute().items()}
    except nx.PowerIterationFailedConvergence:
        return None


def igraph_pagerank(G, nodes, weight):
    index = {node: i for i, node in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in G.edges()], directed=False)
    weights = [data["weight"] for _, _, data in G.edges(data=True)] if weight else None
    return floats(nodes, g.pagerank(directed=False, weights=weights, implementation="prpack"))


def leading_eigenvector(G, nodes, weight):
    A = nx.to_numpy_array(G, nodelist=nodes, weight=weight)
    values, vectors = np.linalg.eigh(A)
    x = vectors[:, -1]
    x = x * np.sign(x.sum()) / np.linalg.norm(x)
    simple = len(values) < 2 or values[-1] - values[-2] > SIMPLE_GAP * max(1.0, abs(values[-1]))
    return floats(nodes, x), {"eigenvalue": float(values[-1]), "simple": bool(simple)}


def metrics(G):
    nodes = list(G.nodes())
    out = {}
    eigen = {}
    for suffix, weight in [("", None), (".weighted", "weight")]:
        out["pagerank.igraph" + suffix] = igraph_pagerank(G, nodes, weight)
        out["pagerank.tight" + suffix] = or_null(lambda: nx.pagerank(G, weight=weight, tol=1e-14, max_iter=100000))
        out["pagerank.networkx" + suffix] = or_null(lambda: nx.pagerank(G, weight=weight))
        out["eigenvector.networkx" + suffix] = or_null(lambda: nx.eigenvector_centrality(G, weight=weight))
        if len(nodes) > 0:
            out["eigenvector.eigh" + suffix], eigen["eigenvector" + suffix] = leading_eigenvector(G, nodes, weight)
    return out, eigen


def main():
    request = json.load(sys.stdin)
    graphs = []
    for spec in request["graphs"]:
        values, eigen = metrics(build(spec))
        graphs.append({"name": spec["name"], "metrics": values, "eigen": eigen})
    json.dump({"networkx": nx.__version__, "igraph": ig.__version__, "graphs": graphs}, sys.stdout)


if __name__ == "__main__":
    main()
