import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreditLedger, packCredits } from '../../src/merchant/index.js';
import { backends, CARDS, cardToken, ORIGIN, portalCustomer, portalKey, type TestServer, until } from './harness.js';

type Json = Record<string, any>;
interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
  event: Json;
}

const USER = 'inkwell';
const PASSWORD = 'hook-pw';

/** The merchant's webhook endpoint: keeps every delivery. */
async function receiver(): Promise<{ url: string; got: Delivery[]; close: () => Promise<void> }> {
  const got: Delivery[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      got.push({ headers: req.headers, body, event: JSON.parse(body) as Json });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/webhooks`,
    got,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}


/** What a merchant's handler must be able to read in each event's content (the SDK's WebhookEvent content types). */
const SHAPES: Record<string, (c: Json) => unknown[]> = {
  subscription_changed: (c) => [c.subscription.id, c.customer.id, c.card?.last4],
  subscription_changes_scheduled: (c) => [c.subscription.id, c.customer.id, c.card?.last4],
  subscription_scheduled_changes_removed: (c) => [c.subscription.id, c.customer.id, c.card?.last4],
  subscription_cancellation_scheduled: (c) => [c.subscription.id, c.customer.id, c.card?.last4, c.subscription.cancelled_at],
  subscription_scheduled_cancellation_removed: (c) => [c.subscription.id, c.customer.id, c.card?.last4],
  subscription_cancelled: (c) => [c.subscription.id, c.customer.id, c.card?.last4, c.subscription.cancelled_at],
  subscription_reactivated: (c) => [c.subscription.id, c.customer.id, c.card?.last4],
  payment_source_added: (c) => [c.customer.id, c.payment_source.id, c.payment_source.card.last4],
  payment_source_updated: (c) => [c.customer.id, c.payment_source.id],
  payment_source_deleted: (c) => [c.customer.id, c.payment_source.id, c.payment_source.deleted],
  payment_succeeded: (c) => [c.transaction.id, c.invoice.id, c.customer.id, c.subscription.id, c.invoice.status === 'paid' || undefined],
  invoice_generated: (c) => [c.invoice.id, c.invoice.total >= 0 || undefined],
  customer_changed: (c) => [c.customer.id],
};

/**
 * Every portal write reaches the merchant as the webhooks Chargebee sends for the same action, and the official SDK's
 * handler parses each one with the content its types name. The paying actions are idempotent by key: a retry charges
 * once, and the merchant hears of one payment.
 */
describe.each(backends)('the portal\'s webhooks on $kind', (backend) => {
  let s: TestServer;
  let rx: Awaited<ReturnType<typeof receiver>>;
  beforeAll(async () => {
    rx = await receiver();
    s = await backend.start({ PAYLIT_SEED_DEMO: 'true', PAYLIT_WEBHOOK_URL: rx.url, PAYLIT_WEBHOOK_USERNAME: USER, PAYLIT_WEBHOOK_PASSWORD: PASSWORD, PAYLIT_WEBHOOK_POLL: '50ms' });
  });
  afterAll(async () => {
    await s.close();
    await rx.close();
  });

  const customerWith = (planId: string, o: { addons?: Json[] } = {}) => portalCustomer(s, planId, o);
  const login = (customerId: string) => portalKey(s, customerId);
  const call = async (key: string, path: string, body: Json, idem?: string) => {
    const res = await fetch(`${s.url}/api/browser/v2/portal/${path}`, {
      method: 'POST',
      headers: { 'x-paylit-portal-key': key, origin: ORIGIN, 'content-type': 'application/json', ...(idem !== undefined && { 'chargebee-idempotency-key': idem }) },
      body: JSON.stringify(body),
    });
    const out = { status: res.status, body: (await res.json()) as Json, replayed: res.headers.get('chargebee-idempotency-replayed') === 'true' };
    expect(out.status, `${path}: ${JSON.stringify(out.body)}`).toBe(200);
    return out;
  };
  const get = async (key: string, path: string) =>
    (await (await fetch(`${s.url}/api/browser/v2/portal/${path}`, { headers: { 'x-paylit-portal-key': key, origin: ORIGIN } })).json()) as Json;

  /** The portal events about `id` from the delivery `from` on (as the merchant's endpoint received them). */
  const delivered = (from: number, id: string) =>
    rx.got.slice(from).filter((d) => {
      const c = d.event.content as Json;
      return d.event.source === 'portal' && [c.subscription?.id, c.customer?.id, c.invoice?.id, c.invoice?.subscription_id, c.invoice?.customer_id, c.payment_source?.customer_id].includes(id);
    });

  /**
   * Waits for `types` to be delivered about `id` since `from`, runs each delivery through the official SDK's handler
   * (Basic auth checked, as a merchant does) and returns the events it parsed, by type.
   */
  async function parsed(from: number, id: string, types: string[]): Promise<Map<string, Json[]>> {
    await until(`${types.join(', ')} for ${id}`, () => types.every((t) => delivered(from, id).some((d) => d.event.event_type === t)));
    // Whatever else the action sent has committed with it; give the deliverer a moment to post it too.
    await new Promise((r) => setTimeout(r, 200));
    const expected = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
    const handler = s.cb.webhooks.createHandler({
      requestValidator: (headers) => {
        if (headers.authorization !== expected) throw new Error('bad credentials');
      },
    });
    const seen = new Map<string, Json[]>();
    const errors: unknown[] = [];
    for (const t of Object.keys(SHAPES)) handler.on(t as 'customer_changed', ({ event }) => void seen.set(t, [...(seen.get(t) ?? []), event as unknown as Json]));
    handler.on('unhandled_event', ({ event }) => void seen.set(String(event.event_type), [...(seen.get(String(event.event_type)) ?? []), event as unknown as Json]));
    handler.on('error', (e) => void errors.push(e));
    for (const d of delivered(from, id)) await handler.handle({ body: d.body, headers: d.headers as Record<string, string> });
    expect(errors).toEqual([]);
    for (const t of types) {
      for (const e of seen.get(t) ?? []) {
        const shape = SHAPES[t];
        expect(shape, `no content shape for ${t}`).toBeDefined();
        const values = shape!(e.content as Json);
        expect(values.every((v) => v !== undefined && v !== null), `${t} content: ${JSON.stringify(values)}`).toBe(true);
      }
    }
    return seen;
  }

  it('changes now (retried: charged once), schedules a change and removes it', async () => {
    const { customer, subscription, key } = await customerWith('grow-monthly');
    s.clock.advance(5 * 86_400);
    const fresh = await login(customer.id);
    let from = rx.got.length;
    const first = await call(fresh, `subscriptions/${subscription.id}/change`, { plan_id: 'hustle-monthly' }, `chg-${String(subscription.id)}`);
    const retry = await call(fresh, `subscriptions/${subscription.id}/change`, { plan_id: 'hustle-monthly' }, `chg-${String(subscription.id)}`);
    expect(retry).toMatchObject({ replayed: true, body: { invoice: { id: first.body.invoice.id } } });
    const seen = await parsed(from, subscription.id, ['subscription_changed', 'invoice_generated', 'payment_succeeded']);
    expect(seen.get('subscription_changed')).toHaveLength(1);
    expect(seen.get('subscription_changed')![0]!.content).toMatchObject({ subscription: { id: subscription.id, plan_id: 'hustle-monthly' }, customer: { id: customer.id }, invoice: { id: first.body.invoice.id } });
    expect(seen.get('payment_succeeded')!.map((e) => e.content.invoice.id)).toEqual([first.body.invoice.id]);
    expect((await s.cb.transaction.list({ customer_id: { is: customer.id } } as never)).list.filter((t) => t.transaction.status === 'success')).toHaveLength(2);
    void key;

    await s.api('/api/v2/site', { form: { portal_change: 'either' } });
    from = rx.got.length;
    await call(fresh, `subscriptions/${subscription.id}/change`, { plan_id: 'grow-monthly', change_option: 'end_of_term' });
    await call(fresh, `subscriptions/${subscription.id}/remove_scheduled_changes`, {});
    const scheduled = await parsed(from, subscription.id, ['subscription_changes_scheduled', 'subscription_scheduled_changes_removed']);
    expect(scheduled.get('subscription_changes_scheduled')![0]!.content.subscription.has_scheduled_changes).toBe(true);
    expect(scheduled.get('subscription_scheduled_changes_removed')![0]!.content.subscription.has_scheduled_changes).toBe(false);
    await s.api('/api/v2/site', { form: { portal_change: 'immediately' } });
  });

  it('cancels at term end and undoes it; cancels now and reactivates', async () => {
    const { subscription, key } = await customerWith('grow-monthly');
    let from = rx.got.length;
    await call(key, `subscriptions/${subscription.id}/cancel`, {});
    await call(key, `subscriptions/${subscription.id}/remove_scheduled_cancellation`, {});
    const undo = await parsed(from, subscription.id, ['subscription_cancellation_scheduled', 'subscription_scheduled_cancellation_removed']);
    expect(undo.get('subscription_cancellation_scheduled')![0]!.content.subscription).toMatchObject({ status: 'non_renewing', cancelled_at: subscription.current_term_end });
    expect(undo.get('subscription_scheduled_cancellation_removed')![0]!.content.subscription.status).toBe('active');

    await s.api('/api/v2/site', { form: { portal_cancel: 'immediately' } });
    from = rx.got.length;
    await call(key, `subscriptions/${subscription.id}/cancel`, {});
    await call(key, `subscriptions/${subscription.id}/reactivate`, {});
    const back = await parsed(from, subscription.id, ['subscription_cancelled', 'subscription_reactivated']);
    expect(back.get('subscription_cancelled')![0]!.content.subscription.status).toBe('cancelled');
    expect(back.get('subscription_reactivated')![0]!.content.subscription.status).toBe('active');
    await s.api('/api/v2/site', { form: { portal_cancel: 'end_of_term' } });
  });

  it('buys a pack now (retried: charged once) and schedules one for the renewal', async () => {
    const { customer, subscription, key } = await customerWith('credits-starter', { addons: [{ id: 'credits-100', quantity: 1 }] });
    let from = rx.got.length;
    const idem = `pack-${String(subscription.id)}`;
    const first = await call(key, `subscriptions/${subscription.id}/charge_addon`, { addon_id: 'credits-500', addon_quantity: 1 }, idem);
    const retry = await call(key, `subscriptions/${subscription.id}/charge_addon`, { addon_id: 'credits-500', addon_quantity: 1 }, idem);
    expect(retry).toMatchObject({ replayed: true, body: { invoice: { id: first.body.invoice.id } } });
    const bought = await parsed(from, first.body.invoice.id, ['invoice_generated', 'payment_succeeded']);
    expect(bought.get('payment_succeeded')).toHaveLength(1);
    // What a credit ledger reads: the paid invoice's pack line.
    expect(bought.get('payment_succeeded')![0]!.content).toMatchObject({
      customer: { id: customer.id },
      subscription: { id: subscription.id },
      invoice: { id: first.body.invoice.id, status: 'paid', line_items: [expect.objectContaining({ entity_type: 'addon', entity_id: 'credits-500', quantity: 1 })] },
    });
    expect(bought.get('invoice_generated')).toHaveLength(1);
    // paylit/merchant's ledger, as the demo's server has it, credits the pack bought in the portal, once.
    const dir = mkdtempSync(join(tmpdir(), 'paylit-portal-ledger-'));
    const ledger = await CreditLedger.open({ dataDir: dir, creditsPerPack: async (id) => packCredits((await s.cb.addon.retrieve(id)).addon) });
    try {
      const [paid] = bought.get('payment_succeeded')!;
      expect(await ledger.handleEvent(paid as never)).toMatchObject({ status: 'processed', credited: [{ accountId: customer.id, addonId: 'credits-500', credits: 500, balance: 500 }] });
      expect(await ledger.handleEvent(paid as never)).toEqual({ status: 'duplicate' });
      expect(await ledger.balance(customer.id)).toBe(500);
    } finally {
      await ledger.close();
      rmSync(dir, { recursive: true, force: true });
    }

    from = rx.got.length;
    await call(key, `subscriptions/${subscription.id}/charge_addon_at_term_end`, { addon_id: 'credits-100', addon_quantity: 2 });
    const later = await parsed(from, subscription.id, ['subscription_changed']);
    expect(later.get('subscription_changed')![0]!.content.subscription.charges_at_term_end).toMatchObject([{ addon_id: 'credits-100', addon_quantity: 2 }]);
  });

  it('adds a card, makes it primary, removes the old one; edits the account', async () => {
    const { customer, key } = await customerWith('grow-monthly');
    const [old] = (await get(key, 'payment_sources')).list as Json[];
    const from = rx.got.length;
    const added = await call(key, 'payment_sources', { card_token: await cardToken(s, CARDS.ok) });
    await call(key, `payment_sources/${added.body.payment_source.id}/make_primary`, {});
    await call(key, `payment_sources/${old!.id}/delete`, {});
    await call(key, 'account', { first_name: 'Grace', company: 'Navy' });
    const seen = await parsed(from, customer.id, ['payment_source_added', 'payment_source_updated', 'payment_source_deleted', 'customer_changed']);
    expect(seen.get('payment_source_added')![0]!.content).toMatchObject({ customer: { id: customer.id }, payment_source: { id: added.body.payment_source.id, customer_id: customer.id } });
    expect(seen.get('payment_source_updated')![0]!.content).toMatchObject({ customer: { primary_payment_source_id: added.body.payment_source.id }, payment_source: { id: added.body.payment_source.id } });
    expect(seen.get('payment_source_deleted')![0]!.content).toMatchObject({ payment_source: { id: old!.id, deleted: true } });
    expect(seen.get('customer_changed')!.some((e) => e.content.customer.first_name === 'Grace' && e.content.customer.company === 'Navy')).toBe(true);
  });

  // Last: it moves the site's clock past a renewal.
  it('pays an invoice left due by a declined renewal (retried: charged once)', async () => {
    const { customer, subscription } = await customerWith('grow-monthly');
    await s.cb.paymentSource.createUsingTempToken({ type: 'card', customer_id: customer.id, tmp_token: await cardToken(s, CARDS.declinesLater), replace_primary_payment_source: true });
    await s.cb.timeMachine.travelForward('delorean', { destination_time: subscription.current_term_end + 60 });
    const key = await login(customer.id);
    const due = ((await get(key, 'invoices')).list as Json[]).find((i) => i.payable);
    expect(due).toMatchObject({ status: 'payment_due' });
    const from = rx.got.length;
    const token = await cardToken(s, CARDS.ok);
    const first = await call(key, `invoices/${String(due!.id)}/collect`, { card_token: token }, `pay-${String(due!.id)}`);
    const retry = await call(key, `invoices/${String(due!.id)}/collect`, { card_token: token }, `pay-${String(due!.id)}`);
    expect(first.body.invoice.status).toBe('paid');
    expect(retry.replayed).toBe(true);
    const seen = await parsed(from, due!.id, ['payment_succeeded']);
    expect(seen.get('payment_succeeded')!.map((e) => e.content.invoice.id)).toEqual([due!.id]);
    expect(seen.get('payment_succeeded')![0]!.content).toMatchObject({ invoice: { status: 'paid', amount_due: 0 }, subscription: { id: subscription.id, due_invoices_count: 0 } });
    const paid = ((await s.cb.transaction.list({ customer_id: { is: customer.id } } as never)).list).filter((t) => t.transaction.status === 'success' && t.transaction.linked_invoices?.some((l) => l.invoice_id === due!.id));
    expect(paid).toHaveLength(1);
  });
});
