/**
 * Broken readers, one per kind of failure the fuzzer must catch, for the
 * test that proves the harness catches them (a fuzzer that never fails
 * proves nothing). Each misbehaves on about one case in five.
 */
import type { Target } from './targets.js';

const seed = [[{ name: 'x.txt', bytes: new TextEncoder().encode('a,b\n') }]];
/** True for about one case in five, from the input's bytes. */
const unlucky = (bytes: Uint8Array) => bytes.reduce((sum, byte) => (sum + byte) % 5, 0) === 0;

function broken(
  name: string,
  misbehave: (bytes: Uint8Array, token: string) => Promise<{ kept?: string } | void> | { kept?: string } | void,
  always = false,
): Target {
  return {
    name,
    seeds: seed,
    dictionary: [new Uint8Array([0x2c])],
    xml: false,
    async run([input]) {
      const bytes =
        input!.chunks.length === 1 ? input!.chunks[0]! : Uint8Array.from(input!.chunks.flatMap((chunk) => [...chunk]));
      if (always || unlucky(bytes)) {
        const result = await misbehave(bytes, process.env.OCGNET_FUZZ_CANARY_TOKEN ?? '');
        if (result?.kept !== undefined) return { accepted: true, issues: [], kept: result.kept };
      }
      return { accepted: false, issues: [{ file: input!.name, line: 1, field: '', reason: 'refused' }], kept: '' };
    },
  };
}

export function selfTestTargets(): Target[] {
  return [
    broken('selftest-throw', () => {
      throw new TypeError("Cannot read properties of undefined (reading 'x')");
    }),
    broken('selftest-hang', () => {
      for (;;);
    }),
    broken('selftest-memory', () => {
      const hoard: number[][] = [];
      for (;;) hoard.push(new Array<number>(1 << 20).fill(1));
    }),
    broken('selftest-pollution', () => {
      (Object.prototype as Record<string, unknown>).polluted = true;
    }),
    broken('selftest-uncaught', () => {
      setImmediate(() => {
        throw new Error('ERR_CRYPTO_HASH_FINALIZED: Digest already called');
      });
    }),
    broken('selftest-entity', (_bytes, token) => ({ kept: `{"label":"${token}"}` })),
    // Accepts everything: fails on every input a mutation made invalid UTF-8.
    broken('selftest-utf8', () => ({ kept: '{}' }), true),
  ];
}
