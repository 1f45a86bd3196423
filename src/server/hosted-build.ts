import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import * as z from 'zod/mini';

/** The build's `.vite/manifest.json` (vite.hosted.config.ts): each source module's file and what it imports. */
const manifestSchema = z.record(
  z.string(),
  z.object({ file: z.string(), isEntry: z.optional(z.boolean()), imports: z.optional(z.array(z.string())), dynamicImports: z.optional(z.array(z.string())) }),
);
type Manifest = z.infer<typeof manifestSchema>;

export interface HostedBuild {
  /**
   * The chunks a hosted page needs before it can show anything, for its `<link rel=modulepreload>`s: its entry's
   * static imports, and the modules in `lazy` (imported beside its data) with theirs. The browser then fetches them all
   * with the page's own script, in one round trip instead of one per level of imports.
   */
  preloads(entry: string, lazy?: readonly string[]): Promise<string[]>;
  /** A chunk (not an entry) of the build: its name holds its content's hash, so it never changes under that name. */
  hashed(file: string): Promise<boolean>;
  /**
   * An entry's version for its URL (`checkout.js?v=..`, a hash of its content), so the browser keeps it under that URL
   * as it keeps a chunk; undefined for a file that is not an entry of the build, or an entry that a chunk imports (by
   * its plain URL: the page loading it under another would evaluate it twice, as two modules).
   */
  version(file: string): Promise<string | undefined>;
}

/** A short hash of some content, for a URL that changes when it does. */
export const contentHash = (content: string | Uint8Array) => createHash('sha256').update(content).digest('base64url').slice(0, 12);

/** What `dir` holds, read again whenever the build changes; with no manifest (an older build), no chunk is known. */
export function hostedBuild(dir: string): HostedBuild {
  const path = `${dir}.vite/manifest.json`;
  let cached: { mtime: number; manifest: Promise<Manifest | undefined>; versions: Map<string, Promise<string | undefined>> } | undefined;
  const current = async () => {
    const mtime = await stat(path).then((s) => s.mtimeMs, () => -1);
    if (cached?.mtime !== mtime) {
      const manifest = readFile(path, 'utf8').then((text) => manifestSchema.parse(JSON.parse(text))).catch(() => undefined);
      cached = { mtime, manifest, versions: new Map() };
    }
    return cached;
  };
  const load = async () => (await current()).manifest;
  /** The hash of an entry no chunk imports, read once per build. */
  const versionOf = async (manifest: Manifest | undefined, file: string) => {
    const key = manifest && Object.keys(manifest).find((k) => manifest[k]!.file === file && manifest[k]!.isEntry);
    // The entry itself may list itself: an `import()` of a module that the build put in the entry's own chunk, which
    // the bundle resolves within the chunk, by no URL.
    if (!key || Object.entries(manifest).some(([k, c]) => k !== key && (c.imports?.includes(key) || c.dynamicImports?.includes(key)))) return undefined;
    return readFile(dir + file).then(contentHash, () => undefined);
  };
  return {
    async preloads(entry, lazy = []) {
      const manifest = await load();
      if (!manifest?.[entry]) return [];
      const files = new Set<string>();
      const walk = (key: string) => {
        const chunk = manifest[key];
        if (!chunk || files.has(chunk.file)) return;
        files.add(chunk.file);
        chunk.imports?.forEach(walk);
      };
      walk(entry);
      lazy.forEach(walk);
      files.delete(manifest[entry].file);
      return [...files];
    },
    async hashed(file) {
      const manifest = await load();
      return !!manifest && Object.values(manifest).some((c) => c.file === file && !c.isEntry);
    },
    async version(file) {
      const { manifest, versions } = await current();
      let v = versions.get(file);
      if (!v) versions.set(file, (v = manifest.then((m) => versionOf(m, file))));
      return v;
    },
  };
}
