// Element timings in Chromium (Playwright), from the built bundle: `npm run bench:elements`.
// - the first render of <paylit-plan-picker> with 1,000 plans (setting `plans`, which zod-checks them, to rendered and
//   laid out; BENCH_PLANS=n for another count), and the time until every card is in the DOM;
// - a quantity change in the checkout to the updated "Due today", and whether it lands in the same frame.
// Each is the median of 20 runs. Prints the numbers; asserts nothing (timings never gate the tests).
import { createReadStream, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { chromium } from '@playwright/test';
import { parseOrThrow } from '../src/core/errors.js';
import { addonSchema } from '../src/core/schemas/addon.js';
import { planSchema } from '../src/core/schemas/plan.js';
import { demoAddons, demoPlans, demoTaxProfile } from '../src/server/seed/catalog.js';
import { CHROMIUM_ARGS, findChromium } from '../test/chromium.mjs';

const root = join(import.meta.dirname, '..');
if (!existsSync(join(root, 'dist/paylit-elements.js'))) throw new Error('Build first: npm run build');
const types: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html' };
const server = createServer((req, res) => {
  const path = join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
  if (req.url === '/') {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html lang="en"><body><script type="module" src="/dist/paylit-elements.js"></script></body></html>');
    return;
  }
  if (!path.startsWith(root) || !existsSync(path)) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' });
  createReadStream(path).pipe(res);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/`;

const base = parseOrThrow(planSchema, demoPlans.find((p) => p.id === 'grow-monthly')!);
const many = Array.from({ length: Number(process.env.BENCH_PLANS ?? 1000) }, (_, i) => ({ ...base, id: `plan-${String(i)}`, name: `Plan ${String(i)}`, price: 100 + i }));
const plans = demoPlans.map((p) => parseOrThrow(planSchema, p)).filter((p) => p.currency_code === 'USD');
const addons = demoAddons.map((a) => parseOrThrow(addonSchema, a));
const now = Date.UTC(2025, 0, 31) / 1000;
const view = {
  now,
  hosted_page: { id: 'hp_bench', type: 'checkout_new', url: `${url}hosted`, state: 'created', embed: true, created_at: now, expires_at: now + 3600, object: 'hosted_page' },
  checkout: { kind: 'new', plan_id: 'credits-starter', addons: [{ id: 'credits-500', quantity: 1 }], coupon_ids: [] },
  coupons: [],
  catalog: { plans, addons },
  tax_profile: demoTaxProfile,
  customer: { billing_address: { country: 'US', state_code: 'NY' }, billing_address_locked: false, taxability: 'taxable' },
};

const browser = await chromium.launch({ executablePath: (await findChromium()) ?? undefined, args: CHROMIUM_ARGS, headless: true });
const page = await browser.newPage();
// tsx names functions with a `__name` helper that the page does not have.
await page.addInitScript('window.__name = (f) => f');
await page.goto(url);
await page.waitForFunction(() => customElements.get('paylit-checkout') !== undefined);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const renders: number[] = [];
for (let i = 0; i < 20; i++) {
  renders.push(
    await page.evaluate(async (list) => {
      // The previous run's picker goes first, and its teardown (style, layout, a frame) is not counted.
      document.body.querySelectorAll('paylit-plan-picker').forEach((e) => e.remove());
      document.body.getBoundingClientRect();
      await new Promise((r) => requestAnimationFrame(r));
      const t0 = performance.now();
      const el = document.createElement('paylit-plan-picker') as HTMLElement & { plans: unknown; updateComplete: Promise<unknown> };
      el.plans = list;
      (window as unknown as { parseMs: number[] }).parseMs = [...((window as unknown as { parseMs?: number[] }).parseMs ?? []), performance.now() - t0];
      document.body.append(el);
      await el.updateComplete;
      const rendered = performance.now();
      el.getBoundingClientRect(); // layout included
      const first = performance.now() - t0;
      const w = window as unknown as { renderMs?: number[]; allMs?: number[] };
      w.renderMs = [...(w.renderMs ?? []), rendered - t0];
      // Cards past the first screenful follow one chunk per frame: the time until all of them are in the DOM.
      while (el.shadowRoot!.querySelectorAll('.plan').length < list.length) await new Promise((r) => requestAnimationFrame(r));
      w.allMs = [...(w.allMs ?? []), performance.now() - t0];
      return first;
    }, many),
  );
}

const changes = await page.evaluate(async (v) => {
  const c = document.createElement('paylit-checkout') as HTMLElement & { adapter: unknown; updateComplete: Promise<unknown> };
  c.setAttribute('hosted-page-id', 'hp_bench');
  c.adapter = { readHostedPage: async () => structuredClone(v), saveHostedPage: async () => structuredClone(v), paymentMethod: () => undefined };
  document.body.append(c);
  while (!c.shadowRoot?.querySelector('[part~="total"]')) await new Promise((r) => setTimeout(r, 10));
  const picker = c.shadowRoot.querySelector('paylit-addon-picker') as HTMLElement & { value: unknown };
  const out: Array<{ ms: number; sameFrame: boolean }> = [];
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => requestAnimationFrame(r));
    let frames = 0;
    const tick = () => {
      frames++;
    };
    requestAnimationFrame(tick);
    const t0 = performance.now();
    picker.value = [{ id: 'credits-500', quantity: i + 2 }];
    picker.dispatchEvent(new Event('change'));
    await c.updateComplete;
    const total = c.shadowRoot.querySelector('[part~="total"] strong')!.textContent;
    const ms = performance.now() - t0;
    if (!total) throw new Error('no total');
    out.push({ ms, sameFrame: frames === 0 });
  }
  return out;
}, view);

const parseMs = await page.evaluate(() => (window as unknown as { parseMs: number[] }).parseMs);
const renderMs = await page.evaluate(() => (window as unknown as { renderMs: number[] }).renderMs);
const allMs = await page.evaluate(() => (window as unknown as { allMs: number[] }).allMs);
await browser.close();
server.close();
console.log(`plan picker, first render of 1,000 plans: median ${median(renders).toFixed(1)} ms (20 runs; min ${Math.min(...renders).toFixed(1)}, max ${Math.max(...renders).toFixed(1)})`);
console.log(`  of which checking the 1,000 plans with zod: median ${median(parseMs).toFixed(1)} ms; to the DOM before layout: ${median(renderMs).toFixed(1)} ms`);
console.log(`  all 1,000 cards in the DOM: median ${median(allMs).toFixed(1)} ms`);
console.log(
  `checkout, quantity change -> updated total: median ${median(changes.map((c) => c.ms)).toFixed(2)} ms; ` +
    `${String(changes.filter((c) => c.sameFrame).length)}/20 within the same frame`,
);
