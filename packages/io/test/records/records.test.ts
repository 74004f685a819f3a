/**
 * Record import: CSV, NDJSON and JSON read to the same model, every problem is
 * reported with file, line and field, and an import is all or nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LinkSchema, type Entity, type InputIssue, type Link } from '@ocgnet/schema';
import {
  RecordCollector,
  entitiesCsvLines,
  linkToCells,
  LINK_COLUMNS,
  linksCsvLines,
  readRecordCsv,
  readRecordJson,
  readRecordNdjson,
  recordNdjsonLines,
} from '../../src/index.js';
import type { ImportOutcome } from '../../src/records/collector.js';
import { rowToRecord } from '../../src/records/columns.js';
import { entityArb, linkArb } from '../../../schema/test/records.fixtures.js';

const P = { system: '3x5x2', source: '2', intelligence: 'B', handling: 'P' } as const;

function join(lines: Iterable<string>): string {
  return [...lines].join('');
}

async function importCsv(files: Record<string, string>, skipInvalid = false): Promise<ImportOutcome> {
  const collector = new RecordCollector({ skipInvalid });
  for (const [file, text] of Object.entries(files)) await readRecordCsv([text], file, collector);
  return collector.finish();
}

function issuesOf(outcome: ImportOutcome): InputIssue[] {
  if (outcome.ok) throw new Error('expected the import to fail');
  return outcome.issues;
}

const ENTITIES = `schema_version,id,kind,label,vulnerable,ocgm_band,threat_areas,source_eval,intel_assessment,handling_code,handling_conditions
1,P1,person,Alan Example,false,,,,,,
1,P2,person,"Bea, ""B"" Example",true,,,2,B,C,Housing only
1,O1,ocg,Example OCG,,2A,drugs;fraud,,,,
`;
const LINKS = `schema_version,id,type,from,to,role,date,first_seen,last_seen,source,count,source_eval,intel_assessment,handling_code,legacy_grading
1,L1,member_of,P1,O1,principal,2024-01-02,,,IR-1,,2,B,P,
1,L2,associate,P1,P2,,,2023-01-01,2024-06-30,IR-2,3,,,,B24
`;

describe('entities.csv and links.csv', () => {
  it('reads typed fields, lists, gradings and legacy codes', async () => {
    const outcome = await importCsv({ 'entities.csv': ENTITIES, 'links.csv': LINKS });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const byId = new Map<string, Entity | Link>(
      [...outcome.records.entities, ...outcome.records.links].map((r) => [r.id, r]),
    );
    expect(byId.get('P2')).toMatchObject({
      label: 'Bea, "B" Example',
      vulnerable: true,
      grading: { handling: 'C', conditions: 'Housing only' },
    });
    expect(byId.get('O1')).toMatchObject({ ocgm_band: '2A', threat_areas: ['drugs', 'fraud'] });
    expect(byId.get('L2')).toMatchObject({ count: 3, grading: { system: '5x5x5', recorded: 'B24' } });
    expect(outcome.origins.links.get('L1')).toEqual([{ file: 'links.csv', line: 2 }]);
  });

  it('round-trips every valid entity through entities.csv', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(entityArb, { selector: (e) => e.id, maxLength: 8 }), async (entities) => {
        const outcome = await importCsv({ 'entities.csv': join(entitiesCsvLines(entities)) });
        expect(outcome.ok).toBe(true);
        if (outcome.ok) expect(outcome.records.entities).toEqual(entities);
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips every valid link through its CSV cells', () => {
    fc.assert(
      fc.property(linkArb, (link) => {
        const row = new Map(LINK_COLUMNS.map((column, index) => [column, linkToCells(link, 1)[index]!]));
        const { record, problems } = rowToRecord(row);
        expect(problems).toEqual([]);
        expect(LinkSchema.parse(record)).toEqual(link);
      }),
      { numRuns: 300 },
    );
  });

  it('names file, line and column for every bad cell, not just the first', async () => {
    const entities =
      ENTITIES.replace('1,P1,person,Alan Example,false', '1,P1,person,Alan Example,maybe') + '1,P3,persn,Cy,,,,,,,\n';
    const issues = issuesOf(
      await importCsv({ 'entities.csv': entities, 'links.csv': LINKS.replace('IR-2,3', 'IR-2,three') }),
    );
    expect(issues).toContainEqual(expect.objectContaining({ file: 'entities.csv', line: 2, field: 'vulnerable' }));
    expect(issues).toContainEqual(expect.objectContaining({ file: 'entities.csv', line: 5, field: 'kind' }));
    expect(issues).toContainEqual(expect.objectContaining({ file: 'links.csv', line: 3, field: 'count' }));
  });

  it('blames the grading column the analyst filled in', async () => {
    const noConditions = issuesOf(
      await importCsv({ 'entities.csv': ENTITIES.replace('2,B,C,Housing only', '2,B,C,') }),
    );
    expect(noConditions).toEqual([expect.objectContaining({ line: 3, field: 'handling_conditions' })]);
    const badSource = issuesOf(await importCsv({ 'entities.csv': ENTITIES.replace('2,B,C,Housing only', '4,B,P,') }));
    expect(badSource).toEqual([expect.objectContaining({ line: 3, field: 'source_eval' })]);
    const both = issuesOf(
      await importCsv({
        'entities.csv': ENTITIES.replace('2,B,C,Housing only', '2,B,P,x').replace(',,,,,,\n1,P2', ',,,,,,\n1,P2'),
      }),
    );
    expect(both[0]!.field).toBe('handling_conditions');
  });

  it('counts lines inside quoted multi-line cells', async () => {
    const entities = 'schema_version,id,kind,label\n1,A,person,"two\nlines"\n1,B,person,\n';
    const issues = issuesOf(await importCsv({ 'entities.csv': entities }));
    expect(issues).toEqual([expect.objectContaining({ line: 4, field: 'label' })]);
  });

  it('refuses unknown, duplicate, reserved and missing header columns', async () => {
    for (const header of [
      'schema_version,id,kind,label,shoe_size',
      'schema_version,id,kind,label,label',
      'schema_version,id,kind,label,__proto__',
      'id,kind,label',
    ]) {
      const issues = issuesOf(await importCsv({ 'e.csv': `${header}\n` }));
      expect(issues[0]).toMatchObject({ file: 'e.csv', line: 1, field: 'header' });
    }
  });

  it('refuses an unsupported schema version on the row', async () => {
    const issues = issuesOf(await importCsv({ 'entities.csv': 'schema_version,id,kind,label\n2,A,person,A\n' }));
    expect(issues).toEqual([expect.objectContaining({ line: 2, field: 'schema_version' })]);
  });

  it('reports malformed CSV as an issue, not a crash', async () => {
    const issues = issuesOf(await importCsv({ 'entities.csv': 'schema_version,id,kind,label\n1,A,person,"open\n' }));
    expect(issues[0]!.reason).toMatch(/malformed CSV/);
    const ragged = issuesOf(await importCsv({ 'entities.csv': 'schema_version,id,kind,label\n1,A,person\n' }));
    expect(ragged[0]).toMatchObject({ line: 2 });
  });
});

describe('links between entities', () => {
  it('refuses a link to a missing entity or of the wrong kinds', async () => {
    const links = `${LINKS}1,L3,lives_at,P1,P2,,2024-01-01,,,IR-3,,1,A,P,\n1,L4,associate,P1,P9,,2024-01-01,,,IR-3,,1,A,P,\n`;
    const issues = issuesOf(await importCsv({ 'entities.csv': ENTITIES, 'links.csv': links }));
    expect(issues).toContainEqual(
      expect.objectContaining({
        file: 'links.csv',
        line: 4,
        field: 'to',
        reason: expect.stringMatching(/lives_at ends at location, not person/),
      }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({ file: 'links.csv', line: 5, field: 'to', reason: expect.stringMatching(/no entity/) }),
    );
  });
});

describe('duplicates', () => {
  it('merges a repeated id whose fields agree, keeping both origins', async () => {
    const outcome = await importCsv({
      'a.csv': 'schema_version,id,kind,label,vulnerable\n1,P1,person,Alan,\n',
      'b.csv': 'schema_version,id,kind,label,vulnerable\n1,P1,person,Alan,true\n',
    });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.records.entities).toEqual([{ id: 'P1', kind: 'person', label: 'Alan', vulnerable: true }]);
    expect(outcome.origins.entities.get('P1')).toEqual([
      { file: 'a.csv', line: 2 },
      { file: 'b.csv', line: 2 },
    ]);
  });

  it('refuses a repeated id whose fields conflict, naming both places', async () => {
    const issues = issuesOf(
      await importCsv({
        'a.csv': 'schema_version,id,kind,label\n1,P1,person,Alan\n',
        'b.csv': 'schema_version,id,kind,label\n1,P1,person,Alun\n',
      }),
    );
    expect(issues).toEqual([
      { file: 'b.csv', line: 2, field: 'label', reason: expect.stringContaining('conflicts with a.csv:2') },
    ]);
    expect(issues[0]!.reason).toContain('"Alan" there, "Alun" here');
  });
});

describe('all or nothing', () => {
  it('fails the whole import for one bad row', async () => {
    const outcome = await importCsv({ 'entities.csv': `${ENTITIES}1,P4,person,\n`, 'links.csv': LINKS });
    expect(outcome.ok).toBe(false);
  });

  it('with skipInvalid keeps the rest and sets aside the bad row and what depends on it', async () => {
    const entities = ENTITIES.replace('1,P2,person', '1,P2,persn');
    const outcome = await importCsv({ 'entities.csv': entities, 'links.csv': LINKS }, true);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.records.entities.map((e) => e.id).sort()).toEqual(['O1', 'P1']);
    expect(outcome.records.links.map((l) => l.id)).toEqual(['L1']);
    expect(outcome.rejects.map((r) => [r.file, r.line, r.kind])).toEqual([
      ['entities.csv', 3, 'entity'],
      ['links.csv', 3, 'link'],
    ]);
    expect(outcome.rejects[1]!.reasons[0]!.reason).toMatch(/"P2" was rejected/);
    expect(outcome.rejects[0]!.raw).toMatchObject({ id: 'P2', kind: 'persn' });
  });
});

describe('NDJSON and JSON', () => {
  const entities: Entity[] = [
    { id: 'P1', kind: 'person', label: 'A' },
    { id: 'P2', kind: 'person', label: 'B', under_18: true },
  ];
  const links: Link[] = [{ id: 'L1', type: 'family', from: 'P1', to: 'P2', source: 'IR', grading: P }];

  it('NDJSON round-trips the records', async () => {
    const collector = new RecordCollector();
    await readRecordNdjson([join(recordNdjsonLines({ entities, links }))], 'r.ndjson', collector);
    expect(collector.finish()).toMatchObject({ ok: true, records: { entities, links } });
  });

  it('NDJSON errors name the line and the field path', async () => {
    const text =
      '{"schema_version":1}\n{"entity":{"id":"P1","kind":"person","label":"A"}}\n\n{"entity":{"id":"P2","kind":"person","label":"B","iom":"no"}}\n{oops\n';
    const collector = new RecordCollector();
    await readRecordNdjson([text], 'r.ndjson', collector);
    const issues = issuesOf(collector.finish());
    expect(issues).toContainEqual(expect.objectContaining({ line: 4, field: 'entity.iom' }));
    expect(issues).toContainEqual(
      expect.objectContaining({ line: 5, reason: expect.stringMatching(/malformed JSON/) }),
    );
  });

  it('JSON items are reported at the line where they start', async () => {
    const text = JSON.stringify(
      { schema_version: 1, entities: [...entities, { id: 'X', kind: 'person' }], links },
      null,
      2,
    );
    const startLine = text.split('\n').findIndex((line) => line.includes('"X"'));
    const collector = new RecordCollector();
    // Feed in small chunks to prove the streaming reader keeps its place.
    const chunks = text.match(/[\s\S]{1,7}/g)!;
    await readRecordJson(chunks, 'r.json', collector);
    const issues = issuesOf(collector.finish());
    expect(issues).toEqual([expect.objectContaining({ file: 'r.json', line: startLine, field: 'entities[2].label' })]);
  });

  it('JSON reads the same records as NDJSON', async () => {
    const collector = new RecordCollector();
    await readRecordJson([JSON.stringify({ schema_version: 1, entities, links })], 'r.json', collector);
    expect(collector.finish()).toMatchObject({ ok: true, records: { entities, links } });
  });

  it('JSON needs schema_version and refuses unknown top-level fields', async () => {
    const collector = new RecordCollector();
    await readRecordJson([JSON.stringify({ entities, extra: 1 })], 'r.json', collector);
    const issues = issuesOf(collector.finish());
    expect(issues.map((i) => i.field).sort()).toEqual(['extra', 'schema_version']);
  });
});

describe('hostile input', () => {
  it('__proto__ and constructor keys pollute nothing and are reported', async () => {
    const text =
      '{"schema_version":1}\n{"entity":{"id":"P1","kind":"person","label":"A","__proto__":{"polluted":true}}}\n{"entity":{"id":"P2","kind":"person","label":"B","attributes":[{"name":"x","value":1,"grading":{"system":"5x5x5","recorded":"A1"},"constructor":{"prototype":{"polluted":true}}}]}}\n';
    const collector = new RecordCollector();
    await readRecordNdjson([text], 'evil.ndjson', collector);
    const issues = issuesOf(collector.finish());
    expect(issues.map((i) => [i.line, i.field])).toEqual([
      [2, 'entity.__proto__'],
      [3, 'entity.attributes.0.constructor'],
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const json =
      '{"schema_version":1,"entities":[{"id":"P1","kind":"person","label":"A","__proto__":{"polluted":true}}]}';
    const jsonCollector = new RecordCollector();
    await readRecordJson([json], 'evil.json', jsonCollector);
    expect(issuesOf(jsonCollector.finish())[0]!.field).toBe('entities[0].__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses deep nesting and overlong lines without exhausting memory', async () => {
    const deep = `{"schema_version":1}\n{"entity":${'['.repeat(5000)}${']'.repeat(5000)}}\n`;
    const collector = new RecordCollector();
    await readRecordNdjson([deep], 'deep.ndjson', collector);
    expect(issuesOf(collector.finish())[0]).toMatchObject({ line: 2, reason: expect.stringMatching(/deeper than/) });

    const deepJson = `{"schema_version":1,"entities":[${'['.repeat(100_000)}`;
    const jsonCollector = new RecordCollector();
    await readRecordJson([deepJson], 'deep.json', jsonCollector);
    expect(issuesOf(jsonCollector.finish())[0]!.reason).toMatch(/deeper than/);

    const long = `{"schema_version":1}\n{"entity":{"id":"P1","kind":"person","label":"${'x'.repeat(2_000_000)}"}}\n`;
    const longCollector = new RecordCollector();
    await readRecordNdjson([long.slice(0, 1_000_000), long.slice(1_000_000)], 'long.ndjson', longCollector);
    expect(issuesOf(longCollector.finish())[0]).toMatchObject({
      line: 2,
      reason: expect.stringMatching(/longer than/),
    });
  });
});

describe('streaming', () => {
  it('reads 200k links from a chunked stream', async () => {
    async function* chunks() {
      yield '{"schema_version":1}\n{"entity":{"id":"A","kind":"person","label":"A"}}\n{"entity":{"id":"B","kind":"person","label":"B"}}\n';
      for (let batch = 0; batch < 200; batch++) {
        let text = '';
        for (let i = 0; i < 1000; i++)
          text += `{"link":{"id":"L${batch}-${i}","type":"associate","from":"A","to":"B","source":"s","grading":{"system":"3x5x2","source":"1","intelligence":"A","handling":"P"}}}\n`;
        yield new TextEncoder().encode(text);
      }
    }
    const collector = new RecordCollector();
    await readRecordNdjson(chunks(), 'big.ndjson', collector);
    const outcome = collector.finish();
    expect(outcome.ok && outcome.records.links.length).toBe(200_000);
  });

  it('writes links.csv that reads back', async () => {
    const outcome = await importCsv({
      'entities.csv': 'schema_version,id,kind,label\n1,A,person,A\n1,B,person,B\n',
      'links.csv': join(
        linksCsvLines([{ id: 'L1', type: 'associate', from: 'A', to: 'B', source: 'x', weight: 2.5, grading: P }]),
      ),
    });
    expect(outcome.ok && outcome.records.links[0]).toEqual({
      id: 'L1',
      type: 'associate',
      from: 'A',
      to: 'B',
      source: 'x',
      weight: 2.5,
      grading: P,
    });
  });
});
