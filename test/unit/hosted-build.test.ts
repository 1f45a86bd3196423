import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostedBuild } from '../../src/server/hosted-build.js';

/** A build folder with a manifest as vite.hosted.config.ts writes it. */
function folder(manifest?: unknown): string {
  const dir = `${mkdtempSync(join(tmpdir(), 'paylit-hosted-'))}/`;
  writeFileSync(`${dir}checkout.js`, 'import "./shared-A1.js";');
  if (manifest) {
    mkdirSync(`${dir}.vite`);
    writeFileSync(`${dir}.vite/manifest.json`, JSON.stringify(manifest));
  }
  return dir;
}
const MANIFEST = {
  'src/hosted/checkout.ts': { file: 'checkout.js', name: 'checkout', isEntry: true, imports: ['_zod-Z1.js', '_shared-A1.js'], dynamicImports: ['src/hosted/current.ts'] },
  'src/hosted/portal.ts': { file: 'portal.js', isEntry: true, imports: ['_shared-A1.js'] },
  '_zod-Z1.js': { file: 'zod-Z1.js', name: 'zod' },
  '_shared-A1.js': { file: 'shared-A1.js', dynamicImports: ['src/core/estimate.ts', 'src/components/internal/locales/de.ts'] },
  'src/core/estimate.ts': { file: 'estimate-E1.js', isDynamicEntry: true, imports: ['_shared-A1.js'] },
  'src/components/internal/locales/de.ts': { file: 'de-D1.js', isDynamicEntry: true },
  'src/hosted/current.ts': { file: 'current-C1.js', isDynamicEntry: true, imports: ['_shared-A1.js'] },
};

describe('the hosted pages as built', () => {
  it('preloads an entry\'s static imports and the lazy modules asked for, each once, never the entry or what is not asked', async () => {
    const build = hostedBuild(folder(MANIFEST));
    expect(await build.preloads('src/hosted/checkout.ts', ['src/core/estimate.ts'])).toEqual(['zod-Z1.js', 'shared-A1.js', 'estimate-E1.js']);
    expect(await build.preloads('src/hosted/portal.ts')).toEqual(['shared-A1.js']);
    expect(await build.preloads('src/hosted/nothing.ts')).toEqual([]);
  });

  it('knows a chunk (its name hashed) from an entry (its name fixed)', async () => {
    const build = hostedBuild(folder(MANIFEST));
    expect(await build.hashed('shared-A1.js')).toBe(true);
    expect(await build.hashed('checkout.js')).toBe(false);
    expect(await build.hashed('card-frame.js')).toBe(false);
  });

  it('versions an entry by its content, and no entry that a chunk imports (it would be two modules under two URLs)', async () => {
    const dir = folder(MANIFEST);
    const build = hostedBuild(dir);
    const v = await build.version('checkout.js');
    expect(v).toMatch(/^[\w-]{12}$/);
    expect(await build.version('checkout.js')).toBe(v);
    expect(await build.version('shared-A1.js')).toBeUndefined();
    expect(await build.version('nothing.js')).toBeUndefined();
    const imported = folder({ ...MANIFEST, 'src/hosted/current.ts': { file: 'current-C1.js', isDynamicEntry: true, imports: ['src/hosted/checkout.ts'] } });
    expect(await hostedBuild(imported).version('checkout.js')).toBeUndefined();
    // An import() within the entry's own chunk (the hosted checkout's view): the entry lists itself, and keeps its version.
    const own = folder({ ...MANIFEST, 'src/hosted/checkout.ts': { ...MANIFEST['src/hosted/checkout.ts'], dynamicImports: ['src/hosted/checkout.ts', 'src/hosted/current.ts'] } });
    expect(await hostedBuild(own).version('checkout.js')).toMatch(/^[\w-]{12}$/);
    // A new build of other content: another version.
    await new Promise((r) => setTimeout(r, 20));
    writeFileSync(`${dir}checkout.js`, 'import "./shared-B2.js";');
    writeFileSync(`${dir}.vite/manifest.json`, JSON.stringify({ ...MANIFEST, 'src/hosted/portal.ts': { file: 'portal.js', isEntry: true } }));
    expect(await build.version('checkout.js')).not.toBe(v);
  });

  it('without a manifest (or with a broken one) preloads nothing and calls nothing immutable', async () => {
    for (const dir of [folder(), folder({ 'src/hosted/checkout.ts': { file: 3 } })]) {
      const build = hostedBuild(dir);
      expect(await build.preloads('src/hosted/checkout.ts')).toEqual([]);
      expect(await build.hashed('shared-A1.js')).toBe(false);
    }
  });

  it('reads the manifest again when the build changes', async () => {
    const dir = folder(MANIFEST);
    const build = hostedBuild(dir);
    expect(await build.preloads('src/hosted/portal.ts')).toEqual(['shared-A1.js']);
    await new Promise((r) => setTimeout(r, 20));
    writeFileSync(`${dir}.vite/manifest.json`, JSON.stringify({ ...MANIFEST, 'src/hosted/portal.ts': { file: 'portal.js', isEntry: true, imports: ['_shared-B2.js'] }, '_shared-B2.js': { file: 'shared-B2.js' } }));
    expect(await build.preloads('src/hosted/portal.ts')).toEqual(['shared-B2.js']);
  });
});
