/**
 * custom-elements.json (package.json "customElements") from the elements' JSDoc (@fires, @csspart, @cssprop, @slot);
 * committed, and made afresh by every build. Its module paths name the files the package ships (`lib/**.js`), not
 * the sources, so editors and tools that follow them find the modules in node_modules.
 */
const published = (p) => p.replace(/^(\/?)src\//, '$1lib/').replace(/\.ts$/, '.js');

function rewrite(node) {
  if (Array.isArray(node)) return node.forEach(rewrite);
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'path' || key === 'module') && typeof value === 'string') node[key] = published(value);
    else rewrite(value);
  }
}

export default {
  globs: ['src/components/**/*.ts'],
  exclude: ['src/components/**/*.styles.ts', 'src/components/internal/**'],
  outdir: '.',
  litelement: true,
  plugins: [
    {
      name: 'published-paths',
      packageLinkPhase: ({ customElementsManifest: m }) => {
        rewrite(m);
        // The glob's order is the file system's, which differs between machines; sorted, a build leaves the file as committed.
        m.modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      },
    },
  ],
};
