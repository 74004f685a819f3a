/**
 * The store contract suite: every store runs it (`describeStoreContract`).
 * Expected results come from independent references over the fixture
 * (`selectRecords`, `contentHashOf`, plain filters written here), never from
 * another store.
 *
 * The harness gives a fresh, empty store per test: `reset()` empties it,
 * `open()` opens it, `reopen()` (optional) opens the same store again after
 * `close()`, to show that data and audit chain persist.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { RecordCollector, readRecordCsv } from '@ocgnet/io';
import type { AuditEvent } from '@ocgnet/audit';
import {
  ENTITY_KINDS,
  entityMarking,
  IdSchema,
  linkMarking,
  type Entity,
  type EntityKind,
  type HandlingMarking,
  type Link,
  type RecordSet,
} from '@ocgnet/schema';
import { canonicalRecordText, contentHashOf, sortRecordSet } from '../src/content.js';
import type { AnalysisWriteBack, RecordQuery, ReviewItem, Store, StoreActor } from '../src/contract.js';
import { StoreError, type StoreErrorCode } from '../src/errors.js';
import { selectRecords } from '../src/select.js';

export interface StoreHarness {
  /** Opens the (reset) store for one test. */
  open(actor?: StoreActor): Promise<Store>;
  /** Empties the store: no records, no analysis, no audit. */
  reset(): Promise<void>;
  /** Opens the same store again, after the test closed it. */
  reopen?(): Promise<Store>;
  /** The audit records exactly as the store holds them (rows, node properties), read around the store, after the test closed it. */
  rawAuditLines(): Promise<string[]>;
}

export const CONTRACT_ACTOR: StoreActor = {
  who: 'analyst-7',
  audience: 'police-analyst',
  justification: 'Op Saffron: store contract test',
};

const SMALL = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/small');

/** Review dates, given to a share of the fixture's records (which has none) so that retention can be tested; some links also lose their dates. */
const REVIEW_DATES = ['2025-11-30', '2026-01-15', '2026-03-31', '2026-03-31', '2026-09-01', '2027-06-30'];

async function loadFixture(): Promise<RecordSet> {
  const collector = new RecordCollector();
  for (const file of ['entities.csv', 'links.csv'])
    await readRecordCsv(createReadStream(join(SMALL, file)), file, collector);
  const outcome = collector.finish();
  if (!outcome.ok) throw new Error('the small fixture failed to load');
  const { entities, links } = outcome.records;
  return {
    entities: entities.map((entity, index) =>
      index % 5 === 0 ? { ...entity, review_date: REVIEW_DATES[index % REVIEW_DATES.length]! } : entity,
    ),
    links: links.map((link, index) => {
      let copy: Link =
        index % 7 === 0 ? { ...link, review_date: REVIEW_DATES[(index * 5) % REVIEW_DATES.length]! } : link;
      // Some undated links too, which a window leaves out.
      if (index % 13 === 0) {
        const { date: _date, first_seen: _first, last_seen: _last, ...undated } = copy;
        copy = undated;
      }
      return copy;
    }),
  };
}

const copy = (records: RecordSet): RecordSet => ({ entities: [...records.entities], links: [...records.links] });
const sorted = (records: RecordSet): RecordSet => sortRecordSet(copy(records));
const idsOf = (records: RecordSet) => ({
  entities: records.entities.map((e) => e.id),
  links: records.links.map((l) => l.id),
});
const textsOf = (records: RecordSet) => [
  ...records.entities.map(canonicalRecordText),
  ...records.links.map(canonicalRecordText),
];
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Resolves to the StoreError a promise rejects with; fails the test if it resolves or throws anything else. */
async function storeError(promise: Promise<unknown>, code: StoreErrorCode): Promise<StoreError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected StoreError('${code}')`).toBeInstanceOf(StoreError);
  expect((caught as StoreError).code).toBe(code);
  return caught as StoreError;
}

const P_GRADING = { system: '3x5x2', source: '2', intelligence: 'B', handling: 'P' } as const;

/** Strings that break naive quoting in SQL, Cypher, JSON, LIKE patterns or shells. */
export const HOSTILE_STRINGS: readonly string[] = [
  "O'Brien",
  'say "hi"',
  'back`tick',
  'a // comment',
  '/* block */ x',
  '{',
  '}',
  '{id: 1}',
  '$param',
  '$1 ${x}',
  'C:\\dir\\',
  '100%',
  'P_1',
  '%',
  '_',
  '🕵️‍♀️ 探偵 ✓',
  '\u200Fمرحبا\u200E',
  // Sorts after the emoji in JavaScript (UTF-16) order but before it in UTF-8 byte order.
  'Ｆｕｌｌｗｉｄｔｈ',
  ') DETACH DELETE n //',
  "'; DROP TABLE entities; --",
  'x` SET n.pwned = true //',
  '"}]) MATCH (m) DETACH DELETE m //',
  'null',
  '*',
];

/** Persons and links built from the hostile strings: ids, labels, notes, attributes, conditions. */
function hostileRecords(): RecordSet {
  const entities: Entity[] = HOSTILE_STRINGS.map((text, index) => ({
    id: IdSchema.parse(text),
    kind: 'person',
    label: `${text} label`,
    notes: `notes: ${text}\n${text}`,
    aliases: [text],
    source: `source ${text}`,
    ...(index === 3
      ? { grading: { system: '3x5x2', source: '2', intelligence: 'B', handling: 'C', conditions: `only if ${text}` } }
      : {}),
    attributes: [{ name: 'remark', value: text, grading: P_GRADING, source: `report ${text}` }],
  }));
  const links: Link[] = HOSTILE_STRINGS.slice(1).map((text, index) => ({
    id: IdSchema.parse(`${text} ~ link`),
    type: 'associate',
    from: HOSTILE_STRINGS[index]!,
    to: text,
    source: `source ${text}`,
    grading: P_GRADING,
    notes: text,
    first_seen: '2024-02-01',
  }));
  // One hostile person linked into the fixture's network.
  links.push({
    id: "K'; DROP TABLE links; --",
    type: 'associate',
    from: HOSTILE_STRINGS[0]!,
    to: 'P000001',
    source: 'PNC',
    grading: P_GRADING,
    date: '2024-05-05',
  });
  return { entities, links };
}

function reviewReference(records: RecordSet, asOf: string): ReviewItem[] {
  const items: ReviewItem[] = [
    ...records.entities
      .filter((e) => e.review_date !== undefined && e.review_date <= asOf)
      .map((e): ReviewItem => ({
        record: 'entity',
        id: e.id,
        kind: e.kind,
        review_date: e.review_date!,
        handling: entityMarking(e).handling,
      })),
    ...records.links
      .filter((l) => l.review_date !== undefined && l.review_date <= asOf)
      .map((l): ReviewItem => ({
        record: 'link',
        id: l.id,
        kind: l.type,
        review_date: l.review_date!,
        handling: linkMarking(l).handling,
      })),
  ];
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return items.sort((a, b) => order(a.review_date, b.review_date) || order(a.id, b.id) || order(a.record, b.record));
}

export function describeStoreContract(name: string, harness: StoreHarness): void {
  describe(name, () => {
    let fixture: RecordSet;
    let fixtureHash: string;
    /** A well-connected person, a C-marked entity and an R-marked (5x5x5) entity of the fixture. */
    let hub: string;
    let leaf: string;
    let conditional: string;
    let restricted: string;

    beforeAll(async () => {
      fixture = await loadFixture();
      fixtureHash = contentHashOf(fixture);
      const degree = new Map<string, number>();
      for (const link of fixture.links)
        for (const end of [link.from, link.to]) degree.set(end, (degree.get(end) ?? 0) + 1);
      const people = fixture.entities
        .filter((e) => e.kind === 'person' && entityMarking(e).handling === 'P')
        .map((e) => e.id);
      hub = people.reduce((best, id) => ((degree.get(id) ?? 0) > (degree.get(best) ?? 0) ? id : best));
      leaf = people.find((id) => degree.get(id) === 1) ?? people[people.length - 1]!;
      conditional = fixture.entities.find((e) => entityMarking(e).handling === 'C')!.id;
      restricted = fixture.entities.find((e) => entityMarking(e).handling === 'R')!.id;
      expect(fixture.entities.some((e) => e.review_date) && fixture.links.some((l) => l.review_date)).toBe(true);
    });

    async function withStore<T>(act: (store: Store) => Promise<T>, actor?: StoreActor): Promise<T> {
      await harness.reset();
      const store = await harness.open(actor);
      try {
        return await act(store);
      } finally {
        await store.close();
      }
    }

    async function snapshot(store: Store) {
      return {
        hash: await store.contentHash(),
        counts: await store.counts(),
        audit: (await store.auditTrail()).length,
      };
    }

    // ---- views ---------------------------------------------------------------

    it('as(actor): one connection acting for another actor; every act audited as that actor; the view closes nothing', async () => {
      await withStore(async (store) => {
        await store.importRecords(copy(fixture));
        const other: StoreActor = {
          who: 'housing-3',
          audience: 'housing',
          justification: 'Op Saffron: a view of the store',
        };
        const view = store.as(other);
        expect(view.actor).toEqual(other);
        expect(await view.contentHash()).toBe(fixtureHash);
        await view.records({ entityIds: [hub] });
        await store.records({ entityIds: [leaf] });
        const reads = (await store.auditTrail()).filter((record) => record.event.action === 'read');
        expect(reads.map((record) => record.event.who)).toEqual([other.who, CONTRACT_ACTOR.who]);
        // Closing a view leaves the store open; closing the store ends its views.
        await view.close();
        expect(await store.counts()).toEqual({ entities: fixture.entities.length, links: fixture.links.length });
        const second = store.as(other);
        await store.close();
        await expect(second.counts()).rejects.toThrow(/closed/);
        expect(() => store.as(other)).toThrow(/closed/);
      });
    });

    // ---- import -------------------------------------------------------------

    it('round-trips an import: records read back equal, hash equals contentHashOf', async () => {
      await withStore(async (store) => {
        expect(await store.counts()).toEqual({ entities: 0, links: 0 });
        const progress: [number, number][] = [];
        const result = await store.importRecords(copy(fixture), {
          batchSize: 300,
          onProgress: (done, total) => progress.push([done, total]),
          sourceDescription: 'fixtures/small entities.csv links.csv',
        });
        expect(result.importId).toMatch(/\S/);
        expect(result.entities).toEqual({ added: fixture.entities.length, updated: 0, unchanged: 0 });
        expect(result.links).toEqual({ added: fixture.links.length, updated: 0, unchanged: 0 });
        const total = fixture.entities.length + fixture.links.length;
        expect(progress.length).toBeGreaterThan(1);
        expect(progress.at(-1)).toEqual([total, total]);
        for (let i = 1; i < progress.length; i++) expect(progress[i]![0]).toBeGreaterThanOrEqual(progress[i - 1]![0]);

        const back = await store.records();
        expect(idsOf(back)).toEqual(idsOf(sorted(fixture)));
        expect(back).toEqual(sorted(fixture));
        expect(textsOf(back)).toEqual(textsOf(sorted(fixture)));
        expect(await store.contentHash()).toBe(fixtureHash);
        expect(await store.counts()).toEqual({ entities: fixture.entities.length, links: fixture.links.length });
      });
    });

    it('is idempotent: a re-import is all unchanged; an amendment is counted as updated', async () => {
      await withStore(async (store) => {
        await store.importRecords(copy(fixture));
        const again = await store.importRecords(copy(fixture));
        expect(again.entities).toEqual({ added: 0, updated: 0, unchanged: fixture.entities.length });
        expect(again.links).toEqual({ added: 0, updated: 0, unchanged: fixture.links.length });
        expect(await store.contentHash()).toBe(fixtureHash);

        const amended: Entity = { ...fixture.entities.find((e) => e.id === hub)!, label: 'Amended label' };
        const result = await store.importRecords({ entities: [amended], links: [] });
        expect(result.entities).toEqual({ added: 0, updated: 1, unchanged: 0 });
        const expected = { entities: fixture.entities.map((e) => (e.id === hub ? amended : e)), links: fixture.links };
        expect(await store.contentHash()).not.toBe(fixtureHash);
        expect(await store.contentHash()).toBe(contentHashOf(expected));
        expect((await store.records({ entityIds: [hub] })).entities).toEqual([amended]);
        expect(await store.counts()).toEqual({ entities: fixture.entities.length, links: fixture.links.length });
      });
    });

    it('accepts a link whose endpoints were stored by an earlier import', async () => {
      await withStore(async (store) => {
        await store.importRecords({ entities: fixture.entities, links: [] });
        expect(await store.counts()).toEqual({ entities: fixture.entities.length, links: 0 });
        const result = await store.importRecords({ entities: [], links: fixture.links });
        expect(result.links.added).toBe(fixture.links.length);
        expect(await store.contentHash()).toBe(fixtureHash);
      });
    });

    describe('refuses a conflicting import and changes nothing', () => {
      const newcomer: Entity = { id: 'NEW-PERSON-1', kind: 'person', label: 'Newcomer' };
      const cases: {
        name: string;
        records: () => RecordSet;
        issue: () => { record: 'entity' | 'link'; id: string; field: string | RegExp };
      }[] = [
        {
          name: 'a link to a missing entity',
          records: () => ({
            entities: [newcomer],
            links: [
              {
                id: 'K-DANGLING',
                type: 'associate',
                from: newcomer.id,
                to: 'NO-SUCH-PERSON',
                source: 'PNC',
                grading: P_GRADING,
              },
            ],
          }),
          issue: () => ({ record: 'link', id: 'K-DANGLING', field: 'to' }),
        },
        {
          name: 'an entity changing kind',
          records: () => ({ entities: [newcomer, { id: hub, kind: 'vehicle', label: 'now a car' }], links: [] }),
          issue: () => ({ record: 'entity', id: hub, field: 'kind' }),
        },
        {
          name: 'one id twice with different content',
          records: () => ({ entities: [newcomer, { ...newcomer, label: 'Someone else' }], links: [] }),
          issue: () => ({ record: 'entity', id: newcomer.id, field: 'id' }),
        },
        {
          name: 'an invalid record (bad grading)',
          records: () => ({
            entities: [
              newcomer,
              {
                id: 'BAD-GRADE',
                kind: 'person',
                label: 'x',
                grading: { system: '3x5x2', source: '9', intelligence: 'B', handling: 'P' } as never,
              },
            ],
            links: [],
          }),
          issue: () => ({ record: 'entity', id: 'BAD-GRADE', field: /^grading/ }),
        },
      ];
      for (const { name, records, issue: issueOf } of cases) {
        it(name, async () => {
          const issue = issueOf();
          await withStore(async (store) => {
            await store.importRecords(copy(fixture));
            const before = await snapshot(store);
            const error = await storeError(store.importRecords(records(), { batchSize: 1 }), 'CONFLICT');
            expect(error.issues).toContainEqual(
              expect.objectContaining({
                record: issue.record,
                id: issue.id,
                field: typeof issue.field === 'string' ? issue.field : expect.stringMatching(issue.field),
              }),
            );
            expect(error.message).toMatch(/nothing was changed/);
            expect(await snapshot(store)).toEqual(before);
            await storeError(store.records({ entityIds: [newcomer.id] }), 'NOT_FOUND');
          });
        });
      }
    });

    // ---- queries --------------------------------------------------------------

    it('answers queries exactly as selectRecords does', async () => {
      await withStore(async (store) => {
        await store.importRecords(copy(fixture));
        const queries: RecordQuery[] = [
          {},
          { entityIds: [hub] },
          { entityIds: [hub], hops: 1 },
          { entityIds: [hub], hops: 2 },
          { entityIds: [leaf], hops: 3 },
          { entityIds: [hub, leaf], hops: 1, kinds: ['ocg', 'location'] },
          { kinds: ['person'] },
          { kinds: ['ocg', 'usg', 'business'] },
          { window: { from: '2024-01-01', to: '2024-12-31' } },
          { window: { from: '2025-06-01' } },
          { window: { to: '2023-03-31' } },
          { maxHandling: 'P' },
          { maxHandling: 'C' },
          { maxHandling: 'R' },
          { entityIds: [hub], hops: 2, maxHandling: 'P', window: { from: '2024-06-01' } },
          { entityIds: [conditional], hops: 1, maxHandling: 'C', kinds: ['person'] },
          { entityIds: [restricted], hops: 2 },
          { kinds: ['person', 'phone'], maxHandling: 'C', window: { from: '2023-06-01', to: '2024-06-01' } },
          { entityIds: [] },
        ];
        for (const query of queries) {
          const expected = selectRecords(fixture, query);
          const actual = await store.records(query);
          expect(idsOf(actual), JSON.stringify(query)).toEqual(idsOf(expected));
          expect(actual, JSON.stringify(query)).toEqual(expected);
        }
        // Sanity: the fixed queries do discriminate.
        expect(selectRecords(fixture, { maxHandling: 'P' }).entities.length).toBeLessThan(fixture.entities.length);
        expect(selectRecords(fixture, { entityIds: [hub], hops: 2 }).entities.length).toBeGreaterThan(
          selectRecords(fixture, { entityIds: [hub], hops: 1 }).entities.length,
        );
      });
    });

    it('answers random queries exactly as selectRecords does (property)', async () => {
      await withStore(async (store) => {
        await store.importRecords(copy(fixture));
        const someIds = [
          hub,
          leaf,
          conditional,
          restricted,
          ...fixture.entities.filter((_, i) => i % 23 === 0).map((e) => e.id),
        ];
        const day = fc
          .integer({ min: 0, max: 4 * 365 })
          .map((d) => new Date(Date.UTC(2022, 5, 1) + d * 86_400_000).toISOString().slice(0, 10));
        const query = fc
          .record({
            entityIds: fc.option(fc.uniqueArray(fc.constantFrom(...someIds), { minLength: 1, maxLength: 3 }), {
              nil: undefined,
            }),
            hops: fc.integer({ min: 0, max: 3 }),
            kinds: fc.option(fc.subarray([...ENTITY_KINDS] as EntityKind[], { minLength: 1 }), { nil: undefined }),
            window: fc.option(
              fc.record({ from: fc.option(day, { nil: undefined }), to: fc.option(day, { nil: undefined }) }),
              { nil: undefined },
            ),
            maxHandling: fc.option(fc.constantFrom<HandlingMarking>('P', 'C', 'R'), { nil: undefined }),
          })
          .map((raw): RecordQuery => {
            const q: RecordQuery = {};
            if (raw.entityIds !== undefined) Object.assign(q, { entityIds: raw.entityIds, hops: raw.hops });
            if (raw.kinds !== undefined) q.kinds = raw.kinds;
            if (raw.window !== undefined) {
              const window: { from?: string; to?: string } = {};
              if (raw.window.from !== undefined) window.from = raw.window.from;
              if (raw.window.to !== undefined) window.to = raw.window.to;
              q.window = window;
            }
            if (raw.maxHandling !== undefined) q.maxHandling = raw.maxHandling;
            return q;
          });
        await fc.assert(
          fc.asyncProperty(query, async (q) => {
            let expected: RecordSet | StoreError;
            try {
              expected = selectRecords(fixture, q);
            } catch (error) {
              expected = error as StoreError;
            }
            if (expected instanceof StoreError) {
              await storeError(store.records(q), expected.code);
            } else {
              const actual = await store.records(q);
              expect(idsOf(actual)).toEqual(idsOf(expected));
              expect(actual).toEqual(expected);
            }
          }),
          { numRuns: 30, seed: 20250101 },
        );
      });
    });

    it('refuses unknown entity ids (NOT_FOUND) and malformed queries (USAGE)', async () => {
      await withStore(async (store) => {
        await store.importRecords(copy(fixture));
        const before = (await store.auditTrail()).length;
        const error = await storeError(store.records({ entityIds: [hub, 'NO-SUCH-ID'] }), 'NOT_FOUND');
        expect(error.message).toContain('NO-SUCH-ID');
        // An entity above the caller's handling limit is as absent as a missing one.
        await storeError(store.records({ entityIds: [restricted], maxHandling: 'C' }), 'NOT_FOUND');
        await storeError(store.records({ window: { from: '2024-1-1' } }), 'USAGE');
        await storeError(store.records({ hops: 2 }), 'USAGE');
        await storeError(store.records({ entityIds: [hub], hops: 11 }), 'USAGE');
        // A refused read reads nothing and audits nothing.
        expect((await store.auditTrail()).length).toBe(before);
      });
    });

    // ---- analysis ---------------------------------------------------------------

    it('saves analysis results and returns the latest, idempotently', async () => {
      await withStore(async (store) => {
        await store.importRecords(copy(fixture));
        expect(await store.latestAnalysis()).toBeUndefined();
        const [a, b, c] = fixture.entities.map((e) => e.id);
        const run: AnalysisWriteBack = {
          runId: 'sha256:' + 'a'.repeat(64),
          at: '2025-06-01T10:00:00.000Z',
          engine: 'ocgnet-js 0.1',
          marking: { handling: 'C', conditions: ['Not for onward disclosure'] },
          metrics: {
            [a!]: { degree: 3, betweenness: 0.25, constraint: null },
            [b!]: { degree: 0, betweenness: 0, constraint: null },
            [c!]: { degree: 1.5e-7, betweenness: 1, constraint: 0.5 },
          },
          communities: { [a!]: 0, [b!]: 1, [c!]: 0 },
        };
        expect(await store.saveAnalysis(run)).toEqual({ entitiesWritten: 3 });
        expect(await store.latestAnalysis()).toEqual(run);
        expect(await store.saveAnalysis(run)).toEqual({ entitiesWritten: 3 });
        expect(await store.latestAnalysis()).toEqual(run);

        const later: AnalysisWriteBack = {
          ...run,
          runId: 'run-2',
          at: '2025-07-01T09:00:00+01:00',
          metrics: { [b!]: { degree: 7 } },
          communities: { [b!]: 4 },
        };
        await store.saveAnalysis(later);
        expect(await store.latestAnalysis()).toEqual(later);

        const error = await storeError(
          store.saveAnalysis({
            ...run,
            runId: 'run-3',
            at: '2026-01-01T00:00:00Z',
            metrics: { 'NO-SUCH-ID': { degree: 1 } },
          }),
          'NOT_FOUND',
        );
        expect(error.message).toContain('NO-SUCH-ID');
        expect(await store.latestAnalysis()).toEqual(later);
        // Analysis is not content.
        expect(await store.contentHash()).toBe(fixtureHash);
      });
    });

    // ---- audit ------------------------------------------------------------------

    it('audits every act once, with the actor, in a chain that verifies', async () => {
      await withStore(async (store) => {
        expect(await store.auditTrail()).toEqual([]);
        expect(await store.verifyAudit()).toMatchObject({ ok: true, count: 0 });
        const actions = async () => (await store.auditTrail()).map((record) => record.event.action);

        const imported = await store.importRecords(copy(fixture), { sourceDescription: 'fixtures/small' });
        expect(await actions()).toEqual(['import']);
        const importEvent = (await store.auditTrail())[0]!.event;
        expect(importEvent.detail).toMatchObject({
          import_id: imported.importId,
          entities_added: fixture.entities.length,
          links_added: fixture.links.length,
        });

        await store.records({ entityIds: [hub], hops: 1 });
        expect(await actions()).toEqual(['import', 'read']);
        const readEvent = (await store.auditTrail())[1]!.event;
        // As stored, the id is sealed under its subject's key; revealed, it reads as the id.
        expect(readEvent.subject).toMatch(/^enc:[0-9a-f]{16}:/);
        expect(JSON.stringify(readEvent)).not.toContain(hub);
        expect((await store.auditTrail({ reveal: true }))[1]!.event.subject).toBe(hub);
        const label = fixture.entities.find((e) => e.id === hub)!.label;
        expect(JSON.stringify(readEvent)).not.toContain(label);

        // Not audited: counts, hashes, the trail itself, analysis read-back.
        await store.counts();
        await store.contentHash();
        await store.auditTrail();
        await store.verifyAudit();
        await store.latestAnalysis();
        expect(await actions()).toEqual(['import', 'read']);

        await store.saveAnalysis({
          runId: 'r1',
          at: '2025-01-01T00:00:00Z',
          engine: 'test',
          marking: { handling: 'P', conditions: [] },
          metrics: { [hub]: { degree: 1 } },
          communities: {},
        });
        await store.dueForReview('2026-01-01');
        const profile: AuditEvent = {
          action: 'profile',
          who: 'analyst-9',
          at: '2025-06-01T12:00:00.000Z',
          audience: 'partner-housing',
          subject: hub,
          justification: 'Safeguarding referral',
          recipients: ['housing-officer-3'],
          format: 'pdf',
        };
        const appended = await store.appendAudit(profile);
        expect(appended.event).toEqual({ ...profile, subject: expect.stringMatching(/^enc:/) });
        expect((await store.auditTrail({ reveal: true }))[4]!.event).toEqual(profile);
        await store.erase(leaf, { justification: 'Retention review: no longer necessary' });
        expect(await actions()).toEqual(['import', 'read', 'analyse', 'review', 'profile', 'erase']);

        const trail = await store.auditTrail();
        expect(trail.at(4)).toEqual(appended);
        expect(trail.map((record) => record.seq)).toEqual([1, 2, 3, 4, 5, 6]);
        for (const record of trail.filter((r) => r.event.action !== 'profile')) {
          expect(record.event).toMatchObject({
            who: CONTRACT_ACTOR.who,
            audience: CONTRACT_ACTOR.audience,
            recipients: [],
          });
          expect(Date.parse(record.event.at)).not.toBeNaN();
          expect(record.event.justification).toBe(
            record.event.action === 'erase' ? 'Retention review: no longer necessary' : CONTRACT_ACTOR.justification,
          );
        }
        // Every event, and the store's checkpoint of the last one, verify under the keys.
        expect(await store.verifyAudit()).toMatchObject({
          ok: true,
          count: 6,
          head: trail.at(-1)!.mac,
          unwitnessed: 0,
          checkpoint: { seq: 6 },
        });
        await storeError(store.appendAudit({ ...profile, subject: '' }), 'USAGE');
        expect((await store.auditTrail()).length).toBe(6);
      });
    });

    it('records what the caller disclosed (a partner’s redaction), not what the store selected', async () => {
      await withStore(async (store) => {
        await store.importRecords(copy(fixture));
        const partner: RecordSet = { entities: [], links: [] };
        const received = await store.records(
          {},
          {
            disclose: (selected) => {
              expect(selected.entities.length).toBe(fixture.entities.length);
              partner.entities = selected.entities.filter((e) => entityMarking(e).handling === 'P').slice(0, 5);
              return partner;
            },
          },
        );
        expect(received).toBe(partner);
        const read = (await store.auditTrail()).at(-1)!.event;
        expect(read.action).toBe('read');
        expect(read.audience).toBe(CONTRACT_ACTOR.audience);
        // What the partner received, beside what the store selected; without `disclose` the store totals would be recorded.
        expect(read.detail).toMatchObject({
          entities: 5,
          links: 0,
          disclosed: true,
          selected_entities: fixture.entities.length,
          selected_links: fixture.links.length,
        });
        await storeError(store.records({}, { disclose: () => null as unknown as RecordSet }), 'USAGE');
      });
    });

    it('records the user’s own reason on every act’s event, beside the justification', async () => {
      const reason = 'Checking a safeguarding referral from Housing';
      await withStore(
        async (store) => {
          await store.importRecords(copy(fixture));
          await store.records({ entityIds: [hub] });
          await store.dueForReview('2026-01-01');
          await store.saveAnalysis({
            runId: 'r1',
            at: '2025-01-01T00:00:00Z',
            engine: 'test',
            marking: { handling: 'P', conditions: [] },
            metrics: { [hub]: { degree: 1 } },
            communities: {},
          });
          await store.erase(leaf, { justification: 'Retention review' });
          const trail = await store.auditTrail();
          expect(trail.map((r) => r.event.action)).toEqual(['import', 'read', 'review', 'analyse', 'erase']);
          for (const record of trail)
            expect(record.event, record.event.action).toMatchObject({ reason, justification: expect.any(String) });
          expect(await store.verifyAudit()).toMatchObject({ ok: true });
        },
        { ...CONTRACT_ACTOR, reason },
      );
      await harness.reset();
      await storeError(harness.open({ ...CONTRACT_ACTOR, reason: '' }), 'USAGE');
    });

    it('shreds an erased id out of every earlier event: the chain still verifies, readers show (erased)', async () => {
      const other = fixture.entities.find(
        (e) => e.kind === 'person' && e.id !== hub && !e.id.includes(hub) && !hub.includes(e.id),
      )!.id;
      await withStore(async (store) => {
        await store.importRecords(copy(fixture));
        await store.records({ entityIds: [hub], hops: 1 });
        await store.records({ entityIds: [other, hub] });
        await store.records({ entityIds: [other] });
        const at = '2025-06-01T12:00:00.000Z';
        const base = {
          who: 'analyst-9',
          at,
          audience: 'partner-housing',
          justification: 'Safeguarding referral',
          recipients: [],
        };
        await store.appendAudit({ ...base, action: 'profile', subject: `person:${hub}`, format: 'html' });
        await store.appendAudit({
          ...base,
          action: 'consult',
          subject: other,
          format: 'screen',
          detail: { view: 'path', to: hub },
        });
        const before = await store.auditTrail({ reveal: true });
        expect(before.slice(1).map((r) => r.event.subject)).toEqual([
          hub,
          `${other},${hub}`,
          other,
          `person:${hub}`,
          other,
        ]);
        expect(before.at(-1)!.event.detail).toMatchObject({ to: hub });
        // Deterministic per subject: the same id seals to the same token in every event.
        const stored = await store.auditTrail();
        expect(stored[1]!.event.subject).toBe(stored[2]!.event.subject.split(',')[1]);

        await store.erase(hub, { justification: 'Subject access: erasure ordered' });
        expect(await store.verifyAudit()).toMatchObject({ ok: true, count: 7 });
        const after = await store.auditTrail({ reveal: true });
        expect(after.slice(1, 6).map((r) => r.event.subject)).toEqual([
          '(erased)',
          `${other},(erased)`,
          other,
          '(erased)',
          other,
        ]);
        expect(after[5]!.event.detail).toMatchObject({ to: '(erased)' });
        // The stored records are what was sealed: unchanged by the erasure.
        expect((await store.auditTrail()).slice(0, 6)).toEqual(stored);
      });
      // No audit record the store holds reveals the id, in any form.
      const raw = (await harness.rawAuditLines()).join('\n');
      expect(raw.length).toBeGreaterThan(0);
      expect(raw).not.toContain(hub);
      expect(raw).not.toContain(JSON.stringify(hub).slice(1, -1));
      expect(raw).toContain('enc:');
    });

    it('reports stored records of the import’s sources that the import lacks, and with replaceSource removes them, audited', async () => {
      await withStore(async (store) => {
        const first = await store.importRecords(copy(fixture));
        expect(first.absent).toMatchObject({ entities: 0, links: 0, removed: false });
        const gone = fixture.links.find((l) => l.source === 'PNC')!;
        const without: RecordSet = { entities: fixture.entities, links: fixture.links.filter((l) => l.id !== gone.id) };

        const kept = await store.importRecords(copy(without));
        expect(kept.absent).toEqual({
          sources: [
            ...new Set([...fixture.entities, ...fixture.links].map((r) => r.source).filter((x): x is string => !!x)),
          ].sort(),
          entities: 0,
          links: 1,
          ids: [{ record: 'link', id: gone.id }],
          removed: false,
        });
        expect(await store.contentHash()).toBe(fixtureHash);
        expect((await store.auditTrail()).at(-1)!.event.detail).toMatchObject({ entities_absent: 0, links_absent: 1 });

        const replaced = await store.importRecords(copy(without), { replaceSource: true });
        expect(replaced.absent).toMatchObject({ links: 1, ids: [{ record: 'link', id: gone.id }], removed: true });
        expect(await store.contentHash()).toBe(contentHashOf(without));
        const event = (await store.auditTrail({ reveal: true })).at(-1)!.event;
        expect(event.detail).toMatchObject({
          replace_source: true,
          links_removed: 1,
          entities_removed: 0,
          removed: gone.id,
        });
        expect(JSON.stringify((await store.auditTrail()).at(-1))).not.toContain(gone.id);
        expect(await store.verifyAudit()).toMatchObject({ ok: true });
        // Only the import's own sources are compared: records of other sources are not absent.
        const oneSource = await store.importRecords(
          { entities: [], links: [without.links.find((l) => l.source === 'PNC')!] },
          { replaceSource: false },
        );
        expect(oneSource.absent.sources).toEqual(['PNC']);
      });
    });

    it('refuses a replacing import that would leave a link without an end, and changes nothing', async () => {
      await withStore(async (store) => {
        await store.importRecords(copy(fixture));
        // An entity of a source, dropped from its import, while a link of another source still joins it.
        const victim = fixture.entities.find(
          (e) =>
            e.source !== undefined &&
            fixture.links.some((l) => (l.from === e.id || l.to === e.id) && l.source !== e.source),
        )!;
        const before = await snapshot(store);
        const error = await storeError(
          store.importRecords(
            { entities: fixture.entities.filter((e) => e.id !== victim.id), links: fixture.links },
            { replaceSource: true },
          ),
          'CONFLICT',
        );
        expect(error.message).toContain('nothing was changed');
        expect(error.issues[0]).toMatchObject({ record: 'link', reason: expect.stringContaining(victim.id) });
        expect(await snapshot(store)).toEqual(before);
      });
    });

    it('keeps erased ids and labels out of the audit trail', async () => {
      await withStore(async (store) => {
        await store.importRecords(copy(fixture));
        const victim = fixture.entities.find((e) => e.id === hub)!;
        const report = await store.erase(victim.id, { justification: 'Subject access: erasure ordered' });
        expect(report.subjectHash).toBe(sha256(victim.id));
        const trail = await store.auditTrail();
        const erasure = trail.at(-1)!.event;
        expect(erasure.action).toBe('erase');
        expect(erasure.subject).toBe(`sha256:${report.subjectHash}`);
        expect(erasure.detail).toMatchObject({ entities: 1, links: report.links });
        const text = JSON.stringify(trail);
        expect(text).not.toContain(victim.id);
        expect(text).not.toContain(victim.label);
        expect(await store.verifyAudit()).toMatchObject({ ok: true, count: trail.length });
      });
    });

    // ---- retention ----------------------------------------------------------------

    it('erases an entity with its links and analysis values, and nothing else', async () => {
      await withStore(async (store) => {
        await store.importRecords(copy(fixture));
        const other = fixture.entities.find((e) => e.id !== hub && e.kind === 'person')!.id;
        await store.saveAnalysis({
          runId: 'r1',
          at: '2025-01-01T00:00:00Z',
          engine: 'test',
          marking: { handling: 'P', conditions: [] },
          metrics: { [hub]: { degree: 5, constraint: null }, [other]: { degree: 2 } },
          communities: { [hub]: 1, [other]: 2 },
        });
        const touching = fixture.links.filter((l) => l.from === hub || l.to === hub);
        expect(touching.length).toBeGreaterThan(1);
        const report = await store.erase(hub, { justification: 'Retention review' });
        expect(report).toEqual({ subjectHash: sha256(hub), entities: 1, links: touching.length, analysisValues: 3 });

        const rest: RecordSet = {
          entities: fixture.entities.filter((e) => e.id !== hub),
          links: fixture.links.filter((l) => l.from !== hub && l.to !== hub),
        };
        expect(await store.contentHash()).toBe(contentHashOf(rest));
        expect(await store.counts()).toEqual({ entities: rest.entities.length, links: rest.links.length });
        expect(await store.records()).toEqual(sorted(rest));
        const analysis = await store.latestAnalysis();
        expect(analysis?.metrics).toEqual({ [other]: { degree: 2 } });
        expect(analysis?.communities).toEqual({ [other]: 2 });

        await storeError(store.erase(hub, { justification: 'again' }), 'NOT_FOUND');
        await storeError(store.records({ entityIds: [hub] }), 'NOT_FOUND');
        // The erased id can be imported afresh (no tombstone blocks it).
        await store.importRecords({ entities: [{ id: hub, kind: 'person', label: 'A new record' }], links: [] });
        expect((await store.counts()).entities).toBe(fixture.entities.length);
      });
    });

    it('lists records due for review by date then id', async () => {
      await withStore(async (store) => {
        await store.importRecords(copy(fixture));
        for (const asOf of ['2020-01-01', '2026-01-15', '2026-03-31', '2030-12-31']) {
          const expected = reviewReference(fixture, asOf);
          expect(await store.dueForReview(asOf), asOf).toEqual(expected);
        }
        expect(reviewReference(fixture, '2026-03-31').length).toBeGreaterThan(
          reviewReference(fixture, '2026-01-15').length,
        );
        expect(reviewReference(fixture, '2030-12-31').some((item) => item.record === 'link')).toBe(true);
        const reviews = (await store.auditTrail()).filter((r) => r.event.action === 'review');
        expect(reviews).toHaveLength(4);
        await storeError(store.dueForReview('31/03/2026'), 'USAGE');
        await storeError(store.dueForReview('2026-02-30'), 'USAGE');
      });
    });

    // ---- hostile text ----------------------------------------------------------------

    it('stores hostile ids and text byte for byte and keeps working', async () => {
      await withStore(async (store) => {
        await store.importRecords(copy(fixture));
        const hostile = hostileRecords();
        const result = await store.importRecords(copy(hostile));
        expect(result.entities.added).toBe(hostile.entities.length);
        expect(result.links.added).toBe(hostile.links.length);
        const all: RecordSet = {
          entities: [...fixture.entities, ...hostile.entities],
          links: [...fixture.links, ...hostile.links],
        };
        expect(await store.counts()).toEqual({ entities: all.entities.length, links: all.links.length });
        expect(await store.contentHash()).toBe(contentHashOf(all));
        const back = await store.records();
        expect(back).toEqual(sorted(all));
        expect(textsOf(back)).toEqual(textsOf(sorted(all)));

        for (const id of HOSTILE_STRINGS) {
          const query: RecordQuery = { entityIds: [id], hops: 1 };
          expect(await store.records(query), id).toEqual(selectRecords(all, query));
        }
        // LIKE wildcards are not wildcards.
        expect((await store.records({ entityIds: ['%'] })).entities.map((e) => e.id)).toEqual(['%']);

        const victim = HOSTILE_STRINGS[5]!;
        await store.erase(victim, { justification: 'Test erasure' });
        const rest: RecordSet = {
          entities: all.entities.filter((e) => e.id !== victim),
          links: all.links.filter((l) => l.from !== victim && l.to !== victim),
        };
        expect(await store.contentHash()).toBe(contentHashOf(rest));
        expect(await store.records()).toEqual(sorted(rest));
        expect(await store.verifyAudit()).toMatchObject({ ok: true });
      });
    });

    // ---- persistence ----------------------------------------------------------------

    it('keeps data and the audit chain across a reopen', async () => {
      if (harness.reopen === undefined) return;
      await harness.reset();
      const store = await harness.open();
      let trail;
      try {
        await store.importRecords(copy(fixture));
        await store.records({ entityIds: [hub] });
        trail = await store.auditTrail();
      } finally {
        await store.close();
      }
      const again = await harness.reopen();
      try {
        expect(await again.contentHash()).toBe(fixtureHash);
        expect(await again.auditTrail()).toEqual(trail);
        await again.records({ maxHandling: 'P' });
        expect(await again.verifyAudit()).toMatchObject({ ok: true, count: trail.length + 1 });
      } finally {
        await again.close();
      }
    });
  });
}
