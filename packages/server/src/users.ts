/**
 * Users of `ocgnet serve`: who may log in, with which token, and which
 * audience each one's view is fixed to.
 *
 * The config file holds only the SHA-256 of each token, never the token. A
 * token is 32 random bytes (base64url), so a hash of it cannot be reversed by
 * guessing; hashes are compared in constant time.
 *
 * ```json
 * { "users": [ { "name": "housing-officer", "audience": "partner-agency:housing",
 *                "token_sha256": "<64 hex>", "justification": "Disruption panel, OCG01" } ] }
 * ```
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { defaultAudiences, type Audience, type AudienceConfig } from '@ocgnet/profiles';
import { OcgnetError } from '@ocgnet/schema';

/** Bytes of randomness in a token. */
export const TOKEN_BYTES = 32;
/** Longest token text accepted (anything longer is refused before hashing). */
export const MAX_TOKEN_LENGTH = 512;

const UserSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.@-]*$/, 'must be letters, digits and _ . @ -'),
  audience: z.string().min(1).max(100),
  token_sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be the lowercase hex SHA-256 of the token (ocgnet serve token)'),
  /** The lawful purpose recorded on every audit event of this user's session. */
  justification: z
    .string()
    .min(1)
    .max(500)
    .refine((text) => text.trim() !== '', 'must not be blank'),
});

export const UsersConfigSchema = z.strictObject({
  users: z.array(UserSchema).min(1).max(10_000),
});

export type UserEntry = z.infer<typeof UserSchema>;
export type UsersConfig = z.infer<typeof UsersConfigSchema>;

/** A user as the server knows them: the entry and its audience, resolved. */
export interface ServerUser {
  name: string;
  audience: Audience;
  justification: string;
}

/** The users config is not JSON, or breaks a rule; the message names every problem. */
export class UsersConfigError extends OcgnetError<'INVALID_USERS_CONFIG'> {
  override readonly name = 'UsersConfigError';
  constructor(message: string) {
    super('INVALID_USERS_CONFIG', message);
  }
}

/**
 * Validates a users config (JSON text or a parsed value). Refuses duplicate
 * names, a token hash used twice, and any audience id the audiences config
 * does not define. Throws {@link UsersConfigError} naming every problem.
 */
export function parseUsersConfig(json: string | unknown, audiences: AudienceConfig = defaultAudiences()): UsersConfig {
  let value: unknown = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new UsersConfigError(`users config is not JSON: ${(error as Error).message}`);
    }
  }
  const parsed = UsersConfigSchema.safeParse(value);
  if (!parsed.success) {
    throw new UsersConfigError(
      `users config: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(config)'}: ${issue.message}`).join('; ')}`,
    );
  }
  const problems: string[] = [];
  const known = new Set(audiences.audiences.map((audience) => audience.id));
  const names = new Set<string>();
  const hashes = new Set<string>();
  parsed.data.users.forEach((user, index) => {
    if (!known.has(user.audience))
      problems.push(
        `users.${index}.audience: unknown audience ${JSON.stringify(user.audience)} (audiences: ${[...known].join(', ')})`,
      );
    if (names.has(user.name)) problems.push(`users.${index}.name: duplicate user ${JSON.stringify(user.name)}`);
    if (hashes.has(user.token_sha256))
      problems.push(`users.${index}.token_sha256: the same token is given to another user`);
    names.add(user.name);
    hashes.add(user.token_sha256);
  });
  if (problems.length > 0) throw new UsersConfigError(`users config: ${problems.join('; ')}`);
  return parsed.data;
}

/** Reads and validates a users config file. */
export async function loadUsersConfig(path: string, audiences?: AudienceConfig): Promise<UsersConfig> {
  return parseUsersConfig(await readFile(path, 'utf8'), audiences);
}

/** Hex SHA-256 of a token, as the config stores it. */
export function tokenSha256(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new token (32 random bytes, base64url) and the hash to put in the config. */
export function newToken(): { token: string; token_sha256: string } {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  return { token, token_sha256: tokenSha256(token) };
}

function digestOf(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

function sameDigest(a: Buffer, hex: string): boolean {
  const b = Buffer.from(hex, 'hex');
  return b.length === a.length && timingSafeEqual(a, b);
}

/** A hash no token has: compared against when the user is unknown, so the time taken does not tell. */
const NO_USER_HASH = '0'.repeat(64);

/** Resolves the users of a config against the audiences. */
export class UserDirectory {
  private readonly entries: { entry: UserEntry; audience: Audience }[];

  constructor(config: UsersConfig, audiences: AudienceConfig = defaultAudiences()) {
    const checked = parseUsersConfig(config, audiences);
    this.entries = checked.users.map((entry) => {
      const audience = audiences.audiences.find((candidate) => candidate.id === entry.audience)!;
      return { entry, audience };
    });
  }

  private toUser(found: { entry: UserEntry; audience: Audience }): ServerUser {
    return { name: found.entry.name, audience: found.audience, justification: found.entry.justification };
  }

  /** The user if `token` is theirs; undefined for any failure (unknown user, wrong token, bad input). */
  login(name: unknown, token: unknown): ServerUser | undefined {
    if (typeof name !== 'string' || typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH)
      return undefined;
    const digest = digestOf(token);
    const found = this.entries.find((candidate) => candidate.entry.name === name);
    const ok = sameDigest(digest, found?.entry.token_sha256 ?? NO_USER_HASH);
    return ok && found !== undefined ? this.toUser(found) : undefined;
  }

  /** The user of this name, or undefined: for the audit of a failed login, which names a user only if the config holds them. */
  byName(name: unknown): ServerUser | undefined {
    if (typeof name !== 'string') return undefined;
    const found = this.entries.find((candidate) => candidate.entry.name === name);
    return found === undefined ? undefined : this.toUser(found);
  }

  /** The user whose token this is (for `Authorization: Bearer`); every entry is compared, in constant time each. */
  byToken(token: unknown): ServerUser | undefined {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return undefined;
    const digest = digestOf(token);
    let match: { entry: UserEntry; audience: Audience } | undefined;
    for (const candidate of this.entries) {
      if (sameDigest(digest, candidate.entry.token_sha256) && match === undefined) match = candidate;
    }
    return match === undefined ? undefined : this.toUser(match);
  }
}
