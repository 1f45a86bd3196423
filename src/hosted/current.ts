/**
 * The panel above a `checkout_existing` page: the subscription as it is, the change, and what the change is prorated
 * to. A chunk of its own: a new customer's checkout never loads it.
 */
import type { HostedPageView } from '../adapter/adapter.js';
import { formatMoney } from '../core/money.js';
import { customerName } from '../core/schemas/common.js';

/** The current subscription and the change with its proration, for `checkout_existing`; hidden otherwise. */
export function renderCurrent(box: HTMLElement, v: HostedPageView, locale = navigator.language): void {
  const sub = v.subscription;
  if (v.checkout.kind !== 'existing' || !sub) return void (box.hidden = true);
  // Customers read the catalog's invoice names.
  const find = (list: ReadonlyArray<{ id: string; name: string; invoice_name?: string | undefined }>, id: string) => {
    const item = list.find((x) => x.id === id);
    return item ? customerName(item) : id;
  };
  const name = (pid: string) => find(v.catalog.plans, pid);
  const addon = (aid: string) => find(v.catalog.addons, aid);
  const money = (n: number) => formatMoney(n, sub.currency_code, locale);
  const date = (t: number | undefined) => (t ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(t * 1000) : '');
  const rows: Array<[string, string]> = [];
  rows.push([`${name(sub.plan_id)} × ${String(sub.plan_quantity ?? 1)}`, sub.next_billing_at ? `renews ${date(sub.next_billing_at)}` : sub.status]);
  for (const a of sub.addons ?? []) rows.push([`${addon(a.id)} × ${String(a.quantity ?? 1)}`, '']);
  const est = v.estimate;
  const change: Array<[string, string]> = [];
  if (v.checkout.plan_id && v.checkout.plan_id !== sub.plan_id) change.push([`Plan: ${name(sub.plan_id)} → ${name(v.checkout.plan_id)}`, '']);
  const period = (l: { date_from?: number | undefined; date_to?: number | undefined }) => (l.date_from && l.date_to ? ` (${date(l.date_from)} – ${date(l.date_to)})` : '');
  for (const cn of est?.credit_note_estimates ?? []) {
    for (const l of cn.line_items) change.push([`Credit for unused time: ${l.description}${period(l)}`, `−${money(l.amount)}`]);
  }
  for (const l of est?.invoice_estimate?.line_items ?? []) change.push([`${l.description}${period(l)}`, money(l.amount)]);
  if (est) change.push(['Due now', money(est.amount_due_now)]);
  const table = (title: string, r: Array<[string, string]>) => {
    const h = document.createElement('h2');
    h.textContent = title;
    const t = document.createElement('table');
    for (const [a, b] of r) {
      const tr = t.insertRow();
      tr.insertCell().textContent = a;
      tr.insertCell().textContent = b;
    }
    return [h, t];
  };
  box.replaceChildren(...table('Your subscription now', rows), ...(change.length ? table('This change, prorated to today', change) : []));
  box.setAttribute('aria-label', 'Your subscription and this change');
  box.hidden = false;
}
