/**
 * Safety controls shared by every probe: a request budget (a hard ceiling on HTTP requests per run), a rate
 * cap (requests per second, spaced evenly) and the host allow-list. A probe that would exceed the budget is
 * stopped and reports it; nothing is ever sent to a host the config does not name.
 */

/** limits.* when the config does not say, and for `probe URL…`. */
export const DEFAULT_LIMITS = { maxRequests: 100, ratePerSecond: 10, timeoutMs: 5000 };

export class BudgetExceeded extends Error {
  constructor(readonly max: number) {
    super(`request budget of ${max} exhausted`);
    this.name = 'BudgetExceeded';
  }
}

export class RequestBudget {
  private used = 0;
  private nextSlot = 0;

  constructor(
    readonly maxRequests: number,
    readonly ratePerSecond: number,
  ) {}

  get sent(): number {
    return this.used;
  }

  get remaining(): number {
    return this.maxRequests - this.used;
  }

  /**
   * Reserves one request: throws when the budget is spent, waits for the next slot of the rate cap.
   * `unpaced` is for the opt-in rate-limit burst only: its requests still count against the budget and go one
   * at a time, but back-to-back, since a burst held to the rate cap could never show a limit above it.
   */
  async take(opts: { unpaced?: boolean } = {}): Promise<void> {
    if (this.used >= this.maxRequests) throw new BudgetExceeded(this.maxRequests);
    this.used += 1;
    if (opts.unpaced) return;
    const interval = 1000 / this.ratePerSecond;
    const now = Date.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + interval;
    if (slot > now) await new Promise((r) => setTimeout(r, slot - now));
  }
}

/** Normalised host:port allow-list built from the configured targets. */
export class HostAllowList {
  private readonly hosts = new Set<string>();

  add(url: string): void {
    this.hosts.add(HostAllowList.key(new URL(url)));
  }

  allows(url: string | URL): boolean {
    return this.hosts.has(HostAllowList.key(typeof url === 'string' ? new URL(url) : url));
  }

  static key(u: URL): string {
    // Host only: the plain-HTTP port and the HTTPS port of one named host are the same party.
    return u.hostname.toLowerCase();
  }
}

export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<T>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function mapBounded<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return out;
}
