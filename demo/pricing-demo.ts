/**
 * The demo page until the backend and the elements exist: the demo catalog priced by src/core in the browser.
 * Plain DOM on purpose (no Lit yet); catalog text always goes in as text, never as HTML.
 */
import {
  addonSchema, applicableAddons, estimateNewSubscription, formatMoney, type InvoiceEstimate, PaylitValidationError,
  parseOrThrow, planSchema,
} from '../src/core/index.js';
import { demoAddons, demoPlans, demoTaxProfile } from '../src/server/seed/catalog.js';

const plans = demoPlans.map((p) => parseOrThrow(planSchema, p)).filter((p) => p.enabled_in_hosted_pages);
const addons = demoAddons.map((a) => parseOrThrow(addonSchema, a));
const quantities = new Map<string, number>();
let planId = plans[0]?.id ?? '';
let tried = false;

const $ = <T extends HTMLElement>(sel: string) => document.querySelector<T>(sel)!;
function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, unknown> = {}, ...kids: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...kids);
  return node;
}
const locale = navigator.language || 'en';
const money = (minor: number, currency: string) => formatMoney(minor, currency, locale);

function renderPlans(): void {
  const box = $('#plans');
  for (const p of plans) {
    const input = el('input', { type: 'radio', name: 'plan', value: p.id, id: `plan-${p.id}`, checked: p.id === planId });
    input.addEventListener('change', () => {
      planId = p.id;
      quantities.clear();
      renderAddons();
      update();
    });
    const price = p.pricing_model === 'flat_fee' || p.pricing_model === 'per_unit' ? money(p.price, p.currency_code) : 'tiered';
    const label = el('label', { htmlFor: input.id }, el('strong', {}, p.name), ` · ${price} / ${p.period_unit}`);
    box.append(el('div', { className: 'plan' }, input, label));
  }
}

function renderAddons(): void {
  const list = $('#addon-list');
  list.replaceChildren();
  const plan = plans.find((p) => p.id === planId)!;
  const { offered } = applicableAddons(plan, addons);
  if (offered.length === 0) list.append(el('p', { className: 'muted' }, 'No addons for this plan.'));
  for (const o of offered) {
    const id = `addon-${o.addon.id}`;
    const input = el('input', { type: 'number', id, min: o.locked ? String(o.quantity ?? 1) : '0', max: '99', value: String(o.locked ? (o.quantity ?? 1) : 0), disabled: o.locked });
    input.addEventListener('input', () => {
      const n = Number.parseInt(input.value, 10);
      quantities.set(o.addon.id, Number.isSafeInteger(n) && n > 0 ? Math.min(n, 99) : 0);
      update();
    });
    const tag = o.kind === 'mandatory' ? ' (included with this plan)' : o.kind === 'recommended' ? ' (recommended)' : '';
    list.append(
      el('div', { className: 'addon' }, el('label', { htmlFor: id }, el('strong', {}, o.addon.name), ` · ${money(o.addon.price, o.addon.currency_code)}${tag}`), input),
    );
  }
}

function rows(inv: InvoiceEstimate): HTMLTableRowElement[] {
  return inv.line_items.map((l) => el('tr', {}, el('td', {}, l.description), el('td', {}, String(l.quantity)), el('td', {}, money(l.amount, inv.currency_code))));
}

function update(): void {
  const plan = plans.find((p) => p.id === planId)!;
  const chosen = [...quantities].filter(([, q]) => q > 0).map(([id, quantity]) => ({ id, quantity }));
  const [country, region] = $<HTMLSelectElement>('#country').value.split(':');
  const error = $('#addon-error');
  const body = $('#summary tbody');
  const foot = $('#summary tfoot');
  try {
    const est = estimateNewSubscription(
      { plan, addons: chosen },
      { addons, now: Math.floor(Date.now() / 1000), taxProfile: demoTaxProfile, billingAddress: country ? { country, ...(region && { state_code: region }) } : undefined },
    );
    error.hidden = true;
    const inv = est.invoice_estimate;
    body.replaceChildren(...(inv ? rows(inv) : [el('tr', {}, el('td', { colSpan: 3 }, 'Nothing is due today.'))]));
    const cur = plan.currency_code;
    foot.replaceChildren(
      ...(inv && inv.discount_total ? [el('tr', {}, el('td', { colSpan: 2 }, 'Discounts'), el('td', {}, `−${money(inv.discount_total, cur)}`))] : []),
      ...(inv && inv.tax ? [el('tr', {}, el('td', { colSpan: 2 }, 'Tax'), el('td', {}, money(inv.tax, cur)))] : []),
      el('tr', {}, el('td', { colSpan: 2 }, 'Due now'), el('td', { id: 'total' }, money(est.amount_due_now, cur))),
    );
    const next = est.next_invoice_estimate;
    $('#next').textContent = next
      ? `Then ${money(next.total, cur)} on ${new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(next.date * 1000)}.`
      : '';
  } catch (e) {
    if (!(e instanceof PaylitValidationError)) throw e;
    // The addon rule: the message shows next to the addons, but only once the customer has tried to go on.
    error.textContent = e.errors.map((x) => x.message).join(' ');
    error.hidden = !tried;
    body.replaceChildren(el('tr', {}, el('td', { colSpan: 3 }, 'Choose the required addons to see the total.')));
    foot.replaceChildren();
    $('#next').textContent = '';
  }
}

$('#country').addEventListener('change', update);
$<HTMLFormElement>('#checkout').addEventListener('submit', (ev) => {
  ev.preventDefault();
  tried = true;
  update();
  const error = $('#addon-error');
  const status = $('#status');
  if (!error.hidden) {
    status.textContent = error.textContent;
    $('#addons').querySelector<HTMLInputElement>('input:not([disabled])')?.focus();
    return;
  }
  status.textContent = 'Ready to pay. Payment arrives with the backend.';
});

renderPlans();
renderAddons();
update();
