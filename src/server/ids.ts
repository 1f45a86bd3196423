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

/** An unguessable resource id: prefix, then 16 characters of randomness. */
export const newId = (prefix: string) => `${prefix}_${randomText(12).replace(/[-_]/g, 'x')}`;
