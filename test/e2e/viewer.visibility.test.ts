/**
 * The viewer's visibility (apps/viewer/src/model.ts over visibilityIndex.ts),
 * in Node, on the medium town: after every step of a seeded sequence of
 * filter toggles, time windows and removals, in both views, what
 * computeVisibility shows equals a direct computation here from the graphs'
 * attributes by the rules the page states. So the per-bundle class index
 * cannot drift from the rules, whatever order the filters change in.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type Graph from 'graphology';
import { computeVisibility, fragmentationOf, loadBundle, type Loaded } from '../../apps/viewer/src/model.js';
import { DEFAULT_VIEW, dayOf, type ViewState } from '../../apps/viewer/src/state.js';
import { componentSizes, gradingFilterItems, handlingCode, mediumBundle, personGraph } from './viewer.fixtures.js';

const strings = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);

/** The rules restated, edge by edge, from the attributes. */
function direct(loaded: Loaded, state: ViewState): { nodes: string[]; edges: string[] } {
  const graph: Graph = state.view === 'network' ? loaded.network : loaded.persons;
  const nodes = new Set<string>();
  graph.forEachNode((node, attributes) => {
    if (state.view === 'network' && state.hiddenKinds.includes(String(attributes.kind))) return;
    if (attributes.kind === 'person' && state.hiddenGroups.includes(loaded.groupOf.get(node)!)) return;
    if (state.hiddenHandling.includes(handlingCode(attributes))) return;
    nodes.add(node);
  });
  const persons = graph === loaded.persons;
  const edges: string[] = [];
  graph.forEachEdge((edge, attributes, source, target) => {
    if (!nodes.has(source) || !nodes.has(target)) return;
    if (state.removed.includes(source) || state.removed.includes(target)) return;
    if (state.hiddenHandling.includes(handlingCode(attributes))) return;
    const gradings = persons
      ? strings(attributes.gradings)
      : typeof attributes.grading === 'string'
        ? [attributes.grading]
        : [];
    if (
      gradings.length > 0 &&
      gradings.every((g) => gradingFilterItems(g).some((item) => state.hiddenGradings.includes(item)))
    )
      return;
    const types = persons ? strings(attributes.linkTypes) : [String(attributes.type)];
    if (types.length > 0 && types.every((type) => state.hiddenLinkTypes.includes(type))) return;
    if (state.window) {
      const start = dayOf(attributes[persons ? 'firstSeen' : 'start']);
      const end = dayOf(attributes[persons ? 'lastSeen' : 'end']);
      if (start === undefined && end === undefined) return;
      if ((start ?? -Infinity) > state.window[1] || (end ?? Infinity) < state.window[0]) return;
    }
    edges.push(edge);
  });
  return { nodes: [...nodes].sort(), edges: edges.sort() };
}

/** A small seeded generator (mulberry32), so a failure replays. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const toggled = (list: string[], item: string) =>
  list.includes(item) ? list.filter((x) => x !== item) : [...list, item];

describe('viewer visibility on the medium town', () => {
  let loaded: Loaded;
  beforeAll(() => {
    loaded = loadBundle(mediumBundle(), 'medium', false);
  }, 120_000);

  it('equals the direct computation after every step of a sequence of filter changes, in both views', () => {
    const next = random(20);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const persons = loaded.persons.nodes();
    let state: ViewState = { ...DEFAULT_VIEW };
    let hidSomething = 0;
    for (let step = 0; step < 60; step++) {
      const move = pick(['handling', 'grading', 'type', 'group', 'kind', 'window', 'remove', 'view'] as const);
      if (move === 'handling')
        state = { ...state, hiddenHandling: toggled(state.hiddenHandling, pick(loaded.handling)) };
      else if (move === 'grading')
        state = { ...state, hiddenGradings: toggled(state.hiddenGradings, pick(loaded.gradings)) };
      else if (move === 'type') {
        const types = state.view === 'network' ? loaded.linkTypes.network : loaded.linkTypes.persons;
        state = { ...state, hiddenLinkTypes: toggled(state.hiddenLinkTypes, pick(types)) };
      } else if (move === 'group') state = { ...state, hiddenGroups: toggled(state.hiddenGroups, pick(loaded.groups)) };
      else if (move === 'kind') state = { ...state, hiddenKinds: toggled(state.hiddenKinds, pick(loaded.kinds)) };
      else if (move === 'window') {
        const [low, high] = loaded.range!;
        const a = low + Math.floor(next() * (high - low));
        state = { ...state, window: next() < 0.25 ? null : [a, Math.min(high, a + Math.floor(next() * 400))] };
      } else if (move === 'remove') state = { ...state, removed: toggled(state.removed, pick(persons)) };
      else state = { ...state, view: state.view === 'network' ? 'persons' : 'network' };
      const shown = computeVisibility(loaded, state);
      const want = direct(loaded, state);
      expect([...shown.nodes].sort(), `step ${step}: ${move}`).toEqual(want.nodes);
      expect([...shown.edges].sort(), `step ${step}: ${move}`).toEqual(want.edges);
      if (want.edges.length < (state.view === 'network' ? loaded.network.size : loaded.persons.size)) hidSomething++;
    }
    expect(hidSomething).toBeGreaterThan(30);
  });

  it('fragmentation of the unfiltered view: the components of the bundle graph, before and after removals', () => {
    const graph = personGraph(loaded.bundle);
    const removed = graph
      .nodes()
      .sort((a, b) => graph.degree(b) - graph.degree(a))
      .slice(0, 5);
    const { before, after } = fragmentationOf(computeVisibility(loaded, { ...DEFAULT_VIEW, removed }));
    const whole = componentSizes(graph);
    const rest = componentSizes(graph, new Set(removed));
    expect([before.lcc, before.components, before.remaining]).toEqual([whole[0], whole.length, graph.order]);
    expect([after.lcc, after.components, after.remaining]).toEqual([rest[0], rest.length, graph.order - 5]);
  });
});
