/**
 * The served mode: `ocgnet view` opens the page with `#token=…`; otherwise the
 * analyst logs in, optionally giving a reason. Either way the server sets a
 * session cookie (POST /api/login {user, token[, reason]}) and the bundle
 * comes from GET /api/bundle. The token is removed from the address bar as
 * soon as it is read. Where the server audits (`/api/me` says `audited`),
 * each ego or path view is recorded (POST /api/consultation) before it is shown.
 */
import { COMPACT_BUNDLE_MEDIA_TYPE, decodeCompactBundle, parseViewerBundle, type ViewerBundle } from '@ocgnet/bundle';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Reads and clears `#token=…&user=…` from the address. */
export function takeHashCredentials(): { user: string; token: string } | null {
  const hash = window.location.hash.replace(/^#/, '');
  if (hash === '') return null;
  const params = new URLSearchParams(hash);
  const token = params.get('token');
  if (!token) return null;
  history.replaceState(null, '', window.location.pathname + window.location.search);
  // `ocgnet view` names its one user "local"; a served link may name another with #user=…
  return { user: params.get('user') ?? 'local', token };
}

/**
 * Logs in. `reason` is the user's own words for this session: the server records it beside the
 * justification configured for the user, on every event of the session, never instead of it.
 */
export async function login(user: string, token: string, reason?: string): Promise<void> {
  const response = await fetch('/api/login', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      user,
      token,
      ...(reason !== undefined && reason.trim() !== '' ? { reason: reason.trim() } : {}),
    }),
  });
  await response.text().catch(() => '');
  if (!response.ok)
    throw new ApiError(
      response.status,
      response.status === 401 || response.status === 403 ? 'login refused' : `login failed (${response.status})`,
    );
}

/**
 * The served bundle; 'login' when a server is there but wants a session (401/403);
 * null when there is no server (a static copy of the viewer).
 */
export async function fetchBundle(): Promise<ViewerBundle | 'login' | null> {
  let response: Response;
  try {
    // The compact form (columns, about a third smaller compressed); a server that predates it answers JSON.
    response = await fetch('/api/bundle?format=compact', {
      credentials: 'same-origin',
      headers: { accept: `${COMPACT_BUNDLE_MEDIA_TYPE}, application/json;q=0.5` },
    });
  } catch {
    return null;
  }
  // Error bodies are read to the end too (a short JSON message), so no response is left half-open.
  if (response.status === 401 || response.status === 403 || response.status === 404) {
    await response.text().catch(() => '');
    return response.status === 404 ? null : 'login';
  }
  if (!response.ok) throw new ApiError(response.status, `the server could not give the bundle (${response.status})`);
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return null;
  const body: unknown = await response.json();
  return type.includes(COMPACT_BUNDLE_MEDIA_TYPE) ? decodeCompactBundle(body) : parseViewerBundle(body);
}

export interface Me {
  user: string;
  audience: string;
  /** Whether this server can make partnership profiles (false for `ocgnet view` of a file, which has no store). */
  profiles: boolean;
  /** Whether this server records consultations (ego and path views) in a store's audit trail. */
  audited: boolean;
}

/** Who the session is, and what the server offers; null without a session or a server. */
export async function fetchMe(): Promise<Me | null> {
  try {
    const response = await fetch('/api/me', { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (!response.ok || !(response.headers.get('content-type') ?? '').includes('json')) return null;
    const body = (await response.json()) as Record<string, unknown>;
    return {
      user: String(body.user ?? ''),
      audience: String(body.audience ?? ''),
      profiles: body.profiles === true,
      audited: body.audited === true,
    };
  } catch {
    return null;
  }
}

/** Same-origin address of a nominal's partnership profile. */
export function profileUrl(node: string, kind = 'person', format: 'html' | 'json' = 'html'): string {
  return `/api/profile?subject=${encodeURIComponent(`${kind}:${node}`)}&format=${format}`;
}

/** An ego or path view, as `POST /api/consultation` takes it. */
/**
 * A nominal's served profile (HTML), for download. Refused or unreachable, it throws an
 * ApiError whose message says why, for the page to show: a download never fails silently.
 */
export async function fetchProfileHtml(node: string): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(profileUrl(node), { credentials: 'same-origin' });
  } catch (error) {
    throw new ApiError(
      0,
      `the profile could not be downloaded: no answer from the server (${(error as Error).message})`,
    );
  }
  if (!response.ok) {
    const body = await response.text().catch(() => '');
    let reason = '';
    try {
      const parsed: unknown = JSON.parse(body);
      const said = (parsed as { error?: unknown } | null)?.error;
      if (typeof said === 'string') reason = `: ${said.slice(0, 200)}`;
    } catch {
      // Not JSON (an HTML error page): the status says enough.
    }
    throw new ApiError(response.status, `the profile could not be downloaded (${response.status}${reason})`);
  }
  try {
    return await response.blob();
  } catch (error) {
    throw new ApiError(
      response.status,
      `the profile could not be downloaded: the answer broke off (${(error as Error).message})`,
    );
  }
}

export type Consultation =
  { view: 'ego'; node: string; kind: string; radius: number } | { view: 'path'; from: string; to: string };

/** Has the server record one consultation; resolves once it is in the audit trail, throws ApiError otherwise. */
export async function recordConsultation(consultation: Consultation): Promise<void> {
  const response = await fetch('/api/consultation', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(consultation),
  });
  await response.text().catch(() => '');
  if (!response.ok)
    throw new ApiError(
      response.status,
      `the server did not record this consultation (${response.status}), so it is not shown`,
    );
}

/** Ends the served session (POST /api/logout): the server forgets it and clears the cookie. */
export async function logout(): Promise<void> {
  const response = await fetch('/api/logout', { method: 'POST', credentials: 'same-origin' });
  await response.text().catch(() => '');
  if (!response.ok) throw new ApiError(response.status, `logout failed (${response.status})`);
}
