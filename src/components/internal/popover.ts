import type { Placement } from '@floating-ui/dom';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Floating UI, and the positioning that uses it, are loaded on the first open: a page whose popovers never open does
 * not download them.
 */
let positioning: Promise<typeof import('./popover-position.js')> | undefined;
const loadPositioning = () => (positioning ??= import('./popover-position.js'));

/** The open overlays of the page, newest last: Escape closes only the top one (page-wide state, so module-level). */
const stack: PopoverController[] = [];

/**
 * A popover in the top layer (`popover="manual"`), positioned by Floating UI against its anchor. `autoUpdate` runs only
 * while it is open and is cleaned up on close. Escape and a pointer down outside close it.
 */
export class PopoverController implements ReactiveController {
  open = false;
  private cleanup?: (() => void) | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly parts: { anchor: () => HTMLElement | null | undefined; floating: () => HTMLElement | null | undefined; placement?: Placement },
    private readonly onClose: (reason: 'escape' | 'outside' | 'programmatic') => void = () => {},
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.hide('programmatic');
  }

  show(): void {
    const anchor = this.parts.anchor();
    const floating = this.parts.floating();
    if (this.open || !anchor || !floating) return;
    this.open = true;
    // Transparent until the first position is known, so it never flashes in the corner (still focusable meanwhile).
    floating.style.opacity = '0';
    floating.showPopover?.();
    stack.push(this);
    document.addEventListener('keydown', this.onKey, true);
    document.addEventListener('pointerdown', this.onPointer, true);
    this.host.requestUpdate();
    void loadPositioning().then(({ follow }) => {
      if (this.open) this.cleanup = follow(anchor, floating, this.parts.placement ?? 'bottom-start');
    });
  }

  hide(reason: 'escape' | 'outside' | 'programmatic' = 'programmatic'): void {
    if (!this.open) return;
    this.open = false;
    this.cleanup?.();
    this.cleanup = undefined;
    const i = stack.indexOf(this);
    if (i >= 0) stack.splice(i, 1);
    document.removeEventListener('keydown', this.onKey, true);
    document.removeEventListener('pointerdown', this.onPointer, true);
    const floating = this.parts.floating();
    if (floating?.isConnected) floating.hidePopover?.();
    this.host.requestUpdate();
    this.onClose(reason);
  }

  toggle(): void {
    if (this.open) this.hide();
    else this.show();
  }

  /** True while `autoUpdate` is attached (for tests: it must run only while open). */
  get tracking(): boolean {
    return this.cleanup !== undefined;
  }

  private readonly onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && stack[stack.length - 1] === this) {
      e.preventDefault();
      e.stopPropagation();
      this.hide('escape');
    }
  };

  private readonly onPointer = (e: PointerEvent) => {
    const path = e.composedPath();
    if (!path.includes(this.host)) this.hide('outside');
  };
}
