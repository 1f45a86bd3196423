import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const coreDir = join(import.meta.dirname, '../../src/core');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

describe('src/core is pure', () => {
  it.each(files(coreDir).map((f) => [f.slice(coreDir.length + 1), f]))('%s imports no node:, DOM, Lit or full zod, and reads no clock', (_name, file) => {
    const src = readFileSync(file, 'utf8');
    const imports = [...src.matchAll(/from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);
    for (const spec of imports) {
      // card-validator's number and CVC checks are pure functions of their input (card.ts only; never its
      // expiration-date module, which reads the clock).
      const pureLibrary = spec === 'card-validator/dist/card-number.js' || spec === 'card-validator/dist/cvv.js';
      expect(spec.startsWith('.') || spec === 'zod/mini' || pureLibrary, `${spec} is not allowed in src/core`).toBe(true);
    }
    expect(src).not.toMatch(/\b(document|window|localStorage|fetch)\s*[.(]/);
    expect(src).not.toMatch(/Date\.now\(\)|new Date\(\)/);
  });
});
