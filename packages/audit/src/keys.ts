/**
 * The audit trail's keys and where they live.
 *
 * - The **audit key**: 32 random bytes, as 64 hex digits and a newline, mode
 *   600. Every record's MAC is made under it; the writer and whoever verifies
 *   the chain need it, and no one else may read it.
 * - The **signing key**: an Ed25519 private key (PKCS#8 PEM, mode 600) that
 *   signs checkpoints of the head. Only the writer needs it.
 * - The **public key** (SPKI PEM): checks checkpoints. An auditor should hold
 *   a copy made when the key was created, apart from the host that writes.
 *
 * Defaults: one set per user, in `$OCGNET_AUDIT_DIR`, else `~/.ocgnet/audit`
 * (`audit.key`, `signing.key`, `signing.key.pub`), never beside the data, so
 * a folder copied, shared or exported with a log or a store does not carry
 * the keys that seal it. `OCGNET_AUDIT_KEY`, `OCGNET_AUDIT_SIGNING_KEY` and
 * `OCGNET_AUDIT_PUBLIC_KEY` name the files one by one; options name them
 * for one trail. The witness (the file that keeps signed checkpoints) and the
 * mirror (a second sink for them, e.g. a SIEM pipe) are per trail:
 * `OCGNET_AUDIT_WITNESS` and `OCGNET_AUDIT_MIRROR`, or options.
 *
 * Keys are created on first use only, and only when the trail they would
 * seal is still empty: a trail with events whose key is missing is an error,
 * not a reason to make a new key. Key files open to group or others are refused.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  generateKeyPairSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { AuditError, describeIoError } from './errors.js';

/** Where a trail's keys, witness and mirror are, as a caller names them (anything left out takes its default). */
export interface AuditFilesOptions {
  /** The audit (HMAC) key file. */
  key?: string;
  /** The Ed25519 private key file that signs checkpoints. */
  signingKey?: string;
  /** The Ed25519 public key file that checks them; default `<signing key>.pub`. */
  publicKey?: string;
  /** The witness file: every signed checkpoint, one per line. */
  witness?: string;
  /** A second sink for every checkpoint line: a file, a FIFO or /dev/stderr (for a SIEM). */
  mirror?: string;
}

/** The resolved paths. `witness` and `mirror` are undefined where the trail keeps none. */
export interface AuditFiles {
  key: string;
  signingKey: string;
  publicKey: string;
  witness: string | undefined;
  mirror: string | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

const nonEmpty = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);

/** The per-user directory of default keys: `$OCGNET_AUDIT_DIR`, else `~/.ocgnet/audit`. */
export function auditKeyDirectory(env: Env = process.env): string {
  return resolve(nonEmpty(env.OCGNET_AUDIT_DIR) ?? join(homedir(), '.ocgnet', 'audit'));
}

/**
 * The files of one trail: each from `options`, else its environment variable,
 * else its default (`defaultWitness` is the trail's own default witness, if it has one).
 */
export function resolveAuditFiles(
  options: AuditFilesOptions = {},
  defaultWitness?: string,
  env: Env = process.env,
): AuditFiles {
  const directory = auditKeyDirectory(env);
  const key = nonEmpty(options.key) ?? nonEmpty(env.OCGNET_AUDIT_KEY) ?? join(directory, 'audit.key');
  const signingKey =
    nonEmpty(options.signingKey) ?? nonEmpty(env.OCGNET_AUDIT_SIGNING_KEY) ?? join(directory, 'signing.key');
  const publicKey = nonEmpty(options.publicKey) ?? nonEmpty(env.OCGNET_AUDIT_PUBLIC_KEY) ?? `${signingKey}.pub`;
  const witness = nonEmpty(options.witness) ?? nonEmpty(env.OCGNET_AUDIT_WITNESS) ?? defaultWitness;
  const mirror = nonEmpty(options.mirror) ?? nonEmpty(env.OCGNET_AUDIT_MIRROR);
  return {
    key: resolve(key),
    signingKey: resolve(signingKey),
    publicKey: resolve(publicKey),
    witness: witness === undefined ? undefined : resolve(witness),
    mirror: mirror === undefined ? undefined : resolve(mirror),
  };
}

/** The signing half: what the writer holds. */
export interface AuditSigner {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Hex SHA-256 of the public key (SPKI DER): how checkpoints name their signer. */
  fingerprint: string;
}

/** The checking half: what a verifier holds. */
export interface AuditVerifyKey {
  publicKey: KeyObject;
  fingerprint: string;
  /** The file it came from. */
  source: string;
}

const HEX_KEY = /^[0-9a-f]{64}\n?$/;

/** SHA-256 (hex) of a public key's SPKI DER encoding. */
export function publicKeyFingerprint(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/** Reads a secret key file, refusing one that group or others may read or write. */
function readSecretFile(path: string, what: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw new AuditError('AUDIT_KEY', path, `${path}: cannot read the ${what} (${describeIoError(error)})`, {
      cause: error,
    });
  }
  // Windows has no such modes; elsewhere a secret others can read is no longer one.
  if (process.platform !== 'win32') {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new AuditError(
        'AUDIT_KEY',
        path,
        `${path}: the ${what} is open to other users (mode ${mode.toString(8)}); chmod 600 it`,
      );
    }
  }
  return text;
}

/**
 * Writes a new key file whole or not at all: to a private temporary name,
 * synced, then hard-linked to its name, which fails if another process made
 * the file first. Returns false in that case (the caller reads theirs).
 */
function createKeyFile(path: string, text: string, mode: number): boolean {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new AuditError('AUDIT_KEY', path, `${path}: cannot create its directory (${describeIoError(error)})`, {
      cause: error,
    });
  }
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const fd = openSync(temporary, 'wx', mode);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(temporary, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    syncDirectory(dirname(path));
    return true;
  } catch (error) {
    throw new AuditError('AUDIT_KEY', path, `${path}: cannot create the key file (${describeIoError(error)})`, {
      cause: error,
    });
  } finally {
    try {
      unlinkSync(temporary);
    } catch {
      // already gone, or never made
    }
  }
}

/** Best effort: some file systems refuse to sync a directory, and the file itself is synced. */
export function syncDirectory(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch {
    // see above
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The audit key at `path`. With `create` (the trail is empty), a missing key
 * is made; without it, a missing key is an AuditError naming the file.
 */
export function loadAuditKey(path: string, options: { create: boolean }): KeyObject {
  let text = readSecretFile(path, 'audit key');
  if (text === undefined) {
    if (!options.create) {
      throw new AuditError(
        'AUDIT_KEY',
        path,
        `${path}: no audit key there; it is the key the trail was written under (name it with --key or OCGNET_AUDIT_KEY)`,
      );
    }
    createKeyFile(path, `${randomBytes(32).toString('hex')}\n`, 0o600);
    text = readSecretFile(path, 'audit key')!;
  }
  if (!HEX_KEY.test(text))
    throw new AuditError('AUDIT_KEY', path, `${path}: not an audit key (64 hex digits expected)`);
  return createSecretKey(Buffer.from(text.slice(0, 64), 'hex'));
}

/** An Ed25519 key from PEM text: the private half (PKCS#8) or the public one (SPKI). */
function parseEd25519(path: string, pem: string, half: 'private' | 'public'): KeyObject {
  let key: KeyObject;
  try {
    key = half === 'private' ? createPrivateKey(pem) : createPublicKey(pem);
  } catch (error) {
    throw new AuditError('AUDIT_KEY', path, `${path}: not a PEM ${half} key (${describeIoError(error)})`, {
      cause: error,
    });
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new AuditError('AUDIT_KEY', path, `${path}: not an Ed25519 key (${key.asymmetricKeyType})`);
  return key;
}

function readPublicKeyFile(path: string): KeyObject | undefined {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw new AuditError('AUDIT_KEY', path, `${path}: cannot read the public key (${describeIoError(error)})`, {
      cause: error,
    });
  }
  return parseEd25519(path, pem, 'public');
}

/**
 * The writer's signing key. With `create` (the trail is empty), a missing
 * key pair is made, and its public half written to `files.publicKey` for
 * verifiers; a public key file that exists and is not this key's is refused.
 */
export function loadSigner(
  files: Pick<AuditFiles, 'signingKey' | 'publicKey'>,
  options: { create: boolean },
): AuditSigner {
  let pem = readSecretFile(files.signingKey, 'signing key');
  if (pem === undefined) {
    if (!options.create) {
      throw new AuditError(
        'AUDIT_KEY',
        files.signingKey,
        `${files.signingKey}: no signing key there; the trail's checkpoints were signed with it (name it with --signing-key or OCGNET_AUDIT_SIGNING_KEY)`,
      );
    }
    const pair = generateKeyPairSync('ed25519');
    createKeyFile(files.signingKey, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, 0o600);
    pem = readSecretFile(files.signingKey, 'signing key')!;
  }
  const privateKey = parseEd25519(files.signingKey, pem, 'private');
  const publicKey = createPublicKey(privateKey);
  const fingerprint = publicKeyFingerprint(publicKey);
  const published = readPublicKeyFile(files.publicKey);
  if (published === undefined) {
    createKeyFile(files.publicKey, publicKey.export({ type: 'spki', format: 'pem' }) as string, 0o644);
  } else if (publicKeyFingerprint(published) !== fingerprint) {
    throw new AuditError(
      'AUDIT_KEY',
      files.publicKey,
      `${files.publicKey}: this public key is not the one of the signing key ${files.signingKey}`,
    );
  }
  return { privateKey, publicKey, fingerprint };
}

/**
 * The key that checks checkpoints: the public key file, else the public half
 * of the signing key when only that is at hand.
 */
export function loadVerifyKey(files: Pick<AuditFiles, 'signingKey' | 'publicKey'>): AuditVerifyKey {
  const published = readPublicKeyFile(files.publicKey);
  if (published !== undefined)
    return { publicKey: published, fingerprint: publicKeyFingerprint(published), source: files.publicKey };
  const pem = readSecretFile(files.signingKey, 'signing key');
  if (pem === undefined) {
    throw new AuditError(
      'AUDIT_KEY',
      files.publicKey,
      `${files.publicKey}: no public key there (nor a signing key at ${files.signingKey}) to check the checkpoints with; name it with --public-key`,
    );
  }
  const publicKey = createPublicKey(parseEd25519(files.signingKey, pem, 'private'));
  return { publicKey, fingerprint: publicKeyFingerprint(publicKey), source: files.signingKey };
}
