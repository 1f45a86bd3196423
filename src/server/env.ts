import { z } from 'zod';
import { siteBrandingSchema } from '../core/schemas/site.js';
import { parseDuration, parseDurations } from './events/deliverer.js';

const port = z.coerce.number().int().min(0).max(65535);
const bool = z.enum(['1', '0', 'true', 'false', 'on', 'off', 'yes', 'no']).transform((v) => ['1', 'true', 'on', 'yes'].includes(v));
const duration = z.string().transform((s, ctx) => {
  try {
    return parseDuration(s.trim());
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
    return z.NEVER;
  }
});
const durations = z.string().transform((s, ctx) => {
  try {
    return parseDurations(s);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `${(e as Error).message} (a comma-separated list)` });
    return z.NEVER;
  }
});
const origin = z.string().refine((o) => {
  try {
    const u = new URL(o);
    return u.origin === o;
  } catch {
    return false;
  }
}, 'must be origins such as https://shop.example (scheme, host and optional port; no path)');

/** The backend's environment (DESIGN.md, "Running it"), parsed at start: a bad value stops it with its name. */
export const envSchema = z.object({
  PORT: port.default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  PAYLIT_DATA_DIR: z.string().min(1).default('.paylit'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  /** The PostgreSQL schema of the backend's tables (created if missing), to share one database with other programs. */
  PAYLIT_DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lowercase SQL name such as paylit').optional(),
  PAYLIT_SITE: z.string().regex(/^[a-z0-9][a-z0-9-]{0,49}$/, 'must be lowercase letters, digits and dashes').default('paylit-demo'),
  /** Whom customers pay: the name (and optional logo and accent) at the top of the checkout and the portal. */
  PAYLIT_SITE_NAME: z.string().optional(),
  PAYLIT_SITE_LOGO_URL: z.string().optional(),
  PAYLIT_SITE_ACCENT: z.string().optional(),
  PAYLIT_API_KEY: z.string().min(16, 'must be at least 16 characters').max(100).optional(),
  PAYLIT_PUBLISHABLE_KEY: z.string().min(16, 'must be at least 16 characters').max(100).optional(),
  PAYLIT_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(origin)),
  PAYLIT_WEBHOOK_URL: z.string().url().optional(),
  PAYLIT_WEBHOOK_USERNAME: z.string().optional(),
  PAYLIT_WEBHOOK_PASSWORD: z.string().optional(),
  /** Key of the Paylit-Signature header on deliveries to PAYLIT_WEBHOOK_URL. */
  PAYLIT_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Waits between webhook attempts: after the first failure, the second, ... (README, "Webhooks"). */
  PAYLIT_WEBHOOK_RETRY_SCHEDULE: durations.prefault(['1m', '5m', '30m', '2h', '6h', '12h', '24h'].join(',')),
  PAYLIT_WEBHOOK_TIMEOUT: duration.prefault('10s'),
  PAYLIT_WEBHOOK_POLL: duration.prefault('1s'),
  /** How often the scheduler runs renewals, trial ends and dunning retries; 0s turns it off. */
  PAYLIT_SCHEDULER_INTERVAL: duration.prefault('30s'),
  /** How long a request holds its idempotency key before a retry of it may take over (a crashed instance). */
  PAYLIT_IDEMPOTENCY_LOCK_TIMEOUT: duration.prefault('30s'),
  /** Fault tests only: a checkout submit waits this long before it commits. */
  PAYLIT_TEST_HOLD_SUBMIT: duration.optional(),
  /** Fault tests only: a keyed write waits this long after its work and answer have committed, before answering. */
  PAYLIT_TEST_HOLD_ANSWER: duration.optional(),
  PAYLIT_SEED_DEMO: bool.default(true),
  /** What the portal lets customers do (README, "The portal"); unset keeps what the site has (POST /api/v2/site). */
  PAYLIT_PORTAL_CANCEL: z.enum(['end_of_term', 'immediately', 'off']).optional(),
  PAYLIT_PORTAL_CHANGE: z.enum(['immediately', 'end_of_term', 'either', 'off']).optional(),
  PAYLIT_PORTAL_REACTIVATE: bool.optional(),
  /** Requests per minute per key on browser routes. */
  PAYLIT_BROWSER_RATE_LIMIT: z.coerce.number().int().min(1).default(300),
  /** The backend's address as browsers reach it (behind a proxy); hosted-page and portal URLs start with it. */
  PAYLIT_PUBLIC_URL: origin.optional(),
  /**
   * Backdating a reactivation (reactivate_from in the past) is allowed only up to this day of the month: the day by
   * which the previous month's accounting is closed. 31 allows it on every day.
   */
  PAYLIT_BACKDATING_DAY_LIMIT: z.coerce.number().int().min(1).max(31).default(31),
});
export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty strings mean "not set", as in most shells' `FOO= cmd`.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(cleaned);
  const lines = result.success ? [] : result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  // The branding is checked with the core's schema, the one the API uses.
  const b = siteBrandingSchema.shape;
  for (const [name, schema] of [['PAYLIT_SITE_NAME', b.display_name], ['PAYLIT_SITE_LOGO_URL', b.logo_url], ['PAYLIT_SITE_ACCENT', b.accent_color]] as const) {
    const r = cleaned[name] === undefined ? undefined : schema.safeParse(cleaned[name]);
    if (r && !r.success) lines.push(`  ${name}: ${r.error.issues[0]?.message ?? 'is not valid'}`);
  }
  if (!result.success || lines.length) throw new EnvError(`Bad environment:\n${lines.join('\n')}`);
  return result.data;
}
