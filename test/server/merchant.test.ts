import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreditLedger,
  createWebhookHandler,
  InsufficientCreditsError,
  LedgerInputError,
  packCredits,
  signatureHeader,
  type WebhookEvent,
} from '../../src/merchant/index.js';
import { backends, cardToken, type TestServer } from './harness.js';

const pgUrl = process.env.PAYLIT_TEST_DATABASE_URL;
const PACKS: Record<string, number> = { 'credits-100': 100, 'credits-500': 500 };
const SECRET = 'whsec_merchant_test_secret_0001';

let n = 0;
/** A ledger on a fresh SQLite file, or a fresh PostgreSQL schema. */
async function openLedger(kind: 'sqlite' | 'postgres', extra: Partial<Parameters<typeof CreditLedger.open>[0]> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'paylit-ledger-'));
  const schema = `ledger_${String(process.pid)}_${String(Date.now())}_${String(n++)}`;
  const ledger = await CreditLedger.open({
    dataDir: dir,
    creditsPerPack: (id) => PACKS[id],
    lowBalanceThreshold: 50,
    ...(kind === 'postgres' && { databaseUrl: pgUrl, schema }),
    ...extra,
  });
  return {
    ledger,
    async close() {
      await ledger.close();
      rmSync(dir, { recursive: true, force: true });
      if (kind === 'postgres') {
        const c = new pg.Client({ connectionString: pgUrl });
        await c.connect();
        await c.query(`drop schema if exists ${schema} cascade`);
        await c.end();
      }
    },
  };
}

const paid = (id: string, customer: string, lines: Array<[string, number]>, type = 'payment_succeeded'): WebhookEvent => ({
  id,
  occurred_at: 1_700_000_000,
  event_type: type,
  content: {
    invoice: {
      id: `inv_${id}`,
      customer_id: customer,
      line_items: [
        { entity_type: 'plan', entity_id: 'credits-starter', quantity: 1 },
        ...lines.map(([addon, quantity]) => ({ entity_type: 'addon', entity_id: addon, quantity })),
      ],
    },
  },
});

describe('packCredits', () => {
  it('reads a positive whole number from meta_data.credits (object or JSON text), else undefined', () => {
    expect(packCredits({ meta_data: { credits: 500 } })).toBe(500);
    expect(packCredits({ meta_data: '{"credits":100}' })).toBe(100);
    expect(packCredits({ meta_data: { credits: '250' } })).toBe(250);
    for (const m of [undefined, null, {}, { credits: 0 }, { credits: -5 }, { credits: 1.5 }, { credits: 'many' }, 'not json']) {
      expect(packCredits({ meta_data: m })).toBeUndefined();
    }
  });
});

for (const kind of ['sqlite', ...(pgUrl ? ['postgres' as const] : [])] as const) {
  describe(`the credit ledger (${kind})`, () => {
    let l: Awaited<ReturnType<typeof openLedger>>;
    let ledger: CreditLedger;
    const lows: Array<[string, number]> = [];
    beforeAll(async () => {
      l = await openLedger(kind, { onLowBalance: (a, b) => lows.push([a, b]) });
      ledger = l.ledger;
    });
    afterAll(() => l.close());

    it('credits quantity × credits per pack for each pack line of a paid invoice, once per event id', async () => {
      const out = await ledger.handleEvent(paid('ev_1', 'cus_a', [['credits-100', 2], ['credits-500', 1], ['analytics', 1]]));
      expect(out).toEqual({
        status: 'processed',
        credited: [
          { accountId: 'cus_a', addonId: 'credits-100', quantity: 2, credits: 200, balance: 200 },
          { accountId: 'cus_a', addonId: 'credits-500', quantity: 1, credits: 500, balance: 700 },
        ],
      });
      expect(await ledger.handleEvent(paid('ev_1', 'cus_a', [['credits-100', 2]]))).toEqual({ status: 'duplicate' });
      expect(await ledger.balance('cus_a')).toBe(700);
    });

    it('the same event delivered ten times at once is applied once', async () => {
      const outs = await Promise.all(Array.from({ length: 10 }, () => ledger.handleEvent(paid('ev_burst', 'cus_burst', [['credits-100', 1]]))));
      expect(outs.filter((o) => o.status === 'processed')).toHaveLength(1);
      expect(outs.filter((o) => o.status === 'duplicate')).toHaveLength(9);
      expect(await ledger.balance('cus_burst')).toBe(100);
    });

    it('records and ignores other events and invoices without packs', async () => {
      expect(await ledger.handleEvent(paid('ev_other', 'cus_b', [['credits-100', 1]], 'payment_failed'))).toEqual({ status: 'ignored', reason: 'payment_failed does not move credits' });
      expect(await ledger.handleEvent(paid('ev_nopack', 'cus_b', [['analytics', 3]]))).toEqual({ status: 'ignored', reason: 'the invoice has no credit packs' });
      expect(await ledger.seen('ev_other')).toBe(true);
      expect(await ledger.balance('cus_b')).toBe(0);
    });

    it('refuses a malformed payment_succeeded without recording it, so a corrected retry applies', async () => {
      const bad = { ...paid('ev_bad', 'cus_c', []), content: { invoice: { id: 'inv_x', line_items: [] } } };
      await expect(ledger.handleEvent(bad)).rejects.toThrow(/content\.invoice/);
      expect(await ledger.seen('ev_bad')).toBe(false);
    });

    it('debits atomically: never below zero, a refused debit names the balance and changes nothing', async () => {
      await ledger.grant('cus_d', 100, { reference: 'welcome' });
      const m = await ledger.debit('cus_d', 30, { description: 'tagline' });
      expect(m).toMatchObject({ balance: 70, low: false, crossedThreshold: false, replayed: false });
      const low = await ledger.debit('cus_d', 30);
      expect(low).toMatchObject({ balance: 40, low: true, crossedThreshold: true });
      expect(lows).toContainEqual(['cus_d', 40]);
      const again = await ledger.debit('cus_d', 10);
      expect(again).toMatchObject({ balance: 30, low: true, crossedThreshold: false });
      const err = await ledger.debit('cus_d', 31).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InsufficientCreditsError);
      expect(err).toMatchObject({ balance: 30, requested: 31, message: 'Not enough credits: 31 requested, 30 left.' });
      expect(await ledger.debit('cus_nobody', 1).catch((e: unknown) => e)).toMatchObject({ balance: 0, requested: 1 });
      expect(await ledger.balance('cus_d')).toBe(30);
      expect((await ledger.history('cus_d')).map((e) => [e.kind, e.amount, e.balanceAfter])).toEqual([
        ['usage', -10, 30],
        ['usage', -30, 40],
        ['usage', -30, 70],
        ['grant', 100, 100],
      ]);
    });

    it('rejects bad amounts and ids, naming the field', async () => {
      for (const [amount, re] of [[0, /amount/], [-5, /amount/], [1.5, /amount/], [Number.NaN, /amount/]] as const) {
        const e = await ledger.debit('cus_d', amount).catch((x: unknown) => x);
        expect(e).toBeInstanceOf(LedgerInputError);
        expect((e as Error).message).toMatch(re);
      }
      await expect(ledger.debit('', 1)).rejects.toThrow(/accountId/);
      await expect(ledger.debit('x'.repeat(101), 1)).rejects.toThrow(/accountId/);
      expect(await ledger.balance('cus_d')).toBe(30);
    });

    it('applies a usage reference once, even when sent concurrently', async () => {
      await ledger.grant('cus_e', 100);
      const all = await Promise.all(Array.from({ length: 8 }, () => ledger.debit('cus_e', 25, { reference: 'req-1' })));
      expect(all.filter((m) => !m.replayed)).toHaveLength(1);
      expect(new Set(all.map((m) => m.entry.id)).size).toBe(1);
      expect(await ledger.balance('cus_e')).toBe(75);
    });

    it('200 concurrent debits against a balance covering half: exactly half succeed, the balance ends at 0', async () => {
      await ledger.grant('cus_f', 100 * 7);
      const results = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => ledger.debit('cus_f', 7, { reference: `use-${String(i)}` })));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(100);
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(rejected).toHaveLength(100);
      expect(rejected.every((r) => r.reason instanceof InsufficientCreditsError)).toBe(true);
      expect(await ledger.balance('cus_f')).toBe(0);
      const history = await ledger.history('cus_f', { limit: 1000 });
      expect(history.filter((e) => e.kind === 'usage')).toHaveLength(100);
      expect(Math.min(...history.map((e) => e.balanceAfter))).toBe(0);
      // Pages on by id.
      const page = await ledger.history('cus_f', { limit: 10 });
      const next = await ledger.history('cus_f', { limit: 10, before: page.at(-1)!.id });
      expect(next[0]!.id).toBeLessThan(page.at(-1)!.id);
    });

    it('refuses a balance below zero at the database too', async () => {
      await expect(ledger.db.updateTable('credit_accounts').set({ balance: -1 }).where('account_id', '=', 'cus_f').execute()).rejects.toThrow();
    });
  });
}

// The library against the real backend: its webhooks, signed and with Basic auth, into a handler.
for (const backend of backends) {
  describe(`paylit/merchant behind a real backend (${backend.kind})`, () => {
    let s: TestServer;
    let l: Awaited<ReturnType<typeof openLedger>>;
    let server: Server;
    let down = false;
    const statuses: number[] = [];
    beforeAll(async () => {
      l = await openLedger(backend.kind);
      const handle = createWebhookHandler({ ledger: l.ledger, secret: SECRET, basicAuth: { username: 'paylit', password: 'hook-password' } });
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          if (down) {
            statuses.push(503);
            res.writeHead(503).end();
            return;
          }
          void handle({ body, headers: req.headers as Record<string, string> }).then((r) => {
            statuses.push(r.status);
            res.writeHead(r.status, { 'content-type': 'application/json' }).end(JSON.stringify(r.body));
          });
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/webhooks`;
      s = await backend.start({
        PAYLIT_SEED_DEMO: 'true',
        PAYLIT_WEBHOOK_URL: url,
        PAYLIT_WEBHOOK_SECRET: SECRET,
        PAYLIT_WEBHOOK_USERNAME: 'paylit',
        PAYLIT_WEBHOOK_PASSWORD: 'hook-password',
        PAYLIT_WEBHOOK_RETRY_SCHEDULE: '1s',
        PAYLIT_WEBHOOK_POLL: '100ms',
      });
    });
    afterAll(async () => {
      await s.close();
      server.close();
      await l.close();
    });

    const until = async (check: () => Promise<boolean>) => {
      for (let i = 0; i < 100; i++) {
        if (await check()) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('timed out');
    };

    it('a replenishment paid through the API credits the balance once; the endpoint down, it arrives after the retry', async () => {
      const { customer } = await s.cb.customer.create({ email: 'ledger@example.com' });
      await s.cb.paymentSource.createUsingTempToken({ type: 'card', customer_id: customer.id, tmp_token: await cardToken(s) });
      await s.cb.invoice.chargeAddon({ customer_id: customer.id, addon_id: 'credits-500', addon_quantity: 2 });
      await until(async () => (await l.ledger.balance(customer.id)) === 1000);
      down = true;
      await s.cb.invoice.chargeAddon({ customer_id: customer.id, addon_id: 'credits-100', addon_quantity: 1 });
      await until(async () => statuses.includes(503));
      expect(await l.ledger.balance(customer.id)).toBe(1000);
      down = false;
      await until(async () => (await l.ledger.balance(customer.id)) === 1100);
      await new Promise((r) => setTimeout(r, 1500));
      expect(await l.ledger.balance(customer.id)).toBe(1100);
      expect((await l.ledger.history(customer.id)).map((e) => e.amount)).toEqual([100, 1000]);
    });

    it('refuses a forged, unsigned, stale or replayed delivery with 401 and applies none of them', async () => {
      const handle = createWebhookHandler({ ledger: l.ledger, secret: SECRET, basicAuth: { username: 'paylit', password: 'hook-password' } });
      const body = JSON.stringify(paid('ev_forged', 'cus_forged', [['credits-500', 10]]));
      const basic = `Basic ${Buffer.from('paylit:hook-password').toString('base64')}`;
      const now = Math.floor(Date.now() / 1000);
      const signed = { authorization: basic, 'paylit-signature': signatureHeader(SECRET, now, body) };
      expect((await handle({ body, headers: { authorization: basic } })).status).toBe(401);
      expect((await handle({ body, headers: { 'paylit-signature': signatureHeader(SECRET, now, body) } })).status).toBe(401);
      expect((await handle({ body, headers: { authorization: basic, 'paylit-signature': signatureHeader('whsec_someone_else_1234', now, body) } })).status).toBe(401);
      expect((await handle({ body, headers: { authorization: basic, 'paylit-signature': signatureHeader(SECRET, now - 3600, body) } })).status).toBe(401);
      expect((await handle({ body: body.replace('"quantity":10', '"quantity":99'), headers: signed })).status).toBe(401);
      expect(await l.ledger.balance('cus_forged')).toBe(0);
      expect(await l.ledger.seen('ev_forged')).toBe(false);
      // The genuine delivery is applied; the same delivery sent again is a replay.
      expect((await handle({ body, headers: signed })).status).toBe(200);
      const replay = await handle({ body, headers: signed });
      expect(replay).toMatchObject({ status: 401, body: { message: expect.stringMatching(/replay/) } });
      // A fresh signature of the same event (the backend's retry) is acknowledged and changes nothing.
      const retry = await handle({ body, headers: { authorization: basic, 'paylit-signature': signatureHeader(SECRET, now + 1, body) } });
      expect(retry).toMatchObject({ status: 200, body: { outcome: { status: 'duplicate' } } });
      expect(await l.ledger.balance('cus_forged')).toBe(5000);
    });
  });
}
