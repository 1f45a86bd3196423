#!/usr/bin/env node
// `npm test`: type check, unit tests, the build, element tests, end-to-end tests, size checks and package checks, in
// that order. Stops at the first failure. Finds Chromium first and stops at once, with instructions, when there is none.
// `node test/run.mjs components|e2e|unit|size|package` runs one stage (with the build it needs).
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSteps } from '../scripts/build.mjs';
import { findChromium, HOW_TO_GET_CHROMIUM } from './chromium.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const STEP_TIMEOUT_MS = 20 * 60 * 1000; // a stuck step fails instead of hanging CI

const steps = [
  { name: 'type check', stage: 'typecheck', cmd: bin('tsc'), args: ['-p', 'tsconfig.json'] },
  { name: 'unit tests', stage: 'unit', cmd: bin('vitest'), args: ['run'] },
  // The build, as `npm run build` defines it (scripts/build.mjs), one step per line.
  ...buildSteps.map((s) => ({ ...s, stage: 'build' })),
  { name: 'element tests', stage: 'components', browser: true, cmd: bin('web-test-runner'), args: ['--config', 'test/web-test-runner.config.mjs'] },
  { name: 'end-to-end tests', stage: 'e2e', browser: true, cmd: bin('playwright'), args: ['test', '-c', 'test/e2e/playwright.config.ts'] },
  { name: 'size checks', stage: 'size', cmd: process.execPath, args: ['test/size.mjs'] },
  // npm pack, then the tarball installed and used in fresh projects as integrators would (test/package-check.mjs).
  { name: 'package checks', stage: 'package', browser: true, cmd: process.execPath, args: ['test/package-check.mjs', '--built'] },
];

const only = process.argv[2];
const needs = { components: ['build', 'components'], e2e: ['build', 'e2e'], size: ['build', 'size'], package: ['build', 'package'] };
const selected = only ? steps.filter((s) => (needs[only] ?? [only]).includes(s.stage)) : steps;
if (selected.length === 0) {
  console.error(`unknown stage "${only}"; use one of: ${steps.map((s) => s.stage).join(', ')}`);
  process.exit(2);
}

const env = { ...process.env };
if (selected.some((s) => s.browser)) {
  let chromium;
  try {
    chromium = await findChromium();
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
  if (!chromium) {
    console.error(HOW_TO_GET_CHROMIUM);
    process.exit(1);
  }
  env.CHROMIUM_PATH = chromium;
  console.log(`Chromium: ${chromium}`);
}

function run(step) {
  return new Promise((resolve) => {
    const started = Date.now();
    console.log(`\n▶ ${step.name}`);
    if (step.clean) rmSync(join(root, step.clean), { recursive: true, force: true });
    const child = spawn(step.cmd, step.args, { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
    const timer = setTimeout(() => {
      console.error(`✖ ${step.name} took longer than ${STEP_TIMEOUT_MS / 60000} minutes; stopping it`);
      child.kill('SIGKILL');
    }, STEP_TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      console.error(`✖ ${step.name} could not start: ${e.message}`);
      resolve(false);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      if (code === 0) console.log(`✔ ${step.name} (${secs} s)`);
      else console.error(`✖ ${step.name} failed (${signal ?? `exit ${String(code)}`}, ${secs} s)`);
      resolve(code === 0);
    });
  });
}

for (const step of selected) {
  if (!(await run(step))) process.exit(1);
}
console.log(`\npaylit: all ${String(selected.length)} steps passed (${selected.map((s) => s.name).join(', ')})`);
