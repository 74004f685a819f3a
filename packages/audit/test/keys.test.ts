import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog, resolveAuditFiles } from '../src/index.js';
import { loadAuditKey, loadSigner, loadVerifyKey } from '../src/keys.js';
import { attackerSigner, auditFilesIn, event } from './fixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ocgnet-keys-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('where the keys, witness and mirror are', () => {
  it('defaults to one set per user, never beside the data; a log keeps its witness beside it, a store none', () => {
    const files = resolveAuditFiles({}, '/data/audit.log.witness', {});
    expect(files).toEqual({
      key: join(homedir(), '.ocgnet', 'audit', 'audit.key'),
      signingKey: join(homedir(), '.ocgnet', 'audit', 'signing.key'),
      publicKey: join(homedir(), '.ocgnet', 'audit', 'signing.key.pub'),
      witness: '/data/audit.log.witness',
      mirror: undefined,
    });
    expect(resolveAuditFiles({}, undefined, {}).witness).toBeUndefined();
  });

  it('takes the environment over the defaults, and options over both', () => {
    const env = { OCGNET_AUDIT_DIR: '/keys', OCGNET_AUDIT_WITNESS: '/apart/w', OCGNET_AUDIT_MIRROR: '/dev/stderr' };
    expect(resolveAuditFiles({}, '/data/w', env)).toEqual({
      key: '/keys/audit.key',
      signingKey: '/keys/signing.key',
      publicKey: '/keys/signing.key.pub',
      witness: '/apart/w',
      mirror: '/dev/stderr',
    });
    const named = {
      ...env,
      OCGNET_AUDIT_KEY: '/k/a',
      OCGNET_AUDIT_SIGNING_KEY: '/k/s',
      OCGNET_AUDIT_PUBLIC_KEY: '/pinned/s.pub',
    };
    expect(resolveAuditFiles({}, undefined, named)).toMatchObject({
      key: '/k/a',
      signingKey: '/k/s',
      publicKey: '/pinned/s.pub',
    });
    expect(resolveAuditFiles({ key: '/o/a', signingKey: '/o/s', witness: '/o/w' }, undefined, named)).toMatchObject({
      key: '/o/a',
      signingKey: '/o/s',
      publicKey: '/pinned/s.pub',
      witness: '/o/w',
    });
    expect(resolveAuditFiles({ signingKey: '/o/s' }, undefined, {}).publicKey).toBe('/o/s.pub');
  });
});

describe('key files', () => {
  it('makes a 32-byte audit key, mode 600 in a private directory, on first use only', async () => {
    const path = join(dir, 'new', 'audit.key');
    expect(() => loadAuditKey(path, { create: false })).toThrow(/no audit key there/);
    expect(existsSync(path)).toBe(false);
    const key = loadAuditKey(path, { create: true });
    expect(key.symmetricKeySize).toBe(32);
    expect(await readFile(path, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'new'))).mode & 0o777).toBe(0o700);
    // The same key the next time, not a new one.
    expect(loadAuditKey(path, { create: true }).export().equals(key.export())).toBe(true);
  });

  it('refuses a key file other users may read, and one that is not a key', async () => {
    const path = join(dir, 'audit.key');
    loadAuditKey(path, { create: true });
    await chmod(path, 0o640);
    expect(() => loadAuditKey(path, { create: false })).toThrow(/open to other users \(mode 640\); chmod 600/);
    await writeFile(path, 'not a key\n', { mode: 0o600 });
    await chmod(path, 0o600);
    expect(() => loadAuditKey(path, { create: false })).toThrow(/not an audit key/);
  });

  it('makes an Ed25519 signing key with its public key beside it, and checks they belong together', async () => {
    const files = { signingKey: join(dir, 'signing.key'), publicKey: join(dir, 'signing.key.pub') };
    expect(() => loadSigner(files, { create: false })).toThrow(/no signing key there/);
    const signer = loadSigner(files, { create: true });
    expect(signer.privateKey.asymmetricKeyType).toBe('ed25519');
    expect((await stat(files.signingKey)).mode & 0o777).toBe(0o600);
    expect(await readFile(files.publicKey, 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(loadVerifyKey(files)).toMatchObject({ fingerprint: signer.fingerprint, source: files.publicKey });
    // Without the public key file, a verifier holding the signing key derives it.
    await rm(files.publicKey);
    expect(loadVerifyKey(files)).toMatchObject({ fingerprint: signer.fingerprint, source: files.signingKey });
    // A public key file of another key is refused, not overwritten.
    await writeFile(files.publicKey, attackerSigner().publicKey.export({ type: 'spki', format: 'pem' }) as string);
    expect(() => loadSigner(files, { create: false })).toThrow(/not the one of the signing key/);
  });

  it('a log with events whose key is missing is an error, not a reason to make a new key', async () => {
    const path = join(dir, 'audit.log');
    const files = auditFilesIn(dir);
    await new AuditLog(path, files).append(event(1));
    await rm(files.key);
    await expect(new AuditLog(path, files).append(event(2))).rejects.toMatchObject({
      code: 'AUDIT_KEY',
      path: files.key,
    });
    expect(existsSync(files.key)).toBe(false);
    // A key that is not the trail's is refused before anything is written.
    loadAuditKey(files.key, { create: true });
    await expect(new AuditLog(path, files).append(event(2))).rejects.toMatchObject({
      code: 'AUDIT_CORRUPT',
      message: expect.stringMatching(/does not verify under the audit key/),
    });
  });

  it('a witness signed by another key stops the writer', async () => {
    const path = join(dir, 'audit.log');
    await new AuditLog(path, auditFilesIn(dir)).append(event(1));
    const other = { ...auditFilesIn(dir), signingKey: join(dir, 'other.key') };
    loadSigner({ signingKey: other.signingKey, publicKey: `${other.signingKey}.pub` }, { create: true });
    await expect(new AuditLog(path, other).append(event(2))).rejects.toMatchObject({
      code: 'AUDIT_WITNESS',
      message: expect.stringMatching(/signed by key/),
    });
  });
});
