/**
 * The hosted portal (`/hosted/portal/{session id}#token=..&section=..&subscription=..`): the customer's account on
 * the backend's own origin. The session's token is used once, to get a key for the session's hour; the key is kept in
 * this origin's session storage, so reopening a section in the same tab needs no new session. Every section Chargebee's
 * portal has writes what it shows (portal/*.ts), and each action done tells the host once (`portal` messages, which
 * the loader turns into the merchant's callbacks).
 */
import { AdapterError, asAdapterError } from '../adapter/errors.js';
import { HttpAdapter } from '../adapter/http-adapter.js';
import { subscriptionList } from '../adapter/portal-schemas.js';
import { brand, type Embedding, embedding, follow, notice, REFUSED } from './embedding.js';
import { account, editAccount } from './portal/account.js';
import { addressSection } from './portal/address.js';
import { editSubscription } from './portal/edit.js';
import { cancellation, details, subscriptions } from './portal/subscription.js';
import { context, type Ctx, el, type Section } from './portal/ui.js';
import { addPaymentMethod, billingHistory, paymentMethods } from './portal/wallet.js';

/** The tabs, and the section each other section belongs under. */
const TABS: Array<[Section, string]> = [
  ['sub_details', 'Subscription'],
  ['portal_billing_history', 'Billing history'],
  ['portal_payment_methods', 'Payment methods'],
  ['account_details', 'Account'],
  ['portal_address', 'Address'],
];
const TAB_OF: Record<Section, Section> = {
  sub_details: 'sub_details',
  sub_cancel: 'sub_details',
  edit_subscription: 'sub_details',
  scheduled_changes: 'sub_details',
  portal_billing_history: 'portal_billing_history',
  portal_payment_methods: 'portal_payment_methods',
  portal_add_payment_method: 'portal_payment_methods',
  account_details: 'account_details',
  portal_edit_account: 'account_details',
  portal_address: 'portal_address',
};
const TITLE: Record<Section, string> = {
  sub_details: 'Subscription',
  sub_cancel: 'Cancel subscription',
  edit_subscription: 'Change plan',
  scheduled_changes: 'Scheduled changes',
  portal_billing_history: 'Billing history',
  portal_payment_methods: 'Payment methods',
  portal_add_payment_method: 'Add a card',
  account_details: 'Account',
  portal_edit_account: 'Edit account details',
  portal_address: 'Address',
};
/** Sections `open()` may name that this portal shows as one of its own. */
const ALIASES: Record<string, Section> = { portal_edit_billing_address: 'portal_address', portal_edit_shipping_address: 'portal_address' };
const NEEDS_SUBSCRIPTION = new Set<Section>(['sub_cancel', 'edit_subscription', 'scheduled_changes']);

const e = embedding();
const sessionId = decodeURIComponent(location.pathname.split('/').pop() ?? '');

if (!e.allowed) notice(REFUSED);
else void start(e);

async function start(e: Embedding): Promise<void> {
  follow(e);
  let key: string;
  try {
    key = await portalKey(e.params.get('token'));
  } catch (err) {
    const a = asAdapterError(err);
    notice(a.message, 'Your account');
    e.post('loaded');
    e.post('error', { code: a.code, message: a.message, fatal: true });
    return;
  }
  const api = new HttpAdapter({ baseUrl: location.origin, portalKey: key });

  // Whom the customer deals with, as at the top of the checkout.
  const site = brand();
  const header = el('header', { class: 'merchant' });
  if (site?.logo_url) header.append(el('img', { class: 'logo', src: site.logo_url, alt: '' }));
  else if (site) header.append(el('span', { class: 'mark', textContent: site.display_name.charAt(0) }));
  header.append(el('span', { textContent: site?.display_name ?? 'Your account' }));
  // While the gateway moves no real money (the shell says so), as the checkout says it beside the name.
  if (document.querySelector('meta[name="paylit-test-mode"]')?.getAttribute('content') === 'true') header.append(el('span', { class: 'test', textContent: 'Test mode' }));
  const nav = el('nav', { class: 'portal' });
  nav.setAttribute('aria-label', 'Your account');
  const main = el('main', { class: 'portal' });
  const tabs = new Map<Section, HTMLButtonElement>();
  let subscriptionId = e.params.get('subscription') ?? undefined;
  for (const [s, label] of TABS) {
    const b = el('button', { type: 'button', textContent: label, onclick: () => void show(s, true) });
    tabs.set(s, b);
    nav.append(b);
  }
  document.body.replaceChildren(header, nav, main);

  const ctx: Ctx = context(api, e, (s, id, said) => void show(s, true, id, said));
  let first = true;
  let showing = 0;
  async function show(s: Section, focus: boolean, id = subscriptionId, said?: string): Promise<void> {
    const mine = ++showing;
    if (id !== undefined) subscriptionId = id;
    for (const [x, b] of tabs) x === TAB_OF[s] ? b.setAttribute('aria-current', 'page') : b.removeAttribute('aria-current');
    // Where the tabs do not fit in one row they scroll sideways (on a phone they wrap): the current one in view.
    tabs.get(TAB_OF[s])?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    const h = el('h1', { tabIndex: -1, textContent: TITLE[s] });
    const loading = el('p', { class: 'muted', textContent: 'Loading…' });
    loading.setAttribute('role', 'status');
    main.replaceChildren(h, loading);
    try {
      const content = await render(s, id);
      // What the last action did, under the heading the focus goes to (a screen reader reads it with the heading).
      const done = said !== undefined && el('p', { class: 'note', id: 'said', textContent: said });
      if (done) h.setAttribute('aria-describedby', 'said');
      if (mine === showing) main.replaceChildren(h, ...(done ? [done] : []), ...content);
    } catch (err) {
      const msg = asAdapterError(err).message;
      const p = el('p', { class: 'alert', textContent: msg });
      p.setAttribute('role', 'alert');
      if (mine === showing) main.replaceChildren(h, p);
      e.post('error', { code: asAdapterError(err).code, message: msg });
    }
    if (first) e.post('loaded'), (first = false);
    e.post('visit', { sectionType: s });
    if (focus) h.focus();
  }

  async function render(s: Section, id: string | undefined): Promise<HTMLElement[]> {
    if (NEEDS_SUBSCRIPTION.has(s) && id === undefined) {
      // A section about one subscription, opened without one: the customer's only one, or the list to pick from.
      const { list } = await api.portalRequest('subscriptions', subscriptionList);
      if (list.length !== 1) return subscriptions(ctx);
      id = subscriptionId = list[0]!.id;
    }
    switch (s) {
      case 'sub_details':
        return id === undefined ? subscriptions(ctx) : details(ctx, id);
      case 'scheduled_changes':
        return details(ctx, id!, 'scheduled');
      case 'sub_cancel':
        return cancellation(ctx, id!);
      case 'edit_subscription':
        return editSubscription(ctx, id!);
      case 'portal_billing_history':
        return billingHistory(ctx);
      case 'portal_payment_methods':
        return paymentMethods(ctx);
      case 'portal_add_payment_method':
        return addPaymentMethod(ctx);
      case 'account_details':
        return account(ctx);
      case 'portal_edit_account':
        return editAccount(ctx);
      case 'portal_address':
        return addressSection(ctx);
    }
  }

  const asked = e.params.get('section') ?? '';
  const section = ALIASES[asked] ?? (asked in TAB_OF ? (asked as Section) : 'account_details');
  await show(section, false);
}

/** The session's key: kept from an earlier activation in this tab, or got now with the token (once per session). */
async function portalKey(token: string | null): Promise<string> {
  const store = `paylit-portal:${sessionId}`;
  let kept: string | null = null;
  try {
    kept = sessionStorage.getItem(store);
  } catch {
    /* storage may be blocked in a third-party frame: activate each time */
  }
  if (kept) return kept;
  if (!token) throw new AdapterError('This portal link is incomplete: open it again from the shop.', 0, 'invalid_link');
  const r = await fetch('/api/browser/v2/portal_sessions/activate', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ id: sessionId, token }),
  });
  const body = (await r.json().catch(() => ({}))) as { portal_key?: string; message?: string; api_error_code?: string };
  if (!r.ok || !body.portal_key) throw new AdapterError(body.message ?? 'This portal session could not be opened.', r.status, body.api_error_code ?? 'portal_session_invalid');
  try {
    sessionStorage.setItem(store, body.portal_key);
  } catch {
    /* see above */
  }
  return body.portal_key;
}
