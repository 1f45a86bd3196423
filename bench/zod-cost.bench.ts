// What each zod/mini feature costs a browser bundle, in bytes of gzip -9: `npm run bench:zod`.
// A base entry (objects, strings, arrays, enums, literals, booleans, numbers, length and range checks, safeParse) is
// bundled and minified by the same Vite as our builds; then each feature is added to it alone, and all together.
// The figure is what the feature adds on top of the base, so it includes the library code that only it pulls in.
// Prints the numbers; asserts nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Rolldown } from 'vite';

const root = join(import.meta.dirname, '..');
const base = `const s = z.strictObject({ a: z.string().check(z.minLength(1), z.maxLength(9)), b: z.optional(z.boolean()),
  c: z.array(z.enum(['x', 'y'])), d: z.literal('k'), e: z.number().check(z.minimum(0), z.maximum(9)), f: z.object({}),
  g: z.looseObject({}) });
globalThis.r = [s.safeParse(1)`;
/** Each feature as the browser uses it (src/core, src/adapter, src/components). */
const features: Record<string, string> = {
  'z.int()': `z.int()`,
  'z._default': `z._default(z.string(), 'x')`,
  'z.nullable': `z.nullable(z.string())`,
  'z.regex': `z.string().check(z.regex(/a/))`,
  'z.email()': `z.email()`,
  'z.url()': `z.url()`,
  'z.union': `z.union([z.string(), z.number()])`,
  'z.pipe + z.transform': `z.pipe(z.transform((v) => v), z.string())`,
  'z.refine': `z.string().check(z.refine((v) => !!v, 'm'))`,
  'z.superRefine': `z.string().check(z.superRefine(() => {}))`,
  'z.trim': `z.string().check(z.trim())`,
  // No longer in the browser (issue 21): for comparison.
  'z.record(z.string(), z.unknown())': `z.record(z.string(), z.unknown())`,
  'z.discriminatedUnion (beyond z.union)': `z.union([z.string(), z.number()]), z.discriminatedUnion('t', [z.object({ t: z.literal('a') })])`,
};

const dir = mkdtempSync(join(tmpdir(), 'paylit-zod-cost-'));
const ENTRY = 'zod-cost-entry.js';
async function size(body: string): Promise<number> {
  // The entry is a virtual module of the repo's root, so `zod/mini` resolves to the repo's own copy.
  const entry = { name: 'entry', resolveId: (id: string) => (id === ENTRY || id === join(root, ENTRY) ? join(root, ENTRY) : null), load: (id: string) => (id === join(root, ENTRY) ? `import * as z from 'zod/mini';\n${body}];\n` : null) };
  const out = (await build({
    root,
    logLevel: 'silent',
    configFile: false,
    plugins: [entry],
    build: { write: false, outDir: join(dir, 'out'), emptyOutDir: false, minify: true, target: 'es2022', lib: { entry: ENTRY, formats: ['es'], fileName: 'out' } },
  })) as Rolldown.RolldownOutput[];
  const code = out.flatMap((o) => o.output).map((c) => (c.type === 'chunk' ? c.code : '')).join('');
  return gzipSync(code, { level: 9 }).length;
}

try {
  const b = await size(base);
  console.log(`zod/mini base (objects, strings, arrays, enums, literals, booleans, numbers, checks, safeParse): ${b.toLocaleString('en')} B gzip`);
  console.log('| feature | adds (B gzip) |\n|---|---|');
  let union = 0;
  for (const [name, code] of Object.entries(features)) {
    let d = (await size(`${base}, ${code}`)) - b;
    if (name === 'z.union') union = d;
    if (name.startsWith('z.discriminatedUnion')) d -= union;
    console.log(`| ${name} | +${String(d)} |`);
  }
  const inUse = Object.entries(features).filter(([n]) => !n.startsWith('z.record') && !n.startsWith('z.discriminated'));
  console.log(`| the features the browser uses, together | +${String((await size(`${base}, ${inUse.map(([, c]) => c).join(', ')}`)) - b)} |`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
