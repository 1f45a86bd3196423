import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { fieldErrors } from '../../src/core/errors.js';
import { metaData } from '../../src/core/schemas/common.js';
import { coerceForm, parseWith } from '../../src/server/http/params.js';

const schema = z.strictObject({
  customer: z.optional(z.strictObject({ meta_data: z.optional(metaData), auto: z.optional(z.boolean()) })),
  lines: z.optional(z.array(z.strictObject({ quantity: z.int(), meta_data: z.optional(metaData) }))),
});

const refusedParam = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return (e as { param?: string }).param;
  }
  throw new Error('not refused');
};

describe('coerceForm: form strings into what the schema reads', () => {
  it('coerces numbers and booleans in nested objects and lists', () => {
    expect(coerceForm(schema, { customer: { auto: 'true' }, lines: [{ quantity: '2' }, { quantity: 'x' }] })).toEqual({ customer: { auto: true }, lines: [{ quantity: 2 }, { quantity: 'x' }] });
  });

  it("names a JSON document's refused key by its full path, however deep the document sits", () => {
    expect(refusedParam(() => coerceForm(schema, { customer: { meta_data: '{"__proto__":{"x":1}}' } }))).toBe('customer[meta_data][__proto__]');
    expect(refusedParam(() => coerceForm(schema, { lines: [{ quantity: '1' }, { quantity: '1', meta_data: '{"a":{"constructor":1}}' }] }))).toBe('lines[1][meta_data][a][constructor]');
    expect(refusedParam(() => coerceForm(schema, { customer: { meta_data: '{"prototype":1}' } }, ['outer']))).toBe('outer[customer][meta_data][prototype]');
  });

  it('keeps a "__proto__" key as an own property, never as the prototype', () => {
    const out = coerceForm(schema, JSON.parse('{"__proto__":{"polluted":"1"},"customer":{"auto":"false"}}') as unknown) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('parseWith', () => {
  it("refuses with the same fields and messages as a parse with zod's reportInput", () => {
    const input = { customer: { auto: 'maybe' }, lines: [{ quantity: '1.5' }], extra: '1' };
    let thrown: unknown;
    try {
      parseWith(schema, input, true);
    } catch (e) {
      thrown = e;
    }
    const errors = (thrown as { errors: Array<{ param: string; message: string }> }).errors;
    expect(errors.map((e) => e.param).sort()).toEqual(['customer[auto]', 'extra', 'lines[0][quantity]']);
    const reported = schema.safeParse(coerceForm(schema, input), { reportInput: true });
    expect(reported.success).toBe(false);
    expect(errors).toEqual(fieldErrors(reported.error!));
  });
});
