interface Entry {
  token: string;
  expiresAt: number;
}

/**
 * Bearer tokens keyed by origin + service + normalised scopes, kept until shortly before
 * `expires_in` runs out (the spec's default lifetime is 60 s).
 */
export class TokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  static key(origin: string, service: string, scopes: readonly string[]): string {
    return `${origin}\n${service}\n${scopes.join(' ')}`;
  }

  get(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.token;
  }

  /** Store a token; refreshed 5 s (or 10 % of short lifetimes) before it expires. */
  set(key: string, token: string, expiresInSeconds: number): void {
    const lifetimeMs = Math.max(1, expiresInSeconds) * 1000;
    const margin = Math.min(5000, lifetimeMs / 10);
    this.entries.set(key, { token, expiresAt: this.now() + lifetimeMs - margin });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
