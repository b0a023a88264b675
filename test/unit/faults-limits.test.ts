/**
 * Rate limits (sliding one-second window) and account states, on a fake clock.
 */
import { describe, expect, it } from 'vitest';
import { AccountStore, parseAccounts, quotaDay } from '../../src/service/accounts.js';
import { RateLimiter, parseRateLimits } from '../../src/service/rate-limit.js';

describe('RateLimiter', () => {
  it('the 11th call inside one second is refused, with the count of every call in the window', () => {
    let now = 5_000.5;
    const limiter = new RateLimiter(parseRateLimits('QrcodeOCR=10'), () => now);
    const results = Array.from({ length: 12 }, () => {
      now += 50;
      return limiter.check('AKID1', 'QrcodeOCR');
    });
    expect(results.slice(0, 10).every((r) => !r.limited)).toBe(true);
    expect(results[10]).toEqual({ limited: true, count: 11, limit: 10 });
    expect(results[11]).toEqual({ limited: true, count: 12, limit: 10 });
    // Other keys and actions have their own windows.
    expect(limiter.check('AKID2', 'QrcodeOCR').limited).toBe(false);
    expect(limiter.check('AKID1', 'GeneralBasicOCR').limited).toBe(false);
    // A second after the first accepted call, room again.
    now += 1000;
    expect(limiter.check('AKID1', 'QrcodeOCR').limited).toBe(false);
  });

  it('the window slides: steady 10/s is never refused, whatever the second boundaries', () => {
    let now = 999.9;
    const limiter = new RateLimiter(parseRateLimits('QrcodeOCR=10'), () => now);
    for (let i = 0; i < 100; i += 1) {
      expect(limiter.check('AKID1', 'QrcodeOCR').limited).toBe(false);
      now += 100.01;
    }
  });

  it('per-key overrides, 0 = unlimited, off, and run-time changes', () => {
    const limiter = new RateLimiter(
      parseRateLimits('QrcodeOCR=10,AKID1/QrcodeOCR=1,RecognizeHealthCodeOCR=0'),
      () => 0,
    );
    expect(limiter.limitFor('AKID1', 'QrcodeOCR')).toBe(1);
    expect(limiter.limitFor('AKID2', 'QrcodeOCR')).toBe(10);
    expect(limiter.check('AKID1', 'QrcodeOCR').limited).toBe(false);
    expect(limiter.check('AKID1', 'QrcodeOCR').limited).toBe(true);
    for (let i = 0; i < 50; i += 1) expect(limiter.check('AKID1', 'RecognizeHealthCodeOCR').limited).toBe(false);
    limiter.limits = parseRateLimits('off');
    expect(limiter.check('AKID1', 'QrcodeOCR').limited).toBe(false);
    expect(() => parseRateLimits('QrcodeOCR=ten')).toThrow(/Action=N/);
  });
});

describe('AccountStore', () => {
  it('maps each state to its code; CAM per action or for all', () => {
    const store = new AccountStore(
      parseAccounts('A=unopened,B=billing-abnormal,C=in-arrears,D=package-run-out,E=cam-denied,F=cam-denied:QrcodeOCR'),
    );
    expect(['A', 'B', 'C', 'D', 'E', 'Z'].map((id) => store.stateCheck(id))).toEqual([
      'FailedOperation.UnOpenError',
      'ResourcesSoldOut.ChargeStatusException',
      'ResourceUnavailable.InArrears',
      'ResourceUnavailable.ResourcePackageRunOut',
      undefined,
      undefined,
    ]);
    expect(store.camCheck('E', 'RecognizeHealthCodeOCR')).toBe('AuthFailure.UnauthorizedOperation');
    expect(store.camCheck('F', 'QrcodeOCR')).toBe('AuthFailure.UnauthorizedOperation');
    expect(store.camCheck('F', 'RecognizeHealthCodeOCR')).toBeUndefined();
  });

  it('daily quota: LimitExceeded from the (N+1)-th call until the Beijing day changes', () => {
    let now = Date.parse('2026-03-01T15:00:00Z'); // 23:00 in Beijing
    const store = new AccountStore(parseAccounts('Q=daily-quota:2'), () => now);
    expect([store.stateCheck('Q'), store.stateCheck('Q'), store.stateCheck('Q')]).toEqual([
      undefined,
      undefined,
      'LimitExceeded',
    ]);
    expect(store.usedToday('Q')).toBe(2);
    now += 3600_000; // 00:00 in Beijing: a new day
    expect(store.stateCheck('Q')).toBeUndefined();
    expect(quotaDay(Date.parse('2026-03-01T16:00:00Z'))).toBe('2026-03-02');
  });

  it('run-time changes last until reset, which restores the configuration', () => {
    const store = new AccountStore(parseAccounts('A=in-arrears'));
    store.set('B', { state: 'unopened', camDenied: [] });
    store.delete('A');
    expect(store.stateCheck('A')).toBeUndefined();
    expect(store.stateCheck('B')).toBe('FailedOperation.UnOpenError');
    store.reset();
    expect(store.stateCheck('A')).toBe('ResourceUnavailable.InArrears');
    expect(store.stateCheck('B')).toBeUndefined();
  });
});
