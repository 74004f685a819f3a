/**
 * `ocgnet serve` end to end, in Chromium: the real server (createServer) over
 * a real embedded store holding the small generated town (seed 42) with a
 * canary planted in every record the Housing audience may not see, serving
 * the built viewer (apps/viewer/dist) with the production CSP.
 *
 * - without a session: the login form, and no bundle data reaches the page;
 * - the Housing user logs in through the form: the graph has exactly the
 *   persons Housing may see (computed here with recordsForAudience); search,
 *   panel, profile (iframe), time slider and a what-if removal all work;
 * - leak check: no byte the page received (API JSON, profile HTML, static
 *   files) holds a canary, while the police analyst's page does;
 * - one `consult` audit event per bundle load, one `profile` per click on
 *   "Show partnership profile" (one request, however often the user then
 *   moves between tabs), one `consult` per ego view, by the Housing user and
 *   audience, with the configured justification and the reason typed at login
 *   beside it;
 * - no dialog, no CSP violation (server report count and console).
 * Screenshots go to test/artefacts/serve-*.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import type { AuditEvent } from '@ocgnet/audit';
import { COMPACT_BUNDLE_FORMAT, decodeCompactBundle } from '@ocgnet/bundle';
import { audienceById, defaultAudiences, recordsForAudience } from '@ocgnet/profiles';
import { openStore } from '@ocgnet/store';
import { createServer, type RunningServer } from '../../packages/server/src/server.js';
import { makeWorld, type TestUser, type TestWorld } from '../../packages/server/test/fixture.js';
import { HAVE_CHROMIUM, MUST_HAVE_BROWSER, NO_CHROMIUM, launchChromium } from './browser.js';
import { ARTEFACTS, DIST, ensureViewerBuilt, sigmaCaughtUp } from './viewer.fixtures.js';
import { skipUnless } from '../skip.js';

const CANARY = /CANARY\d{5}Z/;
const UNREAD = '\u0000unread';

interface PageGlobal {
  __ocgnet: {
    sigma: {
      getGraph(): {
        order: number;
        forEachNode(cb: (node: string) => void): void;
        forEachEdge(cb: (edge: string) => void): void;
      };
      getNodeDisplayData(node: string): { hidden?: boolean } | undefined;
      getEdgeDisplayData(edge: string): { hidden?: boolean } | undefined;
    } | null;
    state: {
      persons: number;
      visibleNodes: number;
      visibleEdges: number;
      selected: string | null;
      view: { window: [number, number] | null; removed: string[]; focus: { node: string; radius: number } | null };
    } | null;
  };
}

/** Everything one page hears: response bodies (as text), console errors and CSP messages, dialogs. */
interface Watch {
  responses: { url: string; status: number; body: Promise<string> }[];
  console: string[];
  dialogs: string[];
}

function watch(page: Page): Watch {
  const seen: Watch = { responses: [], console: [], dialogs: [] };
  page.on('response', (response: Response) => {
    // A body the browser never hands over would hide a leak: it is marked, and the leak check fails on it.
    const body = Promise.race([
      response.text(),
      new Promise<string>((resolve) => setTimeout(() => resolve(UNREAD), 10_000)),
    ]).catch(() => UNREAD);
    seen.responses.push({ url: response.url(), status: response.status(), body });
  });
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy|Refused to/i.test(message.text()))
      seen.console.push(`${message.type()}: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => seen.console.push(`pageerror: ${error.message}`));
  page.on('dialog', (dialog) => {
    seen.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return seen;
}

async function bodies(seen: Watch): Promise<{ url: string; status: number; body: string }[]> {
  return Promise.all(
    seen.responses.map(async (response) => ({ url: response.url, status: response.status, body: await response.body })),
  );
}

/** The bundle the viewer received (JSON; the compact form is decoded, should the viewer ask for it). */
function servedBundle(body: string): {
  graph: { nodes: { key: string; attributes: { label: string; degree: number } }[] };
} {
  const value = JSON.parse(body) as { format?: unknown };
  const bundle = value.format === COMPACT_BUNDLE_FORMAT ? decodeCompactBundle(value) : value;
  return bundle as unknown as ReturnType<typeof servedBundle>;
}

/** A 401 in the console is the viewer asking for /api/bundle before login: expected, nothing else is. */
function unexpectedConsole(seen: Watch): string[] {
  return seen.console.filter((line) => !(/401/.test(line) && /\/api\/bundle/.test(line)));
}

async function consultations(storePath: string): Promise<AuditEvent[]> {
  const store = await openStore(storePath, {
    who: 'auditor',
    audience: 'police-analyst',
    justification: 'e2e audit check',
  });
  try {
    return (await store.auditTrail({ reveal: true }))
      .map((record) => record.event)
      .filter((event) => event.action === 'consult' || event.action === 'profile');
  } finally {
    await store.close();
  }
}

/** The reason the Housing user types at login. */
const REASON = 'Disruption panel 12 March: tenancy review';

async function logIn(page: Page, user: TestUser, persons?: number, reason?: string): Promise<void> {
  await page.locator('[data-testid="login"]').waitFor({ timeout: 30_000 });
  await page.locator('[data-testid="login-user"]').fill(user.name);
  await page.locator('[data-testid="login-token"]').fill(user.token);
  if (reason !== undefined) await page.locator('[data-testid="login-reason"]').fill(reason);
  await page.locator('[data-testid="login-submit"]').click();
  await page.waitForFunction(
    (expected) => {
      const hooks = (globalThis as unknown as PageGlobal).__ocgnet;
      return (
        hooks.sigma !== null &&
        hooks.state !== null &&
        hooks.state.persons > 0 &&
        (expected === null || hooks.state.persons === expected)
      );
    },
    persons ?? null,
    { timeout: 120_000 },
  );
}

/** What sigma draws, once it has caught up with the state the page rendered. */
async function sigmaVisible(page: Page): Promise<{ order: number; nodes: number; edges: number }> {
  await sigmaCaughtUp(page);
  return page.evaluate(() => {
    const sigma = (globalThis as unknown as PageGlobal).__ocgnet.sigma!;
    const graph = sigma.getGraph();
    let nodes = 0;
    let edges = 0;
    graph.forEachNode((node) => {
      if (!sigma.getNodeDisplayData(node)?.hidden) nodes++;
    });
    graph.forEachEdge((edge) => {
      if (!sigma.getEdgeDisplayData(edge)?.hidden) edges++;
    });
    return { order: graph.order, nodes, edges };
  });
}

describe(
  'ocgnet serve in Chromium: login, redaction, audit',
  skipUnless(HAVE_CHROMIUM || MUST_HAVE_BROWSER, NO_CHROMIUM),
  () => {
    let world: TestWorld;
    let server: RunningServer;
    let browser: Browser;
    let housingPersons: number;

    beforeAll(async () => {
      ensureViewerBuilt();
      mkdirSync(ARTEFACTS, { recursive: true });
      world = await makeWorld();
      server = await createServer({ store: world.storePath, users: world.config, viewerDist: DIST, port: 0 });
      const housing = audienceById(defaultAudiences(), 'partner-agency:housing');
      housingPersons = recordsForAudience(world.town.records, housing).entities.filter(
        (entity) => entity.kind === 'person',
      ).length;
      browser = await launchChromium({ webgl: true });
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
      await world?.cleanup();
    });

    it('the fixture hides persons from Housing, each carrying a canary', () => {
      const all = world.town.records.entities.filter((entity) => entity.kind === 'person').length;
      expect(housingPersons).toBeGreaterThan(0);
      expect(housingPersons).toBeLessThan(all);
      expect(world.town.canaries.length).toBeGreaterThan(20);
    });

    describe('as the Housing user', () => {
      let context: BrowserContext;
      let page: Page;
      let seen: Watch;
      let auditBefore: AuditEvent[];
      const cspBefore = { count: 0 };
      let profilesShown = 0;
      let bundleLoads = 0;
      let egoViews = 0;

      beforeAll(async () => {
        auditBefore = await consultations(world.storePath);
        cspBefore.count = server.cspReports;
        context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
        page = await context.newPage();
        seen = watch(page);
      });
      afterAll(async () => context?.close());

      it('without a session: the login form, no bundle data, and /api/bundle answers 401', async () => {
        await page.goto(server.url);
        await page.locator('[data-testid="login"]').waitFor({ timeout: 30_000 });
        const received = await bodies(seen);
        const bundleResponses = received.filter((response) => new URL(response.url).pathname === '/api/bundle');
        expect(bundleResponses.length).toBeGreaterThan(0);
        for (const response of bundleResponses) {
          expect(response.status).toBe(401);
          expect(JSON.parse(response.body)).toEqual({ error: 'authentication required' });
        }
        const direct = await page.evaluate(async () => {
          const response = await fetch('/api/bundle', { credentials: 'same-origin' });
          return { status: response.status, body: await response.text() };
        });
        expect(direct.status).toBe(401);
        expect(direct.body).not.toMatch(/nodes|edges|CANARY/);
        expect((await consultations(world.storePath)).length).toBe(auditBefore.length);
        await page.screenshot({ path: join(ARTEFACTS, 'serve-login.png') });
      });

      it('logs in through the form: the graph has exactly the persons Housing may see', async () => {
        await logIn(page, world.users.housing, housingPersons, REASON);
        bundleLoads++;
        const counts = await sigmaVisible(page);
        expect(counts.order).toBe(housingPersons);
        expect(counts.nodes).toBe(housingPersons);
        expect(await page.locator('[data-testid="banner-top"]').innerText()).toContain('OFFICIAL-SENSITIVE');
        await page.screenshot({ path: join(ARTEFACTS, 'serve-housing.png') });
      });

      it('search, panel, profile, time slider and a what-if removal', async () => {
        const received = await bodies(seen);
        const served = received.find(
          (response) => new URL(response.url).pathname === '/api/bundle' && response.status === 200,
        );
        expect(served).toBeDefined();
        const bundle = servedBundle(served!.body);
        // The best-connected nominal Housing may see.
        const target = [...bundle.graph.nodes].sort((a, b) => b.attributes.degree - a.attributes.degree)[0]!;
        await page.locator('[data-testid="search"]').fill(target.attributes.label);
        await page.locator(`[data-testid="search-results"] button[data-node="${target.key}"]`).click();
        await expect
          .poll(() => page.locator('[data-testid="details-label"]').innerText())
          .toBe(target.attributes.label);

        // The profile: asked for, then shown in the sandboxed frame.
        const profileResponse = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/profile');
        await page.locator('[data-testid="show-profile"]').click();
        const response = await profileResponse;
        profilesShown++;
        expect(response.status()).toBe(200);
        expect(response.headers()['content-type']).toMatch(/^text\/html/);
        const frame = page.frameLocator('[data-testid="profile-frame"]');
        await expect
          .poll(() => frame.locator('body').innerText(), { timeout: 30_000 })
          .toMatch(/partner-agency:housing/);
        // Readable: a full-height panel, the marking on one line, the frame still sandboxed without exceptions.
        const panel = (await page.locator('[data-testid="profile-panel"]').boundingBox())!;
        const stage = (await page.locator('[data-testid="sigma"]').boundingBox())!;
        expect(panel.height).toBeGreaterThanOrEqual(stage.height - 1);
        expect(panel.width).toBeGreaterThan(600);
        const marking = page.locator('[data-testid="profile-marking"]');
        expect(await marking.innerText()).toMatch(/^OFFICIAL-SENSITIVE — handling [PCR]/);
        expect((await marking.boundingBox())!.height).toBeLessThan(30);
        // Housing's marking has conditions: listed, folded until asked for.
        const conditions = page.locator('[data-testid="profile-conditions"]');
        expect(await conditions.getAttribute('open')).toBeNull();
        expect(await conditions.locator('li').count()).toBeGreaterThan(0);
        expect(await page.locator('[data-testid="profile-frame"]').getAttribute('sandbox')).toBe('');
        await page.waitForTimeout(300);
        await page.screenshot({ path: join(ARTEFACTS, 'serve-profile.png') });

        // The time slider narrows the links shown.
        const before = await sigmaVisible(page);
        await page.locator('[data-testid="window-from-slider"]').focus();
        for (let i = 0; i < 4; i++) await page.keyboard.press('PageUp');
        await page.waitForFunction(() =>
          Array.isArray((globalThis as unknown as PageGlobal).__ocgnet.state!.view.window),
        );
        const windowed = await sigmaVisible(page);
        expect(windowed.edges).toBeLessThan(before.edges);
        await page.screenshot({ path: join(ARTEFACTS, 'serve-time-window.png') });

        // A what-if removal: the node stays drawn (greyed), its links go.
        await page.locator('[data-testid="search"]').fill(target.attributes.label);
        await page.locator(`[data-testid="search-results"] button[data-node="${target.key}"]`).click();
        await page.locator('[data-testid="remove-node"]').click();
        await page.waitForFunction(
          (node) => (globalThis as unknown as PageGlobal).__ocgnet.state!.view.removed.includes(node),
          target.key,
        );
        const removed = await sigmaVisible(page);
        expect(removed.edges).toBeLessThan(windowed.edges + 1);
        await page.locator('[data-testid="tab-disruption"]').click();
        expect(Number(await page.locator('[data-metric="remaining"]').innerText())).toBe(windowed.nodes - 1);
        await page.screenshot({ path: join(ARTEFACTS, 'serve-removal.png') });
      });

      it('one click on "Show partnership profile": one request and one audit event, however the user then moves between tabs', async () => {
        const received = await bodies(seen);
        const bundle = servedBundle(
          received.find((response) => new URL(response.url).pathname === '/api/bundle' && response.status === 200)!
            .body,
        );
        // Another nominal than the one shown before, so this subject's requests and events are this test's alone.
        const [first, target] = [...bundle.graph.nodes].sort((a, b) => b.attributes.degree - a.attributes.degree);
        const subject = `person:${target!.key}`;
        const profileRequests = () =>
          seen.responses.filter(
            (response) =>
              new URL(response.url).pathname === '/api/profile' &&
              new URL(response.url).searchParams.get('subject') === subject,
          ).length;
        const profileEvents = async () =>
          (await consultations(world.storePath)).filter(
            (event) => event.action === 'profile' && event.subject === subject,
          ).length;
        const choose = async (node: { key: string; attributes: { label: string } }) => {
          await page.locator('[data-testid="search"]').fill(node.attributes.label);
          await page.locator(`[data-testid="search-results"] button[data-node="${node.key}"]`).click();
          await expect.poll(() => page.locator('[data-testid="details-id"]').innerText()).toBe(node.key);
        };
        await choose(target!);
        expect(profileRequests()).toBe(0);
        const shown = page.waitForResponse(
          (response) => new URL(response.url()).searchParams.get('subject') === subject,
        );
        await page.locator('[data-testid="show-profile"]').click();
        expect((await shown).status()).toBe(200);
        profilesShown++;
        const frame = page.frameLocator('[data-testid="profile-frame"]');
        await expect
          .poll(() => frame.locator('body').innerText(), { timeout: 30_000 })
          .toMatch(/partner-agency:housing/);
        for (const tab of [
          'tab-disruption',
          'tab-details',
          'tab-plans',
          'tab-details',
          'tab-disruption',
          'tab-plans',
          'tab-details',
        ]) {
          await page.locator(`[data-testid="${tab}"]`).click();
          await page.waitForTimeout(150);
        }
        // Choosing the same nominal again keeps the frame; it is not fetched again.
        await choose(target!);
        await page.waitForTimeout(500);
        expect(await frame.locator('body').innerText()).toMatch(/partner-agency:housing/);
        expect(profileRequests()).toBe(1);
        expect(await profileEvents()).toBe(1);
        // Moving to another nominal and back closes the profile: a new one is asked for, not fetched by itself.
        await choose(first!);
        await choose(target!);
        await page.locator('[data-testid="show-profile"]').waitFor();
        await page.waitForTimeout(300);
        expect(profileRequests()).toBe(1);
        expect(await profileEvents()).toBe(1);
      });

      it('an ego view is recorded (one consultation) before it is shown', async () => {
        const selected = await page.evaluate(() => (globalThis as unknown as PageGlobal).__ocgnet.state!.selected);
        expect(selected).not.toBeNull();
        await page.locator('[data-testid="tab-details"]').click();
        const recorded = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/consultation');
        await page.locator('[data-testid="focus-ego"]').click();
        expect((await recorded).status()).toBe(204);
        egoViews++;
        await page.waitForFunction(() => (globalThis as unknown as PageGlobal).__ocgnet.state!.view.focus !== null);
        const ego = (await consultations(world.storePath)).filter(
          (event) => event.action === 'consult' && event.detail?.view === 'ego',
        );
        expect(ego.at(-1)).toMatchObject({ subject: selected, detail: { view: 'ego', radius: 1 } });
        expect(
          seen.responses.filter((response) => new URL(response.url).pathname === '/api/consultation'),
        ).toHaveLength(egoViews);
      });

      it('leak check: no byte the page received carries a canary', async () => {
        await page.waitForTimeout(500);
        const received = await bodies(seen);
        const kinds = new Set(
          received.map((response) => new URL(response.url).pathname.replace(/\/assets\/.*\.(js|css)$/, '/assets/*.$1')),
        );
        // API JSON, profile HTML and the static files were all checked.
        for (const path of [
          '/',
          '/api/bundle',
          '/api/profile',
          '/api/login',
          '/api/me',
          '/assets/*.js',
          '/assets/*.css',
        ])
          expect(kinds, path).toContain(path);
        expect(received.reduce((sum, response) => sum + response.body.length, 0)).toBeGreaterThan(100_000);
        for (const response of received) {
          expect(response.body, `${response.url}: body not readable, so not checked`).not.toBe(UNREAD);
          expect(CANARY.test(response.body), response.url).toBe(false);
        }
      });

      it('every consultation wrote one audit event, by the Housing user and audience, with the configured justification and the reason beside it', async () => {
        const added = (await consultations(world.storePath)).slice(auditBefore.length);
        expect(added.filter((event) => event.action === 'consult' && event.subject === '*')).toHaveLength(bundleLoads);
        expect(added.filter((event) => event.action === 'profile')).toHaveLength(profilesShown);
        expect(added.filter((event) => event.action === 'consult' && event.detail?.view === 'ego')).toHaveLength(
          egoViews,
        );
        expect(added).toHaveLength(bundleLoads + profilesShown + egoViews);
        for (const event of added)
          expect(event).toMatchObject({
            who: world.users.housing.name,
            audience: 'partner-agency:housing',
            justification: 'test: hugh.housing',
            reason: REASON,
          });
      });

      it('no dialog, no CSP violation', async () => {
        expect(seen.dialogs).toEqual([]);
        expect(server.cspReports).toBe(cspBefore.count);
        expect(unexpectedConsole(seen)).toEqual([]);
      });
    });

    /** A fresh context logged in as the police analyst, closed after `work`. */
    async function asAnalyst(work: (page: Page, seen: Watch) => Promise<void>): Promise<void> {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      try {
        const page = await context.newPage();
        const seen = watch(page);
        await page.goto(server.url);
        const all = world.town.records.entities.filter((entity) => entity.kind === 'person').length;
        await logIn(page, world.users.analyst, all);
        await work(page, seen);
      } finally {
        await context.close();
      }
    }

    it('as the police analyst the same page does receive canaries (the canary is real)', async () => {
      await asAnalyst(async (page, seen) => {
        const received = await bodies(seen);
        const bundle = received.find(
          (response) => new URL(response.url).pathname === '/api/bundle' && response.status === 200,
        );
        expect(bundle).toBeDefined();
        expect(CANARY.test(bundle!.body)).toBe(true);
        await page.screenshot({ path: join(ARTEFACTS, 'serve-analyst.png') });
        expect(seen.dialogs).toEqual([]);
        expect(unexpectedConsole(seen)).toEqual([]);
      });
    });

    it('Log out ends the session: the login form comes back and a later /api/bundle is 401', async () => {
      await asAnalyst(async (page, seen) => {
        const fetchBundle = () =>
          page.evaluate(async () => (await fetch('/api/bundle', { credentials: 'same-origin' })).status);
        expect(await fetchBundle()).toBe(200);
        await page.locator('[data-testid="logout"]').click();
        await page.locator('[data-testid="login"]').waitFor({ timeout: 30_000 });
        expect(await fetchBundle()).toBe(401);
        expect(await page.locator('[data-testid="sigma"] canvas').count()).toBe(0);
        expect(seen.dialogs).toEqual([]);
      });
    });
  },
);
