#!/usr/bin/env node
// Checks the gzip size of each browser artefact against its budget (DESIGN.md). Sizes are deterministic.
// A budgeted artefact that the build did not produce is a failure, not a skip.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = join(import.meta.dirname, '..');
const KB = 1024;

/** Artefact -> budget in bytes of gzip. Later issues add the loader, the elements and the hosted pages. */
export const budgets = [
  // The whole core (every schema on zod/mini, pricing, estimates). A regression guard: the binding budget is the
  // elements bundle's 35 KB, which holds only the part of the core the widget imports (about 20 KB when measured).
  { file: 'dist/paylit-core.js', budget: 24 * KB, aim: 20 * KB },
  // The card frame: a part of dist/hosted's 45 KB (zod/mini for its messages, card-validator, core's card checks).
  { file: 'dist/hosted/card-frame.js', budget: 12 * KB, aim: 9 * KB },
];

const gz = (path) => gzipSync(readFileSync(path), { level: 9 }).length;
let failed = 0;
for (const { file, budget, aim } of budgets) {
  const path = join(root, file);
  if (!existsSync(path)) {
    console.error(`✖ ${file}: missing (run the build first)`);
    failed++;
    continue;
  }
  const size = gz(path);
  const ok = size <= budget;
  if (!ok) failed++;
  console[ok ? 'log' : 'error'](
    `${ok ? '✔' : '✖'} ${file}: ${(size / KB).toFixed(2)} KB gzip (budget ${(budget / KB).toFixed(0)} KB, aim ${(aim / KB).toFixed(0)} KB)`,
  );
}
if (failed) {
  console.error(`size checks: ${String(failed)} failed`);
  process.exit(1);
}
console.log('size checks: all within budget');
