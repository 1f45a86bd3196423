import * as z from 'zod/mini';
import {
  AdapterError, type BackendAdapter, type Catalog, catalogSchema, type CheckoutChoices, type HostedPageView, hostedPageViewSchema,
  type PaymentMethod, type PortalAddress, portalAddressSchema, type ServerEstimate, serverEstimateSchema, type SubmitResult, submitResultSchema,
  downloadSchema,
} from './adapter.js';
import { CardFrame } from './card-frame.js';
import { idempotencyKey } from './errors.js';

export { idempotencyKey };

export const httpAdapterOptions = z.object({
  /**
   * The backend's origin (and base path), such as `https://billing.example.com`. What `z.url()` checks (trimmed, then
   * parsed by the platform's URL parser; tabs and newlines dropped), without its string format in the browser's zod
   * chunk (0.4 KB gzip, which only this option used).
   */
  baseUrl: z.string().check(z.trim(), z.refine((u) => URL.canParse(u), 'must be a URL'), z.overwrite((u) => u.replace(/[\t\n\r]/g, ''))),
  publishableKey: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  /** A hosted page's token (from its URL fragment): reads, saves and submits that page. */
  hostedPageToken: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  /** A portal session's key (after activation): reads and saves the customer's sections. */
  portalKey: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  /** Each attempt's limit. */
  timeoutMs: z._default(z.int().check(z.minimum(1), z.maximum(120_000)), 10_000),
  /** How often a GET (or a keyed POST) is tried again after a network error, a timeout, a 5xx or a 429. */
  retries: z._default(z.int().check(z.minimum(0), z.maximum(10)), 3),
  /** The first retry's delay; each next one doubles, with jitter. */
  retryDelayMs: z._default(z.int().check(z.minimum(0), z.maximum(60_000)), 300),
});
export type HttpAdapterOptions = z.input<typeof httpAdapterOptions>;

const apiErrorSchema = z.looseObject({
  message: z.string(),
  api_error_code: z.optional(z.string()),
  param: z.optional(z.string()),
  decline_code: z.optional(z.string()),
  /** Paylit's: every field at fault with its own message (`message` names them for developers). */
  errors: z.optional(z.array(z.object({ param: z.string(), message: z.string() })).check(z.maxLength(250))),
});


const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason as Error)), { once: true });
  });

interface Request {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** POSTs are retried only with an idempotency key: the server then answers a repeat with the first answer. */
  idempotencyKey?: string | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * The real adapter: `fetch` with a timeout per attempt, GETs (and keyed POSTs) retried with backoff, answers parsed
 * with zod, API errors turned into `AdapterError`s that name their field.
 */
export class HttpAdapter implements BackendAdapter {
  readonly options: z.output<typeof httpAdapterOptions>;
  /** The backend's origin, for the card frame and for checking messages. */
  readonly origin: string;
  private readonly base: string;

  constructor(options: HttpAdapterOptions, private readonly fetchImpl: typeof fetch = (...a) => fetch(...a)) {
    const parsed = httpAdapterOptions.safeParse(options);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new TypeError(`HttpAdapter: option "${issue.path.join('.')}" ${issue.code === 'custom' ? issue.message : 'is invalid'}`);
    }
    this.options = parsed.data;
    this.base = parsed.data.baseUrl.replace(/\/+$/, '');
    this.origin = new URL(this.base).origin;
  }

  catalog(options: { currency?: string; signal?: AbortSignal } = {}): Promise<Catalog> {
    const q = options.currency ? `?currency_code=${encodeURIComponent(options.currency)}` : '';
    return this.call({ method: 'GET', path: `/api/browser/v2/catalog${q}`, headers: this.publishable(), signal: options.signal }, catalogSchema);
  }

  async estimate(cart: CheckoutChoices, options: { signal?: AbortSignal } = {}): Promise<ServerEstimate> {
    const r = await this.call(
      { method: 'POST', path: '/api/browser/v2/estimates/create_subscription', body: cart, headers: this.publishable(), idempotencyKey: idempotencyKey(), signal: options.signal },
      z.object({ estimate: serverEstimateSchema }),
    );
    return r.estimate;
  }

  readHostedPage(id: string, options: { signal?: AbortSignal } = {}): Promise<HostedPageView> {
    return this.call({ method: 'GET', path: `/api/browser/v2/hosted_pages/${encodeURIComponent(id)}`, headers: this.pageToken(), signal: options.signal }, hostedPageViewSchema);
  }

  saveHostedPage(id: string, choices: CheckoutChoices, options: { signal?: AbortSignal } = {}): Promise<HostedPageView> {
    return this.call(
      { method: 'POST', path: `/api/browser/v2/hosted_pages/${encodeURIComponent(id)}/save`, body: choices, headers: this.pageToken(), idempotencyKey: idempotencyKey(), signal: options.signal },
      hostedPageViewSchema,
    );
  }

  submitHostedPage(id: string, choices: CheckoutChoices, options: { idempotencyKey: string; cardToken?: string | undefined; signal?: AbortSignal }): Promise<SubmitResult> {
    const body = { ...choices, ...(options.cardToken !== undefined && { card_token: options.cardToken }) };
    return this.call(
      { method: 'POST', path: `/api/browser/v2/hosted_pages/${encodeURIComponent(id)}/submit`, body, headers: this.pageToken(), idempotencyKey: options.idempotencyKey, signal: options.signal },
      submitResultSchema,
    );
  }

  invoicePdf(id: string): Promise<string> {
    return this.call({ method: 'POST', path: `/api/browser/v2/hosted_pages/${encodeURIComponent(id)}/invoice_pdf`, headers: this.pageToken() }, downloadSchema).then((r) => r.download.download_url);
  }

  readPortalSection(section: 'address', options: { signal?: AbortSignal } = {}): Promise<PortalAddress> {
    return this.call({ method: 'GET', path: `/api/browser/v2/portal/${section}`, headers: this.portal(), signal: options.signal }, portalAddressSchema);
  }

  savePortalSection(section: 'address', data: { billing_address: PortalAddress['billing_address'] & object; shipping_address?: PortalAddress['shipping_address'] }, options: { signal?: AbortSignal } = {}): Promise<PortalAddress> {
    return this.call({ method: 'POST', path: `/api/browser/v2/portal/${section}`, body: data, headers: this.portal(), idempotencyKey: idempotencyKey(), signal: options.signal }, portalAddressSchema);
  }

  /** The backend's card frame, authorised by this page's token. Needs a DOM (and the page on the backend's origin). */
  paymentMethod(hostedPageId: string): PaymentMethod | undefined {
    const token = this.options.hostedPageToken;
    return token ? new CardFrame(this.base, { hostedPageId, token }) : undefined;
  }

  /** The card frame for the portal, authorised by the portal session's key (adding a card, paying with a new one). */
  portalPaymentMethod(): PaymentMethod | undefined {
    const key = this.options.portalKey;
    return key ? new CardFrame(this.base, { portalKey: key }) : undefined;
  }

  /**
   * A portal section's call (`/api/browser/v2/portal/{path}`) with the session's key: a GET without a body, a POST
   * with one, under one idempotency key for all its retries. The answer is checked with `schema`.
   */
  portalRequest<S extends z.ZodMiniType>(path: string, schema: S, body?: Record<string, unknown>, options: { signal?: AbortSignal; idempotencyKey?: string } = {}): Promise<z.output<S>> {
    const req: Request = body === undefined
      ? { method: 'GET', path: `/api/browser/v2/portal/${path}`, headers: this.portal(), signal: options.signal }
      : { method: 'POST', path: `/api/browser/v2/portal/${path}`, body, headers: this.portal(), idempotencyKey: options.idempotencyKey ?? idempotencyKey(), signal: options.signal };
    return this.call(req, schema);
  }

  // ----------------------------------------------------------------------------------------------- plumbing

  private publishable(): Record<string, string> {
    const key = this.options.publishableKey;
    if (!key) throw new AdapterError('This needs the publishable key (HttpAdapter option publishableKey).', 0, 'configuration');
    return { 'X-Paylit-Publishable-Key': key };
  }

  private pageToken(): Record<string, string> {
    const token = this.options.hostedPageToken;
    if (!token) throw new AdapterError('This needs the hosted page token (HttpAdapter option hostedPageToken).', 0, 'configuration');
    return { 'X-Paylit-Hosted-Page-Token': token };
  }

  private portal(): Record<string, string> {
    const key = this.options.portalKey;
    if (!key) throw new AdapterError('This needs a portal session (HttpAdapter option portalKey).', 0, 'configuration');
    return { 'X-Paylit-Portal-Key': key };
  }

  private async call<S extends z.ZodMiniType>(req: Request, schema: S): Promise<z.output<S>> {
    const retryable = req.method === 'GET' || req.idempotencyKey !== undefined;
    const attempts = retryable ? this.options.retries + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await this.attempt(req);
      } catch (e) {
        if (req.signal?.aborted) throw e; // the caller gave up: not an error to show
        if (attempt < attempts) {
          await this.backoff(attempt, undefined, req.signal);
          continue;
        }
        throw e instanceof AdapterError ? e : new AdapterError('The connection failed. Check your connection and try again.', 0, 'network_error');
      }
      if ((res.status >= 500 || res.status === 429) && attempt < attempts) {
        await this.backoff(attempt, res.headers.get('retry-after'), req.signal);
        continue;
      }
      let json: unknown;
      try {
        json = await res.json();
      } catch {
        throw new AdapterError(`The server answered ${String(res.status)} with something that is not JSON.`, res.status, 'invalid_response');
      }
      if (!res.ok) {
        const err = apiErrorSchema.safeParse(json);
        if (!err.success) throw new AdapterError(`The server answered ${String(res.status)}.`, res.status, 'invalid_response');
        const { message, param, api_error_code, decline_code, errors } = err.data;
        // The widget shows a field's own message next to it; `message` (which names the field) is for developers.
        throw new AdapterError(errors?.[0]?.message ?? message, res.status, api_error_code ?? 'api_error', param, decline_code, errors);
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new AdapterError(`The server's answer is not what Paylit expects (${issue.path.join('.') || 'body'}: ${issue.message}).`, res.status, 'invalid_response');
      }
      return parsed.data;
    }
  }

  private async attempt(req: Request): Promise<Response> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const headers: Record<string, string> = { Accept: 'application/json', ...req.headers };
    if (req.body !== undefined) headers['Content-Type'] = 'application/json';
    if (req.idempotencyKey !== undefined) headers['Chargebee-Idempotency-Key'] = req.idempotencyKey;
    try {
      return await this.fetchImpl(this.base + req.path, {
        method: req.method,
        headers,
        ...(req.body !== undefined && { body: JSON.stringify(req.body) }),
        signal,
        credentials: 'omit',
      });
    } catch (e) {
      if (timeout.aborted && !req.signal?.aborted) {
        throw new AdapterError(`The server did not answer within ${String(this.options.timeoutMs / 1000)} s. Try again.`, 0, 'timeout');
      }
      throw e;
    }
  }

  private backoff(attempt: number, retryAfter: string | null | undefined, signal?: AbortSignal): Promise<void> {
    const base = this.options.retryDelayMs * 2 ** (attempt - 1);
    const asked = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : 0;
    // Full jitter spreads the retries of many clients; never wait longer than 10 s for one retry.
    return sleep(Math.min(10_000, Math.max(asked, base / 2 + Math.random() * (base / 2))), signal);
  }
}
