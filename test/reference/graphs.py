"""Graphs as the reference scripts read them: the same undirected simple view
as ocgnet's CSR snapshot (parallel edges merged with weights summed,
self-loops left out), with nodes added first so isolates exist and order is kept."""
import networkx as nx


def build(spec):
    G = nx.Graph()
    G.add_nodes_from(spec["nodes"])
    for u, v, w in spec["edges"]:
        if u == v:
            continue
        w = float(w)
        if G.has_edge(u, v):
            G[u][v]["weight"] += w
        else:
            G.add_edge(u, v, weight=w)
    return G
