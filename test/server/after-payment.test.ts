// The README's "After the payment: success, reload and webhooks" example (test/types/readme-after-payment.ts), run
// against the real backend through the official SDK: a checkout paid whose `success` never reached the merchant is
// found among the pages still `succeeded`, provisioned once and acknowledged; `success` after that changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledgePaidCheckouts, onSuccess, onWebhook } from '../types/readme-after-payment.js';
import { backends, cardToken, type TestServer, until } from './harness.js';

describe.each(backends)('after the payment, the README way, on $kind', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await backend.start({ PAYLIT_SEED_DEMO: 'true' });
  });
  afterAll(async () => {
    await s.close();
  });

  /** A checkout paid in the browser (the page's own token and a card token), as the hosted checkout pays it. */
  const paid = async (customerId: string) => {
    const { hosted_page } = await s.cb.hostedPage.checkoutNew({ subscription: { plan_id: 'credits-starter' }, addons: [{ id: 'credits-100', quantity: 1 }], customer: { id: customerId } } as never);
    const token = new URL(hosted_page.url!).hash.replace('#token=', '');
    const res = await fetch(`${s.url}/api/browser/v2/hosted_pages/${hosted_page.id!}/submit`, {
      method: 'POST',
      headers: { 'x-paylit-hosted-page-token': token, 'content-type': 'application/json', origin: s.url },
      body: JSON.stringify({ customer: { email: `${customerId}@example.com` }, card_token: await cardToken(s) }),
    });
    expect(res.status).toBe(200);
    return hosted_page.id!;
  };
  const state = async (id: string) => (await s.cb.hostedPage.retrieve(id)).hosted_page.state;

  it('a page whose success never came: the sweep provisions it once and acknowledges it; success afterwards does nothing more', async () => {
    const provisioned: string[] = [];
    const provision = async (customerId: string, subscriptionId: string) => void provisioned.push(`${customerId}:${subscriptionId}`);
    const lost = await paid('cus_after_lost');
    // The customer reloaded right after Pay: no success. The page waits, succeeded, in the list.
    expect(await state(lost)).toBe('succeeded');
    await acknowledgePaidCheckouts(s.cb, provision);
    expect(await state(lost)).toBe('acknowledged');
    const sub = (await s.cb.subscription.list({ customer_id: { is: 'cus_after_lost' } })).list[0]!.subscription;
    expect(provisioned).toEqual([`cus_after_lost:${sub.id}`]);
    // Swept again: nothing left. A late success (a second tab): acknowledged already, nothing provisioned twice.
    await acknowledgePaidCheckouts(s.cb, provision);
    await onSuccess(s.cb, lost, 'cus_after_lost', provision);
    expect(provisioned).toHaveLength(1);
    // Another customer's page is refused by success, whatever its state.
    await expect(onSuccess(s.cb, lost, 'cus_someone_else', provision)).rejects.toThrow("Not this customer's checkout.");
  });

  it('success first: provisioned and acknowledged there, so the sweep does not see the page', async () => {
    const provisioned: string[] = [];
    const provision = async (customerId: string) => void provisioned.push(customerId);
    const page = await paid('cus_after_ok');
    await onSuccess(s.cb, page, 'cus_after_ok', provision);
    expect(await state(page)).toBe('acknowledged');
    await acknowledgePaidCheckouts(s.cb, provision);
    expect(provisioned).toEqual(['cus_after_ok']);
  });

  it("the webhook's subscription_created event (the backend's own, through the SDK) provisions the subscription", async () => {
    const provisioned: string[] = [];
    await paid('cus_after_hook');
    const event = await until('subscription_created', async () => {
      const r = await s.cb.event.list({ event_type: { is: 'subscription_created' }, limit: 100 });
      return r.list.map((e) => e.event).find((e) => (e.content as { subscription?: { customer_id: string } }).subscription?.customer_id === 'cus_after_hook');
    });
    await onWebhook(event, async (customerId, subscriptionId) => void provisioned.push(`${customerId}:${subscriptionId}`));
    expect(provisioned).toHaveLength(1);
    expect(provisioned[0]).toMatch(/^cus_after_hook:/);
  });
});
