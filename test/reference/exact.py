"""Weighted betweenness in exact rational arithmetic, for the tie tests.

Reads {"graphs": [{"name", "nodes", "edges": [[u, v, w], ...]}, ...]} on stdin
(the simple view of graphs.py) and writes on stdout
{"networkx", "graphs": [{"name", "exact": {...}, "networkx": {...}}]}:

- "exact": Brandes' betweenness (unnormalised, each unordered pair once) with
  the length of a tie 1/w held as a `fractions.Fraction`, so two routes of
  equal length compare equal however their sums round in binary. Written
  here from Brandes (2001), not networkx's code: Dijkstra with a heap keyed
  on Fractions, integer path counts, Fraction dependencies. The values are
  rationals, written as the nearest floats.
- "networkx": networkx's `betweenness_centrality(G, weight=…,
  normalized=False)` on float lengths 1.0 / w, which it compares exactly.
"""

import heapq
import json
import sys
from fractions import Fraction

import networkx as nx

from graphs import build


def exact_betweenness(G):
    """Brandes over every source on Fraction lengths 1/w; each pair counted once."""
    length = {}
    for u, v, data in G.edges(data=True):
        length[(u, v)] = length[(v, u)] = 1 / Fraction(data["weight"])
    total = {node: Fraction(0) for node in G}
    for source in G:
        distance = {source: Fraction(0)}
        paths = {source: 1}
        parents = {source: []}
        order = []
        settled = set()
        heap = [(Fraction(0), 0, source)]
        pushed = 1
        while heap:
            d, _, v = heapq.heappop(heap)
            if v in settled:
                continue
            settled.add(v)
            order.append(v)
            for w in G[v]:
                through = d + length[(v, w)]
                if w not in distance or through < distance[w]:
                    distance[w] = through
                    paths[w] = paths[v]
                    parents[w] = [v]
                    heapq.heappush(heap, (through, pushed, w))
                    pushed += 1
                elif through == distance[w] and w not in settled:
                    paths[w] += paths[v]
                    parents[w].append(v)
        dependency = {v: Fraction(0) for v in order}
        for w in reversed(order):
            for v in parents[w]:
                dependency[v] += Fraction(paths[v], paths[w]) * (1 + dependency[w])
            if w != source:
                total[w] += dependency[w]
    # Each unordered pair was reached from both ends.
    return {str(node): float(value / 2) for node, value in total.items()}


def main():
    request = json.load(sys.stdin)
    out = []
    for spec in request["graphs"]:
        G = build(spec)
        for _, _, data in G.edges(data=True):
            data["dist"] = 1.0 / data["weight"]
        floats = nx.betweenness_centrality(G, weight="dist", normalized=False)
        out.append(
            {
                "name": spec["name"],
                "exact": exact_betweenness(G),
                "networkx": {str(k): float(v) for k, v in floats.items()},
            }
        )
    json.dump({"networkx": nx.__version__, "graphs": out}, sys.stdout)


if __name__ == "__main__":
    main()
