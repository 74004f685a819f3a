/** The contract: what parseViewerBundle accepts and refuses. */
import { describe, expect, it } from 'vitest';
import { parseViewerBundle, VIEWER_BUNDLE_FORMAT, VIEWER_BUNDLE_VERSION } from '../src/index.js';

const minimal = () => ({
  format: VIEWER_BUNDLE_FORMAT,
  version: VIEWER_BUNDLE_VERSION,
  classification: 'OFFICIAL-SENSITIVE',
  marking: { handling: 'P', conditions: [] },
  audience: 'researcher',
  graph: { nodes: [], edges: [] },
  network: { nodes: [], edges: [] },
  plans: [],
});

describe('parseViewerBundle', () => {
  it('refuses what is not a bundle, with a clear message', () => {
    expect(() => parseViewerBundle({ format: 'something-else' })).toThrow(/format: expected "ocgnet-viewer-bundle"/);
    expect(() => parseViewerBundle({ format: 'ocgnet-viewer-bundle', version: 2 })).toThrow(/version/);
    expect(() => parseViewerBundle([])).toThrow(/expected a JSON object/);
  });

  it('accepts a bundle without planFailures (written before they were reported), and well-formed ones', () => {
    expect(parseViewerBundle(minimal()).planFailures).toBeUndefined();
    const failures = [{ group: 'OCG01', code: 'NOT_A_NETWORK', message: 'no record' }];
    expect(parseViewerBundle({ ...minimal(), planFailures: failures }).planFailures).toEqual(failures);
  });

  it('refuses a malformed plan failure, naming where', () => {
    expect(() => parseViewerBundle({ ...minimal(), planFailures: [{ group: 'OCG01' }] })).toThrow(
      /planFailures\.0\.code/,
    );
  });

  it('refuses node or edge attributes that are not an object, naming where', () => {
    const node = (attributes: unknown) => ({ ...minimal(), graph: { nodes: [{ key: 'a', attributes }], edges: [] } });
    for (const bad of [[], 'x', 3, null])
      expect(() => parseViewerBundle(node(bad))).toThrow(/graph\.nodes\.0\.attributes/);
    const edge = { source: 'a', target: 'b', attributes: [1] };
    expect(() => parseViewerBundle({ ...minimal(), network: { nodes: [], edges: [edge] } })).toThrow(
      /network\.edges\.0\.attributes/,
    );
    expect(parseViewerBundle(node({ label: 'A' })).graph.nodes[0]!.attributes).toEqual({ label: 'A' });
  });
});
