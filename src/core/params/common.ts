import * as z from 'zod/mini';
import { freeFormObject } from '../schemas/common.js';

/**
 * The pieces request parameters are made of, for the merchant API, the browser routes and the adapter alike (zod/mini,
 * so the browser can afford them). Form strings are turned into numbers and booleans by the server's decoder, which
 * walks these schemas; messages come from core's `fieldErrors`.
 */
export const idParam = z.string().check(z.minLength(1), z.maxLength(100), z.regex(/^[A-Za-z0-9_\-.~@]+$/));
/** Unix seconds. */
export const timestampParam = z.int().check(z.minimum(0));
export const countParam = z.int().check(z.minimum(1));
export const booleanParam = z.boolean();
/** An object checked field by field later, against a schema the parameter alone does not settle. */
export const objectParam = freeFormObject;

const isHttpUrl = (u: string) => {
  try {
    return ['http:', 'https:'].includes(new URL(u).protocol);
  } catch {
    return false;
  }
};
export const urlParam = z.string().check(z.maxLength(250), z.refine(isHttpUrl, 'must be an absolute http(s) URL'));
