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
/**
 * The origin meant by a value without its scheme (`shop.example`, `localhost:3000/`), as a suggestion: http for a
 * machine's own names (what a dev server serves), https for the rest. Empty when the value is not such a host.
 */
function withScheme(o: string): string {
  if (o.includes('://')) return '';
  try {
    const local = /^(localhost|127\.|\[::1\])/.test(o);
    const u = new URL(`${local ? 'http' : 'https'}://${o}`);
    return u.hostname.includes('.') || local ? `: did you mean ${u.origin}?` : '';
  } catch {
    return '';
  }
}
/**
 * An origin as the address bar shows it; a wrong one is named, with what to change when that is clear: a separator
 * that is not a comma, a trailing slash or path to drop, capitals to write small, a scheme to add.
 */
const origin = z.string().superRefine((o, ctx) => {
  let u: URL | undefined;
  try {
    u = new URL(o);
  } catch {
    // not a URL at all
  }
  if (u?.origin === o) return;
  const rest = u && u.origin !== 'null' && o.startsWith(u.origin) ? o.slice(u.origin.length) : undefined;
  const fix =
    /^https?:\/\/[^;\s]+([;\s]+https?:\/\/[^;\s]+)+$/i.test(o) ? ': separate origins with commas'
    : rest === '/' ? ': drop the trailing "/"'
    : rest ? `: drop "${rest}"`
    : u && u.origin !== 'null' && u.origin === o.toLowerCase() ? `: write it as ${u.origin}`
    : withScheme(o);
  ctx.addIssue({ code: 'custom', message: `${JSON.stringify(o)} is not an origin such as https://shop.example (scheme, host and optional port; no path)${fix}` });
});

/**
 * What `paylit-server --help` prints of a variable (README, "Environment"): `description` is its meaning in one line;
 * `unset` says what happens when it is not set, for a variable without a default in the schema. A default in the
 * schema (`.default`, `.prefault`) is printed as it is, so the help cannot drift from what `parseEnv` does.
 */
const help = (description: string, unset?: string) => ({ description, ...(unset !== undefined && { unset }) });

/** The backend's environment (DESIGN.md, "Running it"), parsed at start: a bad value stops it with its name. */
export const envSchema = z.object({
  PORT: port.default(8787).meta(help('the HTTP port (0 picks a free one)')),
  HOST: z.string().min(1).default('127.0.0.1').meta(help('the interface to listen on (0.0.0.0: every interface)')),
  PAYLIT_DATA_DIR: z.string().min(1).default('.paylit').meta(help('where the SQLite file lives')),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional().meta(help('postgres://...: PostgreSQL instead of SQLite (needs the pg package)', 'SQLite in PAYLIT_DATA_DIR')),
  PAYLIT_DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lowercase SQL name such as paylit')
    .optional()
    .meta(help("the PostgreSQL schema of the backend's tables (created if missing), to share one database", 'public')),
  PAYLIT_SITE: z.string().regex(/^[a-z0-9][a-z0-9-]{0,49}$/, 'must be lowercase letters, digits and dashes').default('paylit-demo').meta(help("the site's id (the SDK's site, the script tag's data-paylit-site)")),
  PAYLIT_SITE_NAME: z.string().optional().meta(help('whom customers pay, at the top of the checkout and the portal (1-100 characters)', "the site's id")),
  PAYLIT_SITE_LOGO_URL: z.string().optional().meta(help('an https logo beside the name', 'none')),
  PAYLIT_SITE_ACCENT: z.string().optional().meta(help('a #rrggbb accent colour for the checkout and the portal', 'none')),
  PAYLIT_API_KEY: z.string().min(16, 'must be at least 16 characters').max(100).optional().meta(help('the secret key (merchant servers only); when given, the site is set to exactly it', 'generated once, kept')),
  PAYLIT_PUBLISHABLE_KEY: z.string().min(16, 'must be at least 16 characters').max(100).optional().meta(help('the publishable key (browsers); when given, the site is set to exactly it', 'generated once, kept')),
  PAYLIT_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(origin))
    .meta(help('the origins of the pages that may embed the checkout and the portal, comma-separated: https://shop.example,http://localhost:3000', "none: only the backend's own")),
  PAYLIT_WEBHOOK_URL: z.string().url().optional().meta(help('an endpoint that receives every event', 'none')),
  PAYLIT_WEBHOOK_USERNAME: z.string().optional().meta(help('HTTP Basic user name for PAYLIT_WEBHOOK_URL', 'no Basic auth')),
  PAYLIT_WEBHOOK_PASSWORD: z.string().optional().meta(help('HTTP Basic password for PAYLIT_WEBHOOK_URL', 'none')),
  /** Key of the Paylit-Signature header on deliveries to PAYLIT_WEBHOOK_URL. */
  PAYLIT_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional().meta(help('signs deliveries to PAYLIT_WEBHOOK_URL (Paylit-Signature); at least 16 characters', 'unsigned')),
  /** Waits between webhook attempts: after the first failure, the second, ... (README, "Webhooks"). */
  PAYLIT_WEBHOOK_RETRY_SCHEDULE: durations.prefault(['1m', '5m', '30m', '2h', '6h', '12h', '24h'].join(',')).meta(help('the wait after each failed webhook attempt (ms, s, m, h, d); its length + 1 attempts in all')),
  PAYLIT_WEBHOOK_TIMEOUT: duration.prefault('10s').meta(help('an endpoint that has not answered by then has failed that attempt')),
  PAYLIT_WEBHOOK_POLL: duration.prefault('1s').meta(help('how often the deliverer looks for due deliveries when no write wakes it')),
  /** How often the scheduler runs renewals, trial ends and dunning retries; 0s turns it off. */
  PAYLIT_SCHEDULER_INTERVAL: duration.prefault('30s').meta(help('how often renewals, trial ends, scheduled changes and dunning retries run (0s: never)')),
  /** How long a request holds its idempotency key before a retry of it may take over (a crashed instance). */
  PAYLIT_IDEMPOTENCY_LOCK_TIMEOUT: duration.prefault('30s').meta(help('how long a request holds its idempotency key before a retry may take over')),
  /** Fault tests only: a checkout submit waits this long before it commits. */
  PAYLIT_TEST_HOLD_SUBMIT: duration.optional().meta(help('fault tests only: a checkout submit waits this long before committing', 'no wait')),
  /** Fault tests only: a keyed write waits this long after its work and answer have committed, before answering. */
  PAYLIT_TEST_HOLD_ANSWER: duration.optional().meta(help('fault tests only: a keyed write waits this long after committing, before answering', 'no wait')),
  PAYLIT_SEED_DEMO: bool.default(true).meta(help('seed the demo catalog on an empty database (true/false)')),
  /** What the portal lets customers do (README, "The portal"); unset keeps what the site has (POST /api/v2/site). */
  PAYLIT_PORTAL_CANCEL: z.enum(['end_of_term', 'immediately', 'off']).optional().meta(help('what the portal\'s cancel does: end_of_term, immediately or off', "the site's setting (end_of_term at first)")),
  PAYLIT_PORTAL_CHANGE: z.enum(['immediately', 'end_of_term', 'either', 'off']).optional().meta(help('when a portal plan change applies: immediately, end_of_term, either or off', "the site's setting (immediately at first)")),
  PAYLIT_PORTAL_REACTIVATE: bool.optional().meta(help('whether the portal can reactivate a cancelled subscription (true/false)', "the site's setting (true at first)")),
  /** Requests per minute per key on browser routes. */
  PAYLIT_BROWSER_RATE_LIMIT: z.coerce.number().int().min(1).default(300).meta(help('requests per minute per publishable key on browser routes')),
  /** The backend's address as browsers reach it (behind a proxy); hosted-page and portal URLs start with it. */
  PAYLIT_PUBLIC_URL: origin.optional().meta(help('the backend\'s origin as browsers reach it (behind a proxy)', "the request's origin")),
  /**
   * Backdating a reactivation (reactivate_from in the past) is allowed only up to this day of the month: the day by
   * which the previous month's accounting is closed. 31 allows it on every day.
   */
  PAYLIT_BACKDATING_DAY_LIMIT: z.coerce.number().int().min(1).max(31).default(31).meta(help('the day of the month after which a reactivation can no longer be backdated')),
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

/** One variable as `paylit-server --help` prints it: its name, its default (or what unset means) and its meaning. */
export interface EnvVariable {
  readonly name: string;
  readonly default: string;
  readonly meaning: string;
}

/** The schema's default of a field, read from the schema itself (through a pipe to its input side). */
function defaultOf(schema: z.ZodType): unknown {
  const def = schema.def as { type: string; defaultValue?: unknown; in?: z.ZodType };
  if (def.type === 'default' || def.type === 'prefault') return def.defaultValue;
  if (def.type === 'pipe' && def.in) return defaultOf(def.in);
  return undefined;
}

/** Every variable of envSchema with its default and meaning, in the schema's order. */
export function envVariables(): EnvVariable[] {
  return Object.entries(envSchema.shape).map(([name, schema]) => {
    const meta = z.globalRegistry.get(schema) ?? {};
    const d = defaultOf(schema);
    const shown = d === undefined || d === '' ? (typeof meta.unset === 'string' ? meta.unset : 'none') : String(d);
    return { name, default: shown, meaning: meta.description ?? '' };
  });
}
