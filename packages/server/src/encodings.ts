/**
 * Compressed answers: a bundle is compressed once, when it is built, in both
 * encodings browsers take (brotli and gzip); each request only picks one by
 * its Accept-Encoding. A client that accepts neither gets the bytes
 * decompressed from gzip (scripted clients; rare, and cheap next to a build).
 */
import { promisify } from 'node:util';
import { brotliCompress, constants, gunzip, gzip } from 'node:zlib';

export type ContentEncoding = 'br' | 'gzip' | 'identity';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** A body in the encodings kept: gzip and brotli (quality 9: 2 s on 28 MB, 11 takes a minute). */
export interface Compressed {
  gzip: Buffer;
  br: Buffer;
}

/** Compresses on libuv's thread pool, so the server keeps answering meanwhile. */
export async function compressBoth(body: string | Buffer): Promise<Compressed> {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const [gz, br] = await Promise.all([
    gzipAsync(bytes, { level: 6 }),
    brotli(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }),
  ]);
  return { gzip: gz, br };
}

export function decompressGzip(bytes: Buffer): Promise<Buffer> {
  return gunzipAsync(bytes);
}

/** The q-value each coding gets in an Accept-Encoding header (RFC 9110 §12.5.3); `*` covers the rest. */
function qualities(header: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...parameters] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    let q = 1;
    for (const parameter of parameters) {
      const match = /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(parameter);
      if (match) q = Number(match[1]);
    }
    if (Number.isFinite(q)) found.set(name.trim(), q);
  }
  return found;
}

/** The encoding to send: brotli, then gzip, when the client accepts it; identity otherwise. */
export function chooseEncoding(acceptEncoding: string | undefined): ContentEncoding {
  if (acceptEncoding === undefined) return 'identity';
  const q = qualities(acceptEncoding);
  const accepted = (name: string) => (q.get(name) ?? q.get('*') ?? 0) > 0;
  if (accepted('br')) return 'br';
  if (accepted('gzip')) return 'gzip';
  return 'identity';
}
