"""Reference figures for ocgnet's Leiden communities (python-igraph 1.0, networkx 3.6).

stdin: {"graphs": [{"name", "nodes": [...], "edges": [[u, v, w], ...], "partition": {node: community},
                    "resolution": 1, "seeds": 10}]}
stdout: {"graphs": [{"name",
                     "igraph": best modularity over seeds 1..seeds of igraph's community_leiden
                               (objective_function="modularity", weights, n_iterations=-1, random.seed(s)),
                     "igraph_seeds": [modularity per seed],
                     "ours": networkx modularity of our partition,
                     "connected": whether each of our communities induces a connected subgraph (networkx)}]}
Edges are the undirected simple graph ocgnet analyses; "w" is 1 when unweighted.
"""
import json
import random
import sys

import igraph as ig
import networkx as nx


def leiden_best(spec, resolution):
    index = {node: i for i, node in enumerate(spec["nodes"])}
    g = ig.Graph(n=len(index), edges=[(index[u], index[v]) for u, v, _w in spec["edges"]])
    weights = [w for _u, _v, w in spec["edges"]]
    found = []
    for seed in range(1, spec.get("seeds", 10) + 1):
        random.seed(seed)
        clusters = g.community_leiden(
            objective_function="modularity", weights=weights, resolution=resolution, n_iterations=-1
        )
        found.append(g.modularity(clusters.membership, weights=weights, resolution=resolution))
    return found


def main():
    data = json.load(sys.stdin)
    out = {"graphs": []}
    for spec in data["graphs"]:
        resolution = spec.get("resolution", 1)
        g = nx.Graph()
        g.add_nodes_from(spec["nodes"])
        for u, v, w in spec["edges"]:
            g.add_edge(u, v, weight=w)
        blocks = {}
        for node, c in spec["partition"].items():
            blocks.setdefault(c, set()).add(node)
        seeds = leiden_best(spec, resolution)
        out["graphs"].append({
            "name": spec["name"],
            "igraph": max(seeds),
            "igraph_seeds": seeds,
            "ours": nx.community.modularity(g, list(blocks.values()), weight="weight", resolution=resolution),
            "connected": all(nx.is_connected(g.subgraph(block)) for block in blocks.values()),
        })
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
