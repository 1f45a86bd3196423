/**
 * The card frame (`/hosted/card-frame`), served from the backend's own origin and embedded by the hosted checkout:
 * card number, expiry and CVC are typed only here, so the merchant's page never sees them. It checks the fields
 * as the server will (core's checkCard), tokenizes them with the backend, and tells its host only the token,
 * brand and last four. It also sends the customer's answer to the test gateway's 3-D Secure challenge, which the
 * checkout shows over itself.
 *
 * It talks only to its parent, and only if the parent is on this same origin (the hosted checkout page).
 */
import { cardBrand, checkCard, digits, parseExpiry } from '../core/card.js';
import type { CardTokenView, FromCardFrame, ToCardFrame } from '../adapter/frame-messages.js';
import { toCardFrame } from '../adapter/frame-messages.js';

// One row when there is room (the one-page checkout), number then expiry and CVC below on a phone. Its height is
// fixed by these rules (80 px in one row, 156 in two, until a message shows), and the checkout gives the frame that
// height before the frame has said it (checkout-view.styles.ts), so nothing moves when it does.
// The focus ring stays inside the body's 2 px padding, so the frame's edge never cuts it off; its hosts make the frame
// 4 px wider than their column and start it 2 px before, so the fields line up with theirs.
// Tagged `css` (the text as written) so the build minifies it as CSS, as it does Lit's (minifyTemplates).
const css = String.raw;
const styles = css`
:root { color-scheme: light dark; font: 16px/1.4 system-ui, sans-serif; }
body { margin: 0; padding: 2px; }
form { display: grid; grid-template-columns: 1fr 1fr; gap: 0 12px; }
#number-field { grid-column: 1 / -1; }
@media (min-width: 460px) { form { grid-template-columns: 1fr 9.5em 7.5em; } #number-field { grid-column: auto; } }
label { display: block; font-weight: 500; margin: 0 0 4px; font-size: 0.95rem; line-height: 20px; }
.field { margin-bottom: 8px; min-width: 0; }
input { box-sizing: border-box; width: 100%; min-height: 44px; padding: 0 10px; font: inherit; border: 1px solid #8c959f; border-radius: 8px; background: Canvas; color: CanvasText; }
input:focus-visible { outline: 2px solid #4f46e5; outline-offset: 0; }
input[aria-invalid='true'] { border: 2px solid #b42318; }
.error { color: #b42318; font-size: 0.875rem; margin: 4px 0 0; }
.error:empty { display: none; }
@media (prefers-color-scheme: dark) { input { border-color: #6e7681; } .error { color: #ff9492; } input[aria-invalid='true'] { border-color: #ff9492; } input:focus-visible { outline-color: #a5b4fc; } }
`;

const sheet = new CSSStyleSheet();
sheet.replaceSync(styles);
document.adoptedStyleSheets = [sheet];

type Auth = { hostedPageId: string; token: string } | { portalKey: string } | { publishableKey: string };
let auth: Auth | undefined;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, unknown> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  Object.assign(e, props);
  e.append(...children);
  return e;
}

function field(id: string, label: string, input: Record<string, unknown>) {
  const error = el('p', { id: `${id}-error`, className: 'error' });
  const box = el('input', { id, name: id, type: 'text', inputMode: 'numeric', spellcheck: false, ...input });
  box.setAttribute('aria-describedby', error.id);
  box.setAttribute('aria-invalid', 'false');
  return { wrap: el('div', { className: 'field', id: `${id}-field` }, el('label', { htmlFor: id }, label), box, error), input: box, error };
}

const number = field('number', 'Card number', { autocomplete: 'cc-number', placeholder: '1234 1234 1234 1234', maxLength: 23 });
const expiry = field('expiry', 'Expiry (MM / YY)', { autocomplete: 'cc-exp', placeholder: 'MM / YY', maxLength: 7 });
const cvc = field('cvc', 'Security code', { autocomplete: 'cc-csc', placeholder: 'CVC', maxLength: 4 });
const form = el('form', { noValidate: true }, number.wrap, expiry.wrap, cvc.wrap);
form.setAttribute('aria-label', 'Card details');
document.body.append(form);

function post(m: FromCardFrame): void {
  // Only to the hosted checkout page on this origin.
  if (window.parent !== window) window.parent.postMessage({ source: 'paylit', version: 1, ...m }, location.origin);
}

const fields = { number, expiry, cvc } as const;
/** A field's message by the field. One about no field (the page has expired, the connection failed) is the checkout's to
 * show, beside the card: said here too it would read twice. */
function showError(name: keyof typeof fields | undefined, message: string) {
  if (!name) return;
  fields[name].error.textContent = message;
  fields[name].input.setAttribute('aria-invalid', 'true');
}
function clearErrors() {
  for (const f of Object.values(fields)) {
    f.error.textContent = '';
    f.input.setAttribute('aria-invalid', 'false');
  }
}

/** Groups the number as the brand prints it (4-4-4-4, Amex 4-6-5). */
function formatNumber(value: string): string {
  const d = digits(value).replace(/\D/g, '').slice(0, 19);
  const gaps = cardBrand(d)?.gaps ?? [4, 8, 12];
  let out = '';
  for (let i = 0; i < d.length; i++) out += (gaps.includes(i) ? ' ' : '') + d[i];
  return out;
}

function values() {
  const e = parseExpiry(expiry.input.value);
  return { number: number.input.value, expiry_month: e?.month ?? 0, expiry_year: e?.year ?? 0, cvc: cvc.input.value.trim() };
}

function changed() {
  const v = values();
  const r = checkCard(v, Math.floor(Date.now() / 1000));
  post({ type: 'card:change', data: { complete: r.ok, brand: cardBrand(v.number)?.brand } });
}

number.input.addEventListener('input', () => {
  number.input.value = formatNumber(number.input.value);
  cvc.input.maxLength = cardBrand(number.input.value)?.cvcLength ?? 4;
  changed();
});
expiry.input.addEventListener('input', (e) => {
  const d = expiry.input.value.replace(/\D/g, '').slice(0, 4);
  const deleting = (e as InputEvent).inputType.startsWith('delete');
  expiry.input.value = d.length > 2 || (d.length === 2 && !deleting) ? `${d.slice(0, 2)} / ${d.slice(2)}` : d;
  changed();
});
cvc.input.addEventListener('input', () => {
  cvc.input.value = cvc.input.value.replace(/\D/g, '');
  changed();
});
form.addEventListener('submit', (e) => {
  e.preventDefault();
  void tokenize();
});

async function api<T>(path: string, body: unknown): Promise<{ ok: true; value: T } | { ok: false; field?: string; code?: string; message: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (auth && 'token' in auth) headers['x-paylit-hosted-page-token'] = auth.token;
  else if (auth && 'portalKey' in auth) headers['x-paylit-portal-key'] = auth.portalKey;
  else if (auth) headers['x-paylit-publishable-key'] = auth.publishableKey;
  try {
    const res = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.ok) return { ok: true, value: json as T };
    // A field's own message (the API's `errors`), else the message as it stands; never taken apart.
    const first = (Array.isArray(json.errors) ? (json.errors[0] as Record<string, unknown> | undefined) : undefined)?.message;
    const message = typeof first === 'string' ? first : typeof json.message === 'string' ? json.message : 'The card could not be checked.';
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    return { ok: false, field: str(json.param), code: str(json.api_error_code), message };
  } catch {
    return { ok: false, message: 'The card could not be checked: the connection failed. Try again.' };
  }
}

let busy = false;
async function tokenize(): Promise<void> {
  if (busy) return;
  clearErrors();
  const v = values();
  const checked = checkCard(v, Math.floor(Date.now() / 1000));
  if (!checked.ok) {
    for (const err of checked.errors) showError(err.param as keyof typeof fields, err.message);
    const first = checked.errors[0]!;
    fields[first.param as keyof typeof fields].input.focus();
    post({ type: 'card:error', data: { field: first.param, message: first.message } });
    return;
  }
  if (!auth) {
    post({ type: 'card:error', data: { message: 'The card frame was not initialised.' } });
    return;
  }
  busy = true;
  try {
    const r = await api<{ card_token: CardTokenView }>('/api/browser/v2/card_tokens', { ...v, ...('hostedPageId' in auth && { hosted_page_id: auth.hostedPageId }) });
    if (!r.ok) {
      const name = r.field && r.field in fields ? (r.field as keyof typeof fields) : undefined;
      showError(name, r.message);
      post({ type: 'card:error', data: { field: name, code: r.code, message: r.message } });
      return;
    }
    post({ type: 'card:token', data: r.value.card_token });
  } finally {
    busy = false;
  }
}

/** The customer's answer to the bank's challenge, sent from here (the backend's origin) as the card itself is. */
async function authenticate(tokenId: string, outcome: 'complete' | 'fail'): Promise<void> {
  const r = await api<{ card_token: CardTokenView }>(`/api/browser/v2/card_tokens/${encodeURIComponent(tokenId)}/authenticate`, { outcome });
  if (r.ok) post({ type: 'card:authenticated', data: { tokenId } });
  else post({ type: 'card:error', data: { code: r.code, message: r.message } });
}

window.addEventListener('message', (e: MessageEvent) => {
  // Only the page that embeds us, on our own origin.
  if (e.source !== window.parent || e.origin !== location.origin) return;
  const parsed = toCardFrame.safeParse(e.data);
  if (!parsed.success) return;
  const m: ToCardFrame = parsed.data;
  if (m.type === 'card:init') (auth = m.data), resized();
  else if (m.type === 'card:tokenize') void tokenize();
  else if (m.type === 'card:authenticate') void authenticate(m.data.tokenId, m.data.outcome);
  else if (m.type === 'card:focus') number.input.focus();
  else {
    form.reset();
    clearErrors();
  }
});

let lastHeight = 0;
function resized() {
  const height = Math.ceil(document.documentElement.scrollHeight);
  if (height !== lastHeight) {
    lastHeight = height;
    post({ type: 'resize', data: { height } });
  }
}
new ResizeObserver(resized).observe(document.body);
post({ type: 'card:ready', data: {} });
// Measured now as well: Chromium holds back a frame's resize observers while the frame is off screen (below the fold
// on a phone), and the checkout must not grow under the customer's thumb when they scroll down to the card.
resized();
