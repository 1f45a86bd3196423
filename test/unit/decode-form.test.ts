import { describe, expect, it } from 'vitest';
import { decodeForm } from '../../src/server/http/decode.js';

const decode = (form: Record<string, string> | Array<[string, string]>) => decodeForm(Array.isArray(form) ? form : Object.entries(form));
/** The parameter and message a refused form is answered with. */
const refusal = (form: Record<string, string> | Array<[string, string]>) => {
  try {
    decode(form);
  } catch (e) {
    const err = e as { param?: string; message: string };
    return { param: err.param, message: err.message };
  }
  throw new Error('the form was not refused');
};

describe("decodeForm: Chargebee's form encoding", () => {
  it('reads names, nested fields, lists and the column form of lists', () => {
    expect(decode({ a: '1', 'customer[email]': 'x@example.com', 'customer[billing_address][line1]': 'Main St' })).toEqual({
      a: '1',
      customer: { email: 'x@example.com', billing_address: { line1: 'Main St' } },
    });
    expect(decode({ 'coupon_ids[0]': 'a', 'coupon_ids[2]': 'b' })).toEqual({ coupon_ids: ['a', 'b'] });
    expect(decode({ 'addons[id][0]': 'x', 'addons[quantity][0]': '2', 'addons[id][1]': 'y' })).toEqual({ addons: [{ id: 'x', quantity: '2' }, { id: 'y' }] });
    expect(decode({ 'meta[]': 'empty segment' })).toEqual({ meta: { '': 'empty segment' } });
    // Plain objects with the usual prototype, whatever they were built from.
    expect(Object.getPrototypeOf(decode({ 'a[b]': '1' }).a)).toBe(Object.prototype);
  });

  it.each(['a]', '[a]', 'a[b', 'a[b]c', 'a[[b]]', 'a[b[c]]', 'a]b[c]', 'a[b]]'])('refuses the malformed name %s, naming it', (name) => {
    expect(refusal({ [name]: '1' })).toMatchObject({ param: name, message: expect.stringContaining('is not a valid parameter name') });
  });

  it('refuses prototype keys, repeats, a value mixed with nesting, and indexes out of range', () => {
    expect(refusal({ 'a[__proto__][x]': '1' }).message).toContain('is not allowed as a parameter name');
    expect(refusal([['a', '1'], ['a', '2']]).message).toContain('is given more than once');
    expect(refusal({ a: '1', 'a[b]': '2' }).message).toContain('mixes a value and nested parameters');
    expect(refusal({ 'coupon_ids[250]': 'x' }).message).toContain('has an index out of range');
    expect(refusal({ 'coupon_ids[x]': 'x', 'coupon_ids[0]': 'y' }).message).toMatch(/index out of range|mixes a value/);
  });

  it('refuses more than 250 keys in one object, naming the object', () => {
    const form: Record<string, string> = {};
    for (let i = 0; i < 251; i++) form[`meta_data[k${String(i)}]`] = 'v';
    expect(refusal(form)).toMatchObject({ param: 'meta_data', message: expect.stringContaining('must have at most 250 keys') });
    delete form['meta_data[k250]'];
    expect(Object.keys(decode(form).meta_data as object)).toHaveLength(250);
  });

  it('refuses names nested more than 32 levels deep', () => {
    expect(decode({ [`a${'[b]'.repeat(31)}`]: '1' })).toBeTruthy();
    expect(refusal({ [`a${'[b]'.repeat(32)}`]: '1' }).message).toContain('is nested more than 32 levels deep');
  });
});
