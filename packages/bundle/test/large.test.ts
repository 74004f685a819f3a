/**
 * The large-path bundle (large.ts) against the full one on the same records:
 * the same people and associations attribute by attribute, the metrics that
 * scale equal to analyse()'s (betweenness is exact once the pivots cover
 * every node), NaN for the rest, the network left out but counted and still
 * marking the bundle, and a partner's bundle built from what it may see only.
 */
import { describe, expect, it } from 'vitest';
import { scenarioRecords } from '@ocgnet/generator';
import { audienceById, defaultAudiences, recordsForAudience } from '@ocgnet/profiles';
import { parseViewerBundle, type BundlePersonAttributes, type ViewerBundle } from '../src/index.js';
import { buildViewerBundle } from '../src/build.js';
import { LARGE_BUNDLE_METRICS, buildLargeViewerBundle, buildViewerBundleAtScale } from '../src/large.js';

const records = scenarioRecords({ size: 'small', seed: 42 });
const audiences = defaultAudiences();

async function both(audienceId: string): Promise<{ full: ViewerBundle; large: ViewerBundle }> {
  const audience = audienceById(audiences, audienceId);
  const visible = recordsForAudience(records, audience);
  const full = buildViewerBundle(visible, { audience });
  // Pivots above the node count: exact betweenness, so it can be compared with analyse()'s.
  const large = await buildLargeViewerBundle(visible, { audience, analysis: { pivots: 100_000 } });
  return { full, large };
}

const persons = (bundle: ViewerBundle) =>
  new Map(bundle.graph.nodes.map((node) => [node.key, node.attributes as unknown as BundlePersonAttributes]));

describe('buildLargeViewerBundle', () => {
  it('carries the same people and associations as the full bundle, with the metrics that scale equal to analyse()', async () => {
    const { full, large } = await both('police-analyst');
    expect(parseViewerBundle(JSON.parse(JSON.stringify(large))).scale?.path).toBe('large');
    expect(large.analysis).toBeUndefined();
    expect(large.graph.edges).toEqual(full.graph.edges);
    const expected = persons(full);
    const got = persons(large);
    expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [id, want] of expected) {
      const have = got.get(id)!;
      for (const field of ['label', 'marking', 'vulnerable', 'under_18', 'exploited', 'cuckooed'] as const)
        expect(have[field], `${id} ${field}`).toEqual(want[field]);
      for (const field of ['safeguarding', 'articulation', 'mappedGroup', 'mappedRole', 'aliases'] as const)
        expect(have[field], `${id} ${field}`).toEqual(want[field]);
      for (const field of ['degree', 'strength', 'component'] as const) expect(have[field]).toBe(want[field]);
      expect(have.pagerank).toBeCloseTo(want.pagerank, 9);
      expect(have.betweenness).toBeCloseTo(want.betweenness, 9);
      for (const field of ['closeness', 'harmonic', 'eigenvector', 'coreness', 'clustering', 'constraint'] as const)
        expect(have[field]).toBeNaN();
    }
    expect(large.scale?.computed).toEqual([...LARGE_BUNDLE_METRICS, 'articulation']);
  });

  it('finds communities of the same quality: every person in one, numbered by size', async () => {
    const { large } = await both('police-analyst');
    const sizes = new Map<number, number>();
    for (const node of persons(large).values()) sizes.set(node.community, (sizes.get(node.community) ?? 0) + 1);
    const ordered = [...sizes.keys()].sort((a, b) => a - b);
    expect(ordered).toEqual(ordered.map((_c, i) => i));
    for (let c = 1; c < ordered.length; c++) expect(sizes.get(c)!).toBeLessThanOrEqual(sizes.get(c - 1)!);
    expect(large.scale!.modularity).toBeGreaterThan(0.3);
  });

  it('leaves the network out but counts it, and its markings still mark the bundle', async () => {
    const { full, large } = await both('police-analyst');
    expect(large.network.nodes).toEqual([]);
    expect(large.network.edges).toEqual([]);
    expect(large.scale?.networkOmitted).toEqual({
      entities: full.network.nodes.length,
      links: full.network.edges.length,
    });
    expect(large.marking).toEqual(full.marking);
    expect(large.plans).toEqual(full.plans);
  });

  it('builds a partner’s bundle from the records that partner may see, and nothing else', async () => {
    const { full, large } = await both('partner-agency:housing');
    const everything = (await both('police-analyst')).large;
    expect([...persons(large).keys()].sort()).toEqual([...persons(full).keys()].sort());
    expect(large.graph.edges).toEqual(full.graph.edges);
    // Housing may not see every link, so fewer associations than the analyst's, and degrees from those alone.
    expect(large.graph.edges.length).toBeLessThan(everything.graph.edges.length);
    const ties = new Map<string, number>();
    for (const edge of large.graph.edges)
      for (const end of [edge.source, edge.target]) ties.set(end, (ties.get(end) ?? 0) + 1);
    for (const [id, node] of persons(large)) expect(node.degree).toBe(ties.get(id) ?? 0);
    expect(large.audience).toBe('partner-agency:housing');
  });

  it('buildViewerBundleAtScale takes the large path above its threshold and the full one at or below it', async () => {
    const audience = audienceById(audiences, 'police-analyst');
    const { full, large } = await both('police-analyst');
    const count = full.graph.nodes.length;
    const visible = recordsForAudience(records, audience);
    const below = await buildViewerBundleAtScale(visible, { audience, largeAbove: count });
    expect(below).toEqual(full);
    const above = await buildViewerBundleAtScale(visible, {
      audience,
      largeAbove: count - 1,
      large: { pivots: 100_000 },
    });
    expect(above).toEqual(large);
  });
});
