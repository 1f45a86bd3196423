import type { Context } from 'hono';
import type * as zm from 'zod/mini';
import { type FieldError, fieldErrors } from '../../core/errors.js';
import { ApiError, fromFieldErrors, paramError } from './errors.js';

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

const KEY = /^([^[\]]+)((?:\[[^[\]]*\])*)$/;

/**
 * Decodes Chargebee's form encoding into plain objects:
 * `a=1` -> {a}; `customer[email]=x` -> {customer: {email}}; `coupon_ids[0]=x` -> {coupon_ids: [x]};
 * and the column form of lists, `tiers[price][1]=500` -> {tiers: [, {price}]} (field first, index last).
 */
export function decodeForm(entries: Iterable<[string, string]>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [rawKey, value] of entries) {
    const m = KEY.exec(rawKey);
    if (!m) throw paramError(rawKey, 'is not a valid parameter name');
    const segs = [m[1]!, ...[...m[2]!.matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1]!)];
    // Column form: an index in last place moves before the field it belongs to.
    const last = segs[segs.length - 1]!;
    if (segs.length >= 3 && /^\d+$/.test(last)) {
      segs.splice(segs.length - 2, 0, segs.pop()!);
    }
    let node: Record<string, unknown> | unknown[] = root;
    for (let i = 0; i < segs.length; i++) {
      const seg = segs[i]!;
      const isLast = i === segs.length - 1;
      const nextIsIndex = !isLast && /^\d+$/.test(segs[i + 1]!);
      const key: string | number = Array.isArray(node) ? Number(seg) : seg;
      if (Array.isArray(node) && (!Number.isSafeInteger(key) || (key as number) > 1000)) {
        throw paramError(rawKey, 'has an index out of range');
      }
      const slot = (node as Record<string | number, unknown>)[key];
      if (isLast) {
        if (slot !== undefined) throw paramError(rawKey, 'is given more than once');
        (node as Record<string | number, unknown>)[key] = value;
        break;
      }
      if (slot === undefined) (node as Record<string | number, unknown>)[key] = nextIsIndex ? [] : {};
      else if (typeof slot !== 'object' || Array.isArray(slot) !== nextIsIndex) throw paramError(rawKey, 'mixes a value and nested parameters');
      node = (node as Record<string | number, unknown>)[key] as Record<string, unknown> | unknown[];
    }
  }
  return compact(root) as Record<string, unknown>;
}

/** Arrays built from indexes may have holes; keep the order, drop the holes. */
function compact(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== undefined).map(compact);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, compact(x)]));
  return v;
}

interface Def {
  type: string;
  innerType?: zm.ZodMiniType;
  in?: zm.ZodMiniType;
  shape?: Record<string, zm.ZodMiniType>;
  element?: zm.ZodMiniType;
  options?: zm.ZodMiniType[];
}
const defOf = (s: zm.ZodMiniType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/**
 * Form values are all strings; this turns them into what the (core) schema expects, by walking the schema:
 * numbers from digit strings, booleans from "true"/"false", JSON objects (meta_data) from JSON strings.
 * Anything it cannot read is left as it is, so the schema reports it with the field's name.
 */
export function coerceForm(schema: zm.ZodMiniType, value: unknown): unknown {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'nullable':
    case 'prefault':
    case 'readonly':
      return coerceForm(def.innerType!, value);
    case 'pipe':
      return coerceForm(def.in!, value);
    case 'object':
      if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, def.shape?.[k] ? coerceForm(def.shape[k], v) : v]),
      );
    case 'array':
      return Array.isArray(value) ? value.map((v) => coerceForm(def.element!, v)) : value;
    case 'number':
    case 'int':
      return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : value;
    case 'record':
      if (typeof value !== 'string') return value;
      try {
        return JSON.parse(value) as Json;
      } catch {
        return value;
      }
    case 'union':
      for (const o of def.options ?? []) {
        const c = coerceForm(o, value);
        if (c !== value) return c;
      }
      return value;
    default:
      return value;
  }
}

/** `tiers[1][price]` (a path) -> `tiers[price][1]` (Chargebee's name for a list column). */
export function chargebeeParam(param: string): string {
  return param.replace(/^([^[\]]+)\[(\d+)\]\[([^[\]]+)\]/, '$1[$3][$2]');
}

export function toApiError(errors: readonly FieldError[]): ApiError {
  return fromFieldErrors(errors.map((e) => ({ ...e, param: chargebeeParam(e.param) })));
}

/** Reads a POST body, form-encoded or JSON, as an object. */
export async function readBody(c: Context): Promise<{ body: Record<string, unknown>; form: boolean }> {
  const type = c.req.header('content-type') ?? '';
  const text = await c.req.text();
  if (text.length > 1_000_000) throw new ApiError(413, 'request_too_large', 'The request body is larger than 1 MB');
  if (text.trim() === '') return { body: {}, form: true };
  if (type.includes('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ApiError(400, 'invalid_request', 'The body is not valid JSON', undefined, 'invalid_request');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new ApiError(400, 'invalid_request', 'The body must be a JSON object', undefined, 'invalid_request');
    }
    return { body: parsed as Record<string, unknown>, form: false };
  }
  if (type && !type.includes('application/x-www-form-urlencoded')) {
    throw new ApiError(415, 'unsupported_media_type', 'Send application/x-www-form-urlencoded or application/json');
  }
  return { body: decodeForm(new URLSearchParams(text)), form: true };
}

/** Parses input with a core (zod/mini) schema, coercing form strings first; errors name Chargebee params. */
export function parseWith<S extends zm.ZodMiniType>(schema: S, input: unknown, form: boolean): zm.output<S> {
  const value = form ? coerceForm(schema, input) : input;
  const result = schema.safeParse(value);
  if (!result.success) throw toApiError(fieldErrors(result.error));
  return result.data as zm.output<S>;
}

