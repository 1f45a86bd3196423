import type { Lifecycle } from './billing/lifecycle.js';
import type { Deps } from './context.js';

/**
 * The scheduler: every `intervalMs` it runs what the site's clock says is due (future starts, trial ends, renewals,
 * scheduled changes and cancellations, dunning retries) and drops expired idempotency keys and card tokens. It
 * reads the time through the site's clock, so moving the time machine moves it too. Several instances may run it:
 * each step claims its row first (Lifecycle.processDue).
 */
export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly d: Deps,
    private readonly lifecycle: Lifecycle,
    private readonly intervalMs: number,
    private readonly log: (line: string) => void,
  ) {}

  start(): void {
    if (this.intervalMs <= 0) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
    void this.tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass; a pass still running is not started again. */
  tick(): Promise<void> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(): Promise<void> {
    try {
      await this.d.clock.refresh();
      const now = this.d.clock.now();
      const steps = await this.lifecycle.processDue(now);
      if (steps > 0) {
        this.log(`scheduler: ${String(steps)} step(s) due by ${new Date(now * 1000).toISOString()}`);
        this.d.kick();
      }
      await this.d.idempotencyKeys.purge(Date.now());
      await this.d.gateway.purge(this.d.storage.db, now);
    } catch (e) {
      this.log(`scheduler: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }
}
