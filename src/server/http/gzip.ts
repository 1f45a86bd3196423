import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gz = promisify(gzip);

/**
 * The built files, gzipped once per content (level 9, as test/size.mjs counts them): the hosted pages' chunks and the
 * script tag would otherwise go out at three times their budgeted size. A file rebuilt under the same name is
 * compressed again, since the cache is keyed by its bytes.
 */
export function gzipCache(): (name: string, body: Uint8Array<ArrayBuffer>) => Promise<Uint8Array<ArrayBuffer>> {
  const cache = new Map<string, { raw: Uint8Array; gzipped: Promise<Uint8Array<ArrayBuffer>> }>();
  return (name, body) => {
    let hit = cache.get(name);
    if (!hit || !Buffer.from(hit.raw.buffer, hit.raw.byteOffset, hit.raw.byteLength).equals(body)) {
      cache.set(name, (hit = { raw: body, gzipped: gz(body, { level: 9 }).then((b) => new Uint8Array(b)) }));
    }
    return hit.gzipped;
  };
}

/** Whether the request takes gzip (every browser says so; `gzip;q=0` refuses it). */
export const acceptsGzip = (header: string | undefined) => /(^|,)\s*gzip\s*(,|;\s*q=(?!0(\.0*)?\s*(,|$))|$)/i.test(header ?? '');
