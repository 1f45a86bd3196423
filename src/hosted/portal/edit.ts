import { changeEstimate, subscriptionOptions, subscriptionResult, subscriptionView } from '../../adapter/portal-schemas.js';
import type { ServerEstimate } from '../../adapter/adapter.js';
import { asAdapterError } from '../../adapter/errors.js';
import { applicableAddons } from '../../core/applicability.js';
import type { Plan } from '../../core/schemas/plan.js';
import { payWith } from './pay-with.js';
import { button, type Ctx, el, messages, once } from './ui.js';

/** "month", "3 months": a plan's or a recurring addon's billing period as the price reads it. */
const per = (p: { period?: number | undefined; period_unit?: string | undefined }) => (p.period && p.period > 1 ? `${String(p.period)} ${p.period_unit ?? 'month'}s` : (p.period_unit ?? 'month'));

/**
 * A plan's price as the customer reads it, in the words of the checkout's plan picker (components/internal/format.ts
 * `planPrice`): "$49.00 / month", "Free", "$2.00 per unit / month", and for tiers the first band's price, "from $5.00
 * / month". A tiered plan has no `price`: read as one, it would say $0.00. Not that function itself: it prices a flat
 * fee through the pricing engine and words through the elements' catalog, 1.4 KB more on every portal page (measured)
 * for the catalog's stored price, which the server has already checked.
 */
export function planPrice(c: Pick<Ctx, 'money'>, p: Plan): string {
  const money = (n: number) => c.money(n, p.currency_code);
  if (p.pricing_model === 'flat_fee') return p.price ? `${money(p.price)} / ${per(p)}` : 'Free';
  if (p.pricing_model === 'per_unit') return `${money(p.price ?? 0)} per unit / ${per(p)}`;
  return `from ${money(p.tiers?.[0]?.price ?? 0)} / ${per(p)}`;
}

/**
 * EDIT_SUBSCRIPTION: another plan (those the shop offers in the portal, in the subscription's currency) and the
 * addons that plan allows (mandatory ones locked, quantities within their limits), with the proration the server
 * will charge shown before confirming (the backend's estimate from `src/core`): credit for unused time, charges now,
 * due now, next invoice. Paid with the card on file or a new one (pay-with.ts).
 */
export async function editSubscription(c: Ctx, id: string): Promise<HTMLElement[]> {
  const [view, options, pw] = await Promise.all([
    c.api.portalRequest(`subscriptions/${encodeURIComponent(id)}`, subscriptionView),
    c.api.portalRequest(`subscriptions/${encodeURIComponent(id)}/options`, subscriptionOptions),
    payWith(c),
  ]);
  pw.show(false);
  const sub = view.subscription;
  if (!options.change_options.length) return [el('p', { textContent: 'This subscription cannot be changed here. Contact the shop to change it.' }), el('div', { class: 'actions' }, button('Back', () => c.go('sub_details', id)))];
  const currency = sub.currency_code;
  let planId = sub.plan_id;
  const quantities = new Map((sub.addons ?? []).map((a) => [a.id, a.quantity ?? 1]));
  let option = options.change_options[0]!;

  // The plans, as a radio group.
  const plans = el('fieldset', { class: 'plans' }, el('legend', { textContent: 'Plan' }));
  for (const p of options.plans) {
    const input = el('input', { type: 'radio', name: 'plan', value: p.id, checked: p.id === planId, id: `plan-${p.id}` });
    input.onchange = () => {
      planId = p.id;
      renderAddons();
      void estimate();
    };
    plans.append(el('label', { class: 'choice', htmlFor: input.id }, input, el('span', { class: 'name', textContent: p.name }), el('span', { class: 'price', textContent: planPrice(c, p) })));
  }

  // The addons the chosen plan allows.
  const addons = el('fieldset', { class: 'addons' }, el('legend', { textContent: 'Addons and packs' }));
  const renderAddons = () => {
    const plan = options.plans.find((p) => p.id === planId);
    addons.replaceChildren(el('legend', { textContent: 'Addons and packs' }));
    if (!plan) return;
    const offered = applicableAddons(plan, options.addons).offered;
    if (!offered.length) addons.append(el('p', { class: 'muted', textContent: 'This plan has no addons.' }));
    for (const o of offered) {
      const a = o.addon;
      const q = el('input', { type: 'number', id: `addon-${a.id}`, min: '0', value: String(o.locked ? (o.quantity ?? 1) : (quantities.get(a.id) ?? 0)), disabled: o.locked, inputMode: 'numeric' });
      q.oninput = () => {
        const n = Math.max(0, Math.floor(Number(q.value) || 0));
        if (n > 0) quantities.set(a.id, n);
        else quantities.delete(a.id);
        void estimate();
      };
      // Mandatory: charged with the plan, so not called included (which reads as free).
      const note = o.locked ? ' (comes with this plan)' : a.charge_type === 'non_recurring' ? ' (one-time)' : '';
      const every = a.charge_type === 'recurring' && a.period_unit && a.period_unit !== 'not_applicable' ? ` / ${per(a)}` : '';
      addons.append(el('div', { class: 'addon' }, el('label', { htmlFor: q.id, textContent: `${a.name} · ${c.money(a.price ?? 0, currency)}${every}${note}` }), q));
    }
  };
  renderAddons();

  // When, where the shop lets the customer choose.
  const when = el('fieldset', { class: 'when', hidden: options.change_options.length < 2 }, el('legend', { textContent: 'When' }));
  for (const o of options.change_options) {
    const input = el('input', { type: 'radio', name: 'when', value: o, checked: o === option, id: `when-${o}` });
    input.onchange = () => {
      option = o;
      void estimate();
    };
    when.append(el('label', { class: 'choice', htmlFor: input.id }, input, el('span', { textContent: o === 'immediately' ? 'Now (prorated)' : `At the end of the term (${c.date(sub.current_term_end)})` })));
  }

  const numbers = el('section', { class: 'card summary', ariaLive: 'polite' });
  const m = messages();
  const change = () => {
    const plan = options.plans.find((p) => p.id === planId);
    const allowed = new Set(plan ? applicableAddons(plan, options.addons).offered.filter((o) => !o.locked).map((o) => o.addon.id) : []);
    return {
      ...(planId !== sub.plan_id && { plan_id: planId }),
      addons: [...quantities].filter(([a]) => allowed.has(a)).map(([a, quantity]) => ({ id: a, quantity })),
      change_option: option,
    };
  };
  let asked = 0;
  const estimate = async () => {
    const mine = ++asked;
    // A plan that needs an addon (Credits Starter, a pack): said in the customer's words before asking the server.
    const plan = options.plans.find((p) => p.id === planId);
    if (plan?.addon_required && !change().addons.length && !applicableAddons(plan, options.addons).offered.some((o) => o.locked)) {
      numbers.replaceChildren(el('p', { class: 'alert', textContent: 'This plan needs a pack or addon: choose one above.' }));
      pw.show(false);
      confirm.disabled = true;
      return;
    }
    numbers.replaceChildren(el('p', { class: 'muted', textContent: 'Working out the price…' }));
    try {
      const r = await c.api.portalRequest(`subscriptions/${id}/estimate`, changeEstimate, change());
      if (mine !== asked) return;
      numbers.replaceChildren(...lines(c, r.estimate, currency, option));
      // Something to pay now: the customer picks the card; at term end the card on file pays with the renewal.
      pw.show(option === 'immediately' && r.estimate.amount_due_now > 0);
      confirm.disabled = false;
    } catch (err) {
      if (mine !== asked) return;
      numbers.replaceChildren(el('p', { class: 'alert', textContent: asAdapterError(err).message }));
      confirm.disabled = true;
    }
  };
  const confirm = button('Confirm change', () =>
    void once(confirm, m, 'Changing your subscription…', async () => {
      const { invoice } = await pw.pay((card) => c.api.portalRequest(`subscriptions/${id}/change`, subscriptionResult, { ...change(), ...card }));
      c.done('subscriptionChanged', id);
      const paid = invoice && invoice.amount_paid > 0 ? ` Paid: ${c.money(invoice.amount_paid, currency)} (invoice ${invoice.id}).` : '';
      c.go('sub_details', id, option === 'end_of_term' ? `Change scheduled for the end of the term (${c.date(sub.current_term_end)}).` : `Subscription changed.${paid}`);
    }),
    'primary',
  );
  void estimate();
  return [plans, addons, when, el('h2', { class: 'sub', textContent: 'What you pay' }), numbers, pw.node, el('div', { class: 'actions' }, confirm, button('Back', () => c.go('sub_details', id))), ...m.nodes];
}

/** The estimate as the customer reads it: credits for unused time, the charges, due now, the next invoice. */
function lines(c: Ctx, est: ServerEstimate, currency: string, option: string): HTMLElement[] {
  const rows: Array<[string, string, boolean?]> = [];
  const credit = (est.credit_note_estimates ?? []).reduce((n, x) => n + x.total, 0);
  if (option === 'immediately') {
    for (const l of est.invoice_estimate?.line_items ?? []) rows.push([l.description, c.money(l.amount, currency)]);
    if (credit > 0) rows.push(['Credit for unused time', `−${c.money(credit, currency)}`]);
    rows.push(['Due now', c.money(est.amount_due_now, currency), true]);
  }
  const next = est.next_invoice_estimate;
  const on = next && 'date' in next && typeof next.date === 'number' ? ` on ${c.date(next.date)}` : '';
  if (next) rows.push([`Next invoice${on}`, c.money(next.total, currency)]);
  const table = el('table', { class: 'lines' });
  const body = table.createTBody();
  for (const [k, v, strong] of rows) {
    const tr = body.insertRow();
    if (strong) tr.className = 'total';
    tr.insertCell().textContent = k;
    tr.insertCell().textContent = v;
  }
  return [table];
}
