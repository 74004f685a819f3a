/**
 * Pseudonyms: no dictionary of ids, names and dates of birth, hashed or
 * HMAC'd any plausible way without the key, recovers one; with the key, they
 * come from the ids and nothing else; keys separate exports, and one key
 * links them over time.
 */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateScenario } from '@ocgnet/generator';
import type { Person } from '@ocgnet/schema';
import {
  assertKeyOutsideOutput,
  formatKeyFile,
  newPseudonymKey,
  parseKeyFile,
  Pseudonymiser,
  PseudonymKeyError,
} from '../src/index.js';
import {
  CONTEXT,
  OTHER_KEY,
  TEST_KEY,
  exportAndAttack,
  generatorNameLists,
  smallScenario,
} from './research.fixtures.js';

/** The hex part of every pseudonym in an export's files. */
function pseudonymsIn(files: Map<string, string>): Set<string> {
  const found = new Set<string>();
  for (const text of files.values()) for (const match of text.matchAll(/[PN]-([0-9a-f]{16})/g)) found.add(match[1]!);
  return found;
}

/** The digests an attacker without the key would try, for one candidate text. */
function unkeyedDigests(text: string): string[] {
  return [
    createHash('sha256').update(text).digest('hex'),
    createHash('sha1').update(text).digest('hex'),
    createHash('md5').update(text).digest('hex'),
    createHash('sha512').update(text).digest('hex'),
    createHmac('sha256', '').update(text).digest('hex'),
    createHmac('sha256', Buffer.alloc(32)).update(text).digest('hex'),
    createHmac('sha256', 'ocgnet').update(text).digest('hex'),
  ];
}

function hits(digests: Iterable<string>, pseudonyms: Set<string>): string[] {
  const found: string[] = [];
  for (const digest of digests) {
    for (const part of [digest.slice(0, 16), digest.slice(-16)]) if (pseudonyms.has(part)) found.push(digest);
  }
  return found;
}

describe('dictionary attack on the pseudonyms of the small scenario', () => {
  it('recovers no pseudonym from ids, names, dates of birth or their combinations, hashed or HMAC-ed without the key', async () => {
    const { records, network, persons } = await smallScenario();
    const exported = exportAndAttack({ model: 'records', network, persons }, TEST_KEY, { perturb: true }, CONTEXT);
    expect(exported.ok).toBe(true);
    if (!exported.ok) return;
    const pseudonyms = pseudonymsIn(exported.files);
    expect(pseudonyms.size).toBe(persons.order);

    const people = records.entities.filter((entity): entity is Person => entity.kind === 'person');
    const dobs = [
      ...new Set(people.map((person) => person.date_of_birth).filter((dob): dob is string => dob !== undefined)),
    ];
    const candidates: string[] = [];
    for (const person of people) {
      const name = person.label;
      const dob = person.date_of_birth ?? '';
      candidates.push(
        person.id,
        name,
        name.toLowerCase(),
        name.toUpperCase(),
        dob,
        `person\u0000${person.id}`,
        `person\u0000${name}`,
      );
      for (const separator of ['', ' ', '|', ',', ':', ';', '\u0000'])
        candidates.push(`${name}${separator}${dob}`, `${dob}${separator}${name}`, `${person.id}${separator}${name}`);
      for (const alias of person.aliases ?? []) candidates.push(alias, `${alias}${dob}`);
    }
    let tried = 0;
    const recovered: string[] = [];
    for (const candidate of candidates) {
      const digests = unkeyedDigests(candidate);
      tried += digests.length;
      recovered.push(...hits(digests, pseudonyms));
    }
    // The generator's whole name lists × every date of birth in the scenario, by sha256 and by HMAC with an empty key.
    const { first, surnames } = generatorNameLists();
    expect(first.length * surnames.length).toBeGreaterThan(10_000);
    for (const given of first) {
      for (const family of surnames) {
        const name = `${given} ${family}`;
        for (const dob of dobs) {
          const text = `${name}${dob}`;
          tried += 2;
          recovered.push(
            ...hits(
              [createHash('sha256').update(text).digest('hex'), createHmac('sha256', '').update(text).digest('hex')],
              pseudonyms,
            ),
          );
        }
      }
    }
    expect(tried).toBeGreaterThan(2_500_000);
    expect(recovered).toEqual([]);
  });

  it('with the key, every pseudonym comes from an id, and none from a name, a date of birth or a name with a date of birth', async () => {
    const { records, network, persons } = await smallScenario();
    const exported = exportAndAttack({ model: 'records', network, persons }, TEST_KEY, { perturb: true }, CONTEXT);
    if (!exported.ok) throw new Error('refused');
    const pseudonyms = pseudonymsIn(exported.files);
    const keyed = (text: string) => createHmac('sha256', TEST_KEY).update(text).digest('hex');
    const people = records.entities.filter((entity): entity is Person => entity.kind === 'person');
    const fromOther: string[] = [];
    for (const person of people) {
      for (const text of [
        person.label,
        person.date_of_birth ?? '',
        `${person.label}${person.date_of_birth ?? ''}`,
        `person\u0000${person.label}`,
        `person\u0000${person.date_of_birth ?? ''}`,
        person.id,
      ]) {
        fromOther.push(...hits([keyed(text)], pseudonyms));
      }
    }
    expect(fromOther).toEqual([]);
    const fromIds = new Set(persons.nodes().map((id) => keyed(`person\u0000${id}`).slice(0, 16)));
    expect(fromIds).toEqual(pseudonyms);
  });

  it('holds on the medium scenario: no unkeyed digest of its 5,000 nominals’ ids, names or dates of birth is a pseudonym', () => {
    const people: Person[] = [];
    for (const chunk of generateScenario({ size: 'medium', seed: 42 }))
      for (const entity of chunk.entities) if (entity.kind === 'person') people.push(entity);
    expect(people.length).toBeGreaterThan(4_000);
    const pseudonymiser = new Pseudonymiser(TEST_KEY);
    const pseudonyms = new Set(people.map((person) => pseudonymiser.pseudonym('person', person.id).slice(2)));
    expect(pseudonyms.size).toBe(people.length);
    const recovered: string[] = [];
    for (const person of people) {
      for (const text of [
        person.id,
        person.label,
        `${person.label}${person.date_of_birth ?? ''}`,
        `${person.label}|${person.date_of_birth ?? ''}`,
        `person\u0000${person.id}`,
      ]) {
        recovered.push(...hits(unkeyedDigests(text), pseudonyms));
      }
    }
    expect(recovered).toEqual([]);
  });
});

describe('keys', () => {
  it('two exports with different keys share no identifier; the same key gives the same pseudonyms', async () => {
    const { network, persons } = await smallScenario();
    const run = (key: Buffer) => {
      const exported = exportAndAttack({ model: 'records', network, persons }, key, { perturb: true }, CONTEXT);
      if (!exported.ok) throw new Error('refused');
      return exported;
    };
    const first = run(TEST_KEY);
    const second = run(OTHER_KEY);
    const again = run(Buffer.from(TEST_KEY));
    const a = pseudonymsIn(first.files);
    const b = pseudonymsIn(second.files);
    expect([...a].filter((p) => b.has(p))).toEqual([]);
    expect(pseudonymsIn(again.files)).toEqual(a);
    for (const [id, pseudonym] of first.anonymised.pseudonymOf)
      expect(again.anonymised.pseudonymOf.get(id)).toBe(pseudonym);
    expect(again.files).toEqual(first.files);
  });

  it('pseudonyms are kind-prefixed, of the stated length, and differ by kind for one id', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.uint8Array({ minLength: 32, maxLength: 64 }), (id, key) => {
        const pseudonymiser = new Pseudonymiser(key);
        const person = pseudonymiser.pseudonym('person', id);
        const node = pseudonymiser.pseudonym('node', id);
        expect(person).toMatch(/^P-[0-9a-f]{16}$/);
        expect(node).toMatch(/^N-[0-9a-f]{16}$/);
        expect(person.slice(2)).not.toBe(node.slice(2));
        expect(person.slice(2)).not.toBe(createHash('sha256').update(id).digest('hex').slice(0, 16));
      }),
    );
  });

  it('reads a key file as hex or binary, writes 64 hex digits, and refuses a short key', () => {
    const key = newPseudonymKey();
    expect(key).toHaveLength(32);
    expect(formatKeyFile(key)).toMatch(/^[0-9a-f]{64}\n$/);
    expect(parseKeyFile(Buffer.from(formatKeyFile(key)))).toEqual(key);
    const binary = Buffer.from(Array.from({ length: 40 }, (_, i) => (i * 37 + 200) % 256));
    expect(parseKeyFile(binary)).toEqual(binary);
    expect(() => parseKeyFile(Buffer.from('abcd\n'), 'k.key')).toThrow(PseudonymKeyError);
    expect(() => parseKeyFile(Buffer.from('abcd\n'), 'k.key')).toThrow(/k\.key: key is 2 bytes/);
    expect(() => new Pseudonymiser(Buffer.alloc(16))).toThrow(PseudonymKeyError);
  });

  it('refuses a key file inside the output folder', () => {
    expect(() => assertKeyOutsideOutput('/data/export/key', '/data/export')).toThrow(/inside the output folder/);
    expect(() => assertKeyOutsideOutput('/data/export/sub/key', '/data/export/')).toThrow(PseudonymKeyError);
    expect(() => assertKeyOutsideOutput('/data/export', '/data/export')).toThrow(PseudonymKeyError);
    expect(() => assertKeyOutsideOutput('/data/keys/key', '/data/export')).not.toThrow();
    expect(() => assertKeyOutsideOutput('/data/export-key', '/data/export')).not.toThrow();
  });
});
