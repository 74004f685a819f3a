/**
 * The readable form of an analysis: the key nominals, the communities, and
 * how they line up with the OCGs police have mapped. Safeguarding subjects
 * are flagged in every row so they stand out as people to protect.
 */
import type { AnalysisReport } from '@ocgnet/analysis';
import { SAFEGUARDING_MARK, compareIds, type Marking } from '@ocgnet/schema';

/** Ids of the report's safeguarding subjects (`NodeMetrics.safeguarding`, or a hidden candidate's own flag). */
export function safeguardingIds(report: AnalysisReport): Set<string> {
  const ids = new Set(report.nodes.filter((node) => node.safeguarding).map((node) => node.id));
  for (const candidate of report.comparison?.hiddenCandidates ?? [])
    if (candidate.safeguarding) ids.add(candidate.node);
  return ids;
}

/**
 * The report with a `safeguarding` field on every listing that names
 * nominals but does not carry one: brokers and cut points get
 * `safeguarding: boolean`, each group's roles `safeguarding: string[]` (its
 * members who are safeguarding subjects). Nodes and hidden candidates carry
 * theirs already.
 */
export function withSafeguardingFields<T extends AnalysisReport>(report: T): T {
  const ids = safeguardingIds(report);
  return {
    ...report,
    roles: report.roles.map((group) => ({
      ...group,
      safeguarding: group.members.map((member) => member.node).filter((id) => ids.has(id)),
    })),
    brokers: report.brokers.map((broker) => ({ ...broker, safeguarding: ids.has(broker.node) })),
    cutPoints: report.cutPoints.map((cut) => ({ ...cut, safeguarding: ids.has(cut.node) })),
  };
}

function fixed(value: number, digits = 4): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '-';
}

function pad(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

/** The first line of a table: the classification and the handling code, with how many conditions apply. */
export function formatMarkingLine(classification: string, { handling, conditions }: Marking): string {
  const marking =
    handling === 'P'
      ? 'P'
      : `${handling}${handling === 'R' ? ' (includes legacy 5x5x5 intelligence)' : ''}${conditions.length ? `; ${conditions.length} C condition(s) apply, see --json` : ''}`;
  return `${classification}   handling: ${marking}`;
}

/** A plain-text report: top-N key nominals by betweenness, then communities and groups. */
export function formatAnalysisTable(report: AnalysisReport, top: number): string {
  const lines: string[] = [];
  const subjects = safeguardingIds(report);
  const marked = (id: string) => (subjects.has(id) ? `${id} (${SAFEGUARDING_MARK})` : id);
  lines.push(formatMarkingLine(report.classification, report.marking));
  const g = report.graph;
  lines.push(
    `${g.nodes} nodes, ${g.edges} edges, density ${fixed(g.density, 6)}, ${g.components} component(s), largest ${g.largestComponent}` +
      `${report.parameters.weighted ? ', weighted' : ''}`,
  );
  lines.push('');
  lines.push(`Key nominals (top ${Math.min(top, report.nodes.length)} by betweenness)`);
  lines.push(
    `  ${pad('#', 4)}${pad('id', 14)}${pad('label', 24)}${pad('degree', 8)}${pad('between.', 10)}${pad('pagerank', 10)}${pad('core', 6)}${pad('comm.', 7)}${pad('group', 12)}flags`,
  );
  const ranked = [...report.nodes].sort(
    (a, b) => b.betweenness - a.betweenness || b.degree - a.degree || compareIds(a.id, b.id),
  );
  ranked.slice(0, top).forEach((node, index) => {
    const flags = [
      node.articulation ? 'cut-point' : '',
      node.safeguarding ? SAFEGUARDING_MARK : '',
      node.likelyRole ?? '',
    ]
      .filter(Boolean)
      .join(' ');
    lines.push(
      `  ${pad(String(index + 1), 4)}${pad(node.id, 14)}${pad(node.label, 24)}${pad(String(node.degree), 8)}${pad(fixed(node.betweenness), 10)}` +
        `${pad(fixed(node.pagerank), 10)}${pad(String(node.coreness), 6)}${pad(String(node.community), 7)}${pad(node.mappedGroup ?? '', 12)}${flags}`,
    );
  });
  lines.push('');
  const c = report.communities;
  lines.push(
    `Communities: ${c.count} (${c.algorithm === 'louvain' ? 'Louvain' : 'Leiden'}, resolution ${c.resolution}, seed ${c.seed}), modularity ${fixed(c.modularity)}`,
  );
  lines.push(
    `  sizes: ${c.members
      .slice(0, 12)
      .map((members) => members.length)
      .join(', ')}${c.count > 12 ? ', …' : ''}`,
  );
  const comparison = report.comparison;
  if (comparison) {
    lines.push('');
    lines.push(
      `Mapped groups against communities: NMI ${fixed(comparison.mapped.nmi)}, ARI ${fixed(comparison.mapped.ari)} ` +
        `(over ${comparison.mapped.nodes} mapped nominals)`,
    );
    for (const group of comparison.groups) {
      const hidden = comparison.hiddenCandidates
        .filter((candidate) => candidate.group === group.group)
        .map((candidate) => marked(candidate.node));
      const outside = comparison.outsideMembers.filter((member) => member.group === group.group).length;
      lines.push(
        `  ${pad(group.group, 12)}${String(group.size).padStart(4)} mapped, best community ${String(group.best ?? '-').padStart(3)} ` +
          `(Jaccard ${fixed(group.jaccard, 2)}), spans ${group.spans.length}; outside it: ${outside}; ` +
          `possible hidden members: ${hidden.slice(0, 6).join(', ') || 'none'}${hidden.length > 6 ? ` (+${hidden.length - 6})` : ''}`,
      );
    }
  }
  const groupWord = report.groupsBy === 'mapping' ? 'mapped groups' : 'communities';
  const principals = report.roles.filter((group) => group.likelyPrincipal !== null).slice(0, 12);
  if (principals.length > 0) {
    lines.push('');
    lines.push(`Likely principals and lieutenants by centrality within ${groupWord}`);
    for (const group of principals) {
      lines.push(
        `  ${pad(String(group.group), 12)}principal ${marked(group.likelyPrincipal!)}; lieutenants ${group.likelyLieutenants.map(marked).join(', ') || 'none'}; core ${group.core.length}/${group.size}`,
      );
    }
  }
  if (report.brokers.length > 0)
    lines.push(
      `Brokers between ${groupWord}: ${report.brokers
        .slice(0, 10)
        .map((broker) => marked(broker.node))
        .join(', ')}`,
    );
  if (report.cutPoints.length > 0)
    lines.push(
      `Cut points between ${groupWord}: ${report.cutPoints
        .slice(0, 10)
        .map((cut) => marked(cut.node))
        .join(', ')}`,
    );
  lines.push(`Bridges: ${report.bridges.length}; articulation points: ${report.articulationPoints.length}`);
  return `${lines.join('\n')}\n`;
}
