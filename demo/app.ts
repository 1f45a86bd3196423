/**
 * Inkwell's pages: the pricing page (plans, a pack dropdown, the addon rule, the checkout in Paylit's modal) and the
 * account page (balance, subscription, "Use credits", the low-balance offer, and the portal: the billing address,
 * the subscription with its credit packs, the cards and the invoices).
 * Everything that needs the secret key goes through Inkwell's own server (`/api/...`, demo/merchant.ts).
 */
import '../src/components/credit-balance/define.js';
import { packCredits } from '../src/components/internal/format.js';
import { formatMoney } from '../src/core/money.js';
import type { Addon } from '../src/core/schemas/addon.js';
import type { Plan } from '../src/core/schemas/plan.js';
import { customerName } from '../src/core/schemas/common.js';
import type { TopUpRequestDetail } from '../src/components/internal/events.js';
import type { PaylitInstance } from '../src/embed/types.js';
import type {} from '../src/global.js';
import type { LedgerEntry } from '../src/merchant/ledger.js';

interface Config {
  site: string;
  domain: string;
  publishableKey: string;
  threshold: number;
  cost: number;
}
interface Offer {
  plan: Plan;
  packs: Addon[];
}
interface Subscription {
  id: string;
  plan_id: string;
  /** The plan's name as customers read it (the demo's server adds it). */
  plan_name?: string;
  status: string;
  current_term_end?: number;
  cancelled_at?: number;
  charges_at_term_end?: Array<{ addon_id: string; addon_quantity: number }>;
}
interface Account {
  id: string;
  customer: { id: string; email?: string; first_name?: string; last_name?: string; billing_address?: Record<string, string | undefined> } | null;
  subscription: Subscription | null;
  balance: number;
  low: boolean;
  threshold: number;
  history: LedgerEntry[];
}

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
// Integer minor units, formatted by the core's money function (Intl on the exact decimal, never a float division).
const money = (cents: number, currency = 'USD') => formatMoney(cents, currency, navigator.language);
const date = (unix: number) => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(new Date(unix * 1000));
const dateTime = (unix: number) => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(unix * 1000));
const credits = (a: Addon) => packCredits(a) ?? 0;

class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function api<T>(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const json = (await res.json().catch(() => ({}))) as T & { message?: string };
  if (!res.ok) throw new ApiError(json.message ?? `The request failed (${String(res.status)}).`, res.status);
  return json;
}

/** The page's one banner: a message, and optionally an action (Undo). A new one replaces it; `say('')` clears it. */
const say = (text: string, action?: { label: string; run: () => void }) => {
  // Cleared first, so the same message twice is announced twice.
  $('status').replaceChildren();
  requestAnimationFrame(() => {
    $('status').textContent = text;
    if (action) {
      const b = Object.assign(document.createElement('button'), { type: 'button', className: 'link', textContent: action.label });
      b.onclick = action.run;
      $('status').append(' ', b);
    }
  });
};

/**
 * Paylit's `error`, as a shop should take it: its message and code are for the developer (the console here, an error
 * tracker on a live shop), never the customer's to read. The modal has already told the customer what happened, in
 * their words, with Try again where it may help; the page keeps one plain line for after it is closed.
 */
const paylitError = (what: string) => (e: Error) => {
  console.error(e);
  say(`Sorry, ${what} is not available right now. Please try again in a moment.`);
};

let config: Config;
let offers: Offer[] = [];
let account: Account | undefined;
let paylit: PaylitInstance;

function loadPaylit(c: Config): Promise<PaylitInstance> {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = `${c.domain}/paylit.js`;
    s.dataset.paylitSite = c.site;
    s.dataset.paylitPublishableKey = c.publishableKey;
    s.dataset.paylitDomain = c.domain;
    s.onload = () => resolve(window.Paylit.getInstance());
    s.onerror = () => reject(new Error(`Could not load ${s.src}: is the Paylit backend running?`));
    document.head.append(s);
  });
}

// ------------------------------------------------------------------ pricing (steps 1–4)

const selectedOffer = () => offers.find((o) => o.plan.id === new FormData($<HTMLFormElement>('buy')).get('plan'));
const selectedPack = () => selectedOffer()?.packs.find((p) => p.id === $<HTMLSelectElement>('pack').value);
const quantity = () => {
  const n = Number($<HTMLInputElement>('quantity').value);
  return Number.isInteger(n) && n >= 1 && n <= 10 ? n : undefined;
};

function renderPlans(): void {
  const list = $('plan-list');
  list.replaceChildren(
    ...offers.map(({ plan }) => {
      const label = document.createElement('label');
      label.className = 'plan';
      const input = Object.assign(document.createElement('input'), { type: 'radio', name: 'plan', value: plan.id });
      const name = Object.assign(document.createElement('strong'), { textContent: customerName(plan) });
      const price = Object.assign(document.createElement('span'), {
        className: 'price',
        textContent: plan.price ? `${money(plan.price)} / month` : 'No monthly fee',
      });
      const about = Object.assign(document.createElement('span'), { className: 'muted', textContent: plan.description ?? '' });
      label.append(input, name, price, about);
      return label;
    }),
  );
}

function renderPacks(): void {
  const offer = selectedOffer();
  const select = $<HTMLSelectElement>('pack');
  const keep = select.value;
  select.replaceChildren(
    new Option('Choose a pack…', ''),
    ...(offer?.packs ?? []).map((p) => new Option(`${credits(p).toLocaleString()} credits: ${money(p.price ?? 0, p.currency_code)}`, p.id)),
  );
  if (offer?.packs.some((p) => p.id === keep)) select.value = keep;
  $<HTMLFieldSetElement>('pack-step').disabled = !offer;
  renderTotal();
}

function renderTotal(): void {
  const offer = selectedOffer();
  const pack = selectedPack();
  const q = quantity();
  // Until there is a total, the line says what gives one, rather than a dash beside "Due today".
  const known = !!(offer && pack && q);
  $('total-label').hidden = !known;
  $('total').textContent = known ? money((offer.plan.price ?? 0) + (pack.price ?? 0) * q, pack.currency_code) : offer ? 'Choose a credit pack to see the total.' : 'Choose a plan and a pack to see the total.';
  $('total').classList.toggle('muted', !known);
}

function packError(text: string): void {
  const select = $<HTMLSelectElement>('pack');
  $('pack-error').textContent = text;
  if (text) select.setAttribute('aria-invalid', 'true');
  else select.removeAttribute('aria-invalid');
}

let checkoutOpen = false;

function checkout(event: SubmitEvent): void {
  event.preventDefault();
  const offer = selectedOffer();
  if (!offer) {
    say('Choose a plan first.');
    document.querySelector<HTMLInputElement>('input[name="plan"]')?.focus();
    return;
  }
  const pack = selectedPack();
  const q = quantity();
  // The addon rule (seed 000, step 4): no checkout without a pack.
  if (!pack) {
    packError('Choose a credit pack to continue.');
    $('pack').focus();
    return;
  }
  if (!q) {
    packError('Packs: choose between 1 and 10.');
    $('quantity').focus();
    return;
  }
  packError('');
  // Not `disabled`: the modal gives focus back to this button when it closes.
  if (checkoutOpen) return;
  checkoutOpen = true;
  let paid = false;
  paylit.openCheckout({
    hostedPage: () => api('/api/checkout', { plan_id: offer.plan.id, addons: [{ id: pack.id, quantity: q }] }),
    success: (hostedPageId) => {
      paid = true;
      say('Payment received. Setting up your account…');
      // The account is set up behind the modal, which stays open on its success screen (what was paid, the invoice)
      // until the customer leaves it with Return to Inkwell or ×.
      void api(`/api/checkout/${encodeURIComponent(hostedPageId)}/complete`, {})
        .then(() => refresh({ waitForCredits: true }))
        .catch((e: Error) => say(e.message));
    },
    // A checkout that opens (Try again in the modal, after an error) makes the line behind it stale.
    loaded: () => say(''),
    close: () => {
      checkoutOpen = false;
      // Paid: the account page, where the credits appear, takes the focus (the Checkout button that opened it is gone).
      if (paid) $('main').focus();
      else void refresh();
    },
    error: (e) => {
      checkoutOpen = false;
      paylitError('the checkout')(e);
    },
  });
}

// ------------------------------------------------------------------ account (steps 5–7)

const addonName = (id: string) => {
  for (const o of offers) {
    const p = o.packs.find((x) => x.id === id);
    if (p) return `${credits(p).toLocaleString()} credits`;
  }
  return id;
};

function fact(dl: HTMLElement, term: string, value: string): void {
  dl.append(Object.assign(document.createElement('dt'), { textContent: term }), Object.assign(document.createElement('dd'), { textContent: value }));
}

function renderAccount(a: Account): void {
  $('balance').textContent = a.balance.toLocaleString();
  $('balance-note').textContent = a.low ? `Running low: below ${String(a.threshold)} credits.` : `Enough for ${String(Math.floor(a.balance / config.cost))} taglines.`;

  const sub = a.subscription;
  const dl = $('subscription');
  dl.replaceChildren();
  if (sub) {
    const plan = offers.find((o) => o.plan.id === sub.plan_id)?.plan;
    fact(dl, 'Plan', plan ? customerName(plan) : (sub.plan_name ?? sub.plan_id));
    const status = { active: 'Active', non_renewing: 'Non-renewing', cancelled: 'Cancelled', in_trial: 'In trial', paused: 'Paused', future: 'Starts later' }[sub.status] ?? sub.status;
    fact(dl, 'Status', status);
    if (sub.status === 'non_renewing' && sub.current_term_end) fact(dl, 'Ends on', date(sub.current_term_end));
    else if (sub.status === 'cancelled' && sub.cancelled_at) fact(dl, 'Ended on', date(sub.cancelled_at));
    else if (sub.current_term_end) fact(dl, 'Renews on', date(sub.current_term_end));
  }
  const scheduled = sub?.status === 'active' ? (sub.charges_at_term_end ?? []) : [];
  $('scheduled-box').hidden = scheduled.length === 0;
  $('scheduled').replaceChildren(
    ...scheduled.map((c) => Object.assign(document.createElement('li'), { textContent: `${String(c.addon_quantity)} × ${addonName(c.addon_id)} (scheduled)` })),
  );

  const addr = a.customer?.billing_address;
  const lines = addr
    ? [[addr.first_name, addr.last_name].filter(Boolean).join(' '), addr.line1, addr.line2, [addr.city, addr.state_code ?? addr.state, addr.zip].filter(Boolean).join(' '), addr.country]
    : [];
  $('address').replaceChildren(...lines.filter(Boolean).flatMap((l) => [document.createTextNode(l ?? ''), document.createElement('br')]));
  if (!lines.length) $('address').textContent = 'No billing address yet.';

  const rows = a.history.map((e) => {
    const tr = document.createElement('tr');
    const what = e.kind === 'purchase' ? `Bought ${e.description ?? ''}`.replace(/× (\S+)/, (_m, id: string) => `× ${addonName(id)}`) : e.kind === 'grant' ? (e.description ?? 'Granted') : (e.description ?? 'Used');
    for (const [text, cls] of [[dateTime(e.createdAt), ''], [what, ''], [e.amount > 0 ? `+${e.amount.toLocaleString()}` : e.amount.toLocaleString(), 'num'], [e.balanceAfter.toLocaleString(), 'num']] as const) {
      tr.append(Object.assign(document.createElement('td'), { textContent: text, className: cls }));
    }
    return tr;
  });
  if (!rows.length) {
    const tr = document.createElement('tr');
    tr.append(Object.assign(document.createElement('td'), { colSpan: 4, className: 'muted', textContent: 'Nothing yet.' }));
    rows.push(tr);
  }
  $('history').querySelector('tbody')!.replaceChildren(...rows);

  const balance = $('credits') as HTMLElementTagNameMap['paylit-credit-balance'];
  // Shown once the account has had credits: right after the first payment, 0 means "on the way", not "running low".
  const live = !!sub && sub.status !== 'cancelled' && a.history.length > 0;
  balance.hidden = !live;
  const packs = offers.find((o) => o.plan.id === sub?.plan_id)?.packs ?? [];
  const lastPack = a.history.find((e) => e.kind === 'purchase')?.addonId;
  balance.threshold = a.threshold;
  balance.packs = live ? packs : [];
  if (lastPack && !balance.pack) balance.pack = lastPack;
  balance.balance = a.balance;
}

async function refresh(o: { waitForCredits?: boolean; from?: number } = {}): Promise<void> {
  const before = o.from ?? account?.balance ?? 0;
  account = await api<Account>('/api/account');
  const showAccount = !!account.subscription;
  const arriving = showAccount && $('account').hidden;
  $('loading').hidden = true;
  $('pricing').hidden = showAccount;
  $('account').hidden = !showAccount;
  // From the pricing page (scrolled down to Checkout on a phone): the account page from its top, banner and balance.
  if (arriving) window.scrollTo(0, 0);
  if (showAccount) renderAccount(account);
  if (o.waitForCredits) {
    // The credits come with the payment_succeeded webhook, a moment after the payment.
    for (let i = 0; i < 60 && account.balance <= before; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      account = await api<Account>('/api/account');
      renderAccount(account);
    }
    say(account.balance > before ? `${(account.balance - before).toLocaleString()} credits added. Balance: ${account.balance.toLocaleString()}.` : 'Your payment went through; the credits are on their way.');
  }
}

async function useCredits(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const button = $<HTMLButtonElement>('use-credits');
  const err = $('use-error');
  err.textContent = '';
  button.disabled = true;
  try {
    const r = await api<{ tagline: string; balance: number }>('/api/use', { prompt: $<HTMLInputElement>('prompt').value }, { 'idempotency-key': crypto.randomUUID() });
    const quote = $('tagline');
    quote.textContent = r.tagline;
    quote.hidden = false;
    say(`Tagline written. ${String(config.cost)} credits used; ${r.balance.toLocaleString()} left.`);
    await refresh();
  } catch (e) {
    err.textContent = e instanceof ApiError && e.status === 402 ? `${e.message} Top up to keep writing.` : (e as Error).message;
    if (e instanceof ApiError && e.status === 402) ($('credits') as HTMLElementTagNameMap['paylit-credit-balance']).show();
  } finally {
    button.disabled = false;
  }
}

async function topUp(e: CustomEvent<TopUpRequestDetail>): Promise<void> {
  const { choice, addonId, quantity: q } = e.detail;
  const before = account?.balance ?? 0;
  try {
    await api('/api/topup', { choice, ...(addonId && { addon_id: addonId }), quantity: q }, { 'idempotency-key': crypto.randomUUID() });
    if (choice === 'replenish_now' || choice === 'change_pack') {
      say(`Charged for ${String(q)} × ${addonName(addonId ?? '')}. The credits will appear in a moment.`);
      await refresh({ waitForCredits: true, from: before });
    } else if (choice === 'add_at_renewal') {
      say(`${String(q)} × ${addonName(addonId ?? '')} will be added at your next renewal.`);
      await refresh();
    } else {
      await refresh();
      const end = account?.subscription?.current_term_end;
      say(`Your subscription will end${end ? ` on ${date(end)}` : ' at the end of this term'}, not renew. Your credits stay yours.`, {
        label: 'Undo',
        run: () =>
          void api('/api/renew-again', {})
            .then(() => refresh())
            .then(() => say('Your subscription will renew as before.'))
            .catch((x: Error) => say(x.message)),
      });
    }
  } catch (x) {
    say((x as Error).message);
  }
}

function editAddress(): void {
  paylit.createPaylitPortal().openSection('ADDRESS', {
    customerChanged: () => {
      say('Billing address saved.');
      void refresh();
    },
    close: () => void refresh(),
    error: paylitError('your billing address'),
  });
}

/**
 * The rest of the portal, opened as a Chargebee.js merchant opens it: the subscription (change plan, cancel, buy a
 * pack now or with the next renewal), the cards, the invoices. Each callback refreshes the account page; a pack bought
 * in the portal raises no callback (Chargebee's portal has none), so while the portal is open the page watches the
 * balance, which rises once the pack's payment_succeeded webhook has credited the ledger.
 */
function openPortal(section: 'SUBSCRIPTION_DETAILS' | 'PAYMENT_SOURCES' | 'BILLING_HISTORY'): void {
  const sub = account?.subscription;
  const sections = window.Paylit.getPortalSections();
  let seen = account?.balance ?? 0;
  const watch = setInterval(() => {
    void api<Account>('/api/account').then((a) => {
      if (a.balance <= seen) return;
      say(`${(a.balance - seen).toLocaleString()} credits added. Balance: ${a.balance.toLocaleString()}.`);
      seen = a.balance;
      account = a;
      renderAccount(a);
    }, () => undefined);
  }, 1000);
  const then = (text: string) => () => {
    say(text);
    void refresh();
  };
  paylit.createPaylitPortal().openSection(
    { sectionType: sections[section], ...(sub && section === 'SUBSCRIPTION_DETAILS' && { params: { subscriptionId: sub.id } }) },
    {
      subscriptionChanged: then('Subscription updated.'),
      subscriptionCancelled: then('Subscription cancelled.'),
      scheduledCancellationRemoved: then('Your subscription will renew as before.'),
      subscriptionReactivated: then('Subscription reactivated.'),
      paymentSourceAdd: then('Card added.'),
      paymentSourceUpdate: then('Card updated.'),
      paymentSourceRemove: then('Card removed.'),
      close: () => {
        clearInterval(watch);
        void refresh();
      },
      error: (x) => {
        clearInterval(watch);
        paylitError('your account')(x);
      },
    },
  );
}

// ------------------------------------------------------------------ demo admin

async function renew(): Promise<void> {
  const button = $<HTMLButtonElement>('renew');
  button.disabled = true;
  const before = account?.balance ?? 0;
  try {
    await api('/api/admin/renew', {});
    say('Moved to the renewal.');
    const scheduled = (account?.subscription?.charges_at_term_end ?? []).length > 0;
    await refresh(scheduled ? { waitForCredits: true, from: before } : {});
  } catch (e) {
    say((e as Error).message);
  } finally {
    button.disabled = false;
  }
}

async function main(): Promise<void> {
  [config, { offers }] = await Promise.all([api<Config>('/api/config'), api<{ offers: Offer[] }>('/api/catalog')]);
  for (const el of document.querySelectorAll('.cost')) el.textContent = String(config.cost);
  renderPlans();
  paylit = await loadPaylit(config);
  paylit.setPortalSession(() => api('/api/portal', {}));

  $('plan-list').addEventListener('change', () => {
    // "Choose a plan first." no longer applies.
    say('');
    renderPacks();
  });
  $('pack').addEventListener('change', () => {
    if (selectedPack()) packError('');
    say('');
    renderTotal();
  });
  $('quantity').addEventListener('input', renderTotal);
  $<HTMLFormElement>('buy').addEventListener('submit', checkout);
  $<HTMLFormElement>('use').addEventListener('submit', (e) => void useCredits(e));
  $('credits').addEventListener('paylit-topup-request', (e) => void topUp(e));
  $('edit-address').addEventListener('click', editAddress);
  $('manage-subscription').addEventListener('click', () => openPortal('SUBSCRIPTION_DETAILS'));
  $('payment-methods').addEventListener('click', () => openPortal('PAYMENT_SOURCES'));
  $('invoices').addEventListener('click', () => openPortal('BILLING_HISTORY'));
  $('renew').addEventListener('click', () => void renew());
  const hooks = $<HTMLInputElement>('hooks-down');
  hooks.checked = (await api<{ down: boolean }>('/api/admin/webhooks')).down;
  hooks.addEventListener('change', () => {
    void api('/api/admin/webhooks', { down: hooks.checked }).then(() => say(hooks.checked ? 'The webhook endpoint now answers 503.' : 'The webhook endpoint is back.'));
  });
  $('new-user').addEventListener('click', () => void api('/api/admin/new-user', {}).then(() => location.assign('/demo/')));
  await refresh();
}

main().catch((e: Error) => {
  $('loading').hidden = true;
  say(e.message);
});
