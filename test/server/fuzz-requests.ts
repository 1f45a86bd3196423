/**
 * Hostile requests for the fuzz test: every route of the merchant and browser APIs, with and without valid
 * credentials, and bodies an attacker or a broken client sends (wrong types, huge strings, odd numbers, unicode,
 * far indexes, deep nesting, prototype keys, bad JSON, wrong content types).
 */
import fc from 'fast-check';

export interface Route {
  readonly method: 'GET' | 'POST';
  readonly path: string;
}

/** What the fuzzer knows of the seeded site: ids to put into paths, credentials to send. */
export interface Known {
  /** Ids of what exists, by the resource a path names (`plans`, `hosted_pages`, ...). */
  readonly ids: Readonly<Record<string, readonly string[]>>;
  readonly apiKey: string;
  readonly publishableKey: string;
  readonly hostedPage: { readonly id: string; readonly token: string };
  readonly portalKey: string;
  readonly ownOrigin: string;
  readonly allowedOrigin: string;
}

export interface FuzzRequest {
  /** The route, as the app declares it. */
  readonly route: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** Parameter names the API uses, so bodies reach the schemas and not only their unknown-key check. */
const NAMES = [
  'id', 'name', 'invoice_name', 'description', 'price', 'price_in_decimal', 'currency_code', 'period', 'period_unit',
  'pricing_model', 'charge_type', 'status', 'plan_id', 'plan_quantity', 'addons', 'coupon_ids', 'subscription', 'customer',
  'billing_address', 'shipping_address', 'meta_data', 'tiers', 'trial_end', 'start_date', 'billing_cycles', 'end_of_term',
  'change_option', 'limit', 'offset', 'sort_by', 'created_at', 'card_token', 'number', 'expiry_month', 'expiry_year', 'cvc',
  'hosted_page_id', 'outcome', 'token', 'redirect_url', 'destination_time', 'url', 'enabled_events', 'addon_id',
  'addon_quantity', 'customer_id', 'subscription_id', 'tmp_token', 'replace_addon_list', 'email', 'first_name',
  'discount_type', 'discount_percentage', 'duration_type', 'subscription_items', 'event_type', 'occurred_at',
];
const SUBKEYS = ['id', 'quantity', 'email', 'plan_id', 'first_name', 'line1', 'country', 'zip', 'price', 'starting_unit', 'is', 'in', 'after', 'asc', 'item_price_id'];
const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__', 'valueOf'];

const name = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...NAMES) }, { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_KEYS) }, { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) });
const segment = fc.oneof(
  fc.constantFrom(...SUBKEYS),
  fc.constantFrom(...HOSTILE_KEYS),
  fc.constantFrom('0', '1', '249', '250', '99999', '-1', '1e3', ''),
  fc.string({ maxLength: 8 }),
);
const formKey = (deepest: number) => fc.oneof(
  { weight: 4, arbitrary: fc.tuple(name, fc.array(segment, { maxLength: 4 })).map(([n, segs]) => n + segs.map((s) => `[${s}]`).join('')) },
  { weight: 1, arbitrary: fc.integer({ min: 30, max: deepest }).map((n) => `customer${'[a]'.repeat(n)}`) },
  { weight: 1, arbitrary: fc.constantFrom('a[b', 'a]b', '[x]', 'a[[b]]', 'a[b]c', '', '=', 'a%5Bb%5D', '__proto__[polluted]', 'constructor[prototype][polluted]') },
);

const oddNumber = fc.constantFrom('-1', '0', 'NaN', 'Infinity', '-Infinity', '1e309', '-1e309', '0.5', '1.', '.5', '9007199254740993', '-0', '0x10', '1_000', '١٢٣');
const value = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 3, arbitrary: oddNumber },
  { weight: 1, arbitrary: fc.constantFrom('true', 'false', 'null', '{}', '[]', '{"a":1}', '["a","b"]', '[a,b]', 'USD', 'month', 'flat_fee', 'recurring') },
  { weight: 1, arbitrary: fc.integer({ min: 250, max: 70_000 }).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 20, max: 3000 }).map((n) => '['.repeat(n) + ']'.repeat(n)) },
);

const formBody = fc.array(fc.tuple(formKey(4000), value), { maxLength: 12 }).map((entries) => new URLSearchParams(entries).toString());
/** Query values stay under Node's 16 KB request line more often than not (the 431 answer is tested, not the point). */
const queryValue = fc.oneof({ weight: 12, arbitrary: value.filter((v) => v.length < 2000) }, { weight: 1, arbitrary: value });

/** JSON texts: arbitrary values under known keys, and texts JSON.stringify cannot make (deep, prototype keys, 1e309). */
const jsonLeaf = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(-1, 0, 2 ** 53 + 2, -(2 ** 60), 1e21, 0.1),
);
const jsonValue = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    jsonLeaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...SUBKEYS), fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 4 }),
  ),
})).value;
const jsonBody = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(name, jsonValue, { maxKeys: 8 }).map((o) => JSON.stringify(o)) },
  { weight: 1, arbitrary: fc.integer({ min: 30, max: 5000 }).map((n) => `{"plan_id":"x","addons":${'['.repeat(n)}1${']'.repeat(n)}}`) },
  { weight: 1, arbitrary: fc.integer({ min: 30, max: 3000 }).map((n) => `{"customer":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '{"__proto__":{"first_name":"Polluted"},"email":"a@b.co"}',
      '{"customer":{"__proto__":{"x":1}}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      '{"meta_data":{"__proto__":{"x":1}}}',
      '{"limit":1e309}',
      '{"price":-1e309,"id":"x"}',
      `{"addons":[${Array.from({ length: 300 }, () => '{"id":"a"}').join(',')}]}`,
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('{', '{"a":', 'null', '[]', '"x"', '1', 'true', '[{"a":1}]', '{"a":1}{"b":2}', '\u0000', '{"a":"\\ud800"}') },
);

const contentType = fc.constantFrom(
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded',
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/jsonx',
  '',
);

const queryString = fc.array(fc.tuple(formKey(400), queryValue), { maxLength: 6 }).map((entries) => new URLSearchParams(entries).toString());

const basic = (user: string) => `Basic ${Buffer.from(`${user}:`).toString('base64')}`;

/** Requests to one route. */
export function requests(route: Route, k: Known): fc.Arbitrary<FuzzRequest> {
  // `/api/v2/plans/:id` -> plans: the ids that route is about, most of the time.
  const resource = /\/([a-z_]+)\/:[a-z_]+/.exec(route.path)?.[1] ?? '';
  const own = k.ids[resource] ?? [];
  const all = Object.values(k.ids).flat();
  const pathValue = fc.oneof(
    { weight: own.length ? 5 : 0, arbitrary: own.length ? fc.constantFrom(...own) : fc.constant('x') },
    { weight: 2, arbitrary: fc.constantFrom(...all) },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 20 }) },
    { weight: 1, arbitrary: fc.constantFrom('..', '%2e%2e', '%00', 'a%2Fb', 'x'.repeat(300), '__proto__', 'constructor', '%F0%9F%92%B3') },
  );
  const merchantAuth = fc.oneof(
    { weight: 4, arbitrary: fc.constant<Record<string, string>>({ authorization: basic(k.apiKey) }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Record<string, string>>({ authorization: basic('wrong_key_wrong_key_wrong') }, { authorization: 'Bearer nope' }, { authorization: 'Basic !!!' }, {}),
    },
  );
  const allValid = { 'x-paylit-publishable-key': k.publishableKey, 'x-paylit-hosted-page-token': k.hostedPage.token, 'x-paylit-portal-key': k.portalKey };
  const mixed = fc.tuple(
    fc.constantFrom<Record<string, string>>({ 'x-paylit-publishable-key': k.publishableKey }, { 'x-paylit-publishable-key': 'pk_wrong_wrong_wrong' }, {}),
    fc.constantFrom<Record<string, string>>({ 'x-paylit-hosted-page-token': k.hostedPage.token }, { 'x-paylit-hosted-page-token': 'nope' }, {}),
    fc.constantFrom<Record<string, string>>({ 'x-paylit-portal-key': k.portalKey }, { 'x-paylit-portal-key': 'nope' }, {}),
    fc.constantFrom<Record<string, string>>({}, { origin: k.ownOrigin }, { origin: k.allowedOrigin }, { origin: 'https://evil.example' }, { origin: 'null' }),
  ).map((parts) => Object.assign({}, ...parts) as Record<string, string>);
  const browserAuth = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom<Record<string, string>>({ ...allValid, origin: k.ownOrigin }, { ...allValid, origin: k.allowedOrigin }, allValid) },
    { weight: 2, arbitrary: mixed },
  );
  const idempotencyKey = fc.option(fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.constantFrom('key with spaces', 'k'.repeat(300), 'cl\u00e9')), { freq: 4 });

  return fc
    .record({
      params: fc.array(pathValue, { minLength: 4, maxLength: 4 }),
      query: fc.option(queryString, { freq: 2 }),
      merchant: merchantAuth,
      browser: browserAuth,
      type: contentType,
      body: fc.oneof(formBody, jsonBody, fc.string({ maxLength: 60 })),
      key: idempotencyKey,
    })
    .map(({ params, query, merchant, browser, type, body, key }) => {
      let i = 0;
      const path = route.path.replace(/:[a-z_]+/g, () => encodeURIComponent(params[i++] ?? 'x'));
      const headers: Record<string, string> = { ...(route.path.startsWith('/api/browser/') ? browser : merchant) };
      if (route.method === 'POST' && type !== '') headers['content-type'] = type;
      if (route.method === 'POST' && key !== null) headers['chargebee-idempotency-key'] = key;
      return { route: `${route.method} ${route.path}`, method: route.method, path: query ? `${path}?${query}` : path, headers, ...(route.method === 'POST' && { body }) };
    });
}
