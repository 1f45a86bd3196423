/**
 * What the API benches share: the backend in a child process (bench/serve-for-bench.ts), autocannon at 50
 * connections, and the server process's CPU time per request, which holds better than req/s on a shared machine.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import pg from 'pg';

export const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
export const CONNECTIONS = 50;

export interface Child {
  readonly url: string;
  readonly bare: string;
  readonly cpu: string;
  readonly key: string;
  readonly publishableKey: string;
  readonly origin: string;
  readonly subscriptionId?: string;
  readonly auth: Record<string, string>;
  stop(): Promise<void>;
}

export interface Figure {
  rps: number;
  p50: number;
  p99: number;
  /** The server process's CPU per request, µs. */
  cpuUs: number;
  /** Statements sent to PostgreSQL per request (0 on SQLite). */
  statements: number;
  errors: number;
}

/** `tree`: the checkout whose server to run (another worktree's, for an A/B; default this one). */
export async function startChild(env: Record<string, string>, databaseUrl?: string, tree?: string): Promise<Child> {
  // BENCH_CPU_PROF=dir: the server child writes a V8 CPU profile there when it stops (open it in Chrome's DevTools).
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', 'bench/serve-for-bench.ts'], {
    env: { ...process.env, ...env, BENCH_DATABASE_URL: databaseUrl ?? '' },
    ...(tree && { cwd: tree }),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${String(code)}`)));
  });
  const info = JSON.parse(line) as Omit<Child, 'auth' | 'stop'> & { schema?: string };
  return {
    ...info,
    auth: { authorization: `Basic ${Buffer.from(`${info.key}:`).toString('base64')}` },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      if (databaseUrl && info.schema) {
        const c = new pg.Client({ connectionString: databaseUrl });
        await c.connect();
        await c.query(`drop schema if exists ${info.schema} cascade`);
        await c.end();
      }
    },
  };
}

const cpuOf = async (c: Child) => (await (await fetch(c.cpu)).json()) as { us: number; statements: number };

/** One route under load: GET, or POST of a form body. */
export async function load(c: Child, url: string, headers: Record<string, string> = {}, body?: string, seconds = SECONDS): Promise<Figure> {
  const post = body !== undefined ? { method: 'POST' as const, body, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' } } : { headers };
  const before = await cpuOf(c);
  const r = await autocannon({ url, connections: CONNECTIONS, duration: seconds, ...post });
  const after = await cpuOf(c);
  const n = Math.max(1, r.requests.total);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, cpuUs: (after.us - before.us) / n, statements: (after.statements - before.statements) / n, errors: r.non2xx + r.errors };
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
export const spread = (xs: number[], digits = 0) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${median(s).toFixed(digits)} (${s[0]!.toFixed(digits)}–${s[s.length - 1]!.toFixed(digits)})`;
};
