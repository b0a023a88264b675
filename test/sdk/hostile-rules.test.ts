/**
 * Hostile input, part of the bad-input suite: fault rules. `imageUrl` patterns match in time
 * linear in the URL (globs without backtracking, regexes on an RE2 engine), a `/…/g` rule matches
 * every call, the rule count is capped, and a canned result too deep or too large is refused
 * before it is stored. Ends with a fuzz of patterns against long URLs, with a time budget per match.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_RULES } from '../../src/faults/store.js';
import { MAX_PATTERN_LENGTH, MAX_REGEX_URL_LENGTH, urlPattern } from '../../src/faults/url-pattern.js';
import type { RunningEmulator } from '../../src/index.js';
import { errorCode, sdkClient, startTestEmulator } from '../helpers/emulator.js';
import { admin } from '../helpers/hostile-http.js';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => emulator?.close());
beforeEach(async () => {
  await admin(emulator, 'POST', '/reset');
});

/** A loopback URL: with no rule firing it answers FailedOperation.DownLoadError at once (private addresses are refused). */
const refused = (path: string) => `http://127.0.0.1/${path}`;
const codeFor = (imageUrl: string) => errorCode(sdkClient(emulator).QrcodeOCR({ ImageUrl: imageUrl }));

/** Milliseconds one match takes. */
function timed(test: () => boolean): { matched: boolean; ms: number } {
  const started = performance.now();
  const matched = test();
  return { matched, ms: performance.now() - started };
}

describe('catastrophic patterns match in linear time', () => {
  it('the glob *a*a*a*a*a*a*a*a*b against a URL of 5000 a', async () => {
    expect(
      (await admin(emulator, 'POST', '/faults', { match: { imageUrl: '*a*a*a*a*a*a*a*a*b' }, effect: 'InternalError' }))
        .status,
    ).toBe(201);
    expect(await codeFor(refused('a'.repeat(5000)))).toBe('FailedOperation.DownLoadError');
    expect(await codeFor(refused(`${'a'.repeat(5000)}b`))).toBe('InternalError');
  });

  it('the regex /^http:\\/\\/127\\.0\\.0\\.1\\/(a+)+$/ against a URL of 5000 a and a !', async () => {
    const rule = { match: { imageUrl: '/^http:\\/\\/127\\.0\\.0\\.1\\/(a+)+$/' }, effect: 'InternalError' };
    expect((await admin(emulator, 'POST', '/faults', rule)).status).toBe(201);
    expect(await codeFor(refused(`${'a'.repeat(5000)}!`))).toBe('FailedOperation.DownLoadError');
    expect(await codeFor(refused('a'.repeat(5000)))).toBe('InternalError');
  });

  it('backreferences and lookaround are refused with a reason', async () => {
    for (const imageUrl of ['/(a)\\1/', '/a(?=b)/', '/x/y']) {
      const { status, json } = await admin(emulator, 'POST', '/faults', {
        match: { imageUrl },
        effect: 'InternalError',
      });
      expect(status).toBe(400);
      expect((json as { error: string }).error).toMatch(/linear-time|flag/);
    }
    const long = await admin(emulator, 'POST', '/faults', {
      match: { imageUrl: '*'.repeat(MAX_PATTERN_LENGTH + 1) },
      effect: 'InternalError',
    });
    expect(long.status).toBe(400);
  });
});

describe('regex flags', () => {
  it('a /…/g rule matches every call, not every other one', async () => {
    expect(
      (
        await admin(emulator, 'POST', '/faults', {
          match: { imageUrl: '/blur/g' },
          effect: 'FailedOperation.ImageBlur',
        })
      ).status,
    ).toBe(201);
    for (let i = 0; i < 4; i += 1) expect(await codeFor(refused(`blur-${i}`))).toBe('FailedOperation.ImageBlur');
  });
});

describe('rule store limits', () => {
  it(`${MAX_RULES} rules without ids are added at once; one more is refused`, async () => {
    await admin(emulator, 'DELETE', '/faults');
    const rules = Array.from({ length: MAX_RULES }, (_, i) => ({
      match: { testId: `t-${i}` },
      effect: 'InternalError',
    }));
    const added = await admin(emulator, 'POST', '/faults', rules);
    expect(added.status).toBe(201);
    expect(new Set((added.json as { rules: Array<{ id: string }> }).rules.map((rule) => rule.id)).size).toBe(MAX_RULES);
    const more = await admin(emulator, 'POST', '/faults', { effect: 'InternalError' });
    expect(more.status).toBe(400);
    expect((more.json as { error: string }).error).toContain(String(MAX_RULES));
    const tooMany = await admin(emulator, 'POST', '/faults', Array(MAX_RULES + 1).fill({ effect: 'InternalError' }));
    expect(tooMany.status).toBe(400);
  });

  it('a success result 20 000 (or 40) levels deep is refused and not stored; listing still works', async () => {
    for (const depth of [20_000, 40]) {
      const result = `${'{"a":'.repeat(depth)}"leaf"${'}'.repeat(depth)}`;
      const body = `{"id":"deep","effect":{"type":"success","result":${result}}}`;
      const response = await fetch(`${emulator.url}/_emulator/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(/deep/);
    }
    const list = await admin(emulator, 'GET', '/faults');
    expect(list.status).toBe(200);
    expect((list.json as { rules: Array<{ id: string }> }).rules.map((rule) => rule.id)).not.toContain('deep');
  });

  it('a success result over 1 MB is refused', async () => {
    const { status, json } = await admin(emulator, 'POST', '/faults', {
      effect: { type: 'success', result: { Text: 'x'.repeat(1_100_000) } },
    });
    expect(status).toBe(400);
    expect((json as { error: string }).error).toContain('bytes');
  });
});

describe('fuzz: patterns against long URLs, with a time budget per match', () => {
  // Generous, for a loaded machine: a linear match takes at most ~150 ms here (a glob, well under
  // a millisecond); backtracking on the same URLs takes minutes.
  const BUDGET_MS = 2_000;
  const piece = fc.constantFrom('*', 'a', 'b', 'aa', '/', '.', '?', 'x');
  const glob = fc
    .array(piece, { minLength: 1, maxLength: 40 })
    .map((pieces) => pieces.join(''))
    .filter((pattern) => !pattern.startsWith('/'));
  const longUrl = fc
    .tuple(
      fc.constantFrom('a', 'ab', 'aab', 'ba'),
      fc.integer({ min: 1_000, max: 200_000 }),
      fc.constantFrom('', 'b', '!', '/x'),
    )
    .map(([unit, length, end]) => `http://x/${unit.repeat(Math.ceil(length / unit.length))}${end}`);

  /** The glob as a backtracking RegExp: the reference, on inputs small enough for it. */
  const reference = (pattern: string) =>
    new RegExp(
      `^${pattern
        .split('*')
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
      's',
    );

  it('globs: within budget on long URLs, and the same answers as a regular expression on short ones', () => {
    fc.assert(
      fc.property(glob, longUrl, fc.string({ maxLength: 12 }), (pattern, url, short) => {
        const compiled = urlPattern(pattern);
        expect(timed(() => compiled.test(url)).ms).toBeLessThan(BUDGET_MS);
        for (const candidate of [
          short,
          `http://x/${short}`,
          pattern.replace(/\*/g, ''),
          pattern.replace(/\*/g, 'ab'),
        ]) {
          expect(compiled.test(candidate)).toBe(reference(pattern).test(candidate));
        }
      }),
      { numRuns: 300, seed: 20261205 },
    );
  });

  it('regexes with nested quantifiers: within budget on URLs up to the tested length', () => {
    const atom = fc.constantFrom('a', 'b', '.', '[ab]', '(a|aa)', '(a|b)', '\\w');
    const quantifier = fc.constantFrom('*', '+', '?', '{1,5}', '');
    const group = fc.tuple(atom, quantifier, quantifier).map(([a, q1, q2]) => `(${a}${q1})${q2}`);
    const regex = fc
      .tuple(
        fc.array(group, { minLength: 1, maxLength: 12 }),
        fc.constantFrom('', '^', '^http://x/'),
        fc.constantFrom('', '$', 'b$', '!'),
        fc.constantFrom('', 'i', 's'),
      )
      .map(([groups, start, end, flags]) => `/${start}${groups.join('')}${end}/${flags}`);
    fc.assert(
      fc.property(regex, longUrl, (pattern, url) => {
        const compiled = urlPattern(pattern);
        const clipped = url.slice(0, MAX_REGEX_URL_LENGTH);
        expect(timed(() => compiled.test(clipped)).ms).toBeLessThan(BUDGET_MS);
        expect(timed(() => compiled.test(url)).ms).toBeLessThan(BUDGET_MS);
      }),
      { numRuns: 200, seed: 20261206 },
    );
  });
});
