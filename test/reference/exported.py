"""How the peer tools read the GraphML and GEXF `ocgnet analyse --out` writes (issue 19).

Reads on stdin
  {"graphml": path, "gexf": path}
and writes on stdout
  {"networkx_graphml": reading, "igraph_graphml": reading, "networkx_gexf": reading}
where a reading is
  {"directed": bool, "graph": {name: value}, "nodes": {id: {name: value}},
   "edges": number of edges read,
   "edgeList": [[u, v, {name: value}], ...],
   "degree": {id: degree}, "betweenness": {id: normalised betweenness}}
and the networkx GEXF reading also has "description", the text of <meta>'s
<description> (networkx does not read <meta>; ElementTree does).

networkx reads GraphML with read_graphml and GEXF with read_gexf; igraph reads
GraphML with Graph.Read_GraphML (node ids from its `id` attribute). igraph
gives every node every declared attribute, filling gaps with NaN (numbers) or
"" (strings); those gaps are left out here, so "nodes" holds what each node's
file entry says. degree and betweenness are the tool's own, recomputed on the
graph it read, as ocgnet analyses it: undirected, self-loops ignored.
"""

import json
import math
import sys
import xml.etree.ElementTree as ElementTree

import igraph
import networkx as nx


def plain(value):
    """JSON cannot carry NaN; a value the tool leaves unset is None."""
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def networkx_reading(G):
    simple = nx.Graph(G)
    simple.remove_edges_from(list(nx.selfloop_edges(simple)))
    return {
        "directed": G.is_directed(),
        "graph": {k: plain(v) for k, v in G.graph.items() if not isinstance(v, dict)},
        "nodes": {str(n): {k: plain(v) for k, v in data.items()} for n, data in G.nodes(data=True)},
        "edges": G.number_of_edges(),
        "edgeList": [[str(u), str(v), {k: plain(x) for k, x in data.items()}] for u, v, data in G.edges(data=True)],
        "degree": {str(n): d for n, d in simple.degree()},
        "betweenness": {str(n): b for n, b in nx.betweenness_centrality(simple, normalized=True).items()},
    }


def given(attributes):
    """What an igraph element's file entry says: igraph's gap fillers (NaN, "") left out."""
    return {k: v for k, v in attributes.items() if v != "" and not (isinstance(v, float) and math.isnan(v))}


def igraph_reading(g):
    ids = g.vs["id"]
    nodes = {node: given({k: v for k, v in vertex.attributes().items() if k != "id"}) for vertex, node in zip(g.vs, ids)}
    simple = g.as_undirected().simplify()
    return {
        "directed": g.is_directed(),
        "graph": {k: plain(g[k]) for k in g.attributes()},
        "nodes": nodes,
        "edges": g.ecount(),
        "edgeList": [[ids[e.source], ids[e.target], given(e.attributes())] for e in g.es],
        "degree": dict(zip(ids, simple.degree())),
        "betweenness": dict(zip(ids, normalised_betweenness(simple))),
    }


def normalised_betweenness(g):
    """igraph's undirected betweenness, scaled as networkx's normalized=True: 2 / ((n-1)(n-2))."""
    n = g.vcount()
    scale = 2 / ((n - 1) * (n - 2)) if n > 2 else 1
    return [b * scale for b in g.betweenness(directed=False)]


def gexf_description(path):
    root = ElementTree.parse(path).getroot()
    for element in root.iter():
        if element.tag.endswith("}description") or element.tag == "description":
            return element.text
    return None


def main():
    spec = json.load(sys.stdin)
    gexf = networkx_reading(nx.read_gexf(spec["gexf"]))
    gexf["description"] = gexf_description(spec["gexf"])
    json.dump(
        {
            "networkx_graphml": networkx_reading(nx.read_graphml(spec["graphml"])),
            "igraph_graphml": igraph_reading(igraph.Graph.Read_GraphML(spec["graphml"])),
            "networkx_gexf": gexf,
            "versions": {"networkx": nx.__version__, "igraph": igraph.__version__},
        },
        sys.stdout,
        allow_nan=False,
    )


if __name__ == "__main__":
    main()
