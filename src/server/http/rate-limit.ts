/**
 * A token bucket per key: `perMinute` requests a minute, refilled continuously, bursts up to `perMinute`.
 * In memory, per instance: with several instances each enforces its own share.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly perMinute: number,
    private readonly nowMs: () => number = () => Date.now(),
  ) {}

  /** Takes one token; returns 0 when allowed, else the seconds to wait. */
  take(key: string): number {
    const now = this.nowMs();
    if (this.buckets.size >= MAX_BUCKETS) this.prune(now);
    const rate = this.perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    b.tokens = Math.min(this.perMinute, b.tokens + (now - b.at) * rate);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
  }

  /**
   * Forgets the keys whose bucket has refilled (they would start full anyway), so keys an attacker makes up (a page
   * id per request) cannot grow the map without end. If every bucket is busy, the oldest go.
   */
  private prune(now: number): void {
    for (const [key, b] of this.buckets) if (now - b.at >= 60_000) this.buckets.delete(key);
    for (const key of this.buckets.keys()) {
      if (this.buckets.size < MAX_BUCKETS / 2) break;
      this.buckets.delete(key);
    }
  }
}

/** Keys remembered at once, per instance. */
const MAX_BUCKETS = 100_000;
