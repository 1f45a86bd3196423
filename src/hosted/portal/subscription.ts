import { packResult, subscriptionList, subscriptionOptions, subscriptionResult, subscriptionView, type SubscriptionView } from '../../adapter/portal-schemas.js';
import { type PayWith, payWith } from './pay-with.js';
import { badge, button, type Ctx, el, facts, messages, once } from './ui.js';

/**
 * The subscription sections: the list, SUBSCRIPTION_DETAILS (plan, addons, status, term, next invoice, what is
 * scheduled, each with its action), SUBSCRIPTION_CANCELLATION (what happens and when, confirmed; undo; reactivate),
 * VIEW_SCHEDULED_CHANGES, and credit packs (now, or with the next renewal).
 */

/** With no subscription named: the customer's subscriptions, each opening its details. */
export async function subscriptions(c: Ctx): Promise<HTMLElement[]> {
  const { list } = await c.api.portalRequest('subscriptions', subscriptionList);
  if (!list.length) return [el('p', { textContent: 'You have no subscriptions.' })];
  if (list.length === 1) return details(c, list[0]!.id);
  const ul = el('ul', { class: 'cards' });
  for (const s of list) {
    const when = s.status === 'cancelled' ? `Ended ${c.date(s.cancelled_at)}` : s.status === 'non_renewing' ? `Ends ${c.date(s.current_term_end)}` : `Renews ${c.date(s.next_billing_at ?? s.current_term_end)}`;
    ul.append(el('li', { class: 'card' }, el('div', { class: 'row' }, el('strong', { textContent: s.plan_name ?? s.plan_id }), badge(s.status)), el('p', { class: 'muted', textContent: when }), button('Manage', () => c.go('sub_details', s.id))));
  }
  return [ul];
}

function summary(c: Ctx, v: SubscriptionView): HTMLElement {
  const s = v.subscription;
  const when =
    s.status === 'non_renewing'
      ? ['Ends on', c.date(s.cancelled_at ?? s.current_term_end)]
      : s.status === 'cancelled'
        ? ['Cancelled on', c.date(s.cancelled_at)]
        : ['Next billing', v.next_invoice ? `${c.date(v.next_invoice.date)} · ${c.money(v.next_invoice.total, v.next_invoice.currency_code)}` : c.date(s.next_billing_at)];
  const addons = v.addons.map((a) => `${a.name ?? a.id} × ${String(a.quantity ?? 1)}`).join(', ');
  return el(
    'section',
    { class: 'card' },
    el('div', { class: 'row' }, el('h2', { textContent: v.plan.name }), badge(s.status)),
    facts([
      ['Quantity', (s.plan_quantity ?? 1) > 1 ? String(s.plan_quantity) : undefined],
      ['Addons', addons || undefined],
      ['Current term ends', s.status === 'cancelled' ? undefined : c.date(s.current_term_end)],
      [when[0]!, when[1]],
      ['Subscription', s.id],
    ]),
  );
}

/** What changes at the next renewal, or on its date, with a way to remove it. */
function scheduled(c: Ctx, v: SubscriptionView, refresh: () => void): HTMLElement[] {
  const out: HTMLElement[] = [];
  const m = messages();
  if (v.scheduled_changes) {
    const ch = v.scheduled_changes;
    const what = [ch.plan_name && `${ch.plan_name}${ch.plan_quantity ? ` × ${String(ch.plan_quantity)}` : ''}`, ch.addons && `addons ${ch.addons.map((a) => `${a.id} × ${String(a.quantity ?? 1)}`).join(', ') || 'none'}`].filter(Boolean).join('; ');
    const remove = button('Remove scheduled change', () =>
      void once(remove, m, 'Removing…', async () => {
        await c.api.portalRequest(`subscriptions/${v.subscription.id}/remove_scheduled_changes`, subscriptionResult, {});
        c.done('subscriptionChanged', v.subscription.id);
        refresh();
      }),
    );
    out.push(el('section', { class: 'card note' }, el('h2', { textContent: 'Scheduled change' }), el('p', { textContent: `On ${c.date(ch.at)}: ${what || 'your subscription changes'}.` }), el('div', { class: 'actions' }, remove), ...m.nodes));
  }
  if (v.charges_at_term_end.length) {
    out.push(el('section', { class: 'card note' }, el('h2', { textContent: 'With your next renewal' }), el('ul', {}, ...v.charges_at_term_end.map((x) => el('li', { textContent: `${x.name} × ${String(x.quantity)}` })))));
  }
  if (!out.length) out.push(el('p', { class: 'muted', textContent: 'Nothing is scheduled for your next renewal.' }));
  return out;
}

/** SUBSCRIPTION_DETAILS: the summary, what is scheduled, and every action the shop allows. */
export async function details(c: Ctx, id: string, only?: 'scheduled'): Promise<HTMLElement[]> {
  const v = await c.api.portalRequest(`subscriptions/${encodeURIComponent(id)}`, subscriptionView);
  const refresh = () => c.go(only === 'scheduled' ? 'scheduled_changes' : 'sub_details', id);
  const a = v.actions;
  const m = messages();
  const actions = el('div', { class: 'actions' });
  if (a.change.length) actions.append(button('Change plan', () => c.go('edit_subscription', id), 'primary'));
  if (a.cancel) actions.append(button('Cancel subscription', () => c.go('sub_cancel', id), 'secondary'));
  if (a.remove_scheduled_cancellation) {
    const keep = button('Keep my subscription', () =>
      void once(keep, m, 'Keeping your subscription…', async () => {
        await c.api.portalRequest(`subscriptions/${id}/remove_scheduled_cancellation`, subscriptionResult, {});
        c.done('scheduledCancellationRemoved', id);
        refresh();
      }),
      'primary',
    );
    actions.append(keep);
  }
  let card: PayWith | undefined;
  if (a.reactivate) {
    card = await payWith(c);
    const pw = card;
    const again = button('Reactivate', () =>
      void once(again, m, 'Reactivating…', async () => {
        await pw.pay((body) => c.api.portalRequest(`subscriptions/${id}/reactivate`, subscriptionResult, body));
        c.done('subscriptionReactivated', id);
        refresh();
      }),
      'primary',
    );
    actions.append(again);
  }
  const body: HTMLElement[] = [summary(c, v)];
  if (v.subscription.status === 'non_renewing') body.push(el('p', { class: 'note', textContent: `Your subscription ends on ${c.date(v.subscription.cancelled_at)} and will not renew. Until then nothing changes.` }));
  // VIEW_SCHEDULED_CHANGES is titled so already.
  if (only) return [...body, ...scheduled(c, v, refresh)];
  body.push(el('h2', { class: 'sub', textContent: 'Scheduled changes' }), ...scheduled(c, v, refresh));
  if (a.packs) body.push(await packs(c, id, refresh, v.subscription.status != 'non_renewing'));
  body.push(...(card ? [card.node] : []), actions, ...m.nodes);
  return body;
}

/** SUBSCRIPTION_CANCELLATION: when it ends, what that means, confirmed; or why it cannot be done here. */
export async function cancellation(c: Ctx, id: string): Promise<HTMLElement[]> {
  const v = await c.api.portalRequest(`subscriptions/${encodeURIComponent(id)}`, subscriptionView);
  const s = v.subscription;
  if (s.status === 'non_renewing' || s.status === 'cancelled') return details(c, id);
  const mode = v.actions.cancel;
  if (!mode) return [summary(c, v), el('p', { textContent: 'This subscription cannot be cancelled here. Contact the shop to cancel it.' }), el('div', { class: 'actions' }, button('Back', () => c.go('sub_details', id)))];
  const end = s.current_term_end;
  const text = mode === 'end_of_term'
    ? `Your subscription stays active until ${c.date(end)}. After that it ends and you will not be charged again. You can change your mind until then.`
    : 'Your subscription ends now and you will not be charged again. This cannot be undone, but you can subscribe again later.';
  const m = messages();
  const confirm = button(mode === 'end_of_term' ? `Cancel at end of term (${c.date(end)})` : 'Cancel now', () =>
    void once(confirm, m, 'Cancelling…', async () => {
      await c.api.portalRequest(`subscriptions/${id}/cancel`, subscriptionResult, {});
      c.done('subscriptionCancelled', id);
      c.go('sub_details', id);
    }),
    'danger',
  );
  return [summary(c, v), el('p', { class: 'note', textContent: text }), el('div', { class: 'actions' }, confirm, button('Keep my subscription', () => c.go('sub_details', id))), ...m.nodes];
}

/** Credit packs for this plan: buy now (charged at once) or add to the next renewal. */
async function packs(c: Ctx, id: string, refresh: () => void, atRenewal: boolean): Promise<HTMLElement> {
  const { packs: list } = await c.api.portalRequest(`subscriptions/${encodeURIComponent(id)}/options`, subscriptionOptions);
  if (!list.length) return el('span');
  const select = el('select', { id: 'pack' }, ...list.map((p) => el('option', { value: p.id, textContent: `${p.name} · ${c.money(p.price ?? 0, p.currency_code)}` })));
  const qty = el('input', { id: 'pack-qty', type: 'number', min: '1', max: '99', value: '1', inputMode: 'numeric' });
  const m = messages();
  const pw = await payWith(c);
  const body = () => ({ addon_id: select.value, addon_quantity: Math.max(1, Math.min(99, Number(qty.value) || 1)) });
  const now = button('Buy now', () =>
    void once(now, m, 'Paying…', async () => {
      const r = await pw.pay((card) => c.api.portalRequest(`subscriptions/${id}/charge_addon`, packResult, { ...body(), ...card }));
      m.ok(r.invoice ? `Paid: ${c.money(r.invoice.amount_paid, list[0]!.currency_code)} (invoice ${r.invoice.id}).` : 'Done.');
    }),
    'primary',
  );
  const later = button('Add to next renewal', () =>
    void once(later, m, 'Scheduling…', async () => {
      await c.api.portalRequest(`subscriptions/${id}/charge_addon_at_term_end`, packResult, body());
      c.done('subscriptionChanged', id);
      refresh();
    }),
  );
  return el(
    'section',
    { class: 'card' },
    el('h2', { textContent: 'Buy credits' }),
    el('div', { class: 'fields' }, el('label', { htmlFor: 'pack', textContent: 'Pack' }), select, el('label', { htmlFor: 'pack-qty', textContent: 'Quantity' }), qty),
    pw.node,
    el('div', { class: 'actions' }, now, atRenewal && later),
    ...m.nodes,
  );
}
