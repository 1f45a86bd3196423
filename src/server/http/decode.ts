import { invalid, paramName } from '../../core/errors.js';
import { HttpError } from './errors.js';

/**
 * Bounds on request data (DESIGN.md, "Hostile input"). Each breach is a 400 naming the parameter, never a 5xx, and
 * every walk over request data below is iterative or bounded by `depth`, so no body can exhaust the stack.
 */
export const LIMITS = {
  /** Nesting levels of objects and lists (Chargebee's own parameters nest three deep; meta_data a little more). */
  depth: 32,
  /** Entries of one list, and keys of one object. */
  entries: 250,
  /** Characters of one key: a JSON key, or one `[segment]` of a form key. */
  keyLength: 200,
  /** Characters of one form key as a whole (`customer[billing_address][line1]`). */
  formKeyLength: 1000,
  /** Characters of one string value. */
  valueLength: 65_536,
  /** Parameters in one form body or query string. */
  parameters: 2000,
  /** Bytes of one request body. */
  bodyBytes: 1_000_000,
} as const;

/** Keys that would reach an object's prototype in careless code: refused by name wherever they appear. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** A parameter name for an error, cut short when a hostile key is long. */
const shown = (name: string) => (name.length > 120 ? `${name.slice(0, 120)}…` : name);

const refuse = (name: string, message: string) => invalid(shown(name), message);

/** A problem with the body as a whole (unreadable, too large, of an unsupported type): no single parameter is at fault. */
export const bodyError = (status: 400 | 413 | 415, message: string) =>
  // A body refused unread leaves the rest of it on the connection: close it, so no client reuses it half-read.
  new HttpError(status, message, status === 413 ? { connection: 'close' } : {});

function checkKey(key: string, name: () => string): void {
  if (FORBIDDEN_KEYS.has(key)) throw refuse(name(), 'is not allowed as a parameter name');
  if (key.length > LIMITS.keyLength) throw refuse(name(), `has a key longer than ${String(LIMITS.keyLength)} characters`);
}

/**
 * Checks decoded request data against LIMITS: depth, list and object sizes, key and string lengths, and prototype
 * keys. `prefix` names where the value sits (`meta_data` for a JSON string found in a form field).
 */
export function checkShape(value: unknown, prefix: readonly string[] = []): void {
  const stack: Array<{ value: unknown; path: readonly string[] }> = [{ value, path: prefix }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { value: v, path } = next;
    if (typeof v === 'string') {
      if (v.length > LIMITS.valueLength) throw refuse(paramName(path), `must be at most ${String(LIMITS.valueLength)} characters`);
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (path.length - prefix.length >= LIMITS.depth) throw refuse(paramName(path), `is nested more than ${String(LIMITS.depth)} levels deep`);
    if (Array.isArray(v)) {
      if (v.length > LIMITS.entries) throw refuse(paramName(path), `must have at most ${String(LIMITS.entries)} entries`);
      v.forEach((x, i) => stack.push({ value: x, path: [...path, String(i)] }));
      continue;
    }
    const keys = Object.keys(v);
    if (keys.length > LIMITS.entries) throw refuse(paramName(path), `must have at most ${String(LIMITS.entries)} keys`);
    for (const k of keys) {
      const at = [...path, k];
      checkKey(k, () => paramName(at));
      stack.push({ value: (v as Record<string, unknown>)[k], path: at });
    }
  }
}

type Node = Record<string, unknown> | unknown[];

/** A list index as a form key writes it: digits only. */
function isIndex(seg: string): boolean {
  if (seg.length === 0) return false;
  for (let i = 0; i < seg.length; i++) {
    const c = seg.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * `customer[billing_address][line1]` -> ['customer', 'billing_address', 'line1']: a name without brackets, then any
 * number of `[segment]`s (possibly empty, never holding a bracket); undefined for anything else. A scan, not a
 * regular expression: it runs for every parameter of every request.
 */
function segmentsOf(rawKey: string): string[] | undefined {
  const open = rawKey.indexOf('[');
  const head = open < 0 ? rawKey : rawKey.slice(0, open);
  if (head === '' || head.includes(']')) return undefined;
  const segs = [head];
  for (let at = open; at >= 0 && at < rawKey.length; ) {
    if (rawKey.charCodeAt(at) !== 91 /* [ */) return undefined;
    const close = rawKey.indexOf(']', at + 1);
    if (close < 0) return undefined;
    const seg = rawKey.slice(at + 1, close);
    if (seg.includes('[')) return undefined;
    segs.push(seg);
    at = close + 1;
  }
  return segs;
}

/**
 * Decodes Chargebee's form encoding (bodies and query strings) into plain objects:
 * `a=1` -> {a}; `customer[email]=x` -> {customer: {email}}; `coupon_ids[0]=x` -> {coupon_ids: [x]};
 * and the column form of lists, `tiers[price][1]=500` -> {tiers: [, {price}]} (field first, index last).
 *
 * Our own rather than `qs`: Chargebee's column form puts the index last, which qs reads as a list under the field,
 * and every limit here must name the parameter it refuses, which qs's generic errors do not. The objects are built
 * without a prototype and the prototype keys are refused, so no key can reach Object.prototype.
 */
export function decodeForm(entries: Iterable<[string, string]>): Record<string, unknown> {
  const root: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  let count = 0;
  for (const [rawKey, value] of entries) {
    if (++count > LIMITS.parameters) throw bodyError(400, `The request has more than ${String(LIMITS.parameters)} parameters.`);
    if (rawKey.length > LIMITS.formKeyLength) throw refuse(rawKey, `is longer than ${String(LIMITS.formKeyLength)} characters`);
    if (value.length > LIMITS.valueLength) throw refuse(rawKey, `must be at most ${String(LIMITS.valueLength)} characters`);
    if (rawKey === '') throw bodyError(400, 'A parameter has an empty name.');
    const segs = segmentsOf(rawKey);
    if (!segs) throw refuse(rawKey, 'is not a valid parameter name');
    if (segs.length > LIMITS.depth) throw refuse(rawKey, `is nested more than ${String(LIMITS.depth)} levels deep`);
    for (const seg of segs) checkKey(seg, () => rawKey);
    // Column form: an index in last place moves before the field it belongs to.
    if (segs.length >= 3 && isIndex(segs[segs.length - 1]!)) segs.splice(segs.length - 2, 0, segs.pop()!);
    let node: Node = root;
    for (let i = 0; i < segs.length; i++) {
      const seg = segs[i]!;
      const isLast = i === segs.length - 1;
      if (Array.isArray(node) && (!isIndex(seg) || Number(seg) >= LIMITS.entries)) {
        throw refuse(rawKey, `has an index out of range (a list has at most ${String(LIMITS.entries)} entries, from 0)`);
      }
      const slots = node as Record<string, unknown>;
      const slot = Object.hasOwn(slots, seg) ? slots[seg] : undefined;
      if (isLast) {
        if (slot !== undefined) throw refuse(rawKey, 'is given more than once');
        slots[seg] = value;
        break;
      }
      const nextIsIndex = isIndex(segs[i + 1]!);
      if (slot === undefined) {
        slots[seg] = nextIsIndex ? [] : (Object.create(null) as Record<string, unknown>);
      } else if (typeof slot !== 'object' || Array.isArray(slot) !== nextIsIndex) {
        throw refuse(rawKey, 'mixes a value and nested parameters');
      }
      node = slots[seg] as Node;
    }
  }
  // The loop above has checked every key, value, index and depth; what checkShape would add is the keys per object.
  return compact(root, []) as Record<string, unknown>;
}

/**
 * Lists built from indexes may have holes: keep the order, drop the holes; objects become plain ones (safe: the
 * prototype keys were refused) of at most LIMITS.entries keys. Recursion is bounded: no key has more than
 * LIMITS.depth segments.
 */
function compact(v: unknown, path: readonly string[]): unknown {
  if (Array.isArray(v)) {
    const list: unknown[] = [];
    for (const x of v) if (x !== undefined) list.push(typeof x === 'object' ? compact(x, [...path, String(list.length)]) : x);
    return list;
  }
  if (v && typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.length > LIMITS.entries) throw refuse(paramName(path), `must have at most ${String(LIMITS.entries)} keys`);
    const plain: Record<string, unknown> = {};
    for (const k of keys) {
      const x = (v as Record<string, unknown>)[k];
      plain[k] = typeof x === 'object' ? compact(x, [...path, k]) : x;
    }
    return plain;
  }
  return v;
}
