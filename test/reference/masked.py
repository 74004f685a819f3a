"""Reference measures of a graph with some nodes removed, from networkx, for
the masked CSR kernels of @ocgnet/analysis (removal masks).

Reads on stdin
  {"graphs": [{"name", "nodes", "edges": [[u, v, w], ...], "removed": [...]}, ...]}
and writes on stdout
  {"networkx": version,
   "graphs": [{"name", "sizes": [...], "components": [[node, ...], ...],
               "efficiency", "closeness": {node: value}, "harmonic": {node: value}}]}
each computed on G.subgraph(nodes not removed): component sizes largest first
(nx.connected_components), each component's nodes sorted, nx.global_efficiency,
nx.closeness_centrality and nx.harmonic_centrality (unweighted).

The graph is built as ocgnet's CSR snapshot sees it: undirected, simple,
self-loops left out.
"""

import json
import sys

import networkx as nx


def main():
    spec = json.load(sys.stdin)
    out = []
    for graph in spec["graphs"]:
        G = nx.Graph()
        G.add_nodes_from(graph["nodes"])
        G.add_edges_from((u, v) for u, v, _w in graph["edges"] if u != v)
        removed = set(graph["removed"])
        H = G.subgraph([v for v in G.nodes if v not in removed]).copy()
        components = sorted((sorted(c) for c in nx.connected_components(H)), key=len, reverse=True)
        out.append(
            {
                "name": graph["name"],
                "sizes": [len(c) for c in components],
                "components": components,
                "efficiency": nx.global_efficiency(H),
                "closeness": nx.closeness_centrality(H),
                "harmonic": nx.harmonic_centrality(H),
            }
        )
    json.dump({"networkx": nx.__version__, "graphs": out}, sys.stdout)


if __name__ == "__main__":
    main()
