"""Reference sampled and masked betweenness from networkx, for the fast-kernel tests.

Reads {"graphs": [{"name", "nodes", "edges": [[u, v, w], ...], "pivots": [node, ...],
"removed": [node, ...], "exact": bool}, ...]} on stdin and writes {"networkx": version, "graphs":
[{"name", "metrics": {...}}]} on stdout; each metric is a {node: value} map.

- "sampled", "sampled.raw", "sampled.weight": networkx's own
  betweenness_centrality(G, k=len(pivots), seed=...) where the seed's sample()
  returns the given pivots, so networkx runs its k-sampling code path, rescaling
  included, on the very sources ocgnet drew.
- "masked", "masked.raw", "masked.weight": betweenness_centrality of the
  subgraph induced by the nodes not in "removed" (removed nodes are absent).
- with "exact": the plain metrics under centrality.py's names ("betweenness",
  "betweenness.raw", "closeness", "harmonic" and their ".weight" variants), for
  graphs too large for centrality.py's full (Fraction-based) set.
"""

import json
import random
import sys

import networkx as nx

from graphs import build


class FixedSample(random.Random):
    """A Random whose sample() returns the given nodes (networkx draws pivots with seed.sample)."""

    def __init__(self, pivots):
        super().__init__(0)
        self.pivots = list(pivots)

    def sample(self, population, k, **kwargs):
        assert k == len(self.pivots)
        present = set(population)
        assert all(p in present for p in self.pivots)
        return list(self.pivots)


def floats(values):
    return {str(k): float(v) for k, v in values.items()}


def metrics(spec):
    G = build(spec)
    pivots = spec["pivots"]
    k = len(pivots)
    out = {}
    out["sampled"] = floats(nx.betweenness_centrality(G, k=k, seed=FixedSample(pivots)))
    out["sampled.raw"] = floats(nx.betweenness_centrality(G, k=k, normalized=False, seed=FixedSample(pivots)))
    out["sampled.weight"] = floats(nx.betweenness_centrality(G, k=k, weight="weight", seed=FixedSample(pivots)))
    removed = set(spec["removed"])
    H = G.subgraph([v for v in G if v not in removed]).copy()
    out["masked"] = floats(nx.betweenness_centrality(H))
    out["masked.raw"] = floats(nx.betweenness_centrality(H, normalized=False))
    out["masked.weight"] = floats(nx.betweenness_centrality(H, weight="weight"))
    if spec.get("exact"):
        out["betweenness"] = floats(nx.betweenness_centrality(G))
        out["betweenness.raw"] = floats(nx.betweenness_centrality(G, normalized=False))
        out["closeness"] = floats(nx.closeness_centrality(G))
        out["harmonic"] = floats(nx.harmonic_centrality(G))
        out["betweenness.weight"] = floats(nx.betweenness_centrality(G, weight="weight"))
        out["closeness.weight"] = floats(nx.closeness_centrality(G, distance="weight"))
        out["harmonic.weight"] = floats(nx.harmonic_centrality(G, distance="weight"))
    return out


def main():
    request = json.load(sys.stdin)
    graphs = [{"name": spec["name"], "metrics": metrics(spec)} for spec in request["graphs"]]
    json.dump({"networkx": nx.__version__, "graphs": graphs}, sys.stdout)


if __name__ == "__main__":
    main()
