import { parseOrThrow } from '../../core/errors.js';
import type { NewSubscriptionParams } from '../../core/params/checkout.js';
import { type Address, type Customer, customerSchema } from '../../core/schemas/customer.js';
import { type Deps } from '../context.js';
import { newId } from '../ids.js';
import type { Db } from '../db/transaction.js';
import { duplicate, notFound } from '../errors.js';
import type { BillingResult, Origin } from './common.js';
import { stamp } from './common.js';
import type { Subscriptions } from './subscriptions.js';

/** A customer's fields as a call gives them (the id apart). */
export type CustomerFields = Omit<Partial<Customer>, 'id' | 'billing_address' | 'created_at' | 'updated_at' | 'resource_version' | 'object'>;

/** Customers: created by the API, by a checkout, or with a subscription; changed by the API and the portal. */
export class Customers {
  constructor(
    private readonly d: Deps,
    private readonly subscriptions: Subscriptions,
  ) {}

  /** A new customer record, with the server's defaults and times (stored by `insert`). */
  build(id: string, fields: CustomerFields, billingAddress: Address | undefined, now: number): Customer {
    const c = parseOrThrow(customerSchema, { id, ...fields }, ['customer']);
    return {
      ...c,
      ...(billingAddress && { billing_address: { ...billingAddress, object: 'billing_address' as const } }),
      created_at: now,
      updated_at: now,
      resource_version: now * 1000,
    };
  }

  /** Stores a new customer (`customer_created`); a taken id is a duplicate. */
  async insert(trx: Db, customer: Customer, o: Origin & { param?: string } = {}): Promise<Customer> {
    if (await this.d.stores.customers.get(trx, customer.id)) throw duplicate(o.param ?? 'id', `The value ${customer.id} is already present.`);
    await this.d.stores.customers.insert(trx, customer);
    await this.d.outbox.emit(trx, 'customer_created', { customer }, o.source ?? 'api');
    return customer;
  }

  /** POST /customers: a customer with a generated id unless one is given. */
  create(trx: Db, p: CustomerFields & { id?: string | undefined; billing_address?: Address | undefined }): Promise<Customer> {
    const { id, billing_address, ...fields } = p;
    return this.insert(trx, this.build(id ?? newId('cus'), fields, billing_address, this.d.clock.now()));
  }

  /** POST /subscriptions: a new customer and their subscription, in one transaction. */
  async createWithSubscription(trx: Db, p: NewSubscriptionParams, customer: { id?: string | undefined } & CustomerFields, billingAddress: Address | undefined): Promise<BillingResult> {
    const { id, ...fields } = customer;
    const customerId = id ?? newId('cus');
    if (await this.d.stores.customers.get(trx, customerId)) {
      throw duplicate('customer[id]', `customer "${customerId}" already exists; create the subscription with POST /customers/${customerId}/subscriptions`);
    }
    const created = await this.insert(trx, this.build(customerId, fields, billingAddress, this.d.clock.now()));
    return this.subscriptions.create(trx, p, created);
  }

  /** Changes a customer's fields (`customer_changed`); the whole record is checked again. */
  async update(trx: Db, id: string, patch: CustomerFields & { billing_address?: Address | undefined }, o: Origin = {}): Promise<Customer> {
    const current = await this.d.stores.customers.get(trx, id);
    if (!current) throw notFound('customer', id);
    const { created_at, updated_at: _u, resource_version, object: _o, ...base } = current;
    const merged = parseOrThrow(customerSchema, { ...base, ...patch });
    const next = await this.d.stores.customers.update(trx, stamp({ ...merged, created_at, resource_version }, this.d.clock.now()));
    await this.d.outbox.emit(trx, 'customer_changed', { customer: next }, o.source ?? 'api');
    return next;
  }
}
