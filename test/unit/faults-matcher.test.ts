/**
 * The pure fault matcher and the rule store around it: criteria, nth, times, probability, order.
 */
import { describe, expect, it } from 'vitest';
import { type RequestFacts, type RuleView, decide } from '../../src/faults/matcher.js';
import { seededRandom } from '../../src/faults/random.js';
import { type FaultRule, normalizeRule } from '../../src/faults/rule.js';
import { FaultStore } from '../../src/faults/store.js';

let counter = 0;
const rule = (input: Record<string, unknown>): FaultRule => normalizeRule(input, 'api', () => `r${++counter}`);
const view = (r: FaultRule, matched = 0, fired = 0): RuleView => ({ rule: r, matched, fired });
const facts = (over: Partial<Omit<RequestFacts, 'imageSha256'>> & { sha?: string } = {}): RequestFacts => ({
  action: 'QrcodeOCR',
  secretId: 'AKID1',
  region: 'ap-guangzhou',
  imageUrl: undefined,
  testId: undefined,
  ...over,
  imageSha256: () => over.sha,
});
const never = () => {
  throw new Error('no draw expected');
};

describe('decide', () => {
  it('matches on every criterion it names and only those', () => {
    const r = rule({
      effect: 'InternalError',
      match: { action: 'QrcodeOCR', secretId: ['AKID1', 'AKID2'], region: 'ap-guangzhou', testId: 't1' },
    });
    expect(decide([view(r)], facts({ testId: 't1' }), never).fired).toEqual([r]);
    expect(decide([view(r)], facts({ testId: 't2' }), never).fired).toEqual([]);
    expect(decide([view(r)], facts({ testId: 't1', action: 'RecognizeHealthCodeOCR' }), never).fired).toEqual([]);
    expect(decide([view(r)], facts({ testId: 't1', secretId: 'AKID3' }), never).fired).toEqual([]);
    expect(decide([view(r)], facts({ testId: 't1', region: undefined }), never).fired).toEqual([]);
    const any = rule({ effect: 'InternalError' });
    expect(decide([view(any)], facts({ action: undefined, secretId: undefined }), never).fired).toEqual([any]);
  });

  it('ImageUrl globs and regexes match the whole URL; the image hash is computed only when asked', () => {
    const glob = rule({ effect: 'reset', match: { imageUrl: 'https://cdn.example.com/*.png' } });
    expect(decide([view(glob)], facts({ imageUrl: 'https://cdn.example.com/a/b.png' }), never).fired).toHaveLength(1);
    expect(decide([view(glob)], facts({ imageUrl: 'https://cdn.example.com/a.png?x=1' }), never).fired).toHaveLength(0);
    expect(decide([view(glob)], facts(), never).fired).toHaveLength(0);
    const regex = rule({ effect: 'reset', match: { imageUrl: '/blur/i' } });
    expect(decide([view(regex)], facts({ imageUrl: 'https://x.test/BLURRY.jpg' }), never).fired).toHaveLength(1);

    const hash = 'AB'.repeat(32);
    const byHash = rule({ effect: 'FailedOperation.ImageBlur', match: { imageSha256: hash } });
    expect(decide([view(byHash)], facts({ sha: hash.toLowerCase() }), never).fired).toHaveLength(1);
    let asked = 0;
    decide([view(rule({ effect: 'reset' }))], { ...facts(), imageSha256: () => String(++asked) }, never);
    expect(asked).toBe(0);
  });

  it('times: fires while fired < times; nth: only that matching call', () => {
    const twice = rule({ effect: 'InternalError', times: 2 });
    expect(decide([view(twice, 1, 1)], facts(), never).fired).toHaveLength(1);
    expect(decide([view(twice, 2, 2)], facts(), never).fired).toHaveLength(0);
    const third = rule({ effect: 'InternalError', match: { nth: 3 } });
    expect(decide([view(third, 1)], facts(), never).fired).toHaveLength(0);
    expect(decide([view(third, 2)], facts(), never).fired).toHaveLength(1);
    expect(decide([view(third, 3)], facts(), never).fired).toHaveLength(0);
  });

  it('delays pass through to later rules; any other effect ends firing but later rules still count the call', () => {
    const delay = rule({ effect: 'delay/10' });
    const error = rule({ effect: 'InternalError' });
    const later = rule({ effect: 'reset', probability: 0.5 });
    const decision = decide([view(delay), view(error), view(later)], facts(), never);
    expect(decision.fired).toEqual([delay, error]);
    expect(decision.matched).toEqual([delay.id, error.id, later.id]);
  });

  it('probability draws from the given generator, only for rules that would fire', () => {
    const half = rule({ effect: 'InternalError', probability: 0.5 });
    expect(decide([view(half)], facts(), () => 0.49).fired).toHaveLength(1);
    expect(decide([view(half)], facts(), () => 0.5).fired).toHaveLength(0);
    const sure = rule({ effect: 'InternalError', probability: 1 });
    expect(decide([view(sure)], facts(), never).fired).toHaveLength(1);
  });
});

describe('FaultStore', () => {
  it('"fail twice, then succeed" is one rule; counters and request ids are kept', () => {
    const store = new FaultStore([], 1);
    store.add([rule({ id: 'twice', effect: 'InternalError', times: 2, match: { action: 'QrcodeOCR' } })]);
    const outcomes = ['a', 'b', 'c', 'd'].map((id) => store.evaluate(facts(), id).fired.length);
    expect(outcomes).toEqual([1, 1, 0, 0]);
    expect(store.get('twice')).toMatchObject({
      matched: 4,
      fired: 2,
      remaining: 0,
      pending: false,
      requestIds: ['a', 'b'],
    });
  });

  it('explicit (header, URL) rules come first and keep no counters', () => {
    const store = new FaultStore([], 1);
    store.add([rule({ id: 'always', effect: 'InternalError' })]);
    const explicit = normalizeRule({ effect: 'reset' }, 'header', () => 'header:1');
    expect(store.evaluate(facts(), 'x', [explicit]).fired).toEqual([explicit]);
    expect(store.get('always')).toMatchObject({ matched: 1, fired: 0, pending: true });
  });

  it('the same seed fires the same calls; reset restores file rules, drops API rules, re-seeds', () => {
    const file = rule({ id: 'coin', effect: 'InternalError', probability: 0.3 });
    const run = (store: FaultStore) =>
      Array.from({ length: 40 }, (_, i) => store.evaluate(facts(), `q${i}`).fired.length).join('');
    const a = new FaultStore([file], 7);
    const b = new FaultStore([file], 7);
    const first = run(a);
    expect(first).toBe(run(b));
    expect(first).toMatch(/1/);
    expect(first).toMatch(/0/);
    a.add([rule({ id: 'extra', effect: 'reset' })]);
    a.reset();
    expect(a.list().map((r) => [r.id, r.fired])).toEqual([['coin', 0]]);
    expect(run(a)).toBe(first);
    expect(() => a.add([rule({ id: 'coin', effect: 'reset' })])).toThrow(/exists already/);
  });

  it('the seeded generator is deterministic and in [0, 1)', () => {
    const draw = seededRandom(42);
    const values = Array.from({ length: 1000 }, draw);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(seededRandom(42)()).toBe(values[0]);
  });
});
