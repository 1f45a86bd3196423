import type { Context, Next } from 'hono';
import { PaylitError } from '../../core/errors.js';
import type { StoredHostedPage, PortalSession } from '../billing/records.js';
import type { Deps } from '../context.js';
import { unauthorized } from '../errors.js';
import type { Services } from '../services.js';
import { safeEqual, sha256 } from '../tokens.js';
import { RateLimiter } from './rate-limit.js';

/**
 * The publishable key from `X-Paylit-Publishable-Key`, HTTP Basic (key as user name), or the query's `key` (as the
 * loader sends it, with no header, so that its drop-in checkout needs no CORS preflight; the key is public).
 */
function publishableKey(c: Context): string | undefined {
  const header = c.req.header('x-paylit-publishable-key');
  if (header) return header;
  const auth = c.req.header('authorization');
  if (auth?.startsWith('Basic ')) return Buffer.from(auth.slice(6), 'base64').toString().split(':')[0];
  return c.req.query('key');
}

/**
 * Who may call a browser route, never with the secret key: the publishable key (the catalog, drop-in checkouts), a
 * hosted page's own token, or a portal session's key; CORS for the site's allowed origins; each key rate-limited.
 */
export class BrowserAccess {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly d: Deps,
    private readonly s: Services,
  ) {
    this.limiter = new RateLimiter(d.browserRateLimit);
  }

  limit(key: string): void {
    const wait = this.limiter.take(key);
    if (wait > 0) throw new PaylitError('api_request_limit_exceeded', 'Too many requests; slow down', [], { retry_after: wait });
  }

  /** Whether the request comes from the backend's own pages (the checkout iframe, the portal, the card frame). */
  private foreign(c: Context): string | undefined {
    const origin = c.req.header('origin');
    return origin !== undefined && origin !== new URL(c.req.url).origin && origin !== this.d.publicUrl ? origin : undefined;
  }

  /** The backend's own pages are always allowed; other origins only if listed. */
  readonly cors = async (c: Context, next: Next) => {
    const origin = this.foreign(c);
    if (origin !== undefined) {
      // Readable by that origin, the refusal included: the developer of a page not allowed reads why (a request the
      // browser sent without a preflight, such as the loader's drop-in checkout, reaches here), and learns nothing else.
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Vary', 'Origin');
      if (!this.d.allowedOrigins.includes(origin)) throw new PaylitError('origin_not_allowed', `The origin ${origin} is not in this site's allowed origins (PAYLIT_ALLOWED_ORIGINS): add it there and restart the backend`);
    }
    if (c.req.method === 'OPTIONS') {
      c.header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      c.header('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Paylit-Publishable-Key, X-Paylit-Hosted-Page-Token, X-Paylit-Portal-Key, Chargebee-Idempotency-Key');
      c.header('Access-Control-Max-Age', '600');
      return c.body(null, 204);
    }
    await next();
  };

  /** Middleware: the publishable key, or a 401. */
  readonly publishable = async (c: Context, next: Next) => {
    this.checkPublishable(c, 'Sorry, authentication failed. Invalid publishable key');
    await next();
  };

  checkPublishable(c: Context, message: string): void {
    const key = publishableKey(c);
    if (!key || !safeEqual(key, this.d.site.publishable_key)) throw unauthorized(message);
    this.limit(key);
  }

  /** The hosted page a request names, for its token. */
  async page(c: Context, id = c.req.param('id') ?? ''): Promise<StoredHostedPage> {
    this.limit(`hp:${id}`);
    return this.s.checkout.authorise(this.d.storage.db, id, c.req.header('x-paylit-hosted-page-token'));
  }

  /** The portal session of the request's portal key. */
  async session(c: Context): Promise<PortalSession> {
    const key = c.req.header('x-paylit-portal-key');
    if (!key) throw unauthorized('Sign in to the portal again: the portal key is missing.');
    this.limit(`pk:${sha256(key).slice(0, 16)}`);
    return this.s.portal.authorise(this.d.storage.db, key);
  }

  /** Card details may come only from the backend's own pages: a merchant's page never sees them. */
  ownOrigin(c: Context): void {
    if (this.foreign(c) !== undefined) throw new PaylitError('origin_not_allowed', "Card details can be sent only from Paylit's card frame.");
  }
}
