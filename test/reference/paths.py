"""networkx reference for @ocgnet/analysis navigation (paths and ego networks).

stdin: {"graphs": [{"name", "nodes", "edges": [[u, v, w], ...],
                    "pairs": [[a, b], ...], "centres": [c, ...],
                    "k": int, "maxPaths": int}]}
stdout: per graph, for each pair
  - "shortest": all_shortest_paths, by mode:
      "unweighted" (weight=None), "weight" (weight='weight', d = w),
      "inverse" (d = 1/w, in exact rational arithmetic, so that paths whose
      float sums would differ in the last bits still tie);
    each {"paths": [...] (at most maxPaths), "truncated": bool};
  - "simple": shortest_simple_paths by the same modes: the first k paths, then
    on while the length stays that of the k-th (at most 500 more), so that the
    last length class is complete when "complete" is true; each path with its
    "length" (float) and "exact" (the length as an exact fraction string);
and for each centre and radius 1-3 the ego_graph node and edge sets.
"""
import json
import sys
from fractions import Fraction
from itertools import islice

import networkx as nx

EXTRA = 500


def build(spec):
    G = nx.Graph()
    G.add_nodes_from(spec["nodes"])
    for u, v, w in spec["edges"]:
        G.add_edge(u, v, weight=w)
    return G


def inverse(_u, _v, data):
    return 1 / Fraction(data.get("weight", 1))


def edge_length(weight):
    if weight is None:
        return lambda _u, _v, _d: 1
    if weight == "weight":
        return lambda _u, _v, d: Fraction(d.get("weight", 1))
    return weight


MODES = {"unweighted": None, "weight": "weight", "inverse": inverse}


def shortest(G, a, b, weight, cap):
    try:
        paths = list(islice(nx.all_shortest_paths(G, a, b, weight=weight), cap + 1))
    except nx.NetworkXNoPath:
        paths = []
    return {"paths": paths[:cap], "truncated": len(paths) > cap}


def simple(G, a, b, weight, k):
    length_of = edge_length(weight)
    out = []
    try:
        for path in nx.shortest_simple_paths(G, a, b, weight=weight):
            length = sum((length_of(u, v, G[u][v]) for u, v in zip(path, path[1:])), Fraction(0))
            if len(out) >= k and length != out[k - 1][1]:
                return {"paths": [entry[0] for entry in out], "complete": True}
            if len(out) >= k + EXTRA:
                return {"paths": [entry[0] for entry in out], "complete": False}
            out.append(({"path": path, "length": float(length), "exact": str(length)}, length))
    except nx.NetworkXNoPath:
        pass
    return {"paths": [entry[0] for entry in out], "complete": True}


def main():
    request = json.load(sys.stdin)
    results = []
    for spec in request["graphs"]:
        G = build(spec)
        k = spec.get("k", 5)
        cap = spec.get("maxPaths", 20000)
        pairs = []
        for a, b in spec["pairs"]:
            pairs.append(
                {
                    "a": a,
                    "b": b,
                    "shortest": {mode: shortest(G, a, b, weight, cap) for mode, weight in MODES.items()},
                    "simple": {mode: simple(G, a, b, weight, k) for mode, weight in MODES.items()},
                }
            )
        egos = []
        for centre in spec["centres"]:
            for radius in (1, 2, 3):
                E = nx.ego_graph(G, centre, radius=radius)
                egos.append(
                    {
                        "centre": centre,
                        "radius": radius,
                        "nodes": sorted(E.nodes()),
                        "edges": sorted(sorted([u, v]) for u, v in E.edges()),
                    }
                )
        results.append({"name": spec["name"], "pairs": pairs, "egos": egos})
    json.dump({"networkx": nx.__version__, "graphs": results}, sys.stdout)


if __name__ == "__main__":
    main()
