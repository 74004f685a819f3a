import { describe, expect, it } from 'vitest';
import type { Entity, Link } from '@ocgnet/schema';
import {
  buildNetwork,
  GraphError,
  projectPersons,
  type PersonGraph,
  type ProjectionOptionsInput,
} from '../src/index.js';
import { DEFAULT_PROJECTION_OPTIONS } from '../src/projection.js';
import { business, event, grading, link, location, ocg, person, phone, records, vehicle } from './records.fixtures.js';

const P = { handling: 'P', conditions: [] };

function project(entities: Entity[], links: Link[], options?: ProjectionOptionsInput): PersonGraph {
  return projectPersons(buildNetwork(records(entities, links)), options);
}

describe('projectPersons: shared entities', () => {
  const people = [person('a'), person('b'), location('L')];

  it('joins two people at one address with overlapping dates', () => {
    const graph = project(people, [
      link('la', 'lives_at', 'a', 'L', { first_seen: '2020-01-01', last_seen: '2020-12-31' }),
      link('lb', 'lives_at', 'b', 'L', { first_seen: '2020-06-01', last_seen: '2021-06-01' }),
    ]);
    expect(graph.type).toBe('undirected');
    expect(graph.multi).toBe(false);
    expect(graph.nodes()).toEqual(['a', 'b']);
    expect(graph.size).toBe(1);
    expect(graph.hasEdge('a', 'b')).toBe(true);
    expect(graph.getEdgeAttributes('a', 'b')).toEqual({
      weight: 1,
      channels: ['shared_location'],
      count: 1,
      evidence: [{ channel: 'shared_location', links: ['la', 'lb'], via: ['L'], contribution: 1 }],
      firstSeen: '2020-01-01',
      lastSeen: '2021-06-01',
      marking: P,
    });
    expect(graph.getAttribute('stats')).toEqual({
      linksUsed: 2,
      excluded: { assessment: 0, window: 0 },
      hubsNotExpanded: [],
    });
  });

  it('does not join people who lived there at different times', () => {
    const links = [
      link('la', 'lives_at', 'a', 'L', { first_seen: '2018-01-01', last_seen: '2018-12-31' }),
      link('lb', 'lives_at', 'b', 'L', { first_seen: '2019-01-01', last_seen: '2019-06-30' }),
    ];
    const graph = project(people, links);
    expect(graph.order).toBe(2);
    expect(graph.size).toBe(0);
    expect(graph.getAttribute('stats').linksUsed).toBe(0);

    const loose = project(people, links, { requireCoPresence: false });
    expect(loose.size).toBe(1);
    expect(loose.getEdgeAttribute('a', 'b', 'weight')).toBe(1);
    expect(loose.getEdgeAttribute('a', 'b', 'evidence')).toEqual([
      { channel: 'shared_location', links: ['la', 'lb'], via: ['L'], contribution: 1 },
    ]);
  });

  it('treats open and undated ends as overlapping everything', () => {
    const graph = project(
      [person('a'), person('b'), person('c'), location('L')],
      [
        link('la', 'lives_at', 'a', 'L', { first_seen: '2018-01-01' }), // open end
        link('lb', 'lives_at', 'b', 'L', { last_seen: '2019-06-30' }), // open start
        link('lc', 'lives_at', 'c', 'L'), // undated
      ],
    );
    expect(graph.edges().map((edge) => graph.extremities(edge))).toEqual([
      ['a', 'b'],
      ['a', 'c'],
      ['b', 'c'],
    ]);
    expect(graph.getEdgeAttribute('a', 'c', 'firstSeen')).toBe('2018-01-01');
    expect(graph.getEdgeAttribute('a', 'c', 'lastSeen')).toBe('2018-01-01');
    expect(graph.getEdgeAttributes('a', 'c')).not.toHaveProperty('lastSeen', undefined);
  });

  it('uses any link type, in either direction, to each kind of shared entity', () => {
    const graph = project(
      [person('a'), person('b'), phone('X'), vehicle('V'), business('B'), event('E')],
      [
        link('p1', 'uses_phone', 'a', 'X'),
        link('p2', 'owns', 'b', 'X'),
        link('v1', 'uses_vehicle', 'a', 'V'),
        link('v2', 'owns', 'b', 'V'),
        link('b1', 'works_at', 'a', 'B'),
        link('b2', 'financial', 'b', 'B', { weight: 50 }),
        link('e1', 'attended', 'a', 'E'),
        link('e2', 'attended', 'b', 'E'),
      ],
    );
    const attributes = graph.getEdgeAttributes('a', 'b');
    expect(attributes.channels).toEqual(['shared_business', 'shared_event', 'shared_phone', 'shared_vehicle']);
    // Shared paths ignore link strength: the financial weight 50 does not count.
    expect(attributes.weight).toBe(4);
    expect(attributes.evidence.map((item) => [item.channel, item.links, item.via])).toEqual([
      ['shared_business', ['b1', 'b2'], ['B']],
      ['shared_event', ['e1', 'e2'], ['E']],
      ['shared_phone', ['p1', 'p2'], ['X']],
      ['shared_vehicle', ['v1', 'v2'], ['V']],
    ]);
    expect(attributes.firstSeen).toBeUndefined();
    expect(attributes.lastSeen).toBeUndefined();
  });

  it('records every pair of links through the entity as its own evidence', () => {
    const graph = project(people, [
      link('la1', 'lives_at', 'a', 'L'),
      link('la2', 'uses_address', 'a', 'L'),
      link('lb', 'lives_at', 'b', 'L'),
    ]);
    expect(graph.getEdgeAttribute('a', 'b', 'count')).toBe(2);
    expect(graph.getEdgeAttribute('a', 'b', 'weight')).toBe(2);
    expect(graph.getEdgeAttribute('a', 'b', 'evidence').map((item) => item.links)).toEqual([
      ['la1', 'lb'],
      ['la2', 'lb'],
    ]);
  });

  it('orients evidence paths from the lower id (the edge source) to the higher', () => {
    const graph = project(
      [person('z'), person('m'), location('L')],
      [link('l1', 'lives_at', 'z', 'L'), link('l2', 'lives_at', 'm', 'L')],
    );
    expect(graph.nodes()).toEqual(['m', 'z']);
    const [edge] = graph.edges();
    expect(graph.source(edge!)).toBe('m');
    expect(graph.target(edge!)).toBe('z');
    expect(edge).toBe('["m","z"]');
    expect(graph.getEdgeAttribute(edge!, 'evidence')[0]!.links).toEqual(['l2', 'l1']);
  });
});

describe('projectPersons: direct links and channels', () => {
  it('adds a direct associate link and a shared event: weight 3 + 1, channels sorted', () => {
    const graph = project(
      [person('a'), person('b'), event('E', { date: '2021-03-01' })],
      [
        link('assoc', 'associate', 'a', 'b', { weight: 3 }),
        link('ea', 'attended', 'a', 'E', { date: '2021-03-01' }),
        link('eb', 'attended', 'b', 'E', { date: '2021-03-01' }),
      ],
    );
    const attributes = graph.getEdgeAttributes('a', 'b');
    expect(attributes.weight).toBe(4);
    expect(attributes.count).toBe(2);
    expect(attributes.channels).toEqual(['associate', 'shared_event']);
    expect(attributes.evidence).toEqual([
      { channel: 'associate', links: ['assoc'], via: [], contribution: 3 },
      { channel: 'shared_event', links: ['ea', 'eb'], via: ['E'], contribution: 1 },
    ]);
    expect(attributes.firstSeen).toBe('2021-03-01');
    expect(attributes.lastSeen).toBe('2021-03-01');
  });

  it('maps each person–person link type to its own channel; count is the strength', () => {
    const graph = project(
      [person('a'), person('b'), person('c')],
      [
        link('f', 'family', 'a', 'b'),
        link('co', 'co_offender', 'a', 'c', { count: 2 }),
        link('fin', 'financial', 'c', 'b', { weight: 0.25 }),
      ],
    );
    expect(graph.getEdgeAttributes('a', 'b').channels).toEqual(['family']);
    expect(graph.getEdgeAttribute('a', 'c', 'weight')).toBe(2);
    expect(graph.getEdgeAttributes('b', 'c')).toMatchObject({
      channels: ['financial'],
      weight: 0.25,
      evidence: [{ channel: 'financial', links: ['fin'], via: [], contribution: 0.25 }],
    });
  });

  it('scales channels by channelWeights and switches a channel off at 0', () => {
    const entities = [person('a'), person('b'), location('L')];
    const links = [
      link('assoc', 'associate', 'a', 'b', { weight: 2 }),
      link('la', 'lives_at', 'a', 'L'),
      link('lb', 'lives_at', 'b', 'L'),
    ];
    const scaled = project(entities, links, { channelWeights: { associate: 0.5, shared_location: 3 } });
    expect(scaled.getEdgeAttribute('a', 'b', 'weight')).toBe(1 + 3);
    const off = project(entities, links, { channelWeights: { associate: 0 } });
    expect(off.getEdgeAttributes('a', 'b').channels).toEqual(['shared_location']);
    expect(off.getEdgeAttribute('a', 'b', 'weight')).toBe(1);
    expect(off.getAttribute('stats').linksUsed).toBe(2);
  });

  it('keeps shared_group off by default, so membership alone does not associate', () => {
    const entities = [person('a'), person('b'), ocg('G')];
    const links = [link('ma', 'member_of', 'a', 'G'), link('mb', 'member_of', 'b', 'G')];
    expect(DEFAULT_PROJECTION_OPTIONS.channelWeights.shared_group).toBe(0);
    const graph = project(entities, links);
    expect(graph.order).toBe(2);
    expect(graph.size).toBe(0);

    const on = project(entities, links, { channelWeights: { shared_group: 1 } });
    expect(on.getEdgeAttributes('a', 'b')).toMatchObject({
      weight: 1,
      channels: ['shared_group'],
      evidence: [{ channel: 'shared_group', links: ['ma', 'mb'], via: ['G'], contribution: 1 }],
    });
  });

  it('keeps every person, isolates included, with their safeguarding flags', () => {
    const graph = project(
      [person('a', { vulnerable: true, under_18: true }), person('b', { iom: true }), location('L')],
      [],
    );
    expect(graph.order).toBe(2);
    expect(graph.getNodeAttributes('a')).toMatchObject({
      kind: 'person',
      label: 'Person a',
      vulnerable: true,
      under_18: true,
      exploited: false,
      cuckooed: false,
      iom: false,
      marking: P,
    });
    expect(graph.getNodeAttribute('b', 'iom')).toBe(true);
    expect(graph.getNodeAttribute('b', 'record')).toEqual(person('b', { iom: true }));
  });
});

describe('projectPersons: grading', () => {
  it('does not use an E-assessed link, and counts it', () => {
    const graph = project([person('a'), person('b')], [link('x', 'associate', 'a', 'b', { grade: '1E P' })]);
    expect(graph.size).toBe(0);
    expect(graph.getAttribute('stats').excluded).toEqual({ assessment: 1, window: 0 });
    expect(graph.getAttribute('stats').linksUsed).toBe(0);
  });

  it('excludes the assessments asked for, and only those', () => {
    const entities = [person('a'), person('b'), person('c')];
    const links = [
      link('x', 'associate', 'a', 'b', { grade: '1E P' }),
      link('y', 'associate', 'b', 'c', { grade: '2D P' }),
    ];
    const graph = project(entities, links, { grading: { excludeAssessments: ['D'] } });
    expect(graph.edges().map((edge) => graph.extremities(edge))).toEqual([['a', 'b']]);
    expect(graph.getAttribute('stats').excluded.assessment).toBe(1);
    expect(graph.getAttribute('options').grading.excludeAssessments).toEqual(['D']);
  });

  it('halves a contribution with sourceWeights 3: 0.5', () => {
    const graph = project(
      [person('a'), person('b')],
      [link('x', 'associate', 'a', 'b', { grade: '3B P', weight: 3 })],
      { grading: { sourceWeights: { '3': 0.5 } } },
    );
    expect(graph.getEdgeAttribute('a', 'b', 'weight')).toBe(1.5);
    expect(graph.getAttribute('options').grading.sourceWeights).toEqual({ '1': 1, '2': 1, '3': 0.5 });
  });

  it('takes the weaker grading of the two links on a shared path', () => {
    const graph = project(
      [person('a'), person('b'), location('L')],
      [link('la', 'lives_at', 'a', 'L', { grade: '1A P' }), link('lb', 'lives_at', 'b', 'L', { grade: '2B P' })],
      { grading: { sourceWeights: { '1': 1, '2': 0.8 } } },
    );
    expect(graph.getEdgeAttribute('a', 'b', 'weight')).toBe(0.8);
  });

  it('weighs 5x5x5 links by legacyWeight and never excludes them by assessment', () => {
    const graph = project(
      [person('a'), person('b')],
      [link('x', 'associate', 'a', 'b', { grade: '5x5x5:E45', weight: 2 })],
      { grading: { legacyWeight: 0.25, excludeAssessments: ['D', 'E'] } },
    );
    expect(graph.getEdgeAttribute('a', 'b', 'weight')).toBe(0.5);
  });
});

describe('projectPersons: markings', () => {
  const entities = [person('a'), person('b'), location('L')];
  const lb = link('lb', 'lives_at', 'b', 'L');

  it('is P when every link and the location are P', () => {
    const graph = project(entities, [link('la', 'lives_at', 'a', 'L'), lb]);
    expect(graph.getEdgeAttribute('a', 'b', 'marking')).toEqual(P);
  });

  it('is C, with its condition, when a lives_at link is C-coded', () => {
    const graph = project(entities, [link('la', 'lives_at', 'a', 'L', { grade: '2B C:not for housing partners' }), lb]);
    expect(graph.getEdgeAttribute('a', 'b', 'marking')).toEqual({
      handling: 'C',
      conditions: ['not for housing partners'],
    });
  });

  it('is R when a link is legacy 5x5x5', () => {
    const graph = project(entities, [link('la', 'lives_at', 'a', 'L', { grade: '5x5x5:B24' }), lb]);
    expect(graph.getEdgeAttribute('a', 'b', 'marking')).toEqual({ handling: 'R', conditions: [] });
  });

  it('is C when the intermediate location is C-coded', () => {
    const graph = project(
      [person('a'), person('b'), location('L', { grading: grading('1A C:CPS only') })],
      [link('la', 'lives_at', 'a', 'L'), lb],
    );
    expect(graph.getEdgeAttribute('a', 'b', 'marking')).toEqual({ handling: 'C', conditions: ['CPS only'] });
  });

  it('unites the conditions of every piece of evidence', () => {
    const graph = project(
      [person('a'), person('b'), location('L', { grading: grading('1A C:z condition') })],
      [
        link('la', 'lives_at', 'a', 'L', { grade: '1A C:a condition' }),
        lb,
        link('assoc', 'associate', 'a', 'b', { grade: '1A C:a condition' }),
      ],
    );
    expect(graph.getEdgeAttribute('a', 'b', 'marking')).toEqual({
      handling: 'C',
      conditions: ['a condition', 'z condition'],
    });
  });

  it("gives each node the person's own marking, from a C-graded attribute", () => {
    const graph = project(
      [
        person('a', { attributes: [{ name: 'nickname', value: 'Ace', grading: grading('2B C:not for DWP') }] }),
        person('b'),
      ],
      [],
    );
    expect(graph.getNodeAttribute('a', 'marking')).toEqual({ handling: 'C', conditions: ['not for DWP'] });
    expect(graph.getNodeAttribute('b', 'marking')).toEqual(P);
  });
});

describe('projectPersons: recency', () => {
  it('halves a link a half-life old: 365 days, reference one year after last_seen', () => {
    const graph = project(
      [person('a'), person('b')],
      [link('x', 'associate', 'a', 'b', { first_seen: '2020-03-01', last_seen: '2021-01-01' })],
      { recency: { halfLifeDays: 365, referenceDate: '2022-01-01' } },
    );
    expect(Math.abs(graph.getEdgeAttribute('a', 'b', 'weight') - 0.5)).toBeLessThan(1e-12);
  });

  it('measures age to the latest date in the data when no reference date is given', () => {
    const graph = project(
      [person('a'), person('b'), person('c'), location('L')],
      [
        link('x', 'associate', 'a', 'b', { date: '2021-01-01' }),
        // The latest date in the data, two half-lives after x.
        link('y', 'associate', 'b', 'c', { first_seen: '2021-06-01', last_seen: '2023-01-01' }),
        link('u', 'associate', 'a', 'c'), // undated: r = 1
      ],
      { recency: { halfLifeDays: 365 } },
    );
    expect(graph.getAttribute('options').recency).toEqual({ halfLifeDays: 365, referenceDate: '2023-01-01' });
    expect(Math.abs(graph.getEdgeAttribute('a', 'b', 'weight') - 0.25)).toBeLessThan(1e-12);
    expect(graph.getEdgeAttribute('b', 'c', 'weight')).toBe(1);
    expect(graph.getEdgeAttribute('a', 'c', 'weight')).toBe(1);
  });

  it('takes the older link of a shared path', () => {
    const graph = project(
      [person('a'), person('b'), location('L')],
      [
        link('la', 'lives_at', 'a', 'L', { first_seen: '2020-01-01', last_seen: '2021-01-01' }),
        link('lb', 'lives_at', 'b', 'L', { first_seen: '2020-06-01', last_seen: '2022-01-01' }),
      ],
      { recency: { halfLifeDays: 365 } },
    );
    expect(Math.abs(graph.getEdgeAttribute('a', 'b', 'weight') - 0.5)).toBeLessThan(1e-12);
  });

  it('does not decay without a half-life', () => {
    const graph = project([person('a'), person('b')], [link('x', 'associate', 'a', 'b', { date: '2001-01-01' })], {
      recency: { referenceDate: '2024-01-01' },
    });
    expect(graph.getEdgeAttribute('a', 'b', 'weight')).toBe(1);
  });
});

describe('projectPersons: window', () => {
  it('uses only links that overlap the window; excludes undated ones and counts both', () => {
    const graph = project(
      [person('a'), person('b'), person('c'), person('d'), person('e')],
      [
        link('in', 'associate', 'a', 'b', { first_seen: '2019-06-01', last_seen: '2020-02-01' }), // overlaps the start
        link('open', 'associate', 'a', 'e', { first_seen: '2018-01-01' }), // open end reaches into it
        link('before', 'associate', 'a', 'c', { date: '2019-12-31' }),
        link('after', 'associate', 'b', 'c', { first_seen: '2021-01-01' }),
        link('undated', 'associate', 'c', 'd'),
        link('graded-out', 'associate', 'd', 'e', { grade: '1E P', date: '2020-05-01' }),
      ],
      { window: { from: '2020-01-01', to: '2020-12-31' } },
    );
    expect(graph.edges().map((edge) => graph.extremities(edge))).toEqual([
      ['a', 'b'],
      ['a', 'e'],
    ]);
    expect(graph.getAttribute('stats').excluded).toEqual({ assessment: 1, window: 3 });
    expect(graph.getAttribute('stats').linksUsed).toBe(2);
    expect(graph.getAttribute('options').window).toEqual({ from: '2020-01-01', to: '2020-12-31' });
  });

  it('accepts a window open at one end', () => {
    const graph = project(
      [person('a'), person('b'), person('c')],
      [
        link('old', 'associate', 'a', 'b', { date: '2010-01-01' }),
        link('new', 'associate', 'b', 'c', { date: '2020-01-01' }),
      ],
      { window: { from: '2015-01-01' } },
    );
    expect(graph.edges().map((edge) => graph.extremities(edge))).toEqual([['b', 'c']]);
  });
});

describe('projectPersons: phone contact', () => {
  const entities = [person('a'), person('b'), phone('X'), phone('Y')];

  it('joins the users of two phones in contact, weighted by the contact count', () => {
    const graph = project(entities, [
      link('ua', 'uses_phone', 'a', 'X'),
      link('c', 'phone_contact', 'X', 'Y', { count: 7, first_seen: '2021-01-01', last_seen: '2021-02-01' }),
      link('ub', 'uses_phone', 'b', 'Y'),
    ]);
    expect(graph.getEdgeAttributes('a', 'b')).toEqual({
      weight: 7,
      channels: ['phone_contact'],
      count: 1,
      evidence: [{ channel: 'phone_contact', links: ['ua', 'c', 'ub'], via: ['X', 'Y'], contribution: 7 }],
      firstSeen: '2021-01-01',
      lastSeen: '2021-02-01',
      marking: P,
    });
  });

  it('reads the path from the edge source even when the call went the other way', () => {
    const graph = project(entities, [
      link('ua', 'uses_phone', 'a', 'X'),
      link('c', 'phone_contact', 'Y', 'X', { count: 2 }),
      link('ub', 'uses_phone', 'b', 'Y'),
    ]);
    expect(graph.getEdgeAttribute('a', 'b', 'evidence')).toEqual([
      { channel: 'phone_contact', links: ['ua', 'c', 'ub'], via: ['X', 'Y'], contribution: 2 },
    ]);
  });

  it('takes the weakest grading and oldest link of the three', () => {
    const graph = project(
      entities,
      [
        link('ua', 'uses_phone', 'a', 'X', { grade: '2B P', last_seen: '2022-01-01' }),
        link('c', 'phone_contact', 'X', 'Y', { count: 4, grade: '3B C:not for partners', date: '2021-01-01' }),
        link('ub', 'uses_phone', 'b', 'Y', { first_seen: '2019-01-02' }), // 1095 days old
      ],
      {
        grading: { sourceWeights: { '2': 0.5, '3': 0.25 } },
        recency: { halfLifeDays: 365, referenceDate: '2022-01-01' },
      },
    );
    // 4 × min(0.5, 0.25, 1) × min(1, 0.5, r(ub) = 2^-3)
    expect(Math.abs(graph.getEdgeAttribute('a', 'b', 'weight') - 4 * 0.25 * 0.125)).toBeLessThan(1e-12);
    expect(graph.getEdgeAttribute('a', 'b', 'marking')).toEqual({ handling: 'C', conditions: ['not for partners'] });
  });

  it('needs each phone to be in use when the contact happened (co-presence)', () => {
    const links = [
      link('ua', 'uses_phone', 'a', 'X', { last_seen: '2019-12-31' }),
      link('c', 'phone_contact', 'X', 'Y', { date: '2020-06-01' }),
      link('ub', 'uses_phone', 'b', 'Y'),
    ];
    expect(project(entities, links).size).toBe(0);
    expect(project(entities, links, { requireCoPresence: false }).size).toBe(1);
  });

  it('is switched off by channelWeights.phone_contact 0', () => {
    const graph = project(
      entities,
      [link('ua', 'uses_phone', 'a', 'X'), link('c', 'phone_contact', 'X', 'Y'), link('ub', 'uses_phone', 'b', 'Y')],
      { channelWeights: { phone_contact: 0 } },
    );
    expect(graph.size).toBe(0);
  });
});

describe('projectPersons: hubs', () => {
  const attendees = Array.from({ length: 101 }, (_, i) => person(`p${String(i).padStart(3, '0')}`));
  const entities = [...attendees, event('pub-night')];
  const links = attendees.map((p, i) => link(`at${i}`, 'attended', p.id, 'pub-night'));

  it('does not expand an event with 101 attendees, and reports it', () => {
    const graph = project(entities, links);
    expect(graph.order).toBe(101);
    expect(graph.size).toBe(0);
    expect(graph.getAttribute('stats').hubsNotExpanded).toEqual([{ id: 'pub-night', kind: 'event', persons: 101 }]);
  });

  it('expands it when the limit allows', () => {
    const graph = project(entities, links, { maxSharedEntityDegree: 101 });
    expect(graph.size).toBe((101 * 100) / 2);
    expect(graph.getAttribute('stats').hubsNotExpanded).toEqual([]);
    expect(graph.getAttribute('stats').linksUsed).toBe(101);
  });

  it('counts persons, not links, against the limit', () => {
    const graph = project(
      [person('a'), person('b'), location('L')],
      [link('l1', 'lives_at', 'a', 'L'), link('l2', 'uses_address', 'a', 'L'), link('l3', 'lives_at', 'b', 'L')],
      { maxSharedEntityDegree: 2 },
    );
    expect(graph.size).toBe(1);
  });

  it('keeps a hub phone out of phone-contact paths too', () => {
    const users = Array.from({ length: 3 }, (_, i) => person(`u${i}`));
    const graph = project(
      [...users, person('b'), phone('X'), phone('Y')],
      [
        ...users.map((u, i) => link(`ux${i}`, 'uses_phone', u.id, 'X')),
        link('c', 'phone_contact', 'X', 'Y'),
        link('uy', 'uses_phone', 'b', 'Y'),
      ],
      { maxSharedEntityDegree: 2 },
    );
    expect(graph.size).toBe(0);
    expect(graph.getAttribute('stats').hubsNotExpanded).toEqual([{ id: 'X', kind: 'phone', persons: 3 }]);
  });
});

describe('projectPersons: determinism and options', () => {
  it('gives the same graph whatever order the records came in', () => {
    const entities = [person('c'), person('a'), person('b'), location('L'), event('E'), phone('X'), phone('Y')];
    const links = [
      link('l1', 'lives_at', 'c', 'L'),
      link('l2', 'lives_at', 'a', 'L'),
      link('l3', 'attended', 'b', 'E'),
      link('l4', 'attended', 'a', 'E'),
      link('l5', 'associate', 'b', 'c', { weight: 2 }),
      link('l6', 'uses_phone', 'c', 'X'),
      link('l7', 'uses_phone', 'a', 'Y'),
      link('l8', 'phone_contact', 'X', 'Y', { count: 3 }),
      link('l9', 'lives_at', 'b', 'L'),
    ];
    const forward = project(entities, links).export();
    const backward = project([...entities].reverse(), [...links].reverse()).export();
    expect(backward).toEqual(forward);
    expect(forward.nodes.map((node) => node.key)).toEqual(['a', 'b', 'c']);
    expect(forward.edges.map((edge) => [edge.source, edge.target])).toEqual([
      ['a', 'b'],
      ['a', 'c'],
      ['b', 'c'],
    ]);
    const ac = forward.edges[1]!.attributes!;
    expect(ac.channels).toEqual(['phone_contact', 'shared_location']);
    expect(ac.weight).toBe(4);
    expect(ac.evidence).toEqual([
      { channel: 'phone_contact', links: ['l7', 'l8', 'l6'], via: ['Y', 'X'], contribution: 3 },
      { channel: 'shared_location', links: ['l2', 'l1'], via: ['L'], contribution: 1 },
    ]);
  });

  it('records the resolved options on the graph', () => {
    const graph = project([person('a')], [], { channelWeights: { family: 2 } });
    expect(graph.getAttribute('kind')).toBe('person-projection');
    const options = graph.getAttribute('options');
    expect(options.channelWeights.family).toBe(2);
    expect(options.channelWeights.associate).toBe(1);
    expect(options.channelWeights.shared_group).toBe(0);
    expect(options.grading).toEqual({
      excludeAssessments: ['E'],
      sourceWeights: { '1': 1, '2': 1, '3': 1 },
      legacyWeight: 1,
    });
    expect(options.requireCoPresence).toBe(true);
    expect(options.maxSharedEntityDegree).toBe(100);
    // The defaults themselves are untouched and frozen.
    expect(DEFAULT_PROJECTION_OPTIONS.channelWeights.family).toBe(1);
    expect(Object.isFrozen(DEFAULT_PROJECTION_OPTIONS.grading.sourceWeights)).toBe(true);
  });

  it('rejects meaningless options with a typed error', () => {
    const network = buildNetwork(records([person('a')], []));
    const bad: ProjectionOptionsInput[] = [
      { channelWeights: { shared_group: -1 } },
      { channelWeights: { nonsense: 1 } as never },
      { grading: { excludeAssessments: ['F' as never] } },
      { grading: { sourceWeights: { '2': Number.NaN } } },
      { recency: { halfLifeDays: 0 } },
      { recency: { halfLifeDays: 10, referenceDate: '2021-02-30' } },
      { window: { from: '2021-01-01', to: '2020-01-01' } },
      { window: { to: 'yesterday' } },
      { maxSharedEntityDegree: 2.5 },
    ];
    for (const options of bad) {
      expect(() => projectPersons(network, options), JSON.stringify(options)).toThrow(GraphError);
      expect(() => projectPersons(network, options)).toThrow(/^@ocgnet\/graph: /);
    }
  });
});
