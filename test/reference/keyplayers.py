"""Reference key-player optima by brute force, for the disruption tests.

Reads {"graphs": [{"name", "nodes", "edges": [[u, v, w], ...]}, ...],
"negative_k": [1, 2, 3], "positive_k": [1, 2]} on stdin and writes
{"networkx": version, "graphs": [{"name", "n", "negative", "positive"}]}, where
- negative: {"fragmentation": [...], "distance": [...]}, one entry per k;
- positive: {"reach1": [...], "reach2": [...], "distance": [...]}, one per k;
and each entry is {"k", "score", "count", "sets"}: the best score over every
k-subset (itertools.combinations), how many subsets reach it (within 1e-12),
and those subsets as sorted id lists when there are at most 64 of them.

Definitions (Borgatti 2006, "Identifying sets of key players in a social
network", CMOT 12:21-34), on the graph without the set, N nodes remaining:
- fragmentation F = 1 - sum_k s_k(s_k - 1) / (N(N - 1)) over the components;
- distance-weighted fragmentation dF = 1 - global efficiency
  = 1 - sum_{i != j} (1/d_ij) / (N(N - 1)), unreachable pairs counting 0.
Both come from one breadth-first search from every node at once, run as
matrix products (numpy) on a batch of subsets, since networkx's
global_efficiency takes ~15 ms on a 70-node graph and k = 3 needs ~55,000
subsets. For every graph and k, the first 25 subsets are checked against
networkx (connected_components, global_efficiency) to 1e-12.
- reach within m steps: the share of non-members whose hop distance to the
  nearest member is at most m; distance-weighted reach: the mean over
  non-members of 1/d (0 when unreachable). Distances from
  nx.all_pairs_shortest_path_length.

The graph is undirected and simple: parallel edges merged, self-loops left out.
"""

import itertools
import json
import sys
from multiprocessing import Pool

import networkx as nx
import numpy as np

TIE = 1e-12
MAX_SETS = 64


def build(spec):
    G = nx.Graph()
    G.add_nodes_from(spec["nodes"])
    for u, v, _w in spec["edges"]:
        if u != v:
            G.add_edge(u, v)
    return G


def fragmentation_nx(G, removed):
    H = G.subgraph([v for v in G if v not in removed])
    N = H.number_of_nodes()
    if N < 2:
        return 1.0
    connected = sum(len(c) * (len(c) - 1) for c in nx.connected_components(H))
    return 1.0 - connected / (N * (N - 1))


def removal_scores(A, subsets, batch=256):
    """(F, dF) for removing each subset (tuples of indices): a level-synchronous
    BFS from every node at once, on a stack of adjacency matrices with the
    removed nodes' rows and columns zeroed (they then reach nothing and are
    reached by nothing)."""
    n = A.shape[0]
    out = []
    for start in range(0, len(subsets), batch):
        chunk = np.array(subsets[start : start + batch], dtype=np.int64)
        b, k = chunk.shape
        B = np.broadcast_to(A, (b, n, n)).copy()
        rows = np.repeat(np.arange(b), k)
        B[rows, chunk.ravel(), :] = 0
        B[rows, :, chunk.ravel()] = 0
        visited = np.broadcast_to(np.eye(n, dtype=bool), (b, n, n)).copy()
        frontier = visited.astype(np.float32)
        inverse = np.zeros(b)
        d = 0
        while True:
            d += 1
            new = (np.matmul(frontier, B) > 0) & ~visited
            counts = new.sum(axis=(1, 2))
            if not counts.any():
                break
            inverse += counts / d
            visited |= new
            frontier = new.astype(np.float32)
        N = n - k
        pairs = N * (N - 1)
        connected = visited.sum(axis=(1, 2)) - n  # ordered pairs of distinct remaining nodes joined by a path
        for c, e in zip(connected, inverse):
            out.append((1.0 if pairs == 0 else 1.0 - c / pairs, 1.0 if pairs == 0 else 1.0 - e / pairs))
    return out


def best_of(subsets, values, nodes, k):
    best = max(values)
    optimal = [S for S, v in zip(subsets, values) if v >= best - TIE]
    return {
        "k": k,
        "score": best,
        "count": len(optimal),
        "sets": [sorted(nodes[i] for i in S) for S in optimal] if len(optimal) <= MAX_SETS else None,
    }


def solve(job):
    spec, negative_k, positive_k = job
    G = build(spec)
    nodes = sorted(G)
    A = nx.to_numpy_array(G, nodelist=nodes, weight=None).astype(np.float32)

    negative = {"fragmentation": [], "distance": []}
    for k in negative_k:
        subsets = list(itertools.combinations(range(len(nodes)), k))
        scores = removal_scores(A, subsets)
        # Self-check of the matrix search against networkx on the first subsets.
        for S, (F, dF) in list(zip(subsets, scores))[:25]:
            removed = {nodes[i] for i in S}
            H = G.subgraph([v for v in G if v not in removed])
            assert abs(F - fragmentation_nx(G, removed)) < 1e-12, (spec["name"], S)
            assert abs(dF - (1.0 - nx.global_efficiency(H))) < 1e-12, (spec["name"], S)
        negative["fragmentation"].append(best_of(subsets, [F for F, _ in scores], nodes, k))
        negative["distance"].append(best_of(subsets, [dF for _, dF in scores], nodes, k))

    dist = dict(nx.all_pairs_shortest_path_length(G))

    def positive(value):
        def score(indices):
            S = [nodes[i] for i in indices]
            others = [t for t in nodes if t not in S]
            total = 0.0
            for t in others:
                ds = [dist[s][t] for s in S if t in dist[s]]
                if ds:
                    total += value(min(ds))
            return total / len(others)

        return score

    positive_scores = {
        "reach1": positive(lambda d: 1.0 if d <= 1 else 0.0),
        "reach2": positive(lambda d: 1.0 if d <= 2 else 0.0),
        "distance": positive(lambda d: 1.0 / d),
    }
    return {
        "name": spec["name"],
        "n": len(nodes),
        "negative": negative,
        "positive": {
            key: [best_of(subsets, [f(S) for S in subsets], nodes, k) for k in positive_k for subsets in [list(itertools.combinations(range(len(nodes)), k))]]
            for key, f in positive_scores.items()
        },
    }


def main():
    data = json.load(sys.stdin)
    jobs = [(spec, data.get("negative_k", [1, 2, 3]), data.get("positive_k", [1, 2])) for spec in data["graphs"]]
    # Largest first, so the pool's two halves finish together.
    jobs.sort(key=lambda job: -len(job[0]["nodes"]))
    with Pool() as pool:
        results = pool.map(solve, jobs, chunksize=1)
    results.sort(key=lambda r: r["name"])
    json.dump({"networkx": nx.__version__, "graphs": results}, sys.stdout)


if __name__ == "__main__":
    main()
