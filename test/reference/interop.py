"""How the peer tools read files ocgnet writes (issue 19, interoperability).

Reads on stdin
  {"files": [{"name", "path", "format": "dl", "directed": bool}, ...]}
and writes on stdout
  {"igraph": version,
   "files": [{"name", "ok": bool, "error"?: text,
              "nodes": [name, ...], "edges": [[u, v, weight or null], ...]}]}
where each file is read with igraph's own reader (Graph.Read_DL for "dl"),
node names from igraph's `name` attribute, edges as name pairs sorted within
an undirected pair, weights from the `weight` attribute when igraph sets one.
"""

import json
import sys

import igraph


def read(entry):
    if entry["format"] != "dl":
        raise ValueError(f"unknown format {entry['format']}")
    return igraph.Graph.Read_DL(entry["path"], directed=entry["directed"])


def main():
    spec = json.load(sys.stdin)
    out = []
    for entry in spec["files"]:
        try:
            g = read(entry)
        except Exception as error:  # the peer's refusal is the result
            out.append({"name": entry["name"], "ok": False, "error": str(error)})
            continue
        names = g.vs["name"] if "name" in g.vs.attributes() else [str(v) for v in range(g.vcount())]
        weights = g.es["weight"] if "weight" in g.es.attributes() else [None] * g.ecount()
        edges = []
        for (s, t), w in zip(g.get_edgelist(), weights):
            u, v = names[s], names[t]
            if not entry["directed"] and v < u:
                u, v = v, u
            edges.append([u, v, w])
        out.append({"name": entry["name"], "ok": True, "nodes": names, "edges": sorted(edges, key=lambda e: (e[0], e[1]))})
    json.dump({"igraph": igraph.__version__, "files": out}, sys.stdout)


if __name__ == "__main__":
    main()
