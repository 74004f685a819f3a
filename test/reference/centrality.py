"""Reference per-node centralities from networkx, for the analysis tests.

Reads {"graphs": [{"name", "nodes", "edges": [[u, v, w], ...]}, ...]} on stdin
and writes {"networkx": version, "graphs": [{"name", "metrics": {...}}]} on
stdout. Each metric is a {node: value} map. PageRank and eigenvector
centrality are in converged.py.

The graph is built the way ocgnet's CSR snapshot sees it: undirected, simple,
parallel edges merged with their weights summed, self-loops left out.

Two distance attributes are added to every edge:
- "dist" = 1 / w as a float, which networkx compares exactly, so a tie that
  rounding breaks (1/5 + 1/5 + 1/5 against 3/5) is not a tie;
- "dist_exact" = 1 / w as a Fraction (and "weight_exact" = w as a Fraction),
  so networkx's own Dijkstra sees the true rational ties.
"""

import json
import sys
from fractions import Fraction

import networkx as nx

from graphs import build as build_graph


def build(spec):
    G = build_graph(spec)
    for _, _, data in G.edges(data=True):
        w = data["weight"]
        data["dist"] = 1.0 / w
        data["weight_exact"] = Fraction(w)
        data["dist_exact"] = 1 / Fraction(w)
    return G


def floats(values):
    return {str(k): float(v) for k, v in values.items()}


def metrics(G):
    out = {}
    out["degree"] = floats(dict(G.degree()))
    out["degree.normalized"] = floats(nx.degree_centrality(G))
    out["strength"] = floats(dict(G.degree(weight="weight")))

    out["betweenness"] = floats(nx.betweenness_centrality(G))
    out["betweenness.raw"] = floats(nx.betweenness_centrality(G, normalized=False))
    for name, attribute in [
        ("weight", "weight"),
        ("weight.exact", "weight_exact"),
        ("inverse", "dist"),
        ("inverse.exact", "dist_exact"),
    ]:
        out["betweenness." + name] = floats(nx.betweenness_centrality(G, weight=attribute))
        out["closeness." + name] = floats(nx.closeness_centrality(G, distance=attribute))
        out["harmonic." + name] = floats(nx.harmonic_centrality(G, distance=attribute))
    out["betweenness.inverse.raw"] = floats(nx.betweenness_centrality(G, weight="dist_exact", normalized=False))
    out["closeness"] = floats(nx.closeness_centrality(G))
    out["harmonic"] = floats(nx.harmonic_centrality(G))

    return out


def main():
    request = json.load(sys.stdin)
    graphs = [{"name": spec["name"], "metrics": metrics(build(spec))} for spec in request["graphs"]]
    json.dump({"networkx": nx.__version__, "graphs": graphs}, sys.stdout)


if __name__ == "__main__":
    main()
