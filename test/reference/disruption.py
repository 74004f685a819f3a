"""Reference removal curves from networkx, for the disruption tests.

Reads on stdin
  {"graphs": [{"name", "nodes", "edges": [[u, v, w], ...]}, ...],
   "runs": [{"strategy", "mode", "steps"}, ...]}
and writes on stdout
  {"networkx": version,
   "graphs": [{"name", "runs": [{"strategy", "mode", "removed": [...],
                                 "curve": [{"step", "removed", "lcc", "lccFraction",
                                            "components", "fragmentation",
                                            "distanceFragmentation", "efficiency"}]}]}]}
Every run is done on every graph, with steps = min(steps, number of nodes).

Scores (unweighted): degree G.degree, betweenness nx.betweenness_centrality
(normalised), pagerank nx.pagerank(G, weight=None) (alpha 0.85) run to
round-off (tol 1e-14) as ocgnet's default converged PageRank, coreness
nx.core_number. Sequential mode scores G.subgraph(remaining) again after every
removal; simultaneous mode ranks once on G.

The tie rule is ocgnet's (packages/disruption/src/simulate.ts): highest score
first, scores compared after rounding to 10 significant digits half away from
zero (as JavaScript's toPrecision(10)), ties by node id in JavaScript string
order, i.e. by UTF-16 code units.

Curve measures: components from nx.connected_components; F = 1 - sum s(s-1) /
(N(N-1)) over component sizes s of the N remaining nodes (1 when N < 2);
efficiency nx.global_efficiency; distance fragmentation 1 - efficiency (1 when
N < 2). lccFraction divides by the intact node count.

The graph is built as ocgnet's CSR snapshot sees it: undirected, simple,
parallel edges merged, self-loops left out.
"""

import json
import sys
from decimal import ROUND_HALF_UP, Context

import networkx as nx

ROUNDING = Context(prec=10, rounding=ROUND_HALF_UP)


def build(spec):
    G = nx.Graph()
    G.add_nodes_from(spec["nodes"])
    for u, v, w in spec["edges"]:
        if u == v:
            continue
        if G.has_edge(u, v):
            G[u][v]["weight"] += float(w)
        else:
            G.add_edge(u, v, weight=float(w))
    return G


def remaining_graph(G, remaining):
    # A copy, not the filtered view: networkx walks views many times slower.
    return G.subgraph(remaining).copy()


def ranking_key(score):
    return ROUNDING.create_decimal_from_float(float(score))


def id_key(node):
    return str(node).encode("utf-16-be")


def scores(strategy, H):
    if strategy == "degree":
        return dict(H.degree())
    if strategy == "betweenness":
        return nx.betweenness_centrality(H)
    if strategy == "pagerank":
        # Run to round-off, as ocgnet's default 'converged' rule; networkx's default tol stops ~1e-5 short.
        return nx.pagerank(H, weight=None, tol=1e-14, max_iter=100000) if len(H) > 0 else {}
    if strategy == "coreness":
        return nx.core_number(H)
    raise ValueError("unknown strategy " + strategy)


def ranked(values):
    return sorted(values, key=lambda node: (-ranking_key(values[node]), id_key(node)))


def measure(G, remaining, step, n, memo):
    key = frozenset(remaining)
    if key not in memo:
        memo[key] = connectedness(remaining_graph(G, key), n)
    return {"step": step, "removed": step, **memo[key]}


def connectedness(H, n):
    sizes = [len(c) for c in nx.connected_components(H)]
    N = len(H)
    pairs = N * (N - 1)
    connected = sum(s * (s - 1) for s in sizes)
    efficiency = nx.global_efficiency(H)
    lcc = max(sizes, default=0)
    return {
        "lcc": lcc,
        "lccFraction": lcc / n if n > 0 else 0,
        "components": len(sizes),
        "fragmentation": 1 - connected / pairs if pairs > 0 else 1,
        "distanceFragmentation": 1 - efficiency if pairs > 0 else 1,
        "efficiency": efficiency,
    }


def simulate(G, strategy, mode, steps, memo):
    n = len(G)
    steps = min(steps, n)
    remaining = set(G.nodes())
    removed = []
    curve = [measure(G, remaining, 0, n, memo)]
    if mode == "simultaneous":
        order = ranked(scores(strategy, G))[:steps]
    for step in range(1, steps + 1):
        if mode == "simultaneous":
            victim = order[step - 1]
        else:
            victim = ranked(scores(strategy, remaining_graph(G, remaining)))[0]
        remaining.discard(victim)
        removed.append(victim)
        curve.append(measure(G, remaining, step, n, memo))
    return {"strategy": strategy, "mode": mode, "removed": removed, "curve": curve}


def main():
    request = json.load(sys.stdin)
    out = []
    for spec in request["graphs"]:
        G = build(spec)
        memo = {}  # measures by remaining node set: runs often share prefixes
        runs = [simulate(G, r["strategy"], r["mode"], r["steps"], memo) for r in request["runs"]]
        out.append({"name": spec["name"], "runs": runs})
    json.dump({"networkx": nx.__version__, "graphs": out}, sys.stdout)


if __name__ == "__main__":
    main()
