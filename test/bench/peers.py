"""The peers' side of the ocgnet benchmark: networkx and python-igraph run the
same tasks on the same graph, timed in-process (graph loading excluded).

stdin: {"graph": {"nodes": [...], "edges": [[u, v, w], ...]}, "tasks": [...], "peers": [...], "steps": 10}
stdout: {"versions": {...}, "results": [{"peer", "task", "seconds", "check"}]}
"""
import json
import sys
import time

import networkx as nx
import igraph as ig


def tie_key(scores, node):
    # Highest score first; ties (equal to 10 significant digits) by node id ascending.
    return (-float(f"{scores[node]:.10g}"), node)


def nx_removal(G, steps):
    G = G.copy()
    removed = []
    for _ in range(steps):
        if G.number_of_nodes() == 0:
            break
        scores = nx.betweenness_centrality(G)
        target = min(G.nodes, key=lambda node: tie_key(scores, node))
        G.remove_node(target)
        removed.append(target)
    return removed


def ig_removal(g, steps):
    g = g.copy()
    removed = []
    for _ in range(steps):
        if g.vcount() == 0:
            break
        n = g.vcount()
        raw = g.betweenness(directed=False)
        scale = 1.0 / ((n - 1) * (n - 2)) * 2 if n > 2 else 1.0
        names = g.vs["name"]
        scores = {names[i]: raw[i] * scale for i in range(n)}
        target = min(names, key=lambda node: tie_key(scores, node))
        g.delete_vertices(names.index(target))
        removed.append(target)
    return removed


def main():
    request = json.load(sys.stdin)
    nodes = request["graph"]["nodes"]
    edges = request["graph"]["edges"]
    steps = request.get("steps", 10)
    G = nx.Graph()
    G.add_nodes_from(nodes)
    G.add_edges_from((u, v) for u, v, _ in edges)
    g = ig.Graph()
    g.add_vertices(nodes)
    g.add_edges([(u, v) for u, v, _ in edges])
    results = []

    def timed(peer, task, run, check):
        start = time.perf_counter()
        value = run()
        results.append({"peer": peer, "task": task, "seconds": time.perf_counter() - start, "check": check(value)})

    for task in request["tasks"]:
        for peer in request["peers"]:
            if task == "betweenness":
                if peer == "networkx":
                    timed(peer, task, lambda: nx.betweenness_centrality(G), lambda v: max(v.values()))
                else:
                    n = g.vcount()
                    timed(peer, task, lambda: g.betweenness(directed=False), lambda v: max(v) * 2 / ((n - 1) * (n - 2)))
            elif task == "pagerank":
                if peer == "networkx":
                    timed(peer, task, lambda: nx.pagerank(G, weight=None), lambda v: max(v.values()))
                else:
                    timed(peer, task, lambda: g.pagerank(directed=False), lambda v: max(v))
            elif task == "components":
                if peer == "networkx":
                    timed(peer, task, lambda: list(nx.connected_components(G)), lambda v: len(v))
                else:
                    timed(peer, task, lambda: g.connected_components(), lambda v: len(v))
            elif task == "removal":
                if peer == "networkx":
                    timed(peer, task, lambda: nx_removal(G, steps), lambda v: v)
                else:
                    timed(peer, task, lambda: ig_removal(g, steps), lambda v: v)
    print(json.dumps({"versions": {"networkx": nx.__version__, "igraph": ig.__version__, "python": sys.version.split()[0]}, "results": results}))


if __name__ == "__main__":
    main()
