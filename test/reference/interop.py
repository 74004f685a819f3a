"""File interop with networkx and igraph, both ways (issue 19).

Reads one JSON object on stdin and writes one on stdout.

  {"write": [{"name", "tool": "networkx" | "igraph", "format", "path", "graph"}, ...],
   "read":  [{"name", "tool": "networkx" | "igraph", "format", "path", "nodes_path"?, "directed"}, ...]}

"write": the peer writes `graph` to `path` with its own writer. `graph` is
  {"directed": bool, "nodes": [{"id", "attributes": {...}}], "edges": [{"source", "target", "attributes": {...}}]}
  and the formats are
    networkx: graphml, gexf, pajek, edgelist (write_edgelist, its default data
              column), edgelist-nodata (data=False), edgelist-weight
              (data=["weight"]), weighted-edgelist (write_weighted_edgelist)
    igraph:   graphml, pajek, ncol, ncol-noweights, edgelist (0-based indices)
  Each result says what networkx computes on the graph written: degree and
  strength (weighted degree) per node, in+out for a directed graph.

"read": the peer reads a file ocgnet wrote with its own reader
    networkx: graphml (read_graphml), gexf (read_gexf), pajek (read_pajek),
              csv (the csv module: an edge list and a node list)
    igraph:   graphml (Read_GraphML), pajek (Read_Pajek), dl (Read_DL)
  and reports what it found: direction, nodes with attributes, edges with
  attributes (undirected pairs sorted), and degree and strength per node as
  networkx computes them on what was read.

Every result is {"name", "ok", "error"?, ...}: a peer refusing a file is a result.
"""

import csv
import json
import math
import sys

import igraph
import networkx as nx

# --- writing -----------------------------------------------------------------


def nx_graph(spec):
    g = nx.DiGraph() if spec["directed"] else nx.Graph()
    for node in spec["nodes"]:
        g.add_node(node["id"], **node["attributes"])
    for edge in spec["edges"]:
        g.add_edge(edge["source"], edge["target"], **edge["attributes"])
    return g


def ig_graph(spec):
    g = igraph.Graph(directed=spec["directed"])
    g.add_vertices([node["id"] for node in spec["nodes"]])
    for name in sorted({k for node in spec["nodes"] for k in node["attributes"]}):
        g.vs[name] = [node["attributes"].get(name) for node in spec["nodes"]]
    g.add_edges([(edge["source"], edge["target"]) for edge in spec["edges"]])
    for name in sorted({k for edge in spec["edges"] for k in edge["attributes"]}):
        g.es[name] = [edge["attributes"].get(name) for edge in spec["edges"]]
    return g


def write(entry):
    spec, path, fmt = entry["graph"], entry["path"], entry["format"]
    if entry["tool"] == "networkx":
        g = nx_graph(spec)
        writers = {
            "graphml": lambda: nx.write_graphml(g, path),
            "gexf": lambda: nx.write_gexf(g, path),
            "pajek": lambda: nx.write_pajek(g, path),
            "edgelist": lambda: nx.write_edgelist(g, path),
            "edgelist-nodata": lambda: nx.write_edgelist(g, path, data=False),
            "edgelist-weight": lambda: nx.write_edgelist(g, path, data=["weight"]),
            "weighted-edgelist": lambda: nx.write_weighted_edgelist(g, path),
        }
    else:
        g = ig_graph(spec)
        writers = {
            "graphml": lambda: g.write_graphml(path),
            "pajek": lambda: g.write_pajek(path),
            "ncol": lambda: g.write_ncol(path),
            "ncol-noweights": lambda: g.write_ncol(path, weights=None),
            "edgelist": lambda: g.write_edgelist(path),
        }
    writers[fmt]()
    reference = nx_graph(spec)
    return {"degree": dict(reference.degree()), "strength": dict(reference.degree(weight="weight"))}


# --- reading -----------------------------------------------------------------


def plain(value):
    """A JSON value, or None for what the peer uses to mean 'no value'."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (bool, int, float, str)):
        return value
    return None if value is None else str(value)


def clean(attributes, skip=()):
    out = {}
    for name, value in attributes.items():
        value = plain(value)
        if name not in skip and value is not None:
            out[name] = value
    return out


def report(g, nodes, edges, directed):
    """The common answer: g is a networkx graph of what the peer read, for the metrics."""
    edges = [[u, v, a] if directed or u <= v else [v, u, a] for u, v, a in edges]
    edges.sort(key=lambda e: (e[0], e[1]))
    return {
        "directed": directed,
        "nodes": nodes,
        "edges": edges,
        "degree": dict(g.degree()),
        "strength": dict(g.degree(weight="weight")),
    }


def from_networkx(g, skip_node=(), skip_edge=()):
    nodes = [{"id": str(n), "attributes": clean(a, skip_node)} for n, a in g.nodes(data=True)]
    edges = [[str(u), str(v), clean(a, skip_edge)] for u, v, a in g.edges(data=True)]
    return report(g, nodes, edges, g.is_directed())


def from_igraph(g, skip_edge=()):
    attributes = g.vs.attributes()
    # igraph keeps a GraphML node id in `id`, a Pajek or DL label in `name` (or `id`).
    key = next((k for k in ("name", "id", "label") if k in attributes), None)
    names = [str(v[key]) if key else str(v.index) for v in g.vs]
    nodes = [{"id": names[v.index], "attributes": clean(v.attributes(), {key})} for v in g.vs]
    edges = [[names[e.source], names[e.target], clean(e.attributes(), skip_edge)] for e in g.es]
    mirror = nx.DiGraph() if g.is_directed() else nx.Graph()
    mirror.add_nodes_from(names)
    for u, v, a in edges:
        mirror.add_edge(u, v, **a)
    return report(mirror, nodes, edges, g.is_directed())


def read_csv(entry):
    directed = entry["directed"]
    g = nx.DiGraph() if directed else nx.Graph()
    with open(entry["nodes_path"], newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            g.add_node(row.pop("id"), **{k: v for k, v in row.items() if v != ""})
    with open(entry["path"], newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            attributes = {k: v for k, v in row.items() if k not in ("source", "target") and v != ""}
            if "weight" in attributes:
                attributes["weight"] = float(attributes["weight"])
            g.add_edge(row["source"], row["target"], **attributes)
    return from_networkx(g)


def read(entry):
    path, fmt = entry["path"], entry["format"]
    if entry["tool"] == "networkx":
        if fmt == "graphml":
            # ocgnet writes its edge keys as GraphML edge ids; networkx keeps them as an `id` attribute.
            return from_networkx(nx.read_graphml(path), skip_edge={"id"})
        if fmt == "gexf":
            return from_networkx(nx.read_gexf(path), skip_node={"label"}, skip_edge={"id"})
        if fmt == "pajek":
            # read_pajek gives a multigraph; ocgnet writes no parallel edges, so a simple graph holds it.
            multi = nx.read_pajek(path)
            g = nx.DiGraph(multi) if multi.is_directed() else nx.Graph(multi)
            return from_networkx(g, skip_node={"id"})
        if fmt == "csv":
            return read_csv(entry)
    else:
        if fmt == "graphml":
            return from_igraph(igraph.Graph.Read_GraphML(path), skip_edge={"id"})
        if fmt == "pajek":
            return from_igraph(igraph.Graph.Read_Pajek(path))
        if fmt == "dl":
            return from_igraph(igraph.Graph.Read_DL(path, directed=entry["directed"]))
    raise ValueError(f"no {entry['tool']} reader for {fmt}")


def attempt(entry, action):
    try:
        return {"name": entry["name"], "ok": True, **action(entry)}
    except Exception as error:  # the peer's refusal is the result
        return {"name": entry["name"], "ok": False, "error": f"{type(error).__name__}: {error}"}


def main():
    spec = json.load(sys.stdin)
    out = {
        "networkx": nx.__version__,
        "igraph": igraph.__version__,
        "write": [attempt(entry, write) for entry in spec.get("write", [])],
        "read": [attempt(entry, read) for entry in spec.get("read", [])],
    }
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
