// The hosted pages' branding (src/hosted/embedding.ts, brand()): the meta tag the backend writes, checked with the
// core's siteBrandingSchema. A malformed one never breaks the page: it is named on the console and the defaults stay.
import { expect } from '@esm-bundle/chai';
import { brand } from '../../src/hosted/embedding.js';

const root = document.documentElement.style;

function withMeta(content: string | undefined, run: (warnings: string[]) => void): void {
  const meta = content === undefined ? undefined : Object.assign(document.createElement('meta'), { name: 'paylit-site', content });
  if (meta) document.head.append(meta);
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...a: unknown[]) => void warnings.push(a.map(String).join(' '));
  try {
    run(warnings);
  } finally {
    console.warn = warn;
    meta?.remove();
    root.removeProperty('--paylit-color-primary');
    root.removeProperty('--paylit-color-on-primary');
  }
}

describe('hosted pages: brand()', () => {
  it('takes a valid branding: the name, the logo, and the accent as --paylit-color-primary with a contrasting text colour', () => {
    withMeta(JSON.stringify({ display_name: 'Inkwell', logo_url: 'https://shop.example/logo.png', accent_color: '#fde047' }), (warnings) => {
      expect(brand()).to.deep.equal({ display_name: 'Inkwell', logo_url: 'https://shop.example/logo.png', accent_color: '#fde047' });
      expect(root.getPropertyValue('--paylit-color-primary')).to.equal('#fde047');
      expect(root.getPropertyValue('--paylit-color-on-primary')).to.equal('#111');
      expect(warnings).to.deep.equal([]);
    });
    withMeta(JSON.stringify({ display_name: 'Night shop', accent_color: '#1e1b4b' }), () => {
      expect(brand()?.display_name).to.equal('Night shop');
      expect(root.getPropertyValue('--paylit-color-on-primary')).to.equal('#fff');
    });
  });

  it('no meta tag: the defaults, silently', () => {
    withMeta(undefined, (warnings) => {
      expect(brand()).to.equal(undefined);
      expect(warnings).to.deep.equal([]);
    });
  });

  const malformed: Array<[string, string, RegExp]> = [
    ['not JSON', '{display_name: Inkwell', /not valid JSON|JSON/],
    ['JSON but not an object', '"Inkwell"', /expected an object|object/i],
    ['a name that is not a string', JSON.stringify({ display_name: 42 }), /display_name/],
    ['no name', JSON.stringify({ accent_color: '#4f46e5' }), /display_name/],
    ['an accent that is not a hex colour', JSON.stringify({ display_name: 'Inkwell', accent_color: 'red;background:url(x)' }), /accent_color: /],
    ['a logo that is not https', JSON.stringify({ display_name: 'Inkwell', logo_url: 'javascript:alert(1)' }), /logo_url: must be an absolute https URL/],
    ['an unknown key', JSON.stringify({ display_name: 'Inkwell', script: 'x' }), /script/],
  ];
  for (const [what, content, named] of malformed) {
    it(`${what}: the defaults, the reason on the console, nothing thrown`, () => {
      withMeta(content, (warnings) => {
        expect(() => brand()).not.to.throw();
        root.removeProperty('--paylit-color-primary');
        expect(brand()).to.equal(undefined);
        expect(root.getPropertyValue('--paylit-color-primary')).to.equal('');
        expect(warnings.length).to.be.greaterThan(0);
        expect(warnings[0]).to.match(/^Paylit: meta paylit-site is not a valid branding \(.+\); the default look is used\.$/);
        expect(warnings[0]).to.match(named);
      });
    });
  }
});
