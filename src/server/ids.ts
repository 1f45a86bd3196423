import { randomFillSync } from 'node:crypto';

// Ids and tokens come from one buffer of the CSPRNG's bytes, refilled when used up: one call into the system's
// generator per 4 KB rather than one per id. Each byte is handed out once.
const pool = Buffer.allocUnsafe(4096);
let used = pool.length;

/** `n` fresh random bytes as base64url text. */
export function randomText(n: number): string {
  if (used + n > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const s = pool.toString('base64url', used, used + n);
  used += n;
  return s;
}

/** 16 characters of randomness, letters and digits only (an id's part). */
const random16 = () => randomText(12).replace(/[-_]/g, 'x');

/** An unguessable resource id: prefix, then 16 characters of randomness. */
export const newId = (prefix: string) => `${prefix}_${random16()}`;

/**
 * An id that also sorts by when it was made: prefix, the milliseconds since 1970 in 9 base-36 digits (lowercase and
 * digits only, so every collation sorts them as numbers), then the 16 random characters of `newId`. For a table that
 * takes many new rows a second keyed by id (hosted pages): a random key lands each insert on another leaf of the
 * primary key's B-tree, and each commit writes every leaf it touched (SQLite's WAL; PostgreSQL's WAL and its full-page
 * images); keys in time order land together on the rightmost leaves. As unguessable as `newId` (the same 16 random
 * characters); it tells when it was made, as the record's created_at does.
 */
export const newOrderedId = (prefix: string) => `${prefix}_${Date.now().toString(36).padStart(9, '0')}${random16()}`;
