import { expect, type Frame, type Locator } from '@playwright/test';

/**
 * Asserts that a person can see `target`: in the page's viewport, at least 8 px tall and 40 px wide, not covered (the
 * element at its centre point is it or inside it, in its own frame and, for each frame it is in, the frame element in
 * the frame above), and not visually hidden (visibility, opacity, clip). A 1×1 px live region does not pass: it is
 * for screen readers. Every error, success and challenge assertion in the e2e suites goes through this one helper.
 */
export async function expectSeen(target: Locator, o: { timeout?: number } = {}): Promise<void> {
  await expect(async () => {
    const box = await target.boundingBox();
    expect(box, 'on the page').not.toBeNull();
    const page = target.page();
    const vp = page.viewportSize()!;
    expect(box!.height, 'at least 8 px tall').toBeGreaterThanOrEqual(8);
    expect(box!.width, 'at least 40 px wide').toBeGreaterThanOrEqual(40);
    const cx = box!.x + box!.width / 2;
    const cy = box!.y + box!.height / 2;
    expect(cx >= 0 && cy >= 0 && cx <= vp.width && cy <= vp.height && box!.y >= 0 && box!.y + box!.height <= vp.height + 1, `in the viewport (${JSON.stringify(box)})`).toBe(true);
    // Its own frame: what is at its centre, through shadow roots, is it or inside it; and it is not hidden.
    const frame = await (await target.elementHandle())!.ownerFrame();
    const offset = await frameOffset(frame!);
    const own = await target.evaluate(
      (el, [x, y]) => {
        let at: Element | null = document.elementFromPoint(x!, y!);
        while (at?.shadowRoot) {
          const inner = at.shadowRoot.elementFromPoint(x!, y!);
          if (!inner || inner === at) break;
          at = inner;
        }
        let n: Node | null = at;
        while (n && n !== el) n = n.parentNode ?? (n as ShadowRoot).host ?? null;
        const s = getComputedStyle(el);
        const hidden = s.visibility !== 'visible' || Number(s.opacity) === 0 || /rect\(0(px)?,? 0/.test(s.clip) || s.clipPath === 'inset(50%)';
        return { covered: n !== el ? (at?.outerHTML.slice(0, 120) ?? 'nothing') : '', hidden };
      },
      [cx - offset.x, cy - offset.y],
    );
    expect(own.hidden, 'not visually hidden').toBe(false);
    expect(own.covered, 'not covered').toBe('');
    // Each frame above: the frame element itself is what is at that point (not covered, not scrolled away).
    for (let f: Frame | null = frame!; f?.parentFrame(); f = f.parentFrame()) {
      const el = (await f.frameElement())!;
      const up = await frameOffset(f.parentFrame()!);
      const ok = await el.evaluate((iframe, [x, y]) => {
        let at: Element | null = document.elementFromPoint(x!, y!);
        while (at?.shadowRoot) {
          const inner = at.shadowRoot.elementFromPoint(x!, y!);
          if (!inner || inner === at) break;
          at = inner;
        }
        return at === iframe;
      }, [cx - up.x, cy - up.y]);
      expect(ok, `its frame is not covered at that point (${f.url().slice(0, 60)})`).toBe(true);
    }
  }).toPass({ timeout: o.timeout ?? 10_000 });
}

/** Where a frame's viewport starts, in the page's viewport. */
async function frameOffset(frame: Frame): Promise<{ x: number; y: number }> {
  const el = await frame.frameElement().catch(() => null);
  if (!frame.parentFrame() || !el) return { x: 0, y: 0 };
  const b = (await el.boundingBox())!;
  return { x: b.x, y: b.y };
}
