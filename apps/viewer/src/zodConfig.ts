/**
 * zod (under @ocgnet/schema and @ocgnet/disruption) probes `new Function`
 * to decide whether to compile fast parsers. The served CSP forbids eval,
 * so the probe would be reported as a violation: run zod without JIT.
 * Imported first by main.tsx, before any module that parses.
 */
import { config } from 'zod';

config({ jitless: true });
