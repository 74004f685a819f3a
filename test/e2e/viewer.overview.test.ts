/**
 * The viewer at force scale (issue 20), in Chromium with the production CSP, each
 * figure checked against one computed here from the bundle, independently of the
 * viewer: the community overview (communities, member counts, links between them,
 * safeguarding rings), opening and closing a community, subject first (exactly the
 * subject's neighbourhood; an expansion adds exactly a node's neighbours; undo takes
 * them away), the community palette, the legends, a path's hops and its framing, and
 * search by alias. Screenshots: viewer-overview-medium.png, viewer-subject-first.png.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type Graph from 'graphology';
import { layoutBundle } from '@ocgnet/bundle/layout';
import { temporaryFolder } from '../cli/cli.fixtures.js';
import { HAVE_CHROMIUM, MUST_HAVE_BROWSER, NO_CHROMIUM } from './browser.js';
import { startViewerSuite, type ViewerSuite } from './viewer.suite.js';
import {
  ARTEFACTS,
  mediumBundle,
  personGraph,
  leaveOverview,
  sigmaCaughtUp,
  smallBundle,
  writeBundle,
  type ViewerBundle,
} from './viewer.fixtures.js';
import { skipUnless } from '../skip.js';

/** Colours the overview's palette must never take (renderer.ts's kind, ring and path colours). */
const RESERVED = [
  '#1f77b4',
  '#393b79',
  '#9467bd',
  '#2ca02c',
  '#8c564b',
  '#17becf',
  '#bcbd22',
  '#7f7f7f',
  '#e6007e',
  '#ff7f0e',
  '#d62728',
];

interface PageGraph {
  order: number;
  hasNode(node: string): boolean;
  forEachNode(cb: (node: string, attributes: Record<string, unknown>) => void): void;
  forEachEdge(cb: (edge: string, attributes: Record<string, unknown>, source: string, target: string) => void): void;
  getNodeAttributes(node: string): Record<string, unknown>;
}
interface PageGlobal {
  __ocgnet: {
    sigma: {
      getGraph(): PageGraph;
      getNodeDisplayData(
        node: string,
      ): { hidden?: boolean; color?: string; type?: string; x: number; y: number } | undefined;
      graphToViewport(point: { x: number; y: number }): { x: number; y: number };
      getContainer(): { getBoundingClientRect(): { left: number; top: number; width: number; height: number } };
      getCamera(): { isAnimated(): boolean; setState(state: { x: number; y: number; ratio: number }): void };
    } | null;
    graph: PageGraph | null;
    state: {
      persons: number;
      visibleNodes: number;
      visibleEdges: number;
      view: { overview: boolean; openCommunities: string[]; subject: string | null; expanded: string[] };
    } | null;
  };
}

const community = (attributes: Record<string, unknown> | undefined) =>
  typeof attributes?.community === 'number' ? String(attributes.community) : 'unassigned';
const pair = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
const SAFEGUARDING = ['vulnerable', 'under_18', 'exploited', 'cuckooed', 'safeguarding'];

/** The overview computed here: members and safeguarding subjects per community, and links between communities. */
function expectedOverview(bundle: ViewerBundle): {
  members: Map<string, number>;
  safeguarding: Map<string, number>;
  links: Map<string, number>;
} {
  const graph = personGraph(bundle);
  const members = new Map<string, number>();
  const safeguarding = new Map<string, number>();
  graph.forEachNode((_node, attributes) => {
    const c = community(attributes);
    members.set(c, (members.get(c) ?? 0) + 1);
    if (SAFEGUARDING.some((flag) => attributes[flag] === true)) safeguarding.set(c, (safeguarding.get(c) ?? 0) + 1);
  });
  const links = new Map<string, number>();
  graph.forEachEdge((_edge, _attributes, source, target) => {
    const a = community(graph.getNodeAttributes(source));
    const b = community(graph.getNodeAttributes(target));
    if (a !== b) links.set(pair(a, b), (links.get(pair(a, b)) ?? 0) + 1);
  });
  return { members, safeguarding, links };
}

/** The overview as the page draws it. */
async function drawnOverview(page: Page) {
  await sigmaCaughtUp(page);
  return page.evaluate(() => {
    const sigma = (globalThis as unknown as PageGlobal).__ocgnet.sigma!;
    const graph = sigma.getGraph();
    const nodes: {
      key: string;
      community: string;
      members: number;
      safeguarding: number;
      type: string | undefined;
      hidden: boolean | undefined;
    }[] = [];
    const others: string[] = [];
    graph.forEachNode((key, attributes) => {
      const display = sigma.getNodeDisplayData(key);
      if (attributes.kind === 'community')
        nodes.push({
          key,
          community: String(attributes.community),
          members: Number(attributes.members),
          safeguarding: Number(attributes.safeguardingCount),
          type: display?.type,
          hidden: display?.hidden,
        });
      else others.push(key);
    });
    const links: [string, string, number][] = [];
    graph.forEachEdge((_edge, attributes, source, target) => links.push([source, target, Number(attributes.weight)]));
    return { nodes, others, links };
  });
}

async function state(page: Page) {
  return page.evaluate(() => (globalThis as unknown as PageGlobal).__ocgnet.state!);
}

/** Node keys sigma draws now. */
async function shownNodes(page: Page): Promise<string[]> {
  await sigmaCaughtUp(page);
  return page.evaluate(() => {
    const sigma = (globalThis as unknown as PageGlobal).__ocgnet.sigma!;
    const nodes: string[] = [];
    sigma.getGraph().forEachNode((node) => {
      if (!sigma.getNodeDisplayData(node)?.hidden) nodes.push(node);
    });
    return nodes.sort();
  });
}

/** Whether every one of `nodes` is inside the canvas, by sigma's own graphToViewport, once the camera has stopped. */
async function allInView(page: Page, nodes: string[]): Promise<boolean> {
  return page.evaluate((keys) => {
    const sigma = (globalThis as unknown as PageGlobal).__ocgnet.sigma!;
    if (sigma.getCamera().isAnimated()) return false;
    const box = sigma.getContainer().getBoundingClientRect();
    return keys.every((node) => {
      const point = sigma.graphToViewport(sigma.getGraph().getNodeAttributes(node) as { x: number; y: number });
      return point.x >= 0 && point.y >= 0 && point.x <= box.width && point.y <= box.height;
    });
  }, nodes);
}

const neighbourhood = (graph: Graph, node: string) => [node, ...graph.neighbors(node)].sort();

describe('the viewer at force scale in Chromium', skipUnless(HAVE_CHROMIUM || MUST_HAVE_BROWSER, NO_CHROMIUM), () => {
  let suite: ViewerSuite;
  let small: ViewerBundle;
  let smallPath: string;
  let graph: Graph;
  const folder = temporaryFolder('ocgnet-viewer-overview-');

  const freshPage = (hash = '', bundle = small, path = smallPath) => suite.open(path, bundle.graph.nodes.length, hash);

  /** Selects a node through search (the search box, then its hit). */
  async function select(page: Page, node: string): Promise<void> {
    await page.locator('[data-testid="search"]').fill(node);
    await page.locator(`[data-testid="search-results"] button[data-node="${node}"]`).click();
  }

  beforeAll(async () => {
    suite = await startViewerSuite();
    small = await smallBundle();
    smallPath = writeBundle(small, folder, 'small.bundle.json');
    graph = personGraph(small);
  });

  afterAll(async () => {
    await suite?.close();
    expect(suite.errors).toEqual([]);
    expect(suite.server.reports).toEqual([]);
  });

  describe('the medium town (~5,000 nominals)', () => {
    let medium: ViewerBundle;
    let page: Page;
    beforeAll(async () => {
      // With its layout, as `analyse --out` writes it: community positions are their members' centroids.
      const built = mediumBundle();
      medium = { ...built, layout: layoutBundle(built) };
      page = await freshPage('', medium, writeBundle(medium, folder, 'medium.bundle.json'));
    }, 300_000);
    afterAll(async () => page?.close());

    it('opens on the community overview, which matches communities, members and links computed here', async () => {
      expect(medium.graph.nodes.length).toBeGreaterThan(2000);
      expect((await state(page)).view.overview).toBe(true);
      const expected = expectedOverview(medium);
      const drawn = await drawnOverview(page);
      expect(drawn.others).toEqual([]);
      expect(drawn.nodes.length).toBe(expected.members.size);
      expect(new Map(drawn.nodes.map((node) => [node.community, node.members]))).toEqual(expected.members);
      const links = new Map<string, number>();
      const communityOfKey = new Map(drawn.nodes.map((node) => [node.key, node.community]));
      for (const [source, target, weight] of drawn.links)
        links.set(pair(communityOfKey.get(source)!, communityOfKey.get(target)!), weight);
      expect(links).toEqual(expected.links);
      // Safeguarding subjects stay visible: their communities are ringed and count them.
      for (const node of drawn.nodes) {
        expect(node.safeguarding, node.key).toBe(expected.safeguarding.get(node.community) ?? 0);
        expect(node.type, node.key).toBe(node.safeguarding > 0 ? 'ringed' : 'circle');
      }
      expect(drawn.nodes.some((node) => node.safeguarding > 0)).toBe(true);
      // Each community sits at the centroid of its members' stored positions.
      const sums = new Map<string, [number, number, number]>();
      for (const node of medium.graph.nodes) {
        const [x, y] = medium.layout!.positions[node.key]!;
        const sum = sums.get(community(node.attributes)) ?? [0, 0, 0];
        sums.set(community(node.attributes), [sum[0] + x, sum[1] + y, sum[2] + 1]);
      }
      const at = await page.evaluate(() => {
        const graph = (globalThis as unknown as PageGlobal).__ocgnet.graph!;
        const positions: Record<string, [number, number]> = {};
        graph.forEachNode((_key, attributes) => {
          positions[String(attributes.community)] = [Number(attributes.x), Number(attributes.y)];
        });
        return positions;
      });
      for (const [key, [x, y, n]] of sums) {
        expect(at[key]![0], key).toBeCloseTo(x / n, 6);
        expect(at[key]![1], key).toBeCloseTo(y / n, 6);
      }
      // The what-if figures measure the persons, not the community nodes.
      await page.locator('[data-testid="tab-disruption"]').click();
      expect(Number(await page.locator('[data-metric-before="remaining"]').innerText())).toBe(
        medium.graph.nodes.length,
      );
      await page.locator('[data-testid="tab-details"]').click();
      await page.screenshot({ path: join(ARTEFACTS, 'viewer-overview-medium.png') });
    });

    it('colours communities from a colour-blind-safe palette: no kind or ring colour, no repeat but "other"', async () => {
      await page.locator('[data-testid="overview-toggle"]').click();
      await expect.poll(async () => (await state(page)).view.overview).toBe(false);
      await sigmaCaughtUp(page);
      const colours = await page.evaluate(() => {
        const sigma = (globalThis as unknown as PageGlobal).__ocgnet.sigma!;
        const byCommunity: Record<string, string[]> = {};
        sigma.getGraph().forEachNode((node, attributes) => {
          const display = sigma.getNodeDisplayData(node);
          if (display?.hidden) return;
          const key = typeof attributes.community === 'number' ? String(attributes.community) : 'unassigned';
          (byCommunity[key] ??= []).push(String(display?.color));
        });
        return byCommunity;
      });
      const colourOf = new Map<string, string>();
      for (const [key, list] of Object.entries(colours)) {
        expect(new Set(list).size, `community ${key} has one colour`).toBe(1);
        colourOf.set(key, list[0]!.toLowerCase());
      }
      const legend = await page
        .locator('[data-testid="legend-colours"] [data-colour]')
        .evaluateAll((spans) => spans.map((span) => span.getAttribute('data-colour')!.toLowerCase()));
      const other = legend.at(-1)!;
      const named = [...colourOf.values()].filter((colour) => colour !== other);
      expect(new Set(named).size).toBe(named.length);
      expect(named.length).toBeGreaterThanOrEqual(6);
      expect(colourOf.size).toBeGreaterThan(named.length); // more communities than colours: "other" is used
      for (const colour of new Set(colourOf.values())) expect(RESERVED).not.toContain(colour);
      for (const colour of legend) expect(RESERVED).not.toContain(colour);
      expect(new Set(legend).size).toBe(legend.length);
    });
    it('draws no two labels overlapping (read back from the label canvas)', async () => {
      // Zoomed in on the persons view, where many labels compete for room.
      await leaveOverview(page);
      const drawn = await page.evaluate(async () => {
        const sigma = (globalThis as unknown as PageGlobal).__ocgnet.sigma! as unknown as {
          getCanvases(): Record<
            string,
            {
              getContext(kind: '2d'): {
                fillText(text: string, x: number, y: number): void;
                measureText(text: string): { width: number };
              } | null;
            }
          >;
          getCamera(): { setState(state: { x: number; y: number; ratio: number }): void };
          getSetting(name: string): unknown;
          refresh(): void;
        };
        const context = sigma.getCanvases().labels!.getContext('2d')!;
        const texts: { text: string; x: number; y: number; width: number }[] = [];
        const fillText = context.fillText.bind(context);
        context.fillText = (text: string, x: number, y: number) => {
          texts.push({ text, x, y, width: context.measureText(text).width });
          fillText(text, x, y);
        };
        sigma.getCamera().setState({ x: 0.5, y: 0.5, ratio: 0.4 });
        sigma.refresh();
        await new Promise((done) => setTimeout(done, 300));
        texts.length = 0;
        sigma.refresh();
        await new Promise((done) => setTimeout(done, 300));
        return { texts, size: Number(sigma.getSetting('labelSize')) };
      });
      expect(drawn.texts.length).toBeGreaterThan(10);
      // sigma writes a label's baseline at its centre + size / 3.
      const boxes = drawn.texts.map(({ x, y, width }) => ({
        left: x,
        right: x + width,
        top: y - drawn.size / 3 - drawn.size / 2,
        bottom: y - drawn.size / 3 + drawn.size / 2,
      }));
      const overlapping: string[] = [];
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, b] = [boxes[i]!, boxes[j]!];
          if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
            overlapping.push(`${drawn.texts[i]!.text} / ${drawn.texts[j]!.text}`);
        }
      expect(overlapping).toEqual([]);
    });

    it('subject first on a hub: its 25 strongest neighbours, "+N more" for the rest, and the next 25 on request', async () => {
      const persons = personGraph(medium);
      const hub = persons.nodes().sort((a, b) => persons.degree(b) - persons.degree(a) || (a < b ? -1 : 1))[0]!;
      expect(persons.degree(hub)).toBeGreaterThan(25);
      const ranked = persons
        .neighbors(hub)
        .map((node) => ({ node, weight: Number(persons.getEdgeAttribute(hub, node, 'weight')) }))
        .sort((a, b) => b.weight - a.weight || (a.node < b.node ? -1 : 1))
        .map(({ node }) => node);
      const strongest = ranked.slice(0, 25);
      await page.locator('[data-testid="search"]').fill(hub);
      await page.locator(`[data-testid="search-results"] button[data-start="${hub}"]`).click();
      await expect.poll(async () => (await state(page)).view.subject).toBe(hub);
      expect(await shownNodes(page)).toEqual([hub, ...strongest].sort());
      expect(await page.locator('[data-testid="expand-more"]').first().innerText()).toContain(
        `+${persons.degree(hub) - 25} more`,
      );
      // The next batch: the 26th to 50th strongest join, undo takes them back.
      await page.locator(`[data-testid="expand-rest"][data-node="${hub}"]`).click();
      await expect.poll(async () => (await shownNodes(page)).length).toBe(1 + Math.min(50, ranked.length));
      expect(await shownNodes(page)).toEqual([hub, ...ranked.slice(0, 50)].sort());
      if (ranked.length > 50)
        expect(await page.locator('[data-testid="expand-more"]').first().innerText()).toContain(
          `+${ranked.length - 50} more`,
        );
      await page.locator('[data-testid="undo"]').click();
      await expect.poll(async () => (await shownNodes(page)).length).toBe(26);
    });
  });

  it('opens a community into its members (double-click) and closes it again', async () => {
    const page = await freshPage();
    try {
      expect((await state(page)).view.overview).toBe(false); // ~150 persons: not the default
      await page.locator('[data-testid="overview-toggle"]').click();
      const before = await drawnOverview(page);
      const expected = expectedOverview(small);
      expect(new Map(before.nodes.map((node) => [node.community, node.members]))).toEqual(expected.members);
      const largest = [...before.nodes].sort((a, b) => b.members - a.members)[0]!;
      const at = await page.evaluate((key) => {
        const sigma = (globalThis as unknown as PageGlobal).__ocgnet.sigma!;
        const attributes = sigma.getGraph().getNodeAttributes(key) as { x: number; y: number };
        const box = sigma.getContainer().getBoundingClientRect();
        const point = sigma.graphToViewport(attributes);
        return { x: box.left + point.x, y: box.top + point.y };
      }, largest.key);
      await page.mouse.dblclick(at.x, at.y);
      await expect.poll(async () => (await state(page)).view.openCommunities).toEqual([largest.community]);
      const members = small.graph.nodes
        .filter((node) => community(node.attributes) === largest.community)
        .map((node) => node.key)
        .sort();
      const opened = await drawnOverview(page);
      expect(opened.others.sort()).toEqual(members);
      expect(opened.nodes.map((node) => node.key)).not.toContain(largest.key);
      expect(opened.nodes.length).toBe(before.nodes.length - 1);
      // Members sit at their stored positions (the persons graph's).
      const positions = await page.evaluate(
        (keys) => {
          const graph = (globalThis as unknown as PageGlobal).__ocgnet.graph!;
          return keys.map((key) => [graph.getNodeAttributes(key).x, graph.getNodeAttributes(key).y]);
        },
        members.slice(0, 5),
      );
      for (const position of positions) expect(position.every(Number.isFinite)).toBe(true);
      await page.locator(`[data-testid="open-communities"] button[data-community="${largest.community}"]`).click();
      await expect.poll(async () => (await state(page)).view.openCommunities).toEqual([]);
      const closed = await drawnOverview(page);
      expect(closed.others).toEqual([]);
      expect(closed.nodes.length).toBe(before.nodes.length);
    } finally {
      await page.close();
    }
  });

  it('subject first (#subject=person:…): exactly the neighbourhood, an expansion adds exactly its neighbours, undo removes them', async () => {
    // A subject with a handful of neighbours, one of which brings in new ones (all under the cap of 25).
    const subject = graph
      .nodes()
      .filter((node) => graph.degree(node) >= 3 && graph.degree(node) <= 8)
      .sort()
      .find((node) => graph.neighbors(node).some((next) => graph.degree(next) >= 3 && graph.degree(next) <= 20))!;
    const page = await freshPage(`#subject=person:${subject}`);
    try {
      await expect.poll(async () => (await state(page)).view.subject).toBe(subject);
      const first = neighbourhood(graph, subject);
      expect(await shownNodes(page)).toEqual(first);
      // Every neighbour is listed with the evidence that brought it in, handling code included.
      const listed = page.locator('[data-testid="expansions"] > li').first();
      for (const neighbour of graph.neighbors(subject))
        await expect
          .poll(() => listed.locator(`li[data-node="${neighbour}"] [data-testid="evidence-handling"]`).count())
          .toBeGreaterThan(0);
      // Safeguarding neighbours are marked to protect, and only they.
      const isProtected = (node: string) => SAFEGUARDING.some((flag) => graph.getNodeAttribute(node, flag) === true);
      for (const neighbour of graph.neighbors(subject))
        expect(
          await listed.locator(`li[data-node="${neighbour}"] [data-testid="protect-tag"]`).count(),
          neighbour,
        ).toBe(isProtected(neighbour) ? 1 : 0);
      await expect.poll(() => allInView(page, first)).toBe(true);
      await page.screenshot({ path: join(ARTEFACTS, 'viewer-subject-first.png') });

      const next = graph.neighbors(subject).find((node) => graph.degree(node) >= 3 && graph.degree(node) <= 20)!;
      await select(page, next);
      await page.locator('[data-testid="expand-node"]').click();
      await expect.poll(async () => (await state(page)).view.expanded).toEqual([next]);
      const second = [...new Set([...first, ...graph.neighbors(next)])].sort();
      expect(second.length).toBeGreaterThan(first.length);
      expect(await shownNodes(page)).toEqual(second);

      // The expanded set is saved with the working state...
      const downloading = page.waitForEvent('download');
      await page.locator('[data-testid="save-state"]').click();
      const statePath = join(folder, 'subject-state.json');
      await (await downloading).saveAs(statePath);
      const saved = JSON.parse(readFileSync(statePath, 'utf8')) as { view: { subject: string; expanded: string[] } };
      expect(saved.view).toMatchObject({ subject, expanded: [next] });

      await page.locator('[data-testid="undo"]').click();
      await expect.poll(async () => (await state(page)).view.expanded).toEqual([]);
      expect(await shownNodes(page)).toEqual(first);

      // ...and restored with it.
      await page.locator('[data-testid="open-state"]').setInputFiles(statePath);
      await expect.poll(async () => (await state(page)).view.expanded).toEqual([next]);
      expect(await shownNodes(page)).toEqual(second);
    } finally {
      await page.close();
    }
  });

  it('subject first on an OCG (#subject=ocg:…) shows it and its neighbours in the multimodal network', async () => {
    const neighbours = new Map<string, Set<string>>();
    for (const edge of small.network.edges) {
      if (edge.source === edge.target) continue;
      for (const [a, b] of [
        [edge.source, edge.target],
        [edge.target, edge.source],
      ] as const)
        neighbours.set(a, (neighbours.get(a) ?? new Set()).add(b));
    }
    const ocg = small.network.nodes
      .filter((node) => node.attributes?.kind === 'ocg' && (neighbours.get(node.key)?.size ?? 0) <= 25)
      .map((node) => node.key)
      .sort()[0]!;
    const page = await freshPage(`#subject=ocg:${ocg}`);
    try {
      await expect.poll(async () => (await state(page)).view.subject).toBe(ocg);
      expect(
        await page.evaluate(
          () => (globalThis as unknown as { __ocgnet: { state: { view: { view: string } } } }).__ocgnet.state.view.view,
        ),
      ).toBe('network');
      expect(await shownNodes(page)).toEqual([ocg, ...neighbours.get(ocg)!].sort());
    } finally {
      await page.close();
    }
  });

  it('search by alias finds the person, and "start here" opens on them', async () => {
    const person = small.graph.nodes.find((node) => Array.isArray(node.attributes?.aliases))!;
    const alias = (person.attributes!.aliases as string[])[0]!;
    expect(String(person.attributes!.label).toLowerCase()).not.toContain(alias.toLowerCase());
    const page = await freshPage();
    try {
      await page.locator('[data-testid="search"]').fill(alias);
      const hit = page.locator(`[data-testid="search-results"] button[data-node="${person.key}"]`);
      await hit.waitFor();
      expect(await page.locator('[data-testid="search-results"]').innerText()).toContain(`alias ${alias}`);
      await page.locator(`[data-testid="search-results"] button[data-start="${person.key}"]`).click();
      await expect.poll(async () => (await state(page)).view.subject).toBe(person.key);
      expect(await shownNodes(page)).toEqual(neighbourhood(graph, person.key));
    } finally {
      await page.close();
    }
  });

  it('a path lists each hop with its evidence and handling code, and the camera shows the whole path', async () => {
    const page = await freshPage();
    try {
      const from = [...graph.nodes()].sort((a, b) => graph.degree(b) - graph.degree(a))[0]!;
      const depth = new Map([[from, 0]]);
      const queue = [from];
      for (let head = 0; head < queue.length; head++)
        for (const next of graph.neighbors(queue[head]!))
          if (!depth.has(next)) {
            depth.set(next, depth.get(queue[head]!)! + 1);
            queue.push(next);
          }
      const to = [...depth].find(([, d]) => d === Math.min(Math.max(...depth.values()), 4))![0];
      await select(page, from);
      await page.locator('[data-testid="path-from"]').click();
      await select(page, to);
      // Look somewhere else, zoomed in, so only framing the path can bring all of it into view.
      await page.evaluate(() => {
        const sigma = (globalThis as unknown as PageGlobal).__ocgnet.sigma!;
        sigma.getCamera().setState({ x: 0.02, y: 0.02, ratio: 0.05 });
      });
      expect(await allInView(page, [from, to])).toBe(false);
      await page.locator('[data-testid="path-to"]').click();
      const hops = page.locator('[data-testid="path-hops"] > li');
      await expect.poll(() => hops.count()).toBe(depth.get(to)!);
      const listed = await hops.evaluateAll((items) =>
        items.map((item) => ({
          from: item.getAttribute('data-from')!,
          to: item.getAttribute('data-to')!,
          handling: [...item.querySelectorAll('[data-handling]')].map((span) => span.getAttribute('data-handling')),
        })),
      );
      expect(listed[0]!.from).toBe(from);
      expect(listed.at(-1)!.to).toBe(to);
      for (const [index, hop] of listed.entries()) {
        expect(graph.hasEdge(hop.from, hop.to)).toBe(true);
        if (index > 0) expect(hop.from).toBe(listed[index - 1]!.to);
        expect(hop.handling).toEqual([graph.getEdgeAttribute(hop.from, hop.to, 'handling')]);
      }
      const path = [from, ...listed.map((hop) => hop.to)];
      await expect.poll(() => allInView(page, path)).toBe(true);
    } finally {
      await page.close();
    }
  });

  it('draws a removed node (grey, dark ring, "(removed)") unlike a dimmed one (pale, unlabelled)', async () => {
    const page = await freshPage();
    try {
      const [from, to] = [...graph.nodes()].sort((a, b) => graph.degree(b) - graph.degree(a));
      const onPath = new Set([from!, to!, ...graph.neighbors(from!), ...graph.neighbors(to!)]);
      const plain = (node: string) => !SAFEGUARDING.some((flag) => graph.getNodeAttribute(node, flag) === true);
      const [removed, dimmed] = graph.nodes().filter((node) => !onPath.has(node) && plain(node));
      await select(page, removed!);
      await page.locator('[data-testid="remove-node"]').click();
      await select(page, from!);
      await page.locator('[data-testid="path-from"]').click();
      await select(page, to!);
      await page.locator('[data-testid="path-to"]').click();
      await expect.poll(async () => (await state(page)).view).toMatchObject({ removed: [removed] });
      await sigmaCaughtUp(page);
      const [gone, pale] = await page.evaluate(
        (nodes) => {
          const sigma = (globalThis as unknown as PageGlobal).__ocgnet.sigma! as unknown as {
            getNodeDisplayData(node: string): Record<string, unknown>;
          };
          return nodes.map((node) => {
            const { type, color, ringColor, label } = sigma.getNodeDisplayData(node);
            return { type, color, ringColor, label };
          });
        },
        [removed!, dimmed!],
      );
      expect(gone).toMatchObject({ type: 'ringed', color: '#d0d0d0', ringColor: '#4a545e' });
      expect(String(gone!.label)).toMatch(/\(removed\)$/);
      expect(pale).toMatchObject({ type: 'circle', color: '#eceef0', label: null });
    } finally {
      await page.close();
    }
  });

  it('has a size legend with reference discs, and tells dimmed from removed', async () => {
    const page = await freshPage();
    try {
      const references = page.locator('[data-testid="size-legend"] [data-testid="size-reference"]');
      expect(await references.count()).toBeGreaterThanOrEqual(2);
      expect(await references.count()).toBeLessThanOrEqual(3);
      const widths = await references.locator('.swatch').evaluateAll((discs) => discs.map((disc) => disc.clientWidth));
      expect(widths).toEqual([...widths].sort((a, b) => a - b));
      expect(new Set(widths).size).toBe(widths.length);
      expect(await page.locator('[data-testid="legend-removed"]').innerText()).toContain('removed');
      expect(await page.locator('[data-testid="legend-dimmed"]').innerText()).toContain('dimmed');
      // The legend is part of the side panel, not laid over the graph.
      const legend = await page.locator('[data-testid="legend"]').boundingBox();
      const stage = await page.locator('[data-testid="sigma"]').boundingBox();
      expect(legend!.x + legend!.width).toBeLessThanOrEqual(stage!.x + 1);
    } finally {
      await page.close();
    }
  });
});
