import { z } from 'zod';
import type * as zm from 'zod/mini';
import { fieldErrors } from '../../core/errors.js';
import { addressSchema, type Customer, customerSchema } from '../../core/schemas/customer.js';
import { coerceForm, toApiError } from './params.js';

/** Parameter pieces shared by the billing routes (Chargebee's names; form strings are coerced by `parseWith`). */
export const idParam = z.string().min(1).max(100).regex(/^[A-Za-z0-9_\-.~@]+$/, 'may hold only letters, digits and _-.~@');
export const timestampParam = z.number().int().min(0, 'must be a Unix timestamp in seconds');
export const countParam = z.number().int().min(1, 'must be at least 1');
export const booleanParam = z.boolean();
export const addonsParam = z.array(z.object({ id: idParam, quantity: countParam.optional() }).strict()).max(100);
export const couponIdsParam = z.array(idParam).max(20);
export const changeOptionParam = z.enum(['immediately', 'end_of_term', 'specific_date']);
/** Nested objects are checked against the core schemas after, so errors name `customer[email]` and so on. */
export const objectParam = z.record(z.string(), z.unknown());
export const urlParam = z
  .string()
  .max(250)
  .refine((u) => {
    try {
      return ['http:', 'https:'].includes(new URL(u).protocol);
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL');

/** Parses a nested object (`customer[...]`, `billing_address[...]`) with a core schema; errors carry the prefix. */
export function parseNested<S extends zm.ZodMiniType>(schema: S, value: unknown, prefix: string, form: boolean): zm.output<S> {
  const r = schema.safeParse(form ? coerceForm(schema, value) : value, { reportInput: true });
  if (!r.success) throw toApiError(fieldErrors(r.error, [prefix]));
  return r.data as zm.output<S>;
}

const SERVER_OWNED = ['promotional_credits', 'refundable_credits', 'deleted', 'created_at', 'updated_at', 'resource_version', 'object', 'billing_address'];

/** A new customer from `customer[...]` and `billing_address[...]`. */
export function newCustomer(
  id: string,
  customer: Record<string, unknown> | undefined,
  billingAddress: Record<string, unknown> | undefined,
  form: boolean,
  now: number,
): Customer {
  const given = customer ?? {};
  const bad = SERVER_OWNED.filter((k) => k in given);
  if (bad.length) throw toApiError(bad.map((k) => ({ param: `customer[${k}]`, message: 'is not a known parameter' })));
  const c = parseNested(customerSchema, { id, ...given }, 'customer', form);
  const address = billingAddress ? parseNested(addressSchema, billingAddress, 'billing_address', form) : undefined;
  return {
    ...c,
    ...(address && { billing_address: { ...address, object: 'billing_address' as const } }),
    created_at: now,
    updated_at: now,
    resource_version: now * 1000,
  };
}
