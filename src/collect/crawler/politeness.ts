/**
 * Per-host politeness: at most `concurrency` requests in flight, request starts spaced by
 * `delayMs` plus random jitter, and a host-wide pause when the server says so (Retry-After).
 */
export class HostGate {
  private active = 0;
  private nextStart = 0;
  private pausedUntil = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private delayMs: number,
    private readonly jitterMs: number,
  ) {}

  /** Raise the spacing between requests (robots.txt Crawl-delay); never lowers it. */
  atLeast(delayMs: number): void {
    this.delayMs = Math.max(this.delayMs, delayMs);
  }

  async acquire(): Promise<() => void> {
    for (;;) {
      if (this.active < this.concurrency) {
        const wait = Math.max(this.nextStart, this.pausedUntil) - Date.now();
        if (wait <= 0) break;
        await sleep(wait);
        continue;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    this.active++;
    this.nextStart = Date.now() + this.delayMs + (this.jitterMs > 0 ? Math.random() * this.jitterMs : 0);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.waiters.shift()?.();
    };
  }

  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }
}

/** Exponential backoff with full jitter, capped. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
