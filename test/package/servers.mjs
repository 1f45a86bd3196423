// The package check's two servers: a static file server (the merchant's site, or a built app) and the installed
// paylit-server bin, started as a shell would and read from what it prints.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };

/** Serves `dir` on a free port of 127.0.0.1. */
export async function staticServer(dir) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (path.includes('..')) return void res.writeHead(400).end();
    if (path === '/favicon.ico') return void res.writeHead(204).end(); // not the browser console's business here
    try {
      const body = await readFile(join(dir, path));
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('Not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${String(server.address().port)}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Starts the bin and waits for its banner (URL, site, keys); `stop(signal)` resolves with the exit code. */
export function startBin(path, cwd, env, timeoutMs = 30_000) {
  const proc = spawn(path, [], { cwd, env: { ...process.env, DATABASE_URL: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`paylit-server printed no URL, site and keys:\n${out}`));
    }, timeoutMs);
    const read = (b) => {
      out += b;
      const url = /Paylit backend on (http:\/\/\S+)/.exec(out)?.[1];
      const site = /site\s+(\S+)/.exec(out)?.[1];
      const publishableKey = /publishable key\s+(\S+)/.exec(out)?.[1];
      const secretKey = /secret key\s+(\S+)/.exec(out)?.[1];
      if (!url || !site || !publishableKey || !secretKey) return;
      clearTimeout(timer);
      const stop = (signal) => {
        proc.kill(signal);
        const guard = setTimeout(() => proc.kill('SIGKILL'), timeoutMs); // a hang fails, never blocks the run
        return exited.then((code) => (clearTimeout(guard), code));
      };
      resolve({ proc, url, site, publishableKey, secretKey, stop, output: () => out });
    };
    proc.stdout.on('data', read);
    proc.stderr.on('data', (b) => (out += b));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`paylit-server exited (${String(code)}) before it was ready:\n${out}`));
    });
  });
}
