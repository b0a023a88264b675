/**
 * The emulator's run-time controls, one set per app: fault rules, account states, rate limits.
 * Seeded from the configuration; changed by the admin API; `reset()` puts them back as configured.
 */
import type { Config } from '../config.js';
import { AccountStore } from '../service/accounts.js';
import { RateLimiter } from '../service/rate-limit.js';
import { FaultStore } from './store.js';

export interface Controls {
  readonly faults: FaultStore;
  readonly accounts: AccountStore;
  readonly rateLimiter: RateLimiter;
  /** Aborted when the app closes: cuts fault delays short. */
  readonly closing: AbortSignal;
  /** Back to the configuration: file rules with zero counters, configured accounts and limits, the seed. */
  reset(seed?: number): void;
  close(): void;
}

export type ControlsConfig = Pick<Config, 'faultRules' | 'faultSeed' | 'accounts' | 'rateLimits'>;

export function createControls(config: Readonly<ControlsConfig>): Controls {
  const faults = new FaultStore(config.faultRules, config.faultSeed);
  const accounts = new AccountStore(config.accounts);
  const rateLimiter = new RateLimiter(config.rateLimits);
  const abort = new AbortController();
  return {
    faults,
    accounts,
    rateLimiter,
    closing: abort.signal,
    reset(seed) {
      faults.reset(seed ?? config.faultSeed);
      accounts.reset();
      rateLimiter.reset(config.rateLimits);
    },
    close: () => abort.abort(),
  };
}
