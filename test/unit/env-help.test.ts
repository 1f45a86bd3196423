// `paylit-server --help` (src/server/bin.ts) prints every variable of the env schema with its default and meaning,
// read from the schema itself (envVariables in src/server/env.ts); these check that what it prints is what applies,
// and that the README's Environment table names the same variables with the same defaults.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envSchema, envVariables, parseEnv } from '../../src/server/env.js';

const root = join(import.meta.dirname, '../..');
const names = Object.keys(envSchema.shape);
const SCHEMA_DEFAULTS = ['PORT', 'HOST', 'PAYLIT_DATA_DIR', 'PAYLIT_SITE', 'PAYLIT_WEBHOOK_RETRY_SCHEDULE', 'PAYLIT_WEBHOOK_TIMEOUT', 'PAYLIT_WEBHOOK_POLL', 'PAYLIT_SCHEDULER_INTERVAL', 'PAYLIT_IDEMPOTENCY_LOCK_TIMEOUT', 'PAYLIT_SEED_DEMO', 'PAYLIT_BROWSER_RATE_LIMIT', 'PAYLIT_BACKDATING_DAY_LIMIT'];

describe('the env schema as --help prints it', () => {
  const vars = envVariables();

  it('lists every variable of the schema, in its order, each with a meaning and a default', () => {
    expect(vars.map((v) => v.name)).toEqual(names);
    for (const v of vars) {
      expect(v.meaning, v.name).toMatch(/^\S.{10,}$/);
      expect(v.default, v.name).not.toBe('');
    }
  });

  it('prints the schema\'s own defaults, which are what parseEnv applies when a variable is unset', () => {
    const unset = parseEnv({}) as Record<string, unknown>;
    const byName = new Map(vars.map((v) => [v.name, v.default]));
    expect(byName.get('PORT')).toBe('8787');
    expect(byName.get('PAYLIT_WEBHOOK_RETRY_SCHEDULE')).toBe('1m,5m,30m,2h,6h,12h,24h');
    for (const name of SCHEMA_DEFAULTS) {
      // Setting the printed default changes nothing: it is the default.
      expect(parseEnv({ [name]: byName.get(name) })[name as keyof ReturnType<typeof parseEnv>], name).toEqual(unset[name]);
    }
    // Without a default in the schema, unset stays unset, and the help says what that means instead of a value.
    for (const name of names.filter((n) => !SCHEMA_DEFAULTS.includes(n) && n !== 'PAYLIT_ALLOWED_ORIGINS')) expect(unset[name], name).toBeUndefined();
    expect(byName.get('PAYLIT_API_KEY')).toBe('generated once, kept');
    expect(unset.PAYLIT_ALLOWED_ORIGINS).toEqual([]);
  });

  it('paylit-server --help prints each (but the fault-test ones) on one line with its default, and exits 0', () => {
    const out = execFileSync(join(root, 'node_modules/.bin/tsx'), [join(root, 'src/server/bin.ts'), '--help'], { encoding: 'utf8' });
    const lines = out.split('\n');
    for (const v of vars) {
      const line = lines.find((l) => l.trimStart().startsWith(`${v.name} `));
      if (v.name.startsWith('PAYLIT_TEST_')) expect(line, v.name).toBeUndefined();
      else expect(line, v.name).toMatch(new RegExp(`^  ${v.name} +\\S.* \\[default: ${v.default.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\]$`));
    }
    expect(out).toContain('-h, --help');
    expect(out).toContain('-v, --version');
  });

  it("agrees with the README's Environment table: the same variables, and the schema's defaults as it gives them", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('### Environment'), readme.indexOf('### API'));
    const rows = table.split('\n').filter((l) => /^\| `[A-Z_]+`/.test(l));
    const listed = new Map<string, string>();
    for (const row of rows) {
      const [first = '', second = ''] = row.slice(2).split(' | ');
      const rowNames = [...first.matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]!);
      for (const n of rowNames) listed.set(n, rowNames.length === 1 ? second : '');
    }
    expect([...listed.keys()].sort()).toEqual([...names].sort());
    const byName = new Map(vars.map((v) => [v.name, v.default]));
    for (const name of SCHEMA_DEFAULTS) expect(listed.get(name), name).toBe(`\`${byName.get(name)!}\``);
  });
});
