/**
 * The compact form decodes to exactly the bundle it was made from: the small
 * fixture, generated towns of several seeds (with their layout), research
 * bundles, and bundles whose graphs fast-check fills with arbitrary JSON
 * attributes, keys and shapes. Anything that is not a compact bundle is
 * refused with a clear error.
 */
import fc from 'fast-check';
import Graph from 'graphology';
import { describe, expect, it } from 'vitest';
import { scenarioRecords } from '@ocgnet/generator';
import { audienceById, defaultAudiences } from '@ocgnet/profiles';
import {
  CompactBundleError,
  ViewerBundleError,
  decodeCompactBundle,
  encodeCompactBundle,
  parseViewerBundle,
  type ViewerBundle,
} from '../src/index.js';
import { buildResearchViewerBundle, buildViewerBundle } from '../src/build.js';
import { layoutBundle } from '../src/layout.js';

const housing = audienceById(defaultAudiences(), 'partner-agency:housing');
const analyst = audienceById(defaultAudiences(), 'police-analyst');

/** The bundle as a client receives it: through JSON (NaN as null), then checked. */
function asSent(bundle: ViewerBundle): ViewerBundle {
  return JSON.parse(
    JSON.stringify(bundle, (_key, value: unknown) =>
      typeof value === 'number' && !Number.isFinite(value) ? null : value,
    ),
  ) as ViewerBundle;
}

/** Encode, send as JSON text, decode: must equal the JSON bundle, key order included. */
function expectRoundTrip(bundle: ViewerBundle): void {
  const sent = asSent(bundle);
  const text = JSON.stringify(encodeCompactBundle(sent));
  const decoded = decodeCompactBundle(JSON.parse(text));
  const expected = parseViewerBundle(JSON.parse(JSON.stringify(sent)));
  expect(decoded).toEqual(expected);
  expect(JSON.stringify(decoded)).toBe(JSON.stringify(expected));
}

describe('compact bundles', () => {
  it('round-trip the small fixture town exactly, for the analyst and for Housing, with their layout', () => {
    const records = scenarioRecords({ size: 'small', seed: 42 });
    for (const audience of [analyst, housing]) {
      const bundle = buildViewerBundle(records, { audience });
      bundle.layout = layoutBundle(bundle, { iterations: 5 });
      expectRoundTrip(bundle);
      // The point of the form: the attribute names are not repeated per node.
      const compact = JSON.stringify(encodeCompactBundle(asSent(bundle)));
      expect(compact.length).toBeLessThan(JSON.stringify(asSent(bundle)).length / 2);
    }
  }, 60_000);

  it('round-trip generated towns of other seeds', () => {
    for (const seed of [1, 7, 2026]) {
      const bundle = buildViewerBundle(scenarioRecords({ size: 'small', seed }), { audience: analyst, plans: false });
      expectRoundTrip(bundle);
    }
  }, 60_000);

  it('round-trip research bundles (numeric node keys, no network)', () => {
    const graph = new Graph({ type: 'undirected' });
    for (let i = 0; i < 30; i++) graph.addNode(String(i), { label: `n${i}` });
    for (let i = 0; i < 30; i++) graph.mergeEdge(String(i), String((i * 7 + 3) % 30));
    expectRoundTrip(buildResearchViewerBundle(graph));
  });

  it('round-trip any JSON attributes, shapes and edge keys (property)', () => {
    const base = asSent(buildViewerBundle(scenarioRecords({ size: 'small', seed: 42 }), { audience: housing }));
    const attributes = fc.dictionary(
      fc.string({ maxLength: 6 }).filter((key) => key !== '__proto__'),
      fc.jsonValue({ maxDepth: 2 }),
      { maxKeys: 5 },
    );
    fc.assert(
      fc.property(
        fc.array(fc.record({ key: fc.string({ maxLength: 5 }), attributes }), { minLength: 0, maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.option(fc.string(), { nil: undefined }), attributes), {
          maxLength: 60,
        }),
        (nodes, edges) => {
          const unique = [...new Map(nodes.map((node) => [node.key, node])).values()];
          const graphEdges =
            unique.length === 0
              ? []
              : edges.map(([s, t, key, attrs]) => {
                  const source = unique[s % unique.length]!.key;
                  const target = unique[t % unique.length]!.key;
                  return { ...(key === undefined ? {} : { key }), source, target, attributes: attrs };
                });
          const bundle = { ...base, network: { ...base.network, nodes: unique, edges: graphEdges } };
          expectRoundTrip(bundle);
        },
      ),
      { numRuns: 60, seed: 20 },
    );
  }, 60_000);

  it('refuses what is not a compact bundle, with a clear error', () => {
    const compact = encodeCompactBundle(
      asSent(buildViewerBundle(scenarioRecords({ size: 'small', seed: 42 }), { audience: housing, plans: false })),
    );
    expect(() => decodeCompactBundle(null)).toThrow(CompactBundleError);
    expect(() => decodeCompactBundle({ ...compact, format: 'x' })).toThrow(/format must be/);
    expect(() => decodeCompactBundle({ ...compact, version: 2 })).toThrow(/version must be 1/);
    // An edge naming a node index beyond the nodes.
    const broken = JSON.parse(JSON.stringify(compact)) as {
      body: { network: { edges: { '~table': { columns: { source: { nodes: number[] } } } } } };
    };
    broken.body.network.edges['~table'].columns.source.nodes[0] = 1e9;
    expect(() => decodeCompactBundle(broken)).toThrow(/node indices/);
    // Decoded, but not a bundle: parseViewerBundle still decides.
    const notBundle = JSON.parse(JSON.stringify(compact)) as { body: Record<string, unknown> };
    delete notBundle.body.audience;
    expect(() => decodeCompactBundle(notBundle)).toThrow(ViewerBundleError);
  }, 30_000);
});
