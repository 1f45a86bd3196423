import { AdapterError, type PaymentMethod } from './adapter.js';
import * as z from 'zod/mini';
import { type CardLabels, envelope, type ToCardFrame } from './frame-messages.js';

const cardToken = z.object({
  id: z.string().check(z.maxLength(40)),
  brand: z.string().check(z.maxLength(40)),
  last4: z.string().check(z.regex(/^\d{4}$/)),
  expiry_month: z.int(),
  expiry_year: z.int(),
  authentication: z.enum(['none', 'required', 'succeeded', 'failed']),
});

const cardError = z.object({ field: z.optional(z.string().check(z.maxLength(20))), code: z.optional(z.string().check(z.maxLength(60))), message: z.string().check(z.maxLength(500)) });
/** The one error model: a field's problem as the error a refused tokenization rejects with. */
const asError = (e: z.infer<typeof cardError>) => new AdapterError(e.message, 400, e.code ?? 'card_invalid', e.field ? `card[${e.field}]` : 'card');

/** Messages the card frame sends to its host, parsed by the host before use (a union of envelopes, as `toCardFrame`). */
const fromCardFrame = z.union([
  envelope('card:ready', z.object({})),
  envelope('card:change', z.object({ complete: z.boolean(), brand: z.optional(z.string().check(z.maxLength(40))), error: z.optional(cardError) })),
  envelope('card:token', cardToken),
  envelope('card:error', cardError),
  envelope('card:authenticated', z.object({ tokenId: z.string().check(z.maxLength(40)) })),
  envelope('resize', z.object({ height: z.number().check(z.minimum(0), z.maximum(100_000)) })),
]);
type Pending<T> = { resolve: (v: T) => void; reject: (e: Error) => void };

/**
 * The backend's card frame (`/hosted/card-frame`) as a payment step: an iframe whose fields only the backend's origin
 * sees. It talks to its parent only when the parent is on its own origin, so this works inside the hosted checkout.
 * Messages are accepted only from that iframe's window and the backend's origin, and parsed before use.
 */
export class CardFrame implements PaymentMethod {
  readonly element: HTMLIFrameElement;
  complete = false;
  onChange: PaymentMethod['onChange'];
  private readonly origin: string;
  private ready = false;
  private queue: ToCardFrame[] = [];
  private tokenizing?: Pending<{ id: string; brand: string; last4: string; authentication: string }> | undefined;
  private challenge?: Pending<void> | undefined;
  private language?: ToCardFrame | undefined;

  constructor(base: string, private readonly init: { hostedPageId: string; token: string } | { portalKey: string }) {
    this.origin = new URL(base).origin;
    const f = document.createElement('iframe');
    f.src = `${base}/hosted/card-frame`;
    f.title = 'Card details';
    f.setAttribute('part', 'card-frame');
    f.height = '80';
    this.element = f;
    window.addEventListener('message', this.onMessage);
  }

  private post(m: ToCardFrame): void {
    if (!this.ready) return void this.queue.push(m);
    this.element.contentWindow?.postMessage(m, this.origin);
  }

  private readonly onMessage = (e: MessageEvent) => {
    if (e.source !== this.element.contentWindow || e.origin !== this.origin) return;
    const parsed = fromCardFrame.safeParse(e.data);
    if (!parsed.success) return;
    const m = parsed.data;
    switch (m.type) {
      case 'card:ready': {
        this.ready = true;
        // The labels' language first: `card:init` shows the fields, already in it.
        if (this.language) this.post(this.language);
        this.element.contentWindow?.postMessage({ source: 'paylit', version: 1, type: 'card:init', data: this.init } satisfies ToCardFrame, this.origin);
        const queued = this.queue;
        this.queue = [];
        queued.forEach((q) => this.post(q));
        break;
      }
      case 'card:change':
        this.complete = m.data.complete;
        this.onChange?.({ complete: m.data.complete, error: m.data.error && asError(m.data.error) });
        break;
      case 'card:token':
        this.tokenizing?.resolve(m.data);
        this.tokenizing = undefined;
        break;
      case 'card:error': {
        // The API's own code when the backend refused (an expired page ends the checkout); else the field's reason.
        const err = asError(m.data);
        if (this.tokenizing) this.tokenizing.reject(err);
        else if (this.challenge) this.challenge.reject(err);
        this.tokenizing = this.challenge = undefined;
        break;
      }
      case 'card:authenticated':
        this.challenge?.resolve();
        this.challenge = undefined;
        break;
      case 'resize':
        this.element.height = String(Math.ceil(m.data.height));
        break;
    }
  };

  tokenize(): Promise<{ id: string; brand: string; last4: string; authentication: string }> {
    this.tokenizing?.reject(new AdapterError('A newer request replaced this one.', 0, 'superseded'));
    // Not loaded yet, so nothing typed: said at once, rather than waiting on a frame that may never come.
    if (!this.ready) return Promise.reject(asError({ field: 'number', code: 'incomplete_number', message: 'Enter your card number.' }));
    return new Promise((resolve, reject) => {
      this.tokenizing = { resolve, reject };
      this.post({ source: 'paylit', version: 1, type: 'card:tokenize', data: {} });
    });
  }

  authenticate(tokenId: string, outcome: 'complete' | 'fail'): Promise<void> {
    return new Promise((resolve, reject) => {
      this.challenge = { resolve, reject };
      this.post({ source: 'paylit', version: 1, type: 'card:authenticate', data: { tokenId, outcome } });
    });
  }

  localize(lang: string, dir: 'ltr' | 'rtl', labels: CardLabels): void {
    this.element.title = labels.card;
    this.language = { source: 'paylit', version: 1, type: 'card:locale', data: { lang, dir, labels } };
    if (this.ready) this.post(this.language);
  }

  focus(): void {
    this.post({ source: 'paylit', version: 1, type: 'card:focus', data: {} });
  }

  check(): void {
    this.post({ source: 'paylit', version: 1, type: 'card:check', data: {} });
  }

  reset(): void {
    this.complete = false;
    this.post({ source: 'paylit', version: 1, type: 'card:reset', data: {} });
  }

  destroy(): void {
    window.removeEventListener('message', this.onMessage);
    this.tokenizing?.reject(new AdapterError('The card entry was closed.', 0, 'closed'));
    this.challenge?.reject(new AdapterError('The card entry was closed.', 0, 'closed'));
    this.element.remove();
  }
}
