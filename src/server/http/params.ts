import type { Context, MiddlewareHandler } from 'hono';
import type * as zm from 'zod/mini';
import { fieldErrors, PaylitValidationError } from '../../core/errors.js';
import { bodyError, checkShape, decodeForm } from './decode.js';

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** What a zod/mini schema says of itself (its `_zod.def`), as far as the decoding here and the parameter walk read it. */
export interface SchemaDef {
  type: string;
  innerType?: zm.ZodMiniType;
  in?: zm.ZodMiniType;
  shape?: Record<string, zm.ZodMiniType>;
  element?: zm.ZodMiniType;
  options?: zm.ZodMiniType[];
  entries?: Record<string, string>;
  values?: unknown[];
  defaultValue?: unknown;
  checks?: Array<{ _zod: { def: { check: string; maximum?: number; minimum?: number; value?: number; format?: string } } }>;
  format?: string;
  catchall?: zm.ZodMiniType;
}
export const defOf = (s: zm.ZodMiniType): SchemaDef => (s as unknown as { _zod: { def: SchemaDef } })._zod.def;

/**
 * A free-form JSON object (core's `freeFormObject`: meta_data, content): a record, or an object that declares no keys
 * and takes any others (`z.looseObject({})`). A form field holds it as a JSON document.
 */
export const isFreeFormObject = (def: SchemaDef): boolean =>
  def.type === 'record' ||
  (def.type === 'object' && Object.keys(def.shape ?? {}).length === 0 && def.catchall !== undefined && defOf(def.catchall).type === 'unknown');

/**
 * Form values are all strings; this turns them into what the (core) schema expects, by walking the schema:
 * numbers from digit strings, booleans from "true"/"false", JSON objects (meta_data) from JSON strings.
 * Anything it cannot read is left as it is, so the schema reports it with the field's name.
 */
export function coerceForm(schema: zm.ZodMiniType, value: unknown, path: readonly string[] = []): unknown {
  return coerceAt(schema, value, path.length ? { up: undefined, key: '', prefix: path } : undefined);
}

/**
 * Where a value sits, as a chain from the value up to the root: built as the walk descends (one small object per
 * level), and spelled out as a path only for the one use that needs it (a JSON document's bounds), not per key.
 */
interface At {
  readonly up: At | undefined;
  readonly key: string;
  /** The path above the walk's root (coerceForm's `path`), on the root link only. */
  readonly prefix?: readonly string[];
}
const pathOf = (at: At | undefined): string[] => {
  const keys: string[] = [];
  let root: readonly string[] = [];
  for (let a = at; a; a = a.up) {
    if (a.prefix) root = a.prefix;
    else keys.push(a.key);
  }
  return [...root, ...keys.reverse()];
};

function coerceAt(schema: zm.ZodMiniType, value: unknown, at: At | undefined): unknown {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'nullable':
    case 'prefault':
    case 'readonly':
      return coerceAt(def.innerType!, value, at);
    case 'pipe':
      return coerceAt(def.in!, value, at);
    case 'object': {
      if (isFreeFormObject(def)) return jsonDocument(value, at);
      if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
      const shape = def.shape;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(value)) {
        const v = (value as Record<string, unknown>)[k];
        const c = shape && Object.hasOwn(shape, k) ? coerceAt(shape[k]!, v, { up: at, key: k }) : v;
        // An own property whatever the key (as Object.fromEntries made it): never the prototype, even for a key the
        // decoders refuse before this walk.
        if (k === '__proto__') Object.defineProperty(out, k, { value: c, enumerable: true, writable: true, configurable: true });
        else out[k] = c;
      }
      return out;
    }
    case 'array':
      return Array.isArray(value) ? value.map((v, i) => coerceAt(def.element!, v, { up: at, key: String(i) })) : value;
    case 'number':
    case 'int':
      return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : value;
    case 'record':
      return jsonDocument(value, at);
    case 'union':
      for (const o of def.options ?? []) {
        const c = coerceAt(o, value, at);
        if (c !== value) return c;
      }
      return value;
    default:
      return value;
  }
}

/** A free-form object's form field: the JSON document it holds, or the value as it came (the schema then reports it). */
function jsonDocument(value: unknown, at: At | undefined): unknown {
  if (typeof value !== 'string') return value;
  let parsed: Json;
  try {
    parsed = JSON.parse(value) as Json;
  } catch {
    return value;
  }
  // A JSON document inside a form field is request data too: the same bounds apply.
  checkShape(parsed, pathOf(at));
  return parsed;
}

/** The media type of a Content-Type header, without its parameters (`application/json; charset=utf-8` -> `application/json`). */
const mediaType = (header: string | undefined) => (header ?? '').split(';')[0]!.trim().toLowerCase();

/**
 * Reads a POST body, form-encoded or JSON, as an object within LIMITS (app.ts has already refused one over
 * LIMITS.bodyBytes). An empty body is an empty form. `plainJson`: JSON may also come as text/plain, as a browser sends
 * a string body with no header set: a CORS "simple" request, sent without a preflight round trip first.
 */
export async function readBody(c: Context, o: { plainJson?: boolean } = {}): Promise<{ body: Record<string, unknown>; form: boolean }> {
  const type = mediaType(c.req.header('content-type'));
  const text = await c.req.text();
  if (text.trim() === '') return { body: {}, form: true };
  if (type === 'application/json' || (o.plainJson && type === 'text/plain')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw bodyError(400, 'The request body is not valid JSON.');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw bodyError(400, 'The request body must be a JSON object of parameters.');
    checkShape(parsed);
    return { body: parsed as Record<string, unknown>, form: false };
  }
  if (type !== '' && type !== 'application/x-www-form-urlencoded') {
    throw bodyError(415, 'Send the parameters as application/x-www-form-urlencoded or application/json.');
  }
  return { body: decodeForm(new URLSearchParams(text)), form: true };
}

/** A query string's parameters, decoded and bounded as a form body is. */
export const readQuery = (c: Context): Record<string, unknown> => decodeForm(new URL(c.req.url).searchParams);

/**
 * The schema each route parses its parameters with, keyed `POST /api/v2/plans`, noted the first time the route
 * parses (one entry per route, so it stays as small as the route table). The test that shows every accepted
 * parameter changes the result walks it.
 */
export const routeSchemas = new Map<string, zm.ZodMiniType>();

/**
 * Parses input with a core (zod/mini) schema, coercing form strings first; errors name the parameters. `c`, the
 * request's context, when the input is the request's parameters (for routeSchemas).
 */
export function parseWith<S extends zm.ZodMiniType>(schema: S, input: unknown, form: boolean, c?: Context): zm.output<S> {
  if (c) {
    const route = `${c.req.method} ${c.req.routePath}`;
    if (!routeSchemas.has(route)) routeSchemas.set(route, schema);
  }
  const value = form ? coerceForm(schema, input) : input;
  // Parsed without options first: zod's `reportInput` (which the messages of a refusal read) makes a parse take
  // 1.5 to 2 times as long, and most requests pass. A refused input is parsed once more with it, for its messages; a
  // parse is pure, so the second finds what the first did.
  const result = schema.safeParse(value);
  if (result.success) return result.data as zm.output<S>;
  const reported = schema.safeParse(value, { reportInput: true });
  throw new PaylitValidationError(fieldErrors(reported.success ? result.error : reported.error));
}


/** Refuses the keys of `body` that a call may not send, each named. */
export function refuseKeys(body: Record<string, unknown>, keys: readonly string[], message = 'is not a known parameter'): void {
  const given = keys.filter((k) => Object.hasOwn(body, k));
  if (given.length) throw new PaylitValidationError(given.map((param) => ({ param, message })));
}

/**
 * The fields a partial update gives, typed as `schema` expects (form strings coerced): the service merges them into
 * the current record and checks the whole.
 */
export async function readPatch(c: Context, schema: zm.ZodMiniType, refused: readonly string[]): Promise<Record<string, unknown>> {
  const { body, form } = await readBody(c);
  const route = `${c.req.method} ${c.req.routePath}`;
  if (!routeSchemas.has(route)) routeSchemas.set(route, schema);
  refuseKeys(body, refused);
  return form ? (coerceForm(schema, body) as Record<string, unknown>) : body;
}

/**
 * For a route that takes no parameters: any it is sent is refused by name, before the route runs (none is accepted
 * and then ignored).
 */
export const noParams: MiddlewareHandler = async (c, next) => {
  const given = c.req.method === 'GET' ? readQuery(c) : (await readBody(c)).body;
  refuseKeys(given, Object.keys(given), 'is not a parameter of this call, which takes none');
  await next();
};
