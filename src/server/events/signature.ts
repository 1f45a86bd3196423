import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header a Paylit backend signs webhook deliveries with: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const SIGNATURE_HEADER = 'paylit-signature';

/** How old a signed delivery may be before it counts as a replay. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** HMAC-SHA256 over `${timestamp}.${body}`, hex. */
export function signature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${String(timestamp)}.${body}`).digest('hex');
}

/** The header value for a body signed at `timestamp`. */
export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `t=${String(timestamp)},v1=${signature(secret, timestamp, body)}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/**
 * Checks a `Paylit-Signature` header against the raw body: the HMAC must match (compared in constant time) and the
 * timestamp must be within `toleranceSeconds` of `now`, so a captured delivery cannot be replayed later.
 */
export function checkSignature(o: { header: string | undefined; body: string; secret: string; now: number; toleranceSeconds?: number }): SignatureCheck {
  if (!o.header) return { ok: false, reason: 'missing Paylit-Signature header' };
  let t: number | undefined;
  const given: string[] = [];
  for (const part of o.header.split(',')) {
    const [k, v] = part.trim().split('=', 2);
    if (k === 't' && v && /^\d{1,12}$/.test(v)) t = Number(v);
    else if (k === 'v1' && v && /^[0-9a-f]{64}$/.test(v)) given.push(v);
  }
  if (t === undefined || given.length === 0) return { ok: false, reason: 'malformed Paylit-Signature header (expected t=...,v1=...)' };
  const expected = Buffer.from(signature(o.secret, t, o.body), 'hex');
  if (!given.some((g) => timingSafeEqual(Buffer.from(g, 'hex'), expected))) return { ok: false, reason: 'signature does not match the body' };
  const tolerance = o.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(o.now - t) > tolerance) return { ok: false, reason: `timestamp is more than ${String(tolerance)} s away from now (a replay?)` };
  return { ok: true };
}
