/**
 * The ledger of the releases made with a key: it reads back what it recorded
 * (the released graph, with the same digest), is refused for another key or
 * when damaged, does not record one release twice, and names its key by a
 * fingerprint that is neither the key nor anything pseudonyms are made of.
 */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import Graph from 'graphology';
import {
  LedgerError,
  ledgerFileFor,
  ledgerJson,
  newLedger,
  parseLedger,
  priorReleases,
  recordRelease,
} from '../src/index.js';
import { keyFingerprint } from '../src/ledger.js';
import { releaseDigest, type Release } from '../src/researchExport.js';
import { OTHER_KEY, TEST_KEY } from './research.fixtures.js';

function release(weight: number): Release {
  const graph = new Graph({ type: 'undirected' });
  graph.addNode('P-1', { age_band: '*' });
  graph.addNode('P-2', { age_band: '18-24' });
  graph.addEdge('P-1', 'P-2', { weight, channels: '*' });
  return { graph, perturbed: true, weightWildcard: true, digest: releaseDigest(graph), repeat: false };
}

describe('the release ledger', () => {
  it('reads back every release it recorded, graph and digest, and records a release once', () => {
    let ledger = newLedger(TEST_KEY);
    ledger = recordRelease(ledger, release(1), '/exports/a', '2026-01-01T00:00:00.000Z');
    ledger = recordRelease(ledger, release(1), '/exports/b');
    ledger = recordRelease(ledger, release(2), '/exports/c');
    const back = parseLedger(ledgerJson(ledger), TEST_KEY, 'k.key.releases.json');
    expect(back.releases.map((entry) => entry.out)).toEqual(['/exports/a', '/exports/c']);
    const prior = priorReleases(back);
    expect(prior.map((entry) => releaseDigest(entry.graph))).toEqual([release(1).digest, release(2).digest]);
    expect(prior.map((entry) => entry.digest)).toEqual([release(1).digest, release(2).digest]);
    expect(prior[0]).toMatchObject({ perturbed: true, weightWildcard: true });
    expect(ledgerFileFor('/keys/study.key')).toBe('/keys/study.key.releases.json');
  });

  it('is refused for another key, and when it is not a ledger', () => {
    const text = ledgerJson(recordRelease(newLedger(TEST_KEY), release(1), '/x'));
    expect(() => parseLedger(text, OTHER_KEY, 'k.json')).toThrow(LedgerError);
    expect(() => parseLedger(text, OTHER_KEY, 'k.json')).toThrow(/records the releases of another key/);
    expect(() => parseLedger('{"kind": ', TEST_KEY, 'k.json')).toThrow(/k\.json: not valid JSON/);
    expect(() => parseLedger('{"kind": "other"}', TEST_KEY, 'k.json')).toThrow(/not an ocgnet release ledger/);
  });

  it('names its key by a keyed fingerprint, not the key or an unkeyed digest of it', () => {
    const fingerprint = keyFingerprint(TEST_KEY);
    expect(fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(fingerprint).not.toBe(keyFingerprint(OTHER_KEY));
    expect(TEST_KEY.toString('hex')).not.toContain(fingerprint);
    expect(createHash('sha256').update(TEST_KEY).digest('hex')).not.toContain(fingerprint);
    // Not a pseudonym either: pseudonyms are HMAC(key, kind ‖ 0 ‖ id).
    expect(createHmac('sha256', TEST_KEY).update('person\u0000ocgnet release ledger').digest('hex')).not.toContain(
      fingerprint,
    );
  });
});
