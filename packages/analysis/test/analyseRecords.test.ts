import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { RecordCollector, readRecordCsv } from '@ocgnet/io';
import type { RecordSet } from '@ocgnet/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyseRecords } from '../src/analyseRecords.js';
import { mappingFromMemberships, type Membership } from '../src/groups/compare.js';
import { SMALL_FIXTURE } from './graphs.fixtures.js';
import { readTruth } from './groups/groups.fixtures.js';

let records: RecordSet;
beforeAll(async () => {
  const collector = new RecordCollector();
  for (const file of ['entities.csv', 'links.csv'])
    await readRecordCsv(createReadStream(join(SMALL_FIXTURE, file)), file, collector);
  const outcome = collector.finish();
  if (!outcome.ok) throw new Error('small fixture did not load');
  records = outcome.records;
});

describe('analyseRecords: the one records → analysis pipeline', () => {
  it('analyses the person projection against the mapping read from the records (truth.csv)', () => {
    const { network, persons, mapping, report } = analyseRecords(records);
    const people = records.entities.filter((entity) => entity.kind === 'person').length;
    expect(network.order).toBe(records.entities.length);
    expect(persons.order).toBe(people);
    expect(report.nodes.map((node) => node.id).sort()).toEqual(persons.nodes().sort());
    const mapped = readTruth().filter((row) => row.mapped);
    expect(Object.keys(mapping.groupOf).sort()).toEqual(mapped.map((row) => row.nominal).sort());
    // The report was computed against that mapping: each mapped node carries its group, and the comparison exists.
    for (const row of mapped)
      expect(report.nodes.find((node) => node.id === row.nominal)?.mappedGroup, row.nominal).toBe(row.group);
    expect(report.groupsBy).toBe('mapping');
    expect(report.comparison).toBeDefined();
  });

  it('passes projection and analysis options through', () => {
    const coPresence = analyseRecords(records, {
      projection: { channelWeights: { associate: 0, co_offender: 0 } },
      analysis: { weighted: true, seed: 7 },
    });
    const plain = analyseRecords(records);
    expect(coPresence.persons.size).toBeLessThan(plain.persons.size);
    expect(coPresence.report.graph.edges).toBe(coPresence.persons.size);
    expect(coPresence.report.parameters).toMatchObject({ weighted: true, seed: 7 });
  });
});

describe('mappingFromMemberships', () => {
  it('does not depend on the order the memberships arrive in', () => {
    const role = fc.constantFrom(
      'principal',
      'lieutenant',
      'significant',
      'enabler',
      'runner',
      'peripheral',
      undefined,
    );
    const membership = fc.record({
      person: fc.constantFrom('P1', 'P2', 'P3', 'P10'),
      group: fc.constantFrom('G1', 'G2', 'G10'),
      kind: fc.constant('ocg' as const),
      role,
    });
    fc.assert(
      fc.property(
        fc
          .array(membership, { maxLength: 12 })
          .chain((list) =>
            fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length })),
          ),
        ([list, shuffled]) => {
          expect(mappingFromMemberships(shuffled as Membership[])).toEqual(
            mappingFromMemberships(list as Membership[]),
          );
        },
      ),
      { seed: 18, numRuns: 300 },
    );
  });
});
