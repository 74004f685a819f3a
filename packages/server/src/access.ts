/**
 * Access control's own audit: logins that failed and requests refused
 * (401, 403, 429), written to the store's audit chain without letting an
 * attacker flood it.
 *
 * Each distinct refusal (action, who, route, status, cause, address) is
 * written at once, as an event with `detail.count` 1, while the window's
 * budget of immediate events lasts (default 30 a minute). Repeats of a
 * refusal already written, and refusals past the budget, are only counted;
 * when the window ends (or the server closes) each count becomes one summary
 * event (`detail.summary` true, `count`, `first`, `last`). Past a cap of
 * distinct counts per window (default 100), everything else is counted in one
 * overflow summary with `who`, `subject` and `address` "(various)". So a
 * flood of any size writes at most budget + cap + 1 events a window, and
 * every refusal is still counted.
 *
 * Never recorded: a token, a session id, or a user name the users config does
 * not hold (the caller passes a placeholder for those).
 */
import { normalizeIP } from '@fastify/rate-limit';
import type { AuditEvent } from '@ocgnet/audit';

/** The key of a client address in rate limits and the audit: IPv4 as is, IPv4-mapped IPv6 as IPv4, other IPv6 as its /64. */
export function addressKey(ip: string): string {
  return normalizeIP(ip, 64);
}

/** `who` of an access event whose user is not known (never the text a client sent). */
export const UNKNOWN_USER = '(unknown user)';
/** `audience` of an access event whose user is not known. */
export const NO_AUDIENCE = '(none)';
/** `justification` of an access event no configured purpose applies to (a refused or failed attempt). */
export const ACCESS_CONTROL = 'access control: attempt refused, no purpose applies';
const VARIOUS = '(various)';

/** One refusal, as the server saw it. */
export interface AccessRefusal {
  action: 'login-failed' | 'refused';
  who: string;
  audience: string;
  justification: string;
  /** The route (`/api/bundle`), never the raw URL with its query. */
  route: string;
  status: number;
  /** A fixed word for why: `unknown-user`, `wrong-token`, `no-credentials`, `bad-bearer-token`, `rate-limited`, `auth-failures`… */
  cause: string;
  /** {@link addressKey} of the client. */
  address: string;
}

export interface AccessAuditOptions {
  /** Appends one event to the audit chain. */
  write(event: AuditEvent): Promise<void>;
  /** Called when a write fails: a refusal is still refused, its event is lost. */
  onError?(error: unknown): void;
  /** SHA-256 of the audiences configuration in force. */
  audiences?: string;
  /** Events written at once per window. Default 30. */
  immediatePerWindow?: number;
  /** Distinct refusals counted per window before the overflow summary. Default 100. */
  countedPerWindow?: number;
  /** Default one minute. */
  windowMs?: number;
}

interface Counted {
  refusal: AccessRefusal;
  count: number;
  first: number;
  last: number;
}

/** Aggregates refusals into a bounded number of audit events a window; see the module comment. */
export class AccessAudit {
  readonly #options: AccessAuditOptions;
  readonly #immediate: number;
  readonly #countedCap: number;
  #written = 0;
  /** Refusals written at once this window: their repeats are counted. */
  readonly #seen = new Set<string>();
  readonly #counted = new Map<string, Counted>();
  #overflow: Counted | undefined;
  readonly #timer: NodeJS.Timeout;
  #flushing: Promise<void> = Promise.resolve();

  constructor(options: AccessAuditOptions) {
    this.#options = options;
    this.#immediate = options.immediatePerWindow ?? 30;
    this.#countedCap = options.countedPerWindow ?? 100;
    this.#timer = setInterval(() => void this.flush(), options.windowMs ?? 60_000);
    this.#timer.unref();
  }

  /** Records one refusal: written now, or counted for the window's summaries. */
  async record(refusal: AccessRefusal): Promise<void> {
    const key = JSON.stringify([
      refusal.action,
      refusal.who,
      refusal.route,
      refusal.status,
      refusal.cause,
      refusal.address,
    ]);
    const now = Date.now();
    if (!this.#seen.has(key) && this.#written < this.#immediate) {
      this.#seen.add(key);
      this.#written++;
      await this.#write(refusal, { count: 1 }, now);
      return;
    }
    let slot = this.#counted.get(key);
    if (slot === undefined && this.#counted.size < this.#countedCap) {
      slot = { refusal, count: 0, first: now, last: now };
      this.#counted.set(key, slot);
    }
    if (slot === undefined) {
      this.#overflow ??= {
        refusal: {
          ...refusal,
          who: VARIOUS,
          audience: NO_AUDIENCE,
          justification: ACCESS_CONTROL,
          route: VARIOUS,
          cause: 'overflow',
          address: VARIOUS,
          status: 0,
        },
        count: 0,
        first: now,
        last: now,
      };
      slot = this.#overflow;
    }
    slot.count++;
    slot.last = now;
  }

  /** Writes the window's summaries and starts a new window. */
  flush(): Promise<void> {
    const counted = [...this.#counted.values(), ...(this.#overflow ? [this.#overflow] : [])];
    this.#counted.clear();
    this.#seen.clear();
    this.#overflow = undefined;
    this.#written = 0;
    this.#flushing = this.#flushing.then(async () => {
      for (const slot of counted) {
        const detail = {
          count: slot.count,
          summary: true,
          first: new Date(slot.first).toISOString(),
          last: new Date(slot.last).toISOString(),
        };
        await this.#write(slot.refusal, detail, Date.now());
      }
    });
    return this.#flushing;
  }

  /** Stops the window timer and writes what is counted. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }

  async #write(refusal: AccessRefusal, detail: NonNullable<AuditEvent['detail']>, at: number): Promise<void> {
    const event: AuditEvent = {
      action: refusal.action,
      who: refusal.who,
      at: new Date(at).toISOString(),
      audience: refusal.audience,
      subject: refusal.route,
      justification: refusal.justification,
      outcome: refusal.action === 'login-failed' ? 'failed' : 'refused',
      recipients: [],
      detail: {
        ...detail,
        ...(refusal.status > 0 ? { status: refusal.status } : {}),
        cause: refusal.cause,
        address: refusal.address,
      },
    };
    if (this.#options.audiences !== undefined) event.audiences = this.#options.audiences;
    try {
      await this.#options.write(event);
    } catch (error) {
      this.#options.onError?.(error);
    }
  }
}
