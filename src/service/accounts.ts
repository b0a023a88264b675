/**
 * Account states per SecretId (TCOCR_ACCOUNTS, or the admin API at run time): the outcomes the
 * real service gives an account that is not in good standing.
 *
 *   state              code                                        where in the pipeline
 *   unopened           FailedOperation.UnOpenError                 after parameters
 *   billing-abnormal   ResourcesSoldOut.ChargeStatusException      after parameters
 *   in-arrears         ResourceUnavailable.InArrears               after parameters
 *   package-run-out    ResourceUnavailable.ResourcePackageRunOut   after parameters
 *   cam-denied[:A]     AuthFailure.UnauthorizedOperation           after routing (CAM, §1.5 #13)
 *   daily-quota:N      LimitExceeded from the (N+1)-th call of the day (Asia/Shanghai)
 */
import type { ErrorCode } from '../errors/codes.js';

export const ACCOUNT_STATES = ['active', 'unopened', 'billing-abnormal', 'in-arrears', 'package-run-out'] as const;
export type AccountState = (typeof ACCOUNT_STATES)[number];

export const STATE_CODES: Readonly<Record<Exclude<AccountState, 'active'>, ErrorCode>> = {
  unopened: 'FailedOperation.UnOpenError',
  'billing-abnormal': 'ResourcesSoldOut.ChargeStatusException',
  'in-arrears': 'ResourceUnavailable.InArrears',
  'package-run-out': 'ResourceUnavailable.ResourcePackageRunOut',
};

export interface AccountSettings {
  readonly state: AccountState;
  /** Actions CAM denies: `*` for every action. */
  readonly camDenied: readonly string[];
  /** Calls allowed per day (Asia/Shanghai); absent: no quota. */
  readonly dailyQuota?: number | undefined;
}

const ACTIVE: AccountSettings = { state: 'active', camDenied: [] };

/** Comma-separated `SecretId=setting` entries; entries for the same SecretId add up. */
export function parseAccounts(raw: string): Readonly<Record<string, AccountSettings>> {
  const accounts: Record<string, AccountSettings> = {};
  for (const entry of raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const at = entry.indexOf('=');
    const secretId = entry.slice(0, at).trim();
    const setting = entry.slice(at + 1).trim();
    if (at <= 0 || !setting) throw new Error(`\`${entry}\` is not SecretId=setting`);
    accounts[secretId] = applySetting(accounts[secretId] ?? ACTIVE, setting);
  }
  return accounts;
}

function applySetting(account: AccountSettings, setting: string): AccountSettings {
  if ((ACCOUNT_STATES as readonly string[]).includes(setting)) return { ...account, state: setting as AccountState };
  const cam = /^cam-denied(?::([A-Za-z][A-Za-z0-9]*))?$/.exec(setting);
  if (cam) return { ...account, camDenied: [...account.camDenied, cam[1] ?? '*'] };
  const quota = /^daily-quota:(\d{1,9})$/.exec(setting);
  if (quota) return { ...account, dailyQuota: Number(quota[1]) };
  throw new Error(
    `\`${setting}\` is not an account setting (${ACCOUNT_STATES.join(', ')}, cam-denied, cam-denied:<Action>, daily-quota:<N>)`,
  );
}

/** The Beijing calendar day of a time, `YYYY-MM-DD`: the day Tencent's daily quotas run by. */
export function quotaDay(epochMs: number): string {
  return new Date(epochMs + 8 * 3600_000).toISOString().slice(0, 10);
}

export interface AccountView extends AccountSettings {
  readonly secretId: string;
  readonly usedToday: number;
}

export class AccountStore {
  #settings = new Map<string, AccountSettings>();
  #usage = new Map<string, { day: string; used: number }>();
  readonly #configured: Readonly<Record<string, AccountSettings>>;
  readonly #now: () => number;

  constructor(configured: Readonly<Record<string, AccountSettings>>, now: () => number = Date.now) {
    this.#configured = configured;
    this.#now = now;
    this.reset();
  }

  reset(): void {
    this.#settings = new Map(Object.entries(this.#configured));
    this.#usage.clear();
  }

  get(secretId: string): AccountSettings {
    return this.#settings.get(secretId) ?? ACTIVE;
  }

  set(secretId: string, settings: AccountSettings): void {
    this.#settings.set(secretId, settings);
  }

  delete(secretId: string): boolean {
    this.#usage.delete(secretId);
    return this.#settings.delete(secretId);
  }

  list(): AccountView[] {
    return [...this.#settings].map(([secretId, settings]) => ({
      secretId,
      ...settings,
      usedToday: this.usedToday(secretId),
    }));
  }

  usedToday(secretId: string): number {
    const usage = this.#usage.get(secretId);
    return usage && usage.day === quotaDay(this.#now()) ? usage.used : 0;
  }

  /** CAM: the code to answer when the account may not call `action`. */
  camCheck(secretId: string, action: string): ErrorCode | undefined {
    const denied = this.get(secretId).camDenied;
    return denied.includes('*') || denied.includes(action) ? 'AuthFailure.UnauthorizedOperation' : undefined;
  }

  /** Billing state, then the daily quota (this call is counted): the code to answer, if any. */
  stateCheck(secretId: string): ErrorCode | undefined {
    const settings = this.get(secretId);
    if (settings.state !== 'active') return STATE_CODES[settings.state];
    if (settings.dailyQuota === undefined) return undefined;
    const day = quotaDay(this.#now());
    const usage = this.#usage.get(secretId);
    const used = usage && usage.day === day ? usage.used : 0;
    if (used >= settings.dailyQuota) return 'LimitExceeded';
    this.#usage.set(secretId, { day, used: used + 1 });
    return undefined;
  }
}
