#!/usr/bin/env node
// The build, defined once: `npm run build` (and so `npm pack`'s prepack and `npm start`) runs these steps in order,
// and `npm test` (test/run.mjs) runs the same list, each as a step of its own.
// `node scripts/build.mjs manifest` runs only the steps of that name (`npm run analyze`).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const vite = (...args) => ({ cmd: bin('vite'), args: ['build', ...args, '--logLevel', 'warn'] });

/** `clean`: a folder emptied before the step (tsc does not remove what it emitted for a deleted source). */
export const buildSteps = [
  { name: 'build core', id: 'core', ...vite() }, // vite.config.ts: empties dist/ first
  { name: 'build script tag', id: 'embed', ...vite('-c', 'vite.embed.config.ts') },
  { name: 'build script tag UI', id: 'embed', ...vite('-c', 'vite.embed.config.ts', '--mode', 'ui') },
  { name: 'build hosted pages and the card frame', id: 'hosted', ...vite('-c', 'vite.hosted.config.ts') },
  { name: 'build elements', id: 'elements', ...vite('-c', 'vite.elements.config.ts') },
  // lib/: the modules behind package.json's exports, compiled with their .d.ts (tsconfig.build.json).
  { name: 'compile modules and declarations', id: 'lib', clean: 'lib', cmd: bin('tsc'), args: ['-p', 'tsconfig.build.json'] },
  // custom-elements.json (custom-elements-manifest.config.mjs); committed, so a stale one shows in `git status`.
  { name: 'element manifest', id: 'manifest', cmd: bin('custom-elements-manifest'), args: ['analyze', '--quiet'] },
];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const only = process.argv.slice(2);
  const steps = only.length ? buildSteps.filter((s) => only.includes(s.id)) : buildSteps;
  if (steps.length === 0) {
    console.error(`no build step ${only.join(', ')}; use: ${[...new Set(buildSteps.map((s) => s.id))].join(', ')}`);
    process.exit(2);
  }
  for (const step of steps) {
    if (step.clean) rmSync(join(root, step.clean), { recursive: true, force: true });
    const r = spawnSync(step.cmd, step.args, { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) {
      console.error(`build: ${step.name} failed (${r.error?.message ?? r.signal ?? `exit ${String(r.status)}`})`);
      process.exit(1);
    }
  }
}
