// The README's "After the payment" example, type-checked by `npm test` (tsc) and run by test/server/after-payment.test.ts.
import type Chargebee from 'chargebee';

/** Gives the customer what they bought. Idempotent (keyed by the subscription id): all three paths below may call it. */
type Provision = (customerId: string, subscriptionId: string) => Promise<void>;

// 1. The webhook: the source of truth, retried until your endpoint answers 2xx (verify it: paylit/merchant, below).
export async function onWebhook(event: { event_type?: string; content: { subscription?: { id: string; customer_id: string } } }, provision: Provision) {
  const sub = event.content.subscription;
  if (event.event_type === 'subscription_created' && sub) await provision(sub.customer_id, sub.id);
}

// 2. Your page's `success(hostedPageId)` posts the id to your server: a convenience, so the customer sees it at once.
export async function onSuccess(chargebee: Chargebee, hostedPageId: string, customerId: string, provision: Provision) {
  const { hosted_page: page } = await chargebee.hostedPage.retrieve(hostedPageId);
  if (page.content.customer?.id !== customerId) throw new Error("Not this customer's checkout.");
  if (page.state === 'acknowledged') return; // done already (by the sweep)
  if (page.state !== 'succeeded') throw new Error(`The checkout is ${String(page.state)}, not paid.`);
  await provision(customerId, page.content.subscription.id);
  await chargebee.hostedPage.acknowledge(hostedPageId);
}

// 3. A sweep every few minutes: checkouts paid whose `success` never came (a reload right after Pay, a closed tab).
export async function acknowledgePaidCheckouts(chargebee: Chargebee, provision: Provision) {
  let offset: string | undefined;
  do {
    const r = await chargebee.hostedPage.list({ limit: 100, state: { is: 'succeeded' }, ...(offset && { offset }) });
    for (const { hosted_page: page } of r.list) {
      await provision(page.content.customer.id, page.content.subscription.id);
      await chargebee.hostedPage.acknowledge(page.id!);
    }
    offset = r.next_offset;
  } while (offset);
}
