/**
 * The edge-list rule for a repeated edge, the one place it is written down.
 *
 * An edge list (`u v[ w]` lines, or a `source,target[,weight]` CSV) is read as
 * a simple graph:
 * - A repeated edge, meaning the same two nodes again, in either orientation
 *   (`a b` then `b a`; only the same orientation when the CSV is read as
 *   directed), is one tie. With a weight column, its weight is the sum of the
 *   repeats' weights, added in file order. Without one, the tie has no weight
 *   and counts 1, however often it is repeated.
 * - A repeated self-loop (`a a` twice) is one self-loop, on the same terms.
 *   The readers keep self-loops. The analysis snapshot leaves them out and
 *   counts them, so there the edge count excludes them.
 * - Nothing is merged silently. The reader or command that merges reports how
 *   many lines it merged into an earlier edge, as {@link parallelEdgesMerged}
 *   says it (a line repeated k times counts k − 1).
 * - In a CSV with columns other than source, target and weight, the repeats'
 *   other values must agree. When they differ, the line is an issue, as any
 *   other conflict is.
 *
 * Who follows it:
 * - `parseEdgeListCsv` (edgeList.ts), the graphology reader that `ocgnet stats`,
 *   `ocgnet analyse` and the other commands use for a CSV with a header. It
 *   merges as it reads, and warns once with the count and the first repeat's line.
 * - `parseEdgeListFast` (edgeListFast.ts) keeps every line as read. Its two
 *   consumers merge by this rule: `csrFromEdgeArrays` in @ocgnet/analysis (the
 *   `--large` path, which reports `parallelEdgesMerged` and this warning), and
 *   the CLI's graph of a headerless list (`ocgnet stats`, and `ocgnet analyse`
 *   below 200,000 lines, in packages/cli/src/load.ts), which warns on the file.
 * - Tests: test/research/repeatedEdges.test.ts here, csrFromEdges.test.ts in
 *   @ocgnet/analysis, and test/cli/repeatedEdges.test.ts, which runs
 *   `ocgnet stats`, `ocgnet analyse` and `ocgnet analyse --large` on the same
 *   files.
 *
 * GraphML, GEXF, Pajek and DL are not edge lists: there a duplicate edge stays
 * an issue (common.ts, GraphBuilder).
 */
import type Graph from 'graphology';
import type { Attributes, IssueLog } from './common.js';

/** The report of `count` merged lines, worded the same by every reader and command. */
export function parallelEdgesMerged(count: number): string {
  return `${count} parallel edge(s) merged, weights summed`;
}

/**
 * Counts the lines merged while reading one edge list, for the one warning
 * {@link parallelEdgesMerged} words.
 */
export class RepeatedEdges {
  /** Lines merged into an earlier edge. */
  count = 0;
  /** Line of the first of them (0 before any). */
  firstLine = 0;

  /**
   * Applies the rule to a line joining `source` and `target` whose endpoints
   * exist in `graph`. Returns `absent` when the graph has no such edge yet (the
   * caller adds it), `merged` after folding the line into the edge, or the
   * name of the first attribute whose value differs (nothing merged; the
   * caller reports an issue).
   *
   * @param attributes the line's attributes; `weight`, when present, is added
   */
  merge(
    graph: Graph,
    source: string,
    target: string,
    directed: boolean,
    attributes: Attributes,
    line: number,
  ): 'absent' | 'merged' | { differs: string } {
    const edge = directed ? graph.directedEdge(source, target) : graph.undirectedEdge(source, target);
    if (edge === undefined) return 'absent';
    const existing = graph.getEdgeAttributes(edge);
    const names = new Set([...Object.keys(existing), ...Object.keys(attributes)]);
    for (const name of names) {
      if (name !== 'weight' && existing[name] !== attributes[name]) return { differs: name };
    }
    if (typeof attributes.weight === 'number')
      graph.setEdgeAttribute(edge, 'weight', (existing.weight as number) + attributes.weight);
    if (this.count++ === 0) this.firstLine = line;
    return 'merged';
  }

  /**
   * {@link merge}, with a conflict reported on `log` at `field`. True when the
   * line is dealt with (merged, or refused with an issue); false when the
   * graph has no such edge yet and the caller adds it.
   */
  mergeOrReport(
    graph: Graph,
    log: IssueLog,
    edge: { source: string; target: string; directed: boolean; attributes: Attributes; line: number },
  ): boolean {
    const { source, target, directed, attributes, line } = edge;
    const outcome = this.merge(graph, source, target, directed, attributes, line);
    if (outcome === 'absent') return false;
    if (outcome !== 'merged') {
      const arrow = directed ? '->' : '--';
      log.add(
        line,
        outcome.differs,
        `repeated edge ${JSON.stringify(source)} ${arrow} ${JSON.stringify(target)} has a different ${JSON.stringify(outcome.differs)} from the first; cannot merge`,
      );
    }
    return true;
  }

  /** Adds the warning to `log` when anything was merged. */
  report(log: IssueLog, field: string): void {
    if (this.count > 0) log.warn(this.firstLine, field, parallelEdgesMerged(this.count));
  }
}
