/**
 * No parameter is accepted and then ignored: every parameter of every route (as the route's own schema lists them,
 * from routeSchemas) is sent, one at a time, with a value the schema takes, and the answer, or what the call made, is
 * compared with the same call without it. Each must change something a merchant or customer can see, be refused by
 * name, or be listed below as informational, with the reason the README's API table gives.
 *
 * "Changed" ignores what differs between two identical calls (fresh ids and tokens), so a parameter is credited only
 * with its own effect. Lists are walked with values taken from their own items (a filter that excludes the first).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeSchemas } from '../../src/server/http/params.js';
import { backends, cardToken, ORIGIN, type TestServer } from './harness.js';
import { flatten, type Param, sampleValue, withValue } from './params-walk.js';
import { CASES, type Call, type Case, COMMON_VALUES, COMMON_WITH, INFORMATIONAL, type Walk } from './params-cases.js';

type Json = Record<string, any>;

/** Every leaf of a JSON value, by path. */
function leaves(x: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  if (x !== null && typeof x === 'object') {
    for (const [k, v] of Object.entries(x)) leaves(v, `${path}/${k}`, out);
    if (Object.keys(x).length === 0) out.set(path, Array.isArray(x) ? '[]' : '{}');
  } else out.set(path, JSON.stringify(x));
  return out;
}
/** `extra` laid over `base`: objects merged key by key, lists item by item; an undefined value removes the key. */
function merged(base: unknown, extra: unknown): any {
  if (extra === undefined) return base;
  if (Array.isArray(base) && Array.isArray(extra)) return Array.from({ length: Math.max(base.length, extra.length) }, (_, i) => merged(base[i], extra[i]));
  if (base && extra && typeof base === 'object' && typeof extra === 'object' && !Array.isArray(base) && !Array.isArray(extra)) {
    const out: Json = { ...base };
    for (const [k, v] of Object.entries(extra)) {
      if (v === undefined) delete out[k];
      else out[k] = merged(out[k], v);
    }
    return out;
  }
  return extra;
}
/** `{ a: { b: 1 } }` -> `a[b]=1`. */
function formQuery(x: unknown, prefix = ''): string {
  if (x === undefined) return '';
  if (x !== null && typeof x === 'object') return Object.entries(x).map(([k, v]) => formQuery(v, prefix ? `${prefix}[${k}]` : k)).filter(Boolean).join('&');
  return `${encodeURIComponent(prefix)}=${encodeURIComponent(String(x))}`;
}
const valueAt = (x: unknown, path: ReadonlyArray<string | number>): unknown => path.reduce<any>((at, k) => (at == null ? undefined : at[k]), x);

/** The paths where two observations differ. */
function differing(a: unknown, b: unknown): Set<string> {
  const la = leaves(a);
  const lb = leaves(b);
  const out = new Set<string>();
  for (const k of new Set([...la.keys(), ...lb.keys()])) if (la.get(k) !== lb.get(k)) out.add(k);
  return out;
}

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe.each(backends)('every accepted parameter changes the result, on $kind', (backend) => {
  let s: TestServer;
  let walk: Walk;
  const prepared = new Map<string, Json>();
  beforeAll(async () => {
    s = await backend.start({ PAYLIT_SEED_DEMO: 'true', PAYLIT_BROWSER_RATE_LIMIT: '1000000' });
    let n = 0;
    walk = {
      s,
      n: () => ++n,
      cardToken: (number?: string) => cardToken(s, number),
      async send(call: Call) {
        const headers: Record<string, string> = { ...call.headers };
        const browser = call.path.startsWith('/api/browser/');
        if (!browser) headers.authorization = `Basic ${Buffer.from(`${s.site.api_key}:`).toString('base64')}`;
        if (call.method === 'POST') headers['content-type'] = 'application/json';
        const res = await fetch(s.url + call.path + (call.query ? `?${call.query}` : ''), {
          method: call.method,
          headers,
          ...(call.method === 'POST' && { body: JSON.stringify(call.body ?? {}) }),
        });
        return { status: res.status, body: (await res.json()) as Json };
      },
    };
    // One call to each route, so each notes the schema it parses (routeSchemas).
    // A parameter no route takes: each parses (and notes its schema), refuses it, and changes nothing.
    for (const [route, c] of Object.entries(CASES)) {
      const get = route.startsWith('GET ');
      await walk.send({ ...(await callOf(route, c, get ? {} : { walk_probe: 1 }, get ? 'walk_probe=1' : undefined)), ...(get && { body: undefined }) });
    }
  }, 120_000);
  afterAll(async () => {
    await s.close();
  });

  async function callOf(route: string, c: Case, extra: Json | ((context: Json) => Json), query?: string, prepare = c.prepare): Promise<Call & { context: Json }> {
    const [method, template] = route.split(' ') as ['GET' | 'POST', string];
    // A list's fixtures are made once: reading them changes nothing.
    let context = method === 'GET' ? prepared.get(route) : undefined;
    if (!context) {
      context = (await prepare?.(walk)) ?? {};
      if (method === 'GET') prepared.set(route, context);
    }
    const path = template.replace(/:([a-z_]+)/g, (_m, k: string) => encodeURIComponent(String(context[k] ?? 'x')));
    const base = c.base?.(walk, context) ?? {};
    const body = merged(base, typeof extra === 'function' ? extra(context) : extra) as Json;
    // A GET's parameters go in its query, in Chargebee's form notation.
    const q = method === 'GET' ? [formQuery(body), query].filter(Boolean).join('&') : query;
    return { method, path, body, ...(q && { query: q }), headers: c.headers?.(walk, context) ?? {}, context };
  }

  /** The call's answer, or what it made, as `observe` looks; with the status. */
  async function observed(route: string, c: Case, body: Json | ((context: Json) => Json), query?: string, observe = c.observe, prepare = c.prepare) {
    const call = await callOf(route, c, body, query, prepare);
    const answer = await walk.send(call);
    if (answer.status !== 200) return { status: answer.status, answer: answer.body, sent: call.body };
    return { status: 200, answer: answer.body, sent: call.body, seen: observe ? await observe(walk, answer.body, call.context, call.body ?? {}) : answer.body };
  }

  it('names every route that takes parameters, and each route that takes none refuses one', async () => {
    const routes = [...new Set(s.app.routes.filter((r) => (r.method === 'GET' || r.method === 'POST') && r.path.startsWith('/api/')).map((r) => `${r.method} ${r.path}`))];
    const parsing = routes.filter((r) => routeSchemas.has(r));
    expect(parsing.filter((r) => !(r in CASES)), 'routes with parameters that have no case below').toEqual([]);
    const silent: string[] = [];
    for (const r of routes.filter((x) => !routeSchemas.has(x))) {
      const c = CASES[r] ?? {};
      const { status, answer } = await observed(r, c, r.startsWith('POST') ? { walk_probe: 1 } : {}, r.startsWith('GET') ? 'walk_probe=1' : undefined);
      if (!(status === 400 && answer.param === 'walk_probe')) silent.push(`${r}: ${String(status)} ${JSON.stringify(answer).slice(0, 160)}`);
      if (routeSchemas.has(r)) silent.push(`${r}: parses parameters, but has no case in params-cases.ts`);
    }
    expect(silent, 'routes that take no parameters and do not refuse one').toEqual([]);
  });

  it('each parameter changes what the call answers or makes, is refused by name, or is documented as informational', { timeout: 600_000 }, async () => {
    const ignored: string[] = [];
    const unprobed: string[] = [];
    const baselines = new Map<string, { a: unknown; noise: Set<string> }>();
    const counts = { changed: 0, required: 0, refused: 0, informational: 0, 'shown elsewhere': 0 };
    let routes = 0;
    for (const [route, c] of Object.entries(CASES)) {
      const schema = routeSchemas.get(route);
      if (!schema) continue;
      const params = flatten(schema);
      routes += 1;
      const isList = route.startsWith('GET ') && params.some((p) => p.name === 'limit');
      for (const p of params) {
        if ((INFORMATIONAL[p.name] ?? c.informational?.[p.name]) !== undefined) {
          counts.informational += 1;
          continue;
        }
        if (c.provenBy?.params.includes(p.name)) {
          counts['shown elsewhere'] += 1;
          if (!routeSchemas.get(c.provenBy.route) || !flatten(routeSchemas.get(c.provenBy.route)!).some((x) => x.name === p.name)) ignored.push(`${route} ${p.name}: proven by ${c.provenBy.route}, which does not take it`);
          continue;
        }
        const prepare = c.prepareFor?.[p.name] ?? c.prepare;
        const companions = { ...COMMON_WITH[p.name], ...c.with?.[p.name] };
        const sample = (context: Json = {}) => {
          const v = c.values?.[p.name] ?? COMMON_VALUES[p.name];
          return v !== undefined ? (typeof v === 'function' ? (v as (w: Walk, c: Json) => unknown)(walk, context) : v) : sampleValue(p, walk.n(), s.clock.now(), ORIGIN);
        };
        // Refused by design (server-owned, not built) or by construction (z.never): a 400 that names it.
        if (c.refused?.includes(p.name) || p.def.type === 'never') {
          const { status, answer } = await observed(route, c, (ctx) => (p.def.type === 'never' ? withValue({}, p.path, 'x') : withValue(companions, p.path, sample(ctx))), undefined, undefined, prepare);
          const named = typeof answer.param === 'string' && (answer.param === p.name || answer.param.startsWith(`${p.name}[`) || p.name.startsWith(`${answer.param}[`));
          if (status !== 400 || !named) ignored.push(`${route} ${p.name}: listed as refused, but answered ${String(status)} ${JSON.stringify(answer).slice(0, 200)}`);
          counts.refused += 1;
          continue;
        }
        const probe = isList ? await listProbe(route, c, p, params) : undefined;
        // A parameter the call always carries is shown to matter by leaving it out.
        const [method] = route.split(' ');
        const baseBody = method === 'POST' ? (await callOf(route, c, companions, undefined, prepare)).body ?? {} : {};
        const given = !isList && valueAt(baseBody, p.path) !== undefined;
        // The call without the parameter (with what it needs), twice: what differs between the two is noise.
        const key = `${route} ${JSON.stringify(companions)} ${probe?.baseQuery ?? ''} ${given ? p.name : ''}`;
        let baseline = baselines.get(key);
        if (!baseline) {
          let one = await observed(route, c, companions, probe?.baseQuery, undefined, prepare);
          // What the parameter needs may need it back (trial_period_unit and trial_period): then the call without
          // either is the one to compare with.
          const alone = one.status === 400 && Object.keys(companions).length > 0;
          if (alone) one = await observed(route, c, {}, probe?.baseQuery, undefined, prepare);
          const two = await observed(route, c, alone ? {} : companions, probe?.baseQuery, undefined, prepare);
          if (one.status !== 200) {
            unprobed.push(`${route} ${p.name}: the call without it answered ${String(one.status)} ${JSON.stringify(one.answer).slice(0, 200)}`);
            continue;
          }
          baseline = { a: one.seen, noise: differing(one.seen, two.seen) };
          baselines.set(key, baseline);
        }
        // A parameter the call carries: another value for it, else the call without it.
        const observe = c.observeFor?.[p.name] ?? c.observe;
        let run = isList
          ? await observed(route, c, {}, probe!.query(probe!.value))
          : await observed(route, c, (ctx) => withValue(companions, p.path, sample(ctx)), undefined, observe, prepare);
        if (given && (run.status !== 200 || JSON.stringify(valueAt(run.sent, p.path)) === JSON.stringify(valueAt(baseBody, p.path)))) {
          run = await observed(route, c, (ctx) => withValue(companions, p.path, undefined), undefined, observe, prepare);
          if (run.status === 400) {
            counts.required += 1; // the call cannot be made without it
            continue;
          }
        }
        const value = isList ? probe!.value : valueAt(run.sent, p.path);
        if (run.status !== 200) {
          unprobed.push(`${route} ${p.name}=${JSON.stringify(value)}: ${String(run.status)} ${JSON.stringify(run.answer).slice(0, 240)}`);
          continue;
        }
        const changed = [...differing(baseline.a, run.seen)].filter((k) => !baseline.noise.has(k));
        // The value itself in what the call made (an id, a name, a time), where the call without it had none.
        const recognisable = (typeof value === 'string' && value.length > 4) || (typeof value === 'number' && value > 100_000);
        const shown = recognisable && JSON.stringify(run.seen).includes(JSON.stringify(value)) && !JSON.stringify(baseline.a).includes(JSON.stringify(value));
        if (!changed.length && !shown) ignored.push(`${route} ${p.name}=${JSON.stringify(value)}: accepted, and nothing changed`);
        else counts.changed += 1;
      }
    }
    const total = Object.values(counts).reduce((a, b) => a + b, 0) + ignored.length + unprobed.length;
    console.log(`parameter walk on ${backend.kind}: ${String(total)} parameters of ${String(routes)} routes: ${Object.entries(counts).map(([k, v]) => `${String(v)} ${k}`).join(', ')}`);
    expect({ unprobed, ignored }, 'unprobed: parameters the walk could not send (give the case a value or what the parameter needs); ignored: accepted and then ignored').toEqual({ unprobed: [], ignored: [] });
  });

  it('each informational parameter is named in the README\'s API table with its reason', () => {
    // Each by its name in backticks; an estimate's address fields by their [field] after `billing_address[first_name]`.
    const names = [...Object.keys(INFORMATIONAL), ...Object.values(CASES).flatMap((c) => Object.keys(c.informational ?? {}))];
    const named = (name: string) => readme.includes(`\`${name}\``) || readme.includes(`\`${name.replace(/^billing_address/, '')}\``) || readme.includes(`\`${name.replace(/\[(is|is_not|in|not_in)\]$/, '')}\``);
    expect([...new Set(names)].filter((n) => !named(n))).toEqual([]);
  });

  /**
   * A list filter's value, from the list's own items: one that leaves out the first item (or all), so that a filter
   * that works changes the list. Paging and sorting compare with the list as it comes.
   */
  async function listProbe(route: string, c: Case, p: Param, siblings: readonly Param[]): Promise<{ value: string; query: (v: unknown) => string; baseQuery?: string }> {
    const all = await observed(route, c, {}, 'limit=100');
    const items = (((all.answer as Json).list ?? []) as Json[]).map((x) => Object.values(x)[0] as Json);
    const [field, op] = p.name.replace(/\]$/, '').split('[') as [string, string | undefined];
    const q = (v: unknown) => `${encodeURIComponent(p.name)}=${encodeURIComponent(String(v))}`;
    if (p.name === 'limit') return { value: '1', query: (v) => `limit=${String(v)}` };
    if (p.name === 'offset') {
      const page = await observed(route, c, {}, 'limit=1');
      return { value: String((page.answer as Json).next_offset ?? ''), query: (v) => `limit=1&offset=${encodeURIComponent(String(v))}`, baseQuery: 'limit=1' };
    }
    if (field === 'sort_by') {
      const by = String(p.def.values?.[0]);
      return { value: by, query: q, baseQuery: `sort_by[${op === 'asc' ? 'desc' : 'asc'}]=${by}` };
    }
    const is = siblings.find((x) => x.name === `${field}[is]`)?.def;
    const options = is?.type === 'enum' ? Object.values(is.entries ?? {}) : [];
    // An item's value for the field (an enum's first option where items do not carry it).
    const read = c.listField?.[field] ?? ((x: Json) => x[field]);
    const own = items.map(read).find((v) => v !== undefined) ?? options[0];
    const other = options.find((o) => o !== String(own)) ?? 'walk-none';
    const values: Record<string, unknown> = {
      is: options.length ? other : 'walk-none',
      is_not: own,
      starts_with: 'walk-none',
      in: JSON.stringify([options.length ? other : 'walk-none']),
      not_in: JSON.stringify([String(own)]),
      after: 4_102_444_800,
      before: 1,
      on: 1,
      between: '[1,2]',
      is_present: own === undefined ? 'true' : 'false',
    };
    return { value: String(values[op ?? ''] ?? 'walk-none'), query: q };
  }
});
