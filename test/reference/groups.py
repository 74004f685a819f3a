"""Reference figures for @ocgnet/analysis groups (networkx 3.6, scikit-learn 1.9).

stdin: {
  "graphs": [{"name", "nodes": [...], "edges": [[u, v, w], ...], "partition": {node: community}, "resolution": 1, "igraph": false}],
  "labels": [[[a labels...], [b labels...]], ...],
  "subgraphs": [{"nodes": [...], "edges": [[u, v], ...]}],
  "edge_lists": [{"path": a plain edge list file, "partition": {node: community}, "betweenness": false}]
}
stdout: {
  "graphs": [{"name", "louvain": networkx louvain modularity (seed 42), "ours": networkx modularity of our partition,
              "igraph": igraph 1.0 community_multilevel modularity (random.seed(42)), only when asked}],
  "labels": [{"nmi", "ari"}],
  "subgraphs": [{"betweenness": {node: b}, "coreness": {node: k}}],
  "edge_lists": [{"degree": {node: d}, "pagerank": {node: p}, "component_sizes": [...], "component_size_of": {node: size},
                  "ours": networkx modularity of our partition, "louvain": networkx louvain modularity (seed 42),
                  "betweenness": {node: normalised b}, only when asked}]
}
"""
import json
import random
import sys

import networkx as nx
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score


def graph_of(spec):
    g = nx.Graph()
    g.add_nodes_from(spec["nodes"])
    for u, v, w in spec["edges"]:
        g.add_edge(u, v, weight=w)
    return g


def igraph_multilevel(spec, resolution):
    """igraph's Louvain (community_multilevel) on the same weighted graph; its modularity at the same resolution."""
    import igraph as ig

    index = {node: i for i, node in enumerate(spec["nodes"])}
    g = ig.Graph(n=len(index), edges=[(index[u], index[v]) for u, v, _w in spec["edges"]])
    weights = [w for _u, _v, w in spec["edges"]]
    random.seed(42)
    found = g.community_multilevel(weights=weights, resolution=resolution)
    return g.modularity(found.membership, weights=weights, resolution=resolution)


def read_plain_edge_list(path):
    """A `u v` / `u,v` edge list (comments # and %) as ocgnet's snapshot sees it: simple, undirected, no self-loops."""
    g = nx.Graph()
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            text = line.strip()
            if not text or text[0] in "#%":
                continue
            fields = text.replace(",", " ").split()
            g.add_edge(fields[0], fields[1])
    g.remove_edges_from(list(nx.selfloop_edges(g)))
    return g


def edge_list_checks(spec):
    g = read_plain_edge_list(spec["path"])
    # Nodes an edge list cannot hold: isolates.
    g.add_nodes_from(spec.get("nodes", []))
    components = sorted(nx.connected_components(g), key=len, reverse=True)
    blocks = {}
    for node, c in spec["partition"].items():
        blocks.setdefault(c, set()).add(node)
    entry = {
        "degree": dict(g.degree()),
        # Run to round-off, as ocgnet's default 'converged' rule; networkx's default tol stops ~1e-5 short.
        "pagerank": nx.pagerank(g, weight=None, tol=1e-14, max_iter=100000),
        "component_sizes": [len(c) for c in components],
        "component_size_of": {node: len(c) for c in components for node in c},
        "articulation_points": sorted(nx.articulation_points(g)),
        "ours": nx.community.modularity(g, list(blocks.values())),
        "louvain": nx.community.modularity(g, nx.community.louvain_communities(g, seed=42)),
    }
    if spec.get("betweenness"):
        entry["betweenness"] = nx.betweenness_centrality(g, normalized=True)
    return entry


def main():
    data = json.load(sys.stdin)
    out = {"graphs": [], "labels": [], "subgraphs": []}
    for spec in data.get("graphs", []):
        g = graph_of(spec)
        resolution = spec.get("resolution", 1)
        found = nx.community.louvain_communities(g, weight="weight", resolution=resolution, seed=42)
        entry = {"name": spec["name"], "louvain": nx.community.modularity(g, found, weight="weight", resolution=resolution)}
        if spec.get("igraph"):
            entry["igraph"] = igraph_multilevel(spec, resolution)
        if "partition" in spec:
            blocks = {}
            for node, c in spec["partition"].items():
                blocks.setdefault(c, set()).add(node)
            entry["ours"] = nx.community.modularity(g, list(blocks.values()), weight="weight", resolution=resolution)
        out["graphs"].append(entry)
    for a, b in data.get("labels", []):
        out["labels"].append({"nmi": float(normalized_mutual_info_score(a, b)), "ari": float(adjusted_rand_score(a, b))})
    for spec in data.get("subgraphs", []):
        g = nx.Graph()
        g.add_nodes_from(spec["nodes"])
        g.add_edges_from(spec["edges"])
        out["subgraphs"].append({
            "betweenness": nx.betweenness_centrality(g, normalized=False),
            "coreness": nx.core_number(g),
        })
    out["edge_lists"] = [edge_list_checks(spec) for spec in data.get("edge_lists", [])]
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
