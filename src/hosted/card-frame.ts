/**
 * The card frame (`/hosted/card-frame`), served from the backend's own origin and embedded by the hosted checkout:
 * card number, expiry and CVC are typed only here, so the merchant's page never sees them. It checks the fields
 * as the server will (core's checkCard), tokenizes them with the backend, and tells its host only the token,
 * brand and last four. A field's problem shows here only as the field's red border; what it is, its host says, once,
 * by the card (in the customer's language: the checkout's catalogs hold a message for each of core's card reasons).
 * It also sends the customer's answer to the test gateway's 3-D Secure challenge, which the checkout shows over itself.
 *
 * It talks only to its parent, and only if the parent is on this same origin (the hosted checkout page).
 */
import { cardBrand, type CardFieldError, checkCard, digits, parseExpiry } from '../core/card.js';
import type { CardTokenView, FromCardFrame, ToCardFrame } from '../adapter/frame-messages.js';
import { toCardFrame } from '../adapter/frame-messages.js';

// One row when there is room (the one-page checkout), number then expiry and CVC below on a phone. Its height is
// fixed by these rules (80 px in one row, 156 in two), and the checkout gives the frame that height before the frame
// has said it (checkout-view.styles.ts), so nothing moves when it does; no message shows in here to change it.
// The focus ring stays inside the body's 2 px padding, so the frame's edge never cuts it off; its hosts make the frame
// 4 px wider than their column and start it 2 px before, so the fields line up with theirs.
// Tagged `css` (the text as written) so the build minifies it as CSS, as it does Lit's (minifyTemplates).
const css = String.raw;
const styles = css`
:root { color-scheme: light dark; font: 16px/1.4 system-ui, sans-serif; }
body { margin: 0; padding: 2px; }
html:not(.on) form { visibility: hidden; }
form { display: grid; grid-template-columns: 1fr 1fr; gap: 0 12px; }
#number-field { grid-column: 1 / -1; }
@media (min-width: 460px) { form { grid-template-columns: 1fr 9.5em 7.5em; } #number-field { grid-column: auto; } }
label { display: block; font-weight: 500; margin: 0 0 4px; font-size: 0.95rem; line-height: 20px; }
.field { margin-bottom: 8px; min-width: 0; }
input { box-sizing: border-box; width: 100%; min-height: 44px; padding: 0 10px; font: inherit; border: 1px solid #8c959f; border-radius: 8px; background: Canvas; color: CanvasText; }
input:focus-visible { outline: 2px solid #4f46e5; outline-offset: 0; }
input[aria-invalid='true'] { border: 2px solid #b42318; }
@media (prefers-color-scheme: dark) { input { border-color: #6e7681; } input[aria-invalid='true'] { border-color: #ff9492; } input:focus-visible { outline-color: #a5b4fc; } }
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
  // Digits read left to right in every language (in an Arabic page too, the groups of a card number keep their order).
  const box = el('input', { id, name: id, type: 'text', inputMode: 'numeric', spellcheck: false, dir: 'ltr', ...input });
  // Every card field is required, marked as the checkout marks its required fields (the mark is not read out).
  const mark = el('span', {}, ' *');
  mark.ariaHidden = 'true';
  const text = document.createTextNode(label);
  return { wrap: el('div', { className: 'field', id: `${id}-field` }, el('label', { htmlFor: id }, text, mark), box), input: box, text };
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
type Name = keyof typeof fields;
/** The problems the customer is shown, by field, in the fields' order: each marked invalid, the first its host's to say. */
let shown: Partial<Record<Name, CardFieldError>> = {};
const mark = (n: Name, on: boolean) => fields[n].input.setAttribute('aria-invalid', String(on));
const markShown = () => (Object.keys(fields) as Name[]).forEach((n) => mark(n, !!shown[n]));
const said = (e: CardFieldError) => ({ field: e.param, code: e.reason, message: e.message });

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

/**
 * Typed to its full length: a number as long as its brand's shortest, a four-digit expiry. Only then is what is typed
 * judged while it is typed (a CVC of its full length is right).
 */
function full(n: Name): boolean {
  const v = fields[n].input.value;
  return n === 'number' ? digits(v).length >= Math.min(...(cardBrand(v)?.lengths ?? [16])) : n === 'expiry' && v.length === 7;
}

/**
 * Tells the host where the card is. A field's problem is shown once the customer has finished the field (left it, or
 * typed it to its full length: `reveal`), or on Pay (all of them), never while they are still typing it (`typing`,
 * whose problem goes until it is full); a shown one stays, following the field, until it is right.
 */
function changed(reveal?: Name | 'all', typing?: Name) {
  const r = checkCard(values(), Math.floor(Date.now() / 1000));
  const now: typeof shown = {};
  // checkCard gives them in the fields' order, so the first one kept is the first field's.
  for (const e of r.ok ? [] : r.errors) {
    if (reveal === 'all' || reveal === e.param || (e.param === typing ? full(typing) : shown[e.param])) now[e.param] = e;
  }
  shown = now;
  markShown();
  const [first] = Object.values(now);
  post({ type: 'card:change', data: { complete: r.ok, brand: cardBrand(number.input.value)?.brand, error: first && said(first) } });
  return r;
}

number.input.addEventListener('input', () => {
  number.input.value = formatNumber(number.input.value);
  cvc.input.maxLength = cardBrand(number.input.value)?.cvcLength ?? 4;
  changed(undefined, 'number');
});
expiry.input.addEventListener('input', (e) => {
  const d = expiry.input.value.replace(/\D/g, '').slice(0, 4);
  const deleting = (e as InputEvent).inputType.startsWith('delete');
  expiry.input.value = d.length > 2 || (d.length === 2 && !deleting) ? `${d.slice(0, 2)} / ${d.slice(2)}` : d;
  changed(undefined, 'expiry');
});
cvc.input.addEventListener('input', () => {
  cvc.input.value = cvc.input.value.replace(/\D/g, '');
  changed(undefined, 'cvc');
});
// Left with something in it: finished, so judged. (Left empty, it is judged on Pay.)
for (const [n, f] of Object.entries(fields)) f.input.addEventListener('blur', () => void (f.input.value && changed(n as Name)));
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

/** The first field whose problem is shown, else the number. */
const focus = () => fields[(Object.keys(shown)[0] as Name | undefined) ?? 'number'].input.focus();

let busy = false;
async function tokenize(): Promise<void> {
  if (busy) return;
  const checked = changed('all');
  if (!checked.ok) {
    focus();
    post({ type: 'card:error', data: said(checked.errors[0]!) });
    return;
  }
  const v = values();
  if (!auth) {
    post({ type: 'card:error', data: { message: 'The card frame was not initialised.' } });
    return;
  }
  busy = true;
  try {
    const r = await api<{ card_token: CardTokenView }>('/api/browser/v2/card_tokens', { ...v, ...('hostedPageId' in auth && { hosted_page_id: auth.hostedPageId }) });
    if (!r.ok) {
      // The backend's refusal of a field (it checks as this frame does, so rarely): marked here, said by the host.
      const name = r.field && r.field in fields ? (r.field as Name) : undefined;
      if (name) mark(name, true);
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
  // Shown once its host has said who it is (and, before that, the page's language, if not English).
  if (m.type === 'card:init') (auth = m.data), document.documentElement.classList.add('on'), resized();
  else if (m.type === 'card:locale') {
    const { lang, dir, labels } = m.data;
    Object.assign(document.documentElement, { lang, dir });
    number.text.data = labels.number;
    expiry.text.data = labels.expiry;
    cvc.text.data = labels.cvc;
    expiry.input.placeholder = labels.mmyy;
    form.setAttribute('aria-label', labels.card);
  }
  else if (m.type === 'card:tokenize') void tokenize();
  else if (m.type === 'card:authenticate') void authenticate(m.data.tokenId, m.data.outcome);
  else if (m.type === 'card:focus') focus();
  else if (m.type === 'card:check') changed('all');
  else {
    form.reset();
    shown = {};
    markShown();
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
