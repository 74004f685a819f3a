import { describe, expect, it } from 'vitest';
import { buildNetwork, GraphError } from '../src/index.js';
import { grading, link, location, ocg, person, phone, records } from './records.fixtures.js';

describe('buildNetwork', () => {
  const set = records(
    [
      person('a', { attributes: [{ name: 'nickname', value: 'Ace', grading: grading('2B C:not for housing') }] }),
      person('b'),
      location('L', { grading: grading('5x5x5:B24') }),
      ocg('G'),
      phone('X'),
    ],
    [
      link('l1', 'associate', 'a', 'b', { count: 3 }),
      link('l2', 'lives_at', 'a', 'L', { grade: '2C C:police only' }),
      link('l3', 'lives_at', 'b', 'L'),
      link('l4', 'member_of', 'a', 'G'),
      link('l5', 'uses_phone', 'b', 'X', { weight: 2.5 }),
    ],
  );

  it('makes one node per entity and one edge per link, keyed by id', () => {
    const network = buildNetwork(set);
    expect(network.type).toBe('mixed');
    expect(network.multi).toBe(true);
    expect(network.nodes()).toEqual(['a', 'b', 'L', 'G', 'X']);
    expect(network.edges()).toEqual(['l1', 'l2', 'l3', 'l4', 'l5']);
    expect(network.getAttribute('kind')).toBe('network');
  });

  it('follows each link type: directed types become directed edges', () => {
    const network = buildNetwork(set);
    expect(network.isUndirected('l1')).toBe(true);
    for (const key of ['l2', 'l3', 'l4', 'l5']) expect(network.isDirected(key)).toBe(true);
    expect(network.source('l4')).toBe('a');
    expect(network.target('l4')).toBe('G');
    expect(network.directedSize).toBe(4);
    expect(network.undirectedSize).toBe(1);
  });

  it('carries kind, label, record and marking on nodes', () => {
    const network = buildNetwork(set);
    const a = network.getNodeAttributes('a');
    expect(a.kind).toBe('person');
    expect(a.label).toBe('Person a');
    expect(a.record).toBe(set.entities[0]);
    // The C-graded attribute makes the whole person C.
    expect(a.marking).toEqual({ handling: 'C', conditions: ['not for housing'] });
    expect(network.getNodeAttribute('b', 'marking')).toEqual({ handling: 'P', conditions: [] });
    expect(network.getNodeAttribute('L', 'marking')).toEqual({ handling: 'R', conditions: [] });
  });

  it('carries type, record, marking and weight (strength) on edges', () => {
    const network = buildNetwork(set);
    expect(network.getEdgeAttributes('l1')).toEqual({
      type: 'associate',
      record: set.links[0],
      marking: { handling: 'P', conditions: [] },
      weight: 3,
    });
    expect(network.getEdgeAttribute('l2', 'marking')).toEqual({ handling: 'C', conditions: ['police only'] });
    expect(network.getEdgeAttribute('l4', 'weight')).toBe(1);
    expect(network.getEdgeAttribute('l5', 'weight')).toBe(2.5);
  });

  it('keeps parallel links between the same two entities', () => {
    const network = buildNetwork(
      records([person('a'), location('L')], [link('x1', 'lives_at', 'a', 'L'), link('x2', 'uses_address', 'a', 'L')]),
    );
    expect(network.size).toBe(2);
    expect(network.edges('a', 'L').sort()).toEqual(['x1', 'x2']);
  });

  it('throws typed errors for records that were not validated', () => {
    const base = [person('a'), person('b'), location('L')];
    const attempt = (set: Parameters<typeof buildNetwork>[0]) => () => buildNetwork(set);
    const expectError = (fn: () => unknown, code: string, text: string) => {
      try {
        fn();
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(GraphError);
        expect((error as GraphError).code).toBe(code);
        expect((error as GraphError).message).toMatch(/^@ocgnet\/graph: /);
        expect((error as GraphError).message).toContain(text);
      }
    };
    expectError(attempt({ entities: base, links: [link('l', 'associate', 'a', 'zz')] }), 'MISSING_ENDPOINT', '"zz"');
    expectError(attempt({ entities: base, links: [link('l', 'lives_at', 'a', 'b')] }), 'BAD_ENDPOINT_KIND', 'lives_at');
    expectError(attempt({ entities: [...base, person('a')], links: [] }), 'DUPLICATE_ENTITY', '"a"');
    expectError(
      attempt({ entities: base, links: [link('l', 'associate', 'a', 'b'), link('l', 'family', 'a', 'b')] }),
      'DUPLICATE_LINK',
      '"l"',
    );
    expectError(attempt({ entities: base, links: [link('l', 'associate', 'a', 'a')] }), 'SELF_LOOP', '"a"');
  });

  it('builds an empty graph from an empty record set', () => {
    const network = buildNetwork({ entities: [], links: [] });
    expect(network.order).toBe(0);
    expect(network.size).toBe(0);
  });
});
