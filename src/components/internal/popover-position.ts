import { autoUpdate, computePosition, flip, offset, type Placement, shift, size } from '@floating-ui/dom';

/**
 * Keeps a fixed-position popover beside its anchor (Floating UI's `autoUpdate`), within the viewport, its size capped by
 * the room left (`--_max-height`, `--_max-width`); shown once the first position is known. Returns the cleanup.
 * Loaded with Floating UI on a popover's first open (popover.ts).
 */
export function follow(anchor: HTMLElement, floating: HTMLElement, placement: Placement): () => void {
  const place = () =>
    void computePosition(anchor, floating, {
      strategy: 'fixed',
      placement,
      middleware: [
        offset(6),
        flip({ padding: 8 }),
        shift({ padding: 8 }),
        size({
          padding: 8,
          apply: ({ availableHeight, availableWidth }) => {
            floating.style.setProperty('--_max-height', `${String(Math.max(120, availableHeight))}px`);
            floating.style.setProperty('--_max-width', `${String(availableWidth)}px`);
          },
        }),
      ],
    }).then(({ x, y }) => {
      floating.style.left = `${String(x)}px`;
      floating.style.top = `${String(y)}px`;
      floating.style.opacity = '';
    });
  return autoUpdate(anchor, floating, place);
}
