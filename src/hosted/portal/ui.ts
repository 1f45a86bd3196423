import type { HttpAdapter } from '../../adapter/http-adapter.js';
import { asAdapterError } from '../../adapter/errors.js';
import { formatMoney } from '../../core/money.js';
import type { Embedding } from '../embedding.js';

/** An error already shown beside its field (a card's): `once` leaves it there instead of repeating it. */
export class Shown extends Error {}

/** The portal's sections, by Chargebee.js's section type values. */
export type Section =
  | 'account_details'
  | 'portal_edit_account'
  | 'sub_details'
  | 'sub_cancel'
  | 'edit_subscription'
  | 'scheduled_changes'
  | 'portal_billing_history'
  | 'portal_payment_methods'
  | 'portal_add_payment_method'
  | 'portal_address';

/** The callbacks a portal action fires in the host (once per action), as Chargebee.js names them. */
export type PortalCallback =
  | 'paymentSourceAdd'
  | 'paymentSourceUpdate'
  | 'paymentSourceRemove'
  | 'subscriptionChanged'
  | 'subscriptionCancelled'
  | 'subscriptionReactivated'
  | 'scheduledCancellationRemoved';

/** What every section gets: the API, the embedding, formatting in the customer's locale, and navigation. */
export interface Ctx {
  readonly api: HttpAdapter;
  readonly e: Embedding;
  money(minor: number, currency: string): string;
  date(t: number | undefined): string;
  /** Opens another section (with its subscription), focusing its heading; `said`: what was just done, shown under it. */
  go(section: Section, subscriptionId?: string, said?: string): void;
  /** Tells the host an action was done: its callback fires there once. */
  done(callback: PortalCallback, subscriptionId?: string): void;
}

export function context(api: HttpAdapter, e: Embedding, go: Ctx['go']): Ctx {
  const locale = e.locale ?? navigator.language;
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  return {
    api,
    e,
    money: (n, c) => formatMoney(n, c, locale),
    date: (t) => (t ? dates.format(t * 1000) : '—'),
    go,
    done: (callback, id) => e.post('portal', { callback, ...(id !== undefined && { subscription_id: id }) }),
  };
}

/** An element with properties and children; text is always set as text, never parsed as HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> & { class?: string } = {}, ...children: Array<Node | string | false | undefined>): HTMLElementTagNameMap[K] {
  const { class: cls, ...rest } = props;
  const node = Object.assign(document.createElement(tag), rest);
  if (cls) node.className = cls;
  node.append(...children.filter((c): c is Node | string => c !== false && c !== undefined));
  return node;
}

export const button = (label: string, onclick: () => void, kind: 'primary' | 'secondary' | 'danger' | 'link' = 'secondary') =>
  el('button', { type: 'button', class: `btn ${kind}`, textContent: label, onclick });

/** A polite status line under a form, and the alert for what went wrong. */
export function messages() {
  const status = el('p', { class: 'status' });
  status.setAttribute('role', 'status');
  const alert = el('p', { class: 'alert' });
  alert.setAttribute('role', 'alert');
  // What is said is brought into view (it sits under the buttons, which may be at the screen's foot).
  const say = (text: string, p = status) => {
    alert.textContent = status.textContent = '';
    p.textContent = text;
    p.scrollIntoView({ block: 'nearest' });
  };
  return {
    nodes: [status, alert] as const,
    busy: say,
    ok: (text: string) => {
      // A newer success makes the note under the heading (what the action before did) stale.
      document.getElementById('said')?.remove();
      document.querySelector('[aria-describedby="said"]')?.removeAttribute('aria-describedby');
      say(text);
    },
    fail: (err: unknown) => say(asAdapterError(err).message, alert),
  };
}

/**
 * Runs an action once at a time from a button: disabled while it runs (a double click does nothing), its errors
 * shown in `m`. Returns whether it succeeded.
 */
export async function once(b: HTMLButtonElement, m: ReturnType<typeof messages>, busy: string, work: () => Promise<void>): Promise<boolean> {
  if (b.disabled) return false;
  b.disabled = true;
  b.setAttribute('aria-busy', 'true');
  m.busy(busy);
  try {
    await work();
    return true;
  } catch (err) {
    if (err instanceof Shown) m.busy('');
    else m.fail(err);
    return false;
  } finally {
    b.disabled = false;
    b.removeAttribute('aria-busy');
  }
}

/** A definition list of label and value rows (rows without a value are left out). */
export function facts(rows: Array<[string, string | Node | undefined | null]>): HTMLDListElement {
  const dl = el('dl', { class: 'facts' });
  for (const [k, v] of rows) if (v !== undefined && v !== null && v !== '') dl.append(el('dt', { textContent: k }), el('dd', {}, v));
  return dl;
}

export const STATUS: Record<string, string> = {
  future: 'Starts later',
  in_trial: 'In trial',
  active: 'Active',
  non_renewing: 'Ends at term end',
  paused: 'Paused',
  cancelled: 'Cancelled',
  paid: 'Paid',
  payment_due: 'Payment due',
  not_paid: 'Not paid',
  posted: 'Posted',
  voided: 'Voided',
  pending: 'Pending',
};

export const badge = (status: string) => el('span', { class: `badge ${status}`, textContent: STATUS[status] ?? status });
