/**
 * The hosted portal (`/hosted/portal/{session id}#token=..&section=..`): the customer's account on the backend's own
 * origin. The session's token is used once, to get a key for the session's hour; the key is kept in this origin's
 * session storage, so reopening a section in the same tab needs no new session. ADDRESS edits the billing address
 * (and the shipping address where there is one) with `<paylit-address>`; the other sections show the account, the
 * subscriptions, the invoices and the payment methods.
 */
import type { Address } from '../core/schemas/customer.js';
import { AdapterError, asAdapterError } from '../adapter/errors.js';
import { HttpAdapter } from '../adapter/http-adapter.js';
import '../components/address/define.js';
import type { PaylitAddress } from '../components/address/address.js';
import { formatMoney } from '../core/money.js';
import { brand, type Embedding, embedding, follow, notice, REFUSED } from './embedding.js';

type Section = 'account_details' | 'sub_details' | 'portal_billing_history' | 'portal_payment_methods' | 'portal_address';
const SECTIONS: Array<[Section, string]> = [
  ['account_details', 'Account'],
  ['sub_details', 'Subscriptions'],
  ['portal_billing_history', 'Billing history'],
  ['portal_payment_methods', 'Payment methods'],
  ['portal_address', 'Address'],
];
/** Sections reached through `open()` that this portal shows as one of its own. */
const ALIASES: Record<string, Section> = {
  portal_edit_billing_address: 'portal_address',
  portal_edit_shipping_address: 'portal_address',
  portal_edit_account: 'account_details',
  portal_add_payment_method: 'portal_payment_methods',
  sub_cancel: 'sub_details',
  edit_subscription: 'sub_details',
  scheduled_changes: 'sub_details',
};

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
  const header = document.createElement('header');
  header.className = 'merchant';
  if (site?.logo_url) header.append(Object.assign(document.createElement('img'), { className: 'logo', src: site.logo_url, alt: '' }));
  else if (site) header.append(Object.assign(document.createElement('span'), { className: 'mark', textContent: site.display_name.charAt(0) }));
  header.append(Object.assign(document.createElement('span'), { textContent: site?.display_name ?? 'Your account' }));
  const nav = document.createElement('nav');
  nav.className = 'portal';
  nav.setAttribute('aria-label', 'Your account');
  const main = document.createElement('main');
  main.className = 'portal';
  const buttons = new Map<Section, HTMLButtonElement>();
  for (const [s, label] of SECTIONS) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.onclick = () => void show(s, true);
    buttons.set(s, b);
    nav.append(b);
  }
  document.body.replaceChildren(header, nav, main);

  let first = true;
  async function show(s: Section, focus: boolean): Promise<void> {
    for (const [x, b] of buttons) b.toggleAttribute('aria-current', x === s), x === s && b.setAttribute('aria-current', 'page');
    const h = document.createElement('h1');
    h.tabIndex = -1;
    h.textContent = SECTIONS.find(([x]) => x === s)![1];
    main.replaceChildren(h, Object.assign(document.createElement('p'), { textContent: 'Loading…', role: 'status' }));
    try {
      main.replaceChildren(h, ...(await render(s)));
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      main.replaceChildren(h, Object.assign(document.createElement('p'), { textContent: msg, role: 'alert' }));
      e.post('error', { code: 'portal_error', message: msg });
    }
    if (first) e.post('loaded'), (first = false);
    e.post('visit', { sectionType: s });
    if (focus) h.focus();
  }

  const money = (n: number, c: string) => formatMoney(n, c, e.locale ?? navigator.language);
  const date = (t: number | undefined) => (t ? new Intl.DateTimeFormat(e.locale ?? navigator.language, { dateStyle: 'medium' }).format(t * 1000) : '—');
  const table = (head: string[], rows: string[][], empty: string): HTMLElement => {
    if (!rows.length) return Object.assign(document.createElement('p'), { textContent: empty });
    const t = document.createElement('table');
    const hr = t.createTHead().insertRow();
    for (const x of head) hr.append(Object.assign(document.createElement('th'), { textContent: x, scope: 'col' }));
    const body = t.createTBody();
    for (const r of rows) {
      const tr = body.insertRow();
      for (const x of r) tr.insertCell().textContent = x;
    }
    return t;
  };

  async function render(s: Section): Promise<HTMLElement[]> {
    if (s === 'account_details') {
      const { customer: c } = await api.readPortalView('account');
      const dl = document.createElement('dl');
      for (const [k, label] of [['first_name', 'First name'], ['last_name', 'Last name'], ['email', 'Email'], ['company', 'Company'], ['phone', 'Phone']] as const) {
        const v = c[k];
        if (v) dl.append(Object.assign(document.createElement('dt'), { textContent: label }), Object.assign(document.createElement('dd'), { textContent: v }));
      }
      return [dl];
    }
    if (s === 'sub_details') {
      const { list } = await api.readPortalView('subscriptions');
      const only = e.params.get('subscription');
      const subs = only ? list.filter((x) => x.id === only) : list;
      if (only && !subs.length) throw new Error(`There is no subscription ${only} on this account.`);
      return [
        table(
          ['Subscription', 'Plan', 'Addons', 'Status', 'Renews / ends'],
          subs.map((x) => [x.id, `${x.plan_id} × ${String(x.plan_quantity ?? 1)}`, (x.addons ?? []).map((a) => `${a.id} × ${String(a.quantity ?? 1)}`).join(', ') || '—', x.status.replace('_', '-'), date(x.next_billing_at ?? x.current_term_end)]),
          'You have no subscriptions.',
        ),
      ];
    }
    if (s === 'portal_billing_history') {
      const { list } = await api.readPortalView('invoices');
      return [table(['Invoice', 'Date', 'Status', 'Total'], list.map((i) => [i.id, date(i.date), i.status.replace('_', ' '), money(i.total, i.currency_code)]), 'No invoices yet.')];
    }
    if (s === 'portal_payment_methods') {
      const { list } = await api.readPortalView('payment_sources');
      return [table(['Card', 'Expires', 'Status'], list.map((p) => [p.card ? `${p.card.brand} •••• ${p.card.last4}` : p.id, p.card ? `${String(p.card.expiry_month).padStart(2, '0')}/${String(p.card.expiry_year)}` : '—', p.status]), 'No payment methods saved.')];
    }
    return addressSection();
  }

  /** ADDRESS: the billing address (and the shipping address, where the customer has one); Save sends both. */
  async function addressSection(): Promise<HTMLElement[]> {
    const data = await api.readPortalSection('address');
    const form = document.createElement('form');
    form.noValidate = true;
    const billing = document.createElement('paylit-address') as PaylitAddress;
    billing.kind = 'billing';
    if (e.locale) billing.setAttribute('locale', e.locale);
    billing.value = data.billing_address ?? {};
    const shipping = data.shipping_address ? (document.createElement('paylit-address') as PaylitAddress) : undefined;
    // Alone, the billing address needs no legend under the section's own heading; beside a shipping address it does.
    billing.withoutLegend = !shipping;
    if (shipping) {
      shipping.kind = 'shipping';
      if (e.locale) shipping.setAttribute('locale', e.locale);
      shipping.value = data.shipping_address!;
    }
    const status = Object.assign(document.createElement('p'), { className: 'status', role: 'status' });
    const save = Object.assign(document.createElement('button'), { type: 'submit', className: 'primary', textContent: 'Save address' });
    const actions = Object.assign(document.createElement('div'), { className: 'actions' });
    actions.append(save);
    form.append(billing, ...(shipping ? [shipping] : []), actions, status);
    form.onsubmit = async (ev) => {
      ev.preventDefault();
      if (save.disabled) return;
      status.textContent = '';
      if (!billing.reportValidity() || (shipping && !shipping.reportValidity())) return;
      save.disabled = true;
      status.textContent = 'Saving…';
      try {
        const r = await api.savePortalSection('address', { billing_address: billing.value as Address, ...(shipping && { shipping_address: shipping.value as Address }) });
        status.textContent = 'Your address is saved.';
        e.post('customer_changed', { customer_id: r.customer?.id ?? '' });
      } catch (err) {
        const a = asAdapterError(err);
        const m = /^(billing|shipping)_address\[(\w+)\]$/.exec(a.param ?? '');
        const target = m?.[1] === 'shipping' ? shipping : billing;
        if (m && target) target.serverErrors = { [m[2]!]: a.message };
        status.textContent = a.message;
      } finally {
        save.disabled = false;
      }
    };
    return [form];
  }

  const asked = e.params.get('section') ?? '';
  const section = (ALIASES[asked] ?? (SECTIONS.some(([s]) => s === asked) ? asked : 'account_details')) as Section;
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
