import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backends } from './harness.js';

/**
 * `npm start`'s banner says what Ctrl+C stops, and it is so: both when the demo started the backend, only the demo
 * shop when the backend is someone else's (PAYLIT_DEMO_BACKEND_URL).
 */
describe('the demo\'s banner tells what Ctrl+C stops', () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  afterAll(() => {
    // A test that failed midway leaves no demo running.
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  /** Starts demo/serve.ts on free ports; resolves with its banner once printed. */
  const startDemo = async (extra: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'paylit-demo-'));
    dirs.push(dir);
    // Node itself (not the tsx wrapper), so the signals reach the demo and nothing outlives a kill.
    const child = spawn(process.execPath, ['--import', 'tsx', 'demo/serve.ts'], {
      env: { ...process.env, PORT: '0', PAYLIT_DEMO_PORT: '0', PAYLIT_DATA_DIR: dir, PAYLIT_DEMO_SKIP_BUILD: '1', DATABASE_URL: '', PAYLIT_DEMO_DATABASE_URL: '', ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const banner = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        if (/Test card[\s\S]*Ctrl\+C[^\n]*\n/.test(out)) resolve(out);
      });
      child.once('exit', (code) => reject(new Error(`the demo exited (${String(code)}) before its banner:\n${out}`)));
      setTimeout(() => reject(new Error(`no banner after 30 s:\n${out}`)), 30_000).unref();
    });
    return { child, banner };
  };
  /** Ctrl+C, then the exit code. */
  const interrupt = (child: ChildProcess) =>
    new Promise<number | null>((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.kill('SIGINT');
    });
  const answers = (url: string) => fetch(`${url}/api/v2/site`).then(() => true, () => false);

  it('the backend it started: "stops both", and Ctrl+C does; it names the origins that may show the checkout, yours too', async () => {
    const { child, banner } = await startDemo({ PAYLIT_ALLOWED_ORIGINS: 'http://localhost:3000, https://shop.example' });
    const backendUrl = /Paylit backend:\s+(\S+)/.exec(banner)?.[1];
    expect(backendUrl).toMatch(/^http:\/\//);
    const demoUrl = /Open:\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(banner)?.[1];
    expect(banner).toMatch(new RegExp(`Allowed origins: +http://localhost:3000 https://shop.example ${demoUrl!.replaceAll('.', '\\.')} `));
    expect(banner).toMatch(/Ctrl\+C stops both/);
    expect(await answers(backendUrl!)).toBe(true);
    expect(await interrupt(child)).toBe(0);
    expect(await answers(backendUrl!)).toBe(false);
  }, 60_000);

  it('an external backend: Ctrl+C stops the demo shop only, as the banner says, and the backend goes on', async () => {
    const external = await backends[0]!.start({ PAYLIT_SEED_DEMO: 'true' });
    try {
      const { child, banner } = await startDemo({
        PAYLIT_DEMO_BACKEND_URL: external.url,
        PAYLIT_SITE: external.site.id,
        PAYLIT_API_KEY: external.site.api_key,
        PAYLIT_PUBLISHABLE_KEY: external.site.publishable_key,
      });
      expect(banner).not.toMatch(/stops both/);
      expect(banner).toContain(`Ctrl+C stops the demo shop; the backend at ${external.url} is yours and keeps running.`);
      expect(await interrupt(child)).toBe(0);
      expect(await answers(external.url)).toBe(true);
    } finally {
      await external.close();
    }
  }, 60_000);
});
