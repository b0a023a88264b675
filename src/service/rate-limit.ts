/**
 * Per-second rate limits per SecretId and action (PROTOCOL.md §1.5 #15): over the limit the call
 * answers RequestLimitExceeded with the real message ("Your current request times equals to `11`
 * in a second, which exceeds the frequency limit `10` for a second…").
 *
 * The window slides: a call is refused when the calls *accepted* in the last 1000 ms for the same
 * SecretId and action have reached the limit, so eleven calls inside any one second always throttle
 * the eleventh, however the second boundaries fall. The count in the message is every call in the
 * window, refused ones included, as in the real replies (`7` against a limit of `5`).
 */

export interface RateLimits {
  /** false: no limit at all (TCOCR_RATE_LIMITS=off). */
  readonly enabled: boolean;
  /** Requests per second by action; 0 or absent: unlimited. */
  readonly actions: Readonly<Record<string, number>>;
  /** Overrides by `SecretId/Action`. */
  readonly keys: Readonly<Record<string, number>>;
}

/** Defaults: RecognizeHealthCodeOCR 10/s (SDK docs); QrcodeOCR 10/s (older SDK documentation; its API page says 5/s). */
export const DEFAULT_RATE_LIMITS = 'QrcodeOCR=10,RecognizeHealthCodeOCR=10';

/** `off`, or comma-separated `Action=N` / `SecretId/Action=N` entries. Throws on a bad entry. */
export function parseRateLimits(raw: string): RateLimits {
  const text = raw.trim();
  if (['off', 'false', 'none', '0'].includes(text.toLowerCase())) return { enabled: false, actions: {}, keys: {} };
  const actions: Record<string, number> = {};
  const keys: Record<string, number> = {};
  for (const entry of text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const match = /^(?:([^/=\s]+)\/)?([A-Za-z][A-Za-z0-9]*)=(\d{1,6})$/.exec(entry);
    if (!match) throw new Error(`\`${entry}\` is not Action=N or SecretId/Action=N`);
    const [, secretId, action, limit] = match;
    if (secretId !== undefined) keys[`${secretId}/${action}`] = Number(limit);
    else actions[action!] = Number(limit);
  }
  return { enabled: true, actions, keys };
}

export type RateDecision = { limited: false } | { limited: true; count: number; limit: number };

const WINDOW_MS = 1000;

interface Window {
  accepted: number[];
  all: number[];
}

export class RateLimiter {
  #limits: RateLimits;
  #windows = new Map<string, Window>();
  readonly #now: () => number;

  constructor(limits: RateLimits, now: () => number = () => performance.now()) {
    this.#limits = limits;
    this.#now = now;
  }

  get limits(): RateLimits {
    return this.#limits;
  }

  set limits(limits: RateLimits) {
    this.#limits = limits;
    this.#windows.clear();
  }

  limitFor(secretId: string, action: string): number {
    if (!this.#limits.enabled) return 0;
    return this.#limits.keys[`${secretId}/${action}`] ?? this.#limits.actions[action] ?? 0;
  }

  /** Counts one call and says whether it is over the limit. */
  check(secretId: string, action: string): RateDecision {
    const limit = this.limitFor(secretId, action);
    if (limit <= 0) return { limited: false };
    const key = `${secretId}/${action}`;
    const now = this.#now();
    const window = this.#windows.get(key) ?? { accepted: [], all: [] };
    this.#windows.set(key, window);
    const from = now - WINDOW_MS;
    while (window.accepted.length > 0 && window.accepted[0]! <= from) window.accepted.shift();
    while (window.all.length > 0 && window.all[0]! <= from) window.all.shift();
    window.all.push(now);
    if (window.accepted.length >= limit) return { limited: true, count: window.all.length, limit };
    window.accepted.push(now);
    return { limited: false };
  }

  reset(limits?: RateLimits): void {
    if (limits) this.#limits = limits;
    this.#windows.clear();
  }
}
