/**
 * The parameters a route's schema accepts, one by one, and a value for each that the schema takes: the walker in
 * params-effect.test.ts sends each and shows what it changed.
 */
import type * as zm from 'zod/mini';
import { defOf, isFreeFormObject, type SchemaDef } from '../../src/server/http/params.js';


export interface Param {
  /** Chargebee's form name: `tiers[price]`, `customer[email]`, `status[is]`. */
  readonly name: string;
  /** Where the value goes in a JSON body: `['tiers', 0, 'price']`. */
  readonly path: ReadonlyArray<string | number>;
  /** The leaf schema's definition (optional and default wrappers taken off). */
  readonly def: SchemaDef;
  readonly defaultValue?: unknown;
}

/** Every leaf parameter of a schema; a list of objects gives the fields of its first item. */
export function flatten(schema: zm.ZodMiniType, path: ReadonlyArray<string | number> = [], defaultValue?: unknown): Param[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'readonly':
    case 'prefault':
      return flatten(def.innerType!, path, defaultValue);
    case 'default':
      return flatten(def.innerType!, path, def.defaultValue);
    case 'pipe':
      // A transform after a string (listOf, between): the string is what is sent.
      return flatten(def.in!, path, defaultValue);
    case 'object':
      if (isFreeFormObject(def)) return [{ name: formName(path), path, def, ...(defaultValue !== undefined && { defaultValue }) }];
      return Object.entries(def.shape ?? {}).flatMap(([k, v]) => flatten(v, [...path, k]));
    case 'array': {
      const element = defOf(def.element!);
      const inner = element.type === 'object' || (element.type !== 'string' && element.innerType && defOf(element.innerType).type === 'object');
      return inner ? flatten(def.element!, [...path, 0]) : [{ name: formName(path), path: [...path, 0], def: element }];
    }
    default:
      return [{ name: formName(path), path, def, ...(defaultValue !== undefined && { defaultValue }) }];
  }
}

/** `['tiers', 0, 'price']` -> `tiers[price]`, as Chargebee names the parameter (the index left out). */
export function formName(path: ReadonlyArray<string | number>): string {
  const keys = path.filter((p): p is string => typeof p === 'string');
  return keys[0]! + keys.slice(1).map((k) => `[${k}]`).join('');
}

/** `body` with `value` at `path`, creating objects and the first list item on the way (a copy). */
export function withValue(body: Record<string, unknown>, path: ReadonlyArray<string | number>, value: unknown): Record<string, unknown> {
  const out = structuredClone(body);
  let at: Record<string | number, unknown> = out;
  for (const [i, key] of path.entries()) {
    if (i === path.length - 1) {
      at[key] = value;
      break;
    }
    const next = path[i + 1];
    at[key] ??= typeof next === 'number' ? [] : {};
    at = at[key] as Record<string | number, unknown>;
  }
  return out;
}

const maxLength = (def: SchemaDef) => def.checks?.map((c) => c._zod.def).find((c) => c.check === 'max_length')?.maximum;
const minimum = (def: SchemaDef) => def.checks?.map((c) => c._zod.def).find((c) => c.check === 'greater_than')?.value;

/**
 * A value the leaf takes, distinct from its default, recognisable in an answer: names by their meaning first
 * (emails, URLs, countries), then by type.
 */
export function sampleValue(p: Param, n: number, now: number, origin: string): unknown {
  const last = p.name.replace(/.*\[([^\]]+)\]$/, '$1');
  const def = p.def;
  if (def.type === 'string') {
    if (/email$/.test(last)) return `probe${String(n)}@example.com`;
    if (/url$/.test(last)) return `${origin}/probe-${String(n)}`;
    if (last === 'country') return 'FR';
    if (/currency_code$/.test(last)) return 'EUR';
    if (last === 'phone') return `+33 1 23 45 67 ${String(10 + (n % 90))}`;
    if (/_in_decimal$|^price_in_decimal$/.test(last)) return '2.5';
    if (def.format === 'email') return `probe${String(n)}@example.com`;
    const text = `probe-${String(n)}`;
    return text.slice(0, maxLength(def) ?? text.length);
  }
  if (def.type === 'number' || def.type === 'int') {
    if (/(_at|_date|_end|_time|_from)$/.test(last)) return now + 10 * 86_400 + n;
    return Math.max(3, (minimum(def) ?? 0) + 1);
  }
  if (def.type === 'boolean') return p.defaultValue === true ? false : true;
  if (def.type === 'enum') {
    // The second option where there is one (off, exempt, non_recurring): the first is most often the default.
    const options = Object.values(def.entries ?? {}).filter((o) => o !== p.defaultValue);
    return options[p.defaultValue === undefined ? Math.min(1, options.length - 1) : 0];
  }
  if (def.type === 'literal') return def.values?.[0];
  if (isFreeFormObject(def)) return { probe: n };
  return `probe-${String(n)}`;
}
