// The README's paylit/merchant example, type-checked by `npm test` (tsc): keep the two in step.
import { createServer } from 'node:http';
import Chargebee from 'chargebee';
import { CreditLedger, createWebhookHandler, InsufficientCreditsError, packCredits } from 'paylit/merchant';

const chargebee = new Chargebee({ site: '127.0.0', hostSuffix: '.1', protocol: 'http', port: 8787, apiKey: process.env.PAYLIT_API_KEY! });

const ledger = await CreditLedger.open({
  databaseUrl: process.env.DATABASE_URL, // unset: SQLite in .paylit-merchant/
  lowBalanceThreshold: 50,
  // How many credits a pack grants: the addon's meta_data.credits (cache it in real life).
  creditsPerPack: async (addonId) => packCredits((await chargebee.addon.retrieve(addonId)).addon),
  onLowBalance: (customerId, balance) => console.log(`${customerId} is down to ${balance} credits`),
});

const webhook = createWebhookHandler({
  ledger,
  secret: process.env.PAYLIT_WEBHOOK_SECRET, // the backend's PAYLIT_WEBHOOK_SECRET
  basicAuth: { username: 'paylit', password: process.env.PAYLIT_WEBHOOK_PASSWORD! },
});

const read = (req: import('node:http').IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => resolve(body));
  });

createServer(async (req, res) => {
  const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  if (req.method === 'POST' && req.url === '/webhooks/paylit') {
    const r = await webhook({ body: await read(req), headers: req.headers });
    return send(r.status, r.body);
  }
  if (req.method === 'POST' && req.url === '/api/use') {
    const customerId = currentCustomerId(req); // your session
    const key = req.headers['idempotency-key'];
    try {
      const m = await ledger.debit(customerId, 30, { ...(typeof key === 'string' && { reference: key }), description: 'one tagline' });
      return send(200, { balance: m.balance, low: m.low });
    } catch (e) {
      if (e instanceof InsufficientCreditsError) return send(402, { message: e.message, balance: e.balance });
      throw e;
    }
  }
  if (req.method === 'GET' && req.url === '/api/credits') {
    const customerId = currentCustomerId(req);
    return send(200, { balance: await ledger.balance(customerId), history: await ledger.history(customerId) });
  }
  send(404, { message: 'Not found' });
}).listen(8788);

declare function currentCustomerId(req: import('node:http').IncomingMessage): string;
