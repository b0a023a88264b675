/**
 * The pure fault matcher: rules (with their counters) + the facts of one request → which rules
 * matched and which fire. No I/O, no clock; randomness comes in as `draw` (the seeded generator).
 *
 * Semantics (the undici MockAgent vocabulary: intercept → reply, `times`, persist):
 * - A rule matches when every criterion it names holds. Every matching rule counts the call
 *   (`matched`), whatever other rules do, so `nth` means "the n-th call that matches these criteria".
 * - Rules are tried in order. A rule fires when it matches, its `nth` (if any) is this call, it has
 *   fired fewer than `times` (if any), and the probability draw (if any) succeeds.
 * - A firing delay lets the next rules be tried too; any other effect is the last one: later rules
 *   still count the call but do not fire and draw nothing.
 */
import { isPassThrough } from './effects.js';
import type { FaultRule, RuleMatch } from './rule.js';

/** What the fault stage knows about a request. `imageSha256` is computed only when a rule asks. */
export interface RequestFacts {
  readonly action?: string | undefined;
  readonly secretId?: string | undefined;
  readonly region?: string | undefined;
  readonly imageUrl?: string | undefined;
  readonly testId?: string | undefined;
  readonly imageSha256: () => string | undefined;
}

export interface RuleView {
  readonly rule: FaultRule;
  /** Calls that matched the criteria so far. */
  readonly matched: number;
  /** Times the rule fired so far. */
  readonly fired: number;
}

export interface Decision {
  /** Ids of the rules whose criteria matched this call. */
  readonly matched: readonly string[];
  /** The rules that fire, in order: delays first, then at most one other effect. */
  readonly fired: readonly FaultRule[];
}

const within = (allowed: readonly string[] | undefined, value: string | undefined): boolean =>
  allowed === undefined || (value !== undefined && allowed.includes(value));

/** Every criterion except `nth`. */
export function criteriaHold(match: RuleMatch, facts: RequestFacts): boolean {
  if (!within(match.action, facts.action)) return false;
  if (!within(match.secretId, facts.secretId)) return false;
  if (!within(match.region, facts.region)) return false;
  if (!within(match.testId, facts.testId)) return false;
  if (match.imageUrl && (facts.imageUrl === undefined || !match.imageUrl.test(facts.imageUrl))) return false;
  if (match.imageSha256 && !within(match.imageSha256, facts.imageSha256())) return false;
  return true;
}

/**
 * undici's "pending interceptor": a rule with `times` that has fired fewer times than that, or a
 * rule without `times` that has never fired, and whose `nth` call (if any) is still to come.
 */
export function isPending(view: RuleView): boolean {
  if (view.rule.match.nth !== undefined && view.matched >= view.rule.match.nth && view.fired === 0) return false;
  return view.rule.times !== undefined ? view.fired < view.rule.times : view.fired === 0;
}

export function decide(rules: readonly RuleView[], facts: RequestFacts, draw: () => number): Decision {
  const matched: string[] = [];
  const fired: FaultRule[] = [];
  let done = false;
  for (const view of rules) {
    const { rule } = view;
    if (!criteriaHold(rule.match, facts)) continue;
    matched.push(rule.id);
    if (done) continue;
    const call = view.matched + 1;
    if (rule.match.nth !== undefined && call !== rule.match.nth) continue;
    if (rule.times !== undefined && view.fired >= rule.times) continue;
    if (rule.probability !== undefined && rule.probability < 1 && !(draw() < rule.probability)) continue;
    fired.push(rule);
    if (!isPassThrough(rule.effect)) done = true;
  }
  return { matched, fired };
}
