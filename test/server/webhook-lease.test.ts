/**
 * A webhook delivery's claim (its lease) against the time its send takes: an instance whose send starts late never
 * lets a second instance send the same event, and a stopping instance does not wait out a hung endpoint.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KyselyPlugin, type QueryResult, type RootOperationNode, type UnknownRow, SelectQueryNode, TableNode } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type Storage, openStorage } from '../../src/server/db/index.js';
import { WebhookDeliverer } from '../../src/server/events/deliverer.js';

const pgUrl = process.env.PAYLIT_TEST_DATABASE_URL;
const databases = [{ kind: 'sqlite' }, ...(pgUrl ? [{ kind: 'postgres' }] : [])];
const dir = mkdtempSync(join(tmpdir(), 'paylit-lease-'));
const schemas: string[] = [];
let n = 0;
const SITE = 'site_lease';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (!pgUrl) return;
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  for (const s of schemas) await c.query(`drop schema if exists ${s} cascade`);
  await c.end();
});

/** Reads of the `events` table wait for `open()`: the instance is busy (or its database slow) between claim and send. */
const gatedEventReads = () => {
  let open = () => {};
  let reach = () => {};
  const opened = new Promise<void>((r) => (open = r));
  const reached = new Promise<void>((r) => (reach = r));
  const gated = new Set<unknown>();
  const plugin: KyselyPlugin = {
    transformQuery({ node, queryId }: { node: RootOperationNode; queryId: unknown }) {
      const from = SelectQueryNode.is(node) ? node.from?.froms[0] : undefined;
      if (from && TableNode.is(from) && from.table.identifier.name === 'events') gated.add(queryId);
      return node;
    },
    async transformResult({ result, queryId }: { result: QueryResult<UnknownRow>; queryId: unknown }) {
      if (gated.delete(queryId)) {
        reach();
        await opened;
      }
      return result;
    },
  };
  return { plugin, open, reached };
};

interface Receiver {
  url: string;
  got: string[];
  /** Answers 200 to the requests held so far. */
  answer(): void;
  close(): Promise<void>;
}
/** A webhook endpoint that answers 200 after `answerMs`, or holds each request until `answer()` (undefined). */
async function receiver(answerMs: number | undefined): Promise<Receiver> {
  const got: string[] = [];
  const held: ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      got.push((JSON.parse(body) as { id: string }).id);
      if (answerMs !== undefined) setTimeout(() => res.writeHead(200).end('ok'), answerMs);
      else held.push(res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/hooks`,
    got,
    answer: () => {
      for (const res of held.splice(0)) res.writeHead(200).end('ok');
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

describe.each(databases)('webhook leases ($kind)', ({ kind }) => {
  const open: Array<{ close(): Promise<unknown> }> = [];
  afterEach(async () => {
    for (const x of open.splice(0).reverse()) await x.close();
  });

  async function storage(): Promise<Storage> {
    const schema = `lease_${String(process.pid)}_${String(Date.now())}_${String(n++)}`;
    if (kind === 'postgres') schemas.push(schema);
    const s = await openStorage({ dataDir: join(dir, schema), ...(kind === 'postgres' && { databaseUrl: pgUrl, schema }) });
    open.push(s);
    return s;
  }

  /** One event with one pending delivery to the receiver. */
  async function pendingDelivery(s: Storage, eventId: string): Promise<void> {
    const now = Date.now();
    await s.db.insertInto('events').values({ site_id: SITE, id: eventId, seq: n++, event_type: 'customer_created', source: 'api', occurred_at: 0, data: JSON.stringify({ id: eventId }) }).execute();
    await s.db
      .insertInto('webhook_deliveries')
      .values({ site_id: SITE, id: `whd_${eventId}`, event_id: eventId, endpoint_id: 'env', status: 'pending', attempts: 0, next_attempt_at: now, locked_until: null, created_at: now, updated_at: now })
      .execute();
  }

  function deliverer(s: Storage, url: string, timeoutMs: number, more: { db?: Storage['db']; log?: (line: string) => void; maxInFlight?: number } = {}): WebhookDeliverer {
    const d = new WebhookDeliverer({ db: s.db, dialect: s.dialect, siteId: SITE, envEndpoint: { id: 'env', url }, retryScheduleMs: [60_000], timeoutMs, pollMs: 20, ...more });
    open.push({ close: () => d.stop() });
    return d;
  }

  const deliveryOf = async (s: Storage, eventId: string) => {
    const d = await s.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', `whd_${eventId}`).executeTakeFirstOrThrow();
    const attempts = await s.db.selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', d.id).orderBy('attempt').execute();
    return { status: d.status, row: d, attempts };
  };

  it('a send that starts late, then runs past the original lease, is never sent by a second instance too', async () => {
    const s = await storage();
    const rx = await receiver(undefined);
    open.push(rx);
    await pendingDelivery(s, 'ev_late');
    const gate = gatedEventReads();
    const late = deliverer(s, rx.url, 1_000, { db: s.db.withPlugin(gate.plugin) });
    late.start();
    // Claimed (a lease of 1 s timeout + 2 s margin); its send starts 2.4 s later, when the lease has too little left.
    // (On SQLite the gated read holds the one connection: the test reads nothing until it opens.)
    await gate.reached;
    deliverer(s, rx.url, 1_000).start();
    await sleep(2_400);
    gate.open();
    for (let i = 0; i < 100 && rx.got.length === 0; i++) await sleep(20);
    await sleep(800); // the send runs past the original lease; the second instance looks every 20 ms
    expect(rx.got).toEqual(['ev_late']);
    rx.answer();
    for (let i = 0; i < 100 && (await deliveryOf(s, 'ev_late')).status !== 'succeeded'; i++) await sleep(20);
    const d = await deliveryOf(s, 'ev_late');
    expect(d.status).toBe('succeeded');
    expect(d.attempts.map((a) => [a.attempt, a.instance, a.status_code])).toEqual([[1, late.instance, 200]]);
  }, 20_000);

  it('an attempt whose claim was taken over records nothing when its send ends', async () => {
    const s = await storage();
    const rx = await receiver(undefined);
    const other = await receiver(undefined);
    open.push(rx, other);
    await pendingDelivery(s, 'ev_stale');
    const lines: string[] = [];
    // Room for one attempt, so this instance cannot take its own delivery up again while attempt 1 is out.
    const stale = deliverer(s, rx.url, 5_000, { log: (l) => lines.push(l), maxInFlight: 1 });
    stale.start();
    for (let i = 0; i < 100 && rx.got.length === 0; i++) await sleep(20);
    // Attempt 1 is out. Its lease runs out under it (as a process paused that long would find), and a second
    // instance claims attempt 2.
    await s.db.updateTable('webhook_deliveries').set({ locked_until: Date.now() - 1 }).where('id', '=', 'whd_ev_stale').execute();
    deliverer(s, other.url, 5_000).start();
    for (let i = 0; i < 100 && other.got.length === 0; i++) await sleep(20);
    expect(other.got).toEqual(['ev_stale']);
    const before = await deliveryOf(s, 'ev_stale');

    // Attempt 1 gets its 200 now: neither the delivery (attempt 2's) nor attempt 1's row, closed by the takeover, changes.
    rx.answer();
    for (let i = 0; i < 100 && !lines.some((l) => l.includes('attempt 1:')); i++) await sleep(20);
    expect(lines.filter((l) => l.includes('attempt 1:'))).toHaveLength(1);
    const after = await deliveryOf(s, 'ev_stale');
    expect(after).toEqual(before);
    expect(after.status).toBe('delivering');
    expect(after.attempts.map((a) => [a.attempt, a.status_code])).toEqual([
      [1, null],
      [2, null],
    ]);
    expect(after.attempts[0]?.error).toMatch(/no result recorded/);
  }, 10_000);

  it('stop() cuts a send to a hung endpoint short, and the delivery is due again at once', async () => {
    const s = await storage();
    const hung = await receiver(undefined);
    open.push(hung);
    await pendingDelivery(s, 'ev_hung');
    const first = deliverer(s, hung.url, 60_000);
    first.start();
    for (let i = 0; i < 100 && hung.got.length === 0; i++) await sleep(20);
    expect(hung.got).toEqual(['ev_hung']);
    await first.stop(); // the test's 10 s would run out waiting for the 60 s timeout
    const stopped = await deliveryOf(s, 'ev_hung');
    expect(stopped.status).toBe('pending');
    expect(stopped.attempts[0]?.error).toMatch(/instance stopped/);

    // The next instance takes it up without waiting out the minute-long lease.
    const rx = await receiver(0);
    open.push(rx);
    deliverer(s, rx.url, 60_000).start();
    for (let i = 0; i < 100 && rx.got.length === 0; i++) await sleep(20);
    expect(rx.got).toEqual(['ev_hung']);
  }, 10_000);
});
