import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { checkSignature, DEFAULT_TOLERANCE_SECONDS, SIGNATURE_HEADER } from '../server/events/signature.js';

export { SIGNATURE_HEADER, signatureHeader } from '../server/events/signature.js';

/** A delivery that must not be processed; answer it with `status` (401). */
export class WebhookVerificationError extends Error {
  readonly status = 401;
}

/** The event as Paylit (and Chargebee) sends it. */
export const webhookEventSchema = z.looseObject({
  id: z.string().min(1).max(70),
  occurred_at: z.number().int(),
  event_type: z.string().min(1),
  api_version: z.string().optional(),
  source: z.string().optional(),
  content: z.record(z.string(), z.unknown()),
  object: z.literal('event').optional(),
});
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

export interface VerifyOptions {
  /** The raw body, exactly as received (the signature covers these bytes). */
  readonly body: string;
  readonly headers: HeaderBag;
  /** The endpoint's signing secret (`whsec_...`, or PAYLIT_WEBHOOK_SECRET). */
  readonly secret?: string | undefined;
  /** The endpoint's HTTP Basic credentials. */
  readonly basicAuth?: { readonly username: string; readonly password: string } | undefined;
  /** Signed deliveries older than this are replays (default 300 s). */
  readonly toleranceSeconds?: number | undefined;
  /** Unix seconds; defaults to the system clock. */
  readonly now?: number | undefined;
}

const header = (h: HeaderBag, name: string): string | undefined => {
  if (h instanceof Headers) return h.get(name) ?? undefined;
  const v = h[name] ?? h[name.toLowerCase()] ?? Object.entries(h).find(([k]) => k.toLowerCase() === name)?.[1];
  return Array.isArray(v) ? v[0] : v;
};

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Verifies a webhook delivery and returns its event. Every configured check must pass: the `Paylit-Signature`
 * header (HMAC-SHA256 over timestamp and body, refused when older than five minutes) when a secret is given, and
 * HTTP Basic when credentials are given. With neither configured it refuses rather than trust anyone.
 * Throws WebhookVerificationError (answer 401 and do not process).
 */
export function verifyWebhook(o: VerifyOptions): WebhookEvent {
  if (o.secret === undefined && o.basicAuth === undefined) throw new WebhookVerificationError('no webhook secret or Basic credentials configured');
  if (o.secret !== undefined) {
    const r = checkSignature({ header: header(o.headers, SIGNATURE_HEADER), body: o.body, secret: o.secret, now: o.now ?? Math.floor(Date.now() / 1000), toleranceSeconds: o.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS });
    if (!r.ok) throw new WebhookVerificationError(r.reason);
  }
  if (o.basicAuth !== undefined) {
    const auth = header(o.headers, 'authorization');
    if (!auth?.startsWith('Basic ')) throw new WebhookVerificationError('missing HTTP Basic credentials');
    const decoded = Buffer.from(auth.slice(6), 'base64').toString();
    const i = decoded.indexOf(':');
    const ok = i >= 0 && same(decoded.slice(0, i), o.basicAuth.username) && same(decoded.slice(i + 1), o.basicAuth.password);
    if (!ok) throw new WebhookVerificationError('wrong HTTP Basic credentials');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(o.body);
  } catch {
    throw new WebhookVerificationError('the body is not JSON');
  }
  const r = webhookEventSchema.safeParse(parsed);
  if (!r.success) throw new WebhookVerificationError(`not a webhook event: ${r.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
  return r.data;
}

/** The `v1` signatures of a Paylit-Signature header (to spot an exact replay of a delivery). */
export function signaturesOf(headers: HeaderBag): string[] {
  const h = header(headers, SIGNATURE_HEADER) ?? '';
  return h.split(',').map((p) => p.trim()).filter((p) => /^v1=[0-9a-f]{64}$/.test(p)).map((p) => p.slice(3));
}

export { header as readHeader };
export type { HeaderBag };
