/**
 * `ocgnet audit verify`: an intact log passes; any altered byte fails with exit 1.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '@ocgnet/profiles';
import { runCli, temporaryFolder } from './cli.fixtures.js';

describe('ocgnet audit verify', () => {
  it('passes an intact chain and fails a tampered one', async () => {
    const path = join(temporaryFolder(), 'audit.log');
    const log = new AuditLog(path);
    for (let i = 0; i < 3; i++) {
      await log.append({ action: 'export', who: 'analyst1', at: '2026-11-24T10:00:00Z', audience: 'partner-agency:housing', subject: `ocg:OCG0${i}`, justification: 'Panel meeting', recipients: ['Housing'] });
    }
    const ok = await runCli('audit', 'verify', path);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/chain intact, 3 event/);
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace('OCG01', 'OCG09'));
    const broken = await runCli('audit', 'verify', path);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/audit\.log:2: audit chain broken/);
  });
});
