"""The peers' side of the ocgnet benchmark: one task, one tool, one process.

    .venv/bin/python test/bench/peers.py --tool igraph|networkx|scipy --task TASK --graph FILE [options]

The graph is a plain `u v` edge list (integer labels 0 … n−1), read with
igraph's `Graph.Read_Edgelist(path, directed=False)` or networkx's
`read_edgelist(path, nodetype=int)`. Loading is excluded from the time except
for the "load" task. Prints one JSON line on stdout:

    {"seconds": s, "maxRssKb": peak RSS of this process, "check": {...}}

Tasks: baseline (no graph: the interpreter with the tool imported), load,
degree, pagerank, components (these three: the median of up to 11 runs when
one takes under 0.2 s, as ocgnet-task.ts), betweenness (exact),
sampled (betweenness from the sources in --pivots, one label per line),
closeness, harmonic, closeness-harmonic (the two timed together), louvain,
leiden (igraph only: community_leiden, modularity objective, n_iterations as
ocgnet's: until stable up to 20,000 ties, else 2),
removal (sequential exact-betweenness removal, --steps), and three that time
nothing: versions; score (igraph only: modularity of each --membership file by
igraph's `Graph.modularity`, and NMI against --truth by
`compare_communities(method="nmi")`); and pagerank-reference (--tool scipy:
the converged PageRank vector the bench measures every tool's error against).

Closeness is Wasserman–Faust's, as networkx's `closeness_centrality` and
ocgnet's: (r − 1)/s × (r − 1)/(n − 1) for a node reaching r nodes (itself
included) at total distance s. igraph's `closeness()` is (r − 1)/s over the
reached nodes only, so it is multiplied by (r − 1)/(n − 1), r from the
component sizes, inside the timed call (it differs from networkx's only on
a disconnected graph). Harmonic is not normalised on every side.

PageRank (alpha 0.85, unweighted): networkx iterates until the L1 change is
below --pagerank-l1 (tol = that / n, max_iter 1000; ocgnet runs its default
rule, within 1e-10 of the fixed point);
igraph's PRPACK solves the linear system directly and takes no tolerance.
The reference is a SciPy power iteration of the same definition (dangling
mass spread uniformly), written here, run until the L1 change is below 1e-15
or stops falling.

--out FILE writes the per-node vector (pagerank, closeness, harmonic:
float64, closeness-harmonic: closeness then harmonic; louvain, leiden: one community
id per line) in label order.
"""
import argparse
import json
import random
import resource
import sys
import time
from array import array


def peak_rss_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def tie_key(scores, node):
    # Highest score first; ties (equal to 10 significant digits) by node id ascending (as strings, like ocgnet).
    return (-float(f"{scores[node]:.10g}"), node)


def nx_removal(nx, G, steps):
    G = G.copy()
    removed = []
    n0 = G.number_of_nodes()
    for _ in range(min(steps, n0)):
        scores = nx.betweenness_centrality(G)
        target = min(G.nodes, key=lambda node: tie_key(scores, node))
        G.remove_node(target)
        removed.append(target)
    return removed


def ig_removal(g, steps):
    g = g.copy()
    removed = []
    for _ in range(min(steps, g.vcount())):
        n = g.vcount()
        raw = g.betweenness(directed=False)
        scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0
        names = g.vs["name"]
        scores = {names[i]: raw[i] * scale for i in range(n)}
        target = min(names, key=lambda node: tie_key(scores, node))
        g.delete_vertices(names.index(target))
        removed.append(target)
    return removed


def timed_median(task):
    """One run; when it takes under 0.2 s, more (at most 11 in all, within about 1 s); the median. As ocgnet-task.ts."""
    times = []
    total = 0.0
    while True:
        start = time.perf_counter()
        value = task()
        times.append(time.perf_counter() - start)
        total += times[-1]
        if not (times[0] < 0.2 and len(times) < 11 and total < 1):
            break
    times.sort()
    return times[len(times) // 2], value, len(times)


def wf_closeness(g):
    """igraph's closeness with the Wasserman–Faust factor (r − 1)/(n − 1), as networkx and ocgnet."""
    n = g.vcount()
    raw = g.closeness()
    if n <= 1:
        return [0.0] * n
    components = g.connected_components()
    sizes = components.sizes()
    size_of = [sizes[c] for c in components.membership]
    # igraph gives NaN for an isolate (nothing reached); Wasserman–Faust gives 0.
    return [0.0 if r <= 1 or c != c else c * (r - 1) / (n - 1) for c, r in zip(raw, size_of)]


def pagerank_reference(path, alpha=0.85):
    """PageRank of an unweighted `u v` edge list by SciPy power iteration, to an L1 change below 1e-15."""
    import numpy as np
    import scipy.sparse as sp

    edges = np.loadtxt(path, dtype=np.int64, ndmin=2)
    n = int(edges.max()) + 1 if edges.size else 0
    keep = edges[:, 0] != edges[:, 1]  # self-loops left out, as ocgnet's snapshot
    u, v = edges[keep, 0], edges[keep, 1]
    A = sp.coo_matrix((np.ones(2 * len(u)), (np.concatenate([u, v]), np.concatenate([v, u]))), shape=(n, n)).tocsr()
    A.data[:] = 1.0  # a repeated edge is one tie (ocgnet's edge-list rule); the bench graphs have none
    degree = np.asarray(A.sum(axis=1)).ravel()
    dangling = degree == 0
    inverse = np.where(dangling, 0.0, 1.0 / np.where(dangling, 1.0, degree))
    P = sp.diags(inverse) @ A
    x = np.full(n, 1.0 / n)
    change = np.inf
    iterations = 0
    while iterations < 100000:
        nxt = alpha * (P.T @ x + x[dangling].sum() / n) + (1 - alpha) / n
        iterations += 1
        step = np.abs(nxt - x).sum()
        x = nxt
        if step < 1e-15 or step >= change:
            change = step
            break
        change = step
    return x, iterations, change


def read_lines(path):
    with open(path) as handle:
        return [line.strip() for line in handle if line.strip()]


def write_floats(path, values):
    with open(path, "wb") as handle:
        array("d", values).tofile(handle)


def write_membership(path, membership):
    with open(path, "w") as handle:
        handle.write("".join(f"{c}\n" for c in membership))


def run_igraph(args):
    import igraph as ig

    random.seed(args.seed)  # python-igraph draws from Python's random module
    start = time.perf_counter()
    g = ig.Graph.Read_Edgelist(args.graph, directed=False)
    loaded = time.perf_counter()
    task = args.task
    if task == "load":
        return loaded - start, {"nodes": g.vcount(), "edges": g.ecount()}
    if task in ("degree", "pagerank", "components"):
        run = {"degree": g.degree, "pagerank": lambda: g.pagerank(directed=False), "components": g.connected_components}[task]
        seconds, value, runs = timed_median(run)
        if task == "pagerank" and args.out:
            write_floats(args.out, value)
        check = {"count": len(value)} if task == "components" else {"max": max(value)}
        return seconds, check, runs
    if task == "removal":
        g.vs["name"] = [str(i) for i in range(g.vcount())]
    pivots = [int(p) for p in read_lines(args.pivots)] if task == "sampled" else None
    t0 = time.perf_counter()
    if task == "betweenness":
        value = g.betweenness(directed=False)
        t1 = time.perf_counter()
        check = {"max": max(value), "sum": sum(value)}
    elif task == "sampled":
        value = g.betweenness(directed=False, sources=pivots)
        t1 = time.perf_counter()
        check = {"max": max(value), "sum": sum(value), "pivots": len(pivots)}
    elif task in ("closeness", "harmonic", "closeness-harmonic"):
        vectors = []
        if task != "harmonic":
            vectors.append(("closenessMax", wf_closeness(g)))
        if task != "closeness":
            vectors.append(("harmonicMax", g.harmonic_centrality(normalized=False)))
        t1 = time.perf_counter()
        check = {name: max(vector) for name, vector in vectors}
        if args.out:
            write_floats(args.out, [x for _name, vector in vectors for x in vector])
    elif task in ("louvain", "leiden"):
        if task == "louvain":
            value = g.community_multilevel()
        else:
            # As ocgnet's leidenOnCsr: until stable up to 20,000 ties (EXHAUSTIVE_TIES), else 2 iterations.
            iterations = -1 if g.ecount() <= 20000 else 2
            value = g.community_leiden(objective_function="modularity", n_iterations=iterations)
        t1 = time.perf_counter()
        check = {"communities": len(value), "modularity": value.modularity}
        if args.out:
            write_membership(args.out, value.membership)
    elif task == "removal":
        value = ig_removal(g, args.steps)
        t1 = time.perf_counter()
        check = {"removed": value}
    elif task == "score":
        result = {"modularity": [], "nmi": []}
        truth = [int(x) for x in read_lines(args.truth)] if args.truth else None
        for path in args.membership:
            membership = [int(x) for x in read_lines(path)]
            result["modularity"].append(g.modularity(membership))
            result["nmi"].append(ig.compare_communities(truth, membership, method="nmi") if truth else None)
        return 0.0, result
    else:
        raise SystemExit(f"peers.py: igraph has no task {task!r}")
    return t1 - t0, check


def run_networkx(args):
    import networkx as nx

    task = args.task
    nodetype = str if task == "removal" else int
    start = time.perf_counter()
    G = nx.read_edgelist(args.graph, nodetype=nodetype)
    loaded = time.perf_counter()
    if task == "load":
        return loaded - start, {"nodes": G.number_of_nodes(), "edges": G.number_of_edges()}
    if task == "pagerank":
        import scipy.sparse  # noqa: F401  networkx's pagerank imports SciPy on its first call; not part of the time
    if task in ("degree", "pagerank", "components"):
        run = {"degree": lambda: dict(G.degree()), "pagerank": lambda: nx.pagerank(G, weight=None, tol=args.pagerank_l1 / G.number_of_nodes(), max_iter=1000), "components": lambda: list(nx.connected_components(G))}[task]
        seconds, value, runs = timed_median(run)
        if task == "pagerank" and args.out:
            write_floats(args.out, [value[i] for i in range(G.number_of_nodes())])
        check = {"count": len(value)} if task == "components" else {"max": max(value.values())}
        return seconds, check, runs
    t0 = time.perf_counter()
    if task == "betweenness":
        value = nx.betweenness_centrality(G, normalized=False)
        t1 = time.perf_counter()
        check = {"max": max(value.values()), "sum": sum(value.values())}
    elif task in ("closeness", "harmonic", "closeness-harmonic"):
        vectors = []
        if task != "harmonic":
            vectors.append(("closenessMax", nx.closeness_centrality(G)))
        if task != "closeness":
            vectors.append(("harmonicMax", nx.harmonic_centrality(G)))
        t1 = time.perf_counter()
        check = {name: max(vector.values()) for name, vector in vectors}
        if args.out:
            write_floats(args.out, [vector[i] for _name, vector in vectors for i in range(G.number_of_nodes())])
    elif task == "louvain":
        value = nx.community.louvain_communities(G, seed=args.seed)
        t1 = time.perf_counter()
        membership = [0] * G.number_of_nodes()
        for c, members in enumerate(value):
            for node in members:
                membership[node] = c
        check = {"communities": len(value), "modularity": nx.community.modularity(G, value)}
        if args.out:
            write_membership(args.out, membership)
    elif task == "removal":
        value = nx_removal(nx, G, args.steps)
        t1 = time.perf_counter()
        check = {"removed": value}
    else:
        raise SystemExit(f"peers.py: networkx has no task {task!r}")
    return t1 - t0, check


def versions():
    import igraph as ig
    import networkx as nx

    return {"python": sys.version.split()[0], "igraph": ig.__version__, "networkx": nx.__version__}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tool", choices=["igraph", "networkx", "scipy"], default="igraph")
    parser.add_argument("--task", required=True)
    parser.add_argument("--graph")
    parser.add_argument("--pivots")
    parser.add_argument("--out")
    parser.add_argument("--truth")
    parser.add_argument("--membership", action="append", default=[])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--pagerank-l1", type=float, default=1e-10)
    args = parser.parse_args()
    if args.task == "pagerank-reference":
        x, iterations, change = pagerank_reference(args.graph)
        if args.out:
            x.astype("<f8").tofile(args.out)
        print(json.dumps({"seconds": 0, "maxRssKb": peak_rss_kb(), "check": {"iterations": iterations, "l1Change": change, "sum": float(x.sum())}}))
        return
    if args.task in ("versions", "baseline"):
        if args.task == "baseline":
            __import__(args.tool)
        print(json.dumps({"seconds": 0, "maxRssKb": peak_rss_kb(), "check": versions() if args.task == "versions" else {}}))
        return
    seconds, check, *runs = (run_igraph if args.tool == "igraph" else run_networkx)(args)
    print(json.dumps({"seconds": seconds, "runs": runs[0] if runs else 1, "maxRssKb": peak_rss_kb(), "check": check}))


if __name__ == "__main__":
    main()
