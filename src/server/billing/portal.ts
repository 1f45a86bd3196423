import { PaylitError } from '../../core/errors.js';
import { type Address, type Customer } from '../../core/schemas/customer.js';
import { conflict, notFound, paramError, unauthorized } from '../errors.js';
import type { Subscription } from '../../core/schemas/subscription.js';
import { type Db, transaction } from '../db/transaction.js';
import { type Deps, nextVersion } from '../context.js';
import { newId } from '../ids.js';
import { newToken, sha256, tokenMatches } from '../tokens.js';
import { contactOf, publicInvoice, publicSource } from './portal-account.js';
import { publicSubscription } from './portal-subscriptions.js';
import { type PortalSession, portalSessionView } from './records.js';

const expired = () => new PaylitError('portal_session_expired', 'This portal session has expired. Open the portal again from the shop.');

/** A portal session lasts an hour from creation. */
export const PORTAL_SESSION_TTL = 3600;

/**
 * Portal sessions (Chargebee's): the merchant's server creates one for a customer; the customer's browser activates
 * it once with its token and gets a key for the session's remaining hour; the portal sections (ADDRESS first) are
 * authorised by that key. A used, logged-out or expired session gets a clear error.
 */
export class Portal {
  constructor(private readonly d: Deps) {}

  async create(db: Db, customerId: string, redirectUrl: string | undefined, baseUrl: string) {
    return transaction(db, async (trx) => {
      if (!(await this.d.stores.customers.get(trx, customerId))) {
        throw paramError('customer[id]', `customer "${customerId}" does not exist`);
      }
      const now = this.d.clock.now();
      const token = newToken();
      const session: PortalSession = {
        id: newId('portal'),
        customer_id: customerId,
        status: 'created',
        token_hash: sha256(token),
        ...(redirectUrl !== undefined && { redirect_url: redirectUrl }),
        created_at: now,
        expires_at: now + PORTAL_SESSION_TTL,
        updated_at: now,
        resource_version: nextVersion(now),
      };
      await this.d.stores.portalSessions.insert(trx, session);
      return portalSessionView(session, { token, access_url: `${baseUrl}/hosted/portal/${session.id}#token=${token}` });
    });
  }

  async get(db: Db, id: string): Promise<PortalSession> {
    const s = await this.d.stores.portalSessions.get(db, id);
    if (!s) throw notFound('portal_session', id);
    return s;
  }

  /** Uses the session's one activation; returns the key the browser sends with each section call. */
  async activate(db: Db, id: string, token: string): Promise<{ portal_key: string; customer_id: string; expires_at: number }> {
    return transaction(db, async (trx) => {
      const s = await this.d.stores.portalSessions.get(trx, id);
      if (!s || !tokenMatches(token, s.token_hash)) throw unauthorized('This portal link is not valid.');
      const now = this.d.clock.now();
      if (now >= s.expires_at) throw expired();
      if (s.status !== 'created') throw conflict('portal_session_used', `This portal session was already used (${s.status}). Open the portal again from the shop.`);
      const key = newToken();
      // The status guard makes activation single-use even when two activations race.
      const r = await trx
        .updateTable('portal_sessions')
        .set({
          status: 'logged_in',
          access_hash: sha256(key),
          updated_at: now,
          data: JSON.stringify({ ...s, status: 'logged_in', access_hash: sha256(key), login_at: now, updated_at: now, resource_version: nextVersion(now, s.resource_version) }),
        })
        .where('site_id', '=', this.d.site.id)
        .where('id', '=', id)
        .where('status', '=', 'created')
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw conflict('portal_session_used', 'This portal session was already used. Open the portal again from the shop.');
      return { portal_key: key, customer_id: s.customer_id, expires_at: s.expires_at };
    });
  }

  /** The logged-in session for a portal key. */
  async authorise(db: Db, key: string): Promise<PortalSession> {
    const row = await db
      .selectFrom('portal_sessions')
      .select('data')
      .where('site_id', '=', this.d.site.id)
      .where('access_hash', '=', sha256(key))
      .executeTakeFirst();
    const s = row ? (JSON.parse(row.data) as PortalSession) : undefined;
    if (!s) throw unauthorized('This portal session is not valid. Open the portal again from the shop.');
    if (s.status !== 'logged_in') throw unauthorized(`This portal session has ended (${s.status}). Open the portal again from the shop.`);
    if (this.d.clock.now() >= s.expires_at) throw expired();
    return s;
  }

  /** The customer's subscriptions (newest first, up to 100): the portal's sections read them. */
  async subscriptions(db: Db, customerId: string): Promise<Subscription[]> {
    return (await this.d.stores.subscriptions.list(db, { limit: 100, columns: { customer_id: { is: customerId } } })).items;
  }

  /**
   * The ADDRESS section's save: the billing address, as update_billing_info (`customer_changed`); and the shipping
   * address where the customer has one (on the customer, and on each of their subscriptions that ships).
   */
  async updateAddress(db: Db, s: PortalSession, address: Address, ship: Address | undefined): Promise<{ customer: Customer; shipping_address?: Address | undefined }> {
    return transaction(db, async (trx) => {
      const c = await this.d.stores.customers.get(trx, s.customer_id);
      if (!c) throw notFound('customer', s.customer_id);
      const now = this.d.clock.now();
      const subs = ship ? (await this.subscriptions(trx, c.id)).filter((x) => x.shipping_address) : [];
      if (ship && !c.shipping_address && subs.length === 0) throw paramError('shipping_address', 'this customer has no shipping address to change');
      const shippingAddress = ship && { ...ship, object: 'shipping_address' as const };
      const next = await this.d.stores.customers.update(trx, {
        ...c,
        billing_address: { ...address, object: 'billing_address' },
        ...(shippingAddress && c.shipping_address && { shipping_address: shippingAddress }),
        updated_at: now,
        resource_version: nextVersion(now, c.resource_version),
      });
      await this.d.outbox.emit(trx, 'customer_changed', { customer: next }, 'portal');
      for (const sub of subs) {
        const updated = await this.d.stores.subscriptions.update(trx, { ...sub, shipping_address: shippingAddress, updated_at: now, resource_version: nextVersion(now, sub.resource_version) });
        await this.d.outbox.emit(trx, 'subscription_shipping_address_updated', { subscription: updated, customer: next }, 'portal');
      }
      return { customer: next, shipping_address: shippingAddress || undefined };
    });
  }

  async logout(db: Db, id: string) {
    return transaction(db, async (trx) => {
      const s = await this.d.stores.portalSessions.get(trx, id);
      if (!s) throw notFound('portal_session', id);
      if (s.status === 'logged_out') return portalSessionView(s);
      const now = this.d.clock.now();
      const next: PortalSession = { ...s, status: 'logged_out', logout_at: now, updated_at: now, resource_version: nextVersion(now, s.resource_version) };
      await this.d.stores.portalSessions.update(trx, next);
      return portalSessionView(next);
    });
  }

  // ---------------------------------------------------------------- what the sections show

  /** The ADDRESS section: the billing address, and the shipping address where the customer has one. */
  async address(db: Db, session: PortalSession) {
    const customer = await this.d.stores.customers.get(db, session.customer_id);
    const shipping = customer?.shipping_address ?? (await this.subscriptions(db, session.customer_id)).find((x) => x.shipping_address)?.shipping_address;
    return {
      billing_address: customer?.billing_address ?? null,
      ...(shipping && { shipping_address: shipping }),
      customer: { id: session.customer_id, email: customer?.email, first_name: customer?.first_name, last_name: customer?.last_name },
    };
  }

  async account(db: Db, session: PortalSession) {
    const customer = await this.d.stores.customers.get(db, session.customer_id);
    if (!customer) throw unauthorized('This portal session has no customer.');
    const { id, preferred_currency_code, promotional_credits, refundable_credits } = customer;
    return { customer: { id, ...contactOf(customer), preferred_currency_code, promotional_credits, refundable_credits } };
  }

  /** The customer's subscriptions, each with its plan's name as customers read it (`invoice_name`, else `name`). */
  async subscriptionList(db: Db, session: PortalSession) {
    const subs = await this.subscriptions(db, session.customer_id);
    const names = new Map<string, string>();
    for (const id of new Set(subs.map((s) => s.plan_id))) {
      const plan = await this.d.stores.plans.get(db, id);
      names.set(id, plan ? (plan.invoice_name ?? plan.name) : id);
    }
    return { list: subs.map((s) => ({ ...publicSubscription(s), plan_name: names.get(s.plan_id)! })) };
  }

  async invoices(db: Db, session: PortalSession) {
    const { items } = await this.d.stores.invoices.list(db, { limit: 100, columns: { customer_id: { is: session.customer_id } } });
    return { list: items.map(publicInvoice) };
  }

  async paymentSources(db: Db, session: PortalSession) {
    const customer = await this.d.stores.customers.get(db, session.customer_id);
    const { items } = await this.d.stores.paymentSources.list(db, { limit: 100, columns: { customer_id: { is: session.customer_id } } });
    return { list: items.map((p) => publicSource(p, customer?.primary_payment_source_id)) };
  }
}
