/**
 * The fault rules in force and their counters: rules from TCOCR_FAULTS_FILE first, then those
 * added through the admin API, in the order they were added. `reset()` restores the file's rules
 * with zeroed counters, drops the others and re-seeds the generator.
 */
import { describeEffect, type FaultEffect } from './effects.js';
import { type Decision, type RequestFacts, type RuleView, decide, isPending } from './matcher.js';
import { type Draw, seededRandom } from './random.js';
import type { FaultRule } from './rule.js';

/** How many request ids each rule remembers for the admin API. */
const REMEMBERED_REQUESTS = 20;

/** Most rules in force at once (file and admin API together). */
export const MAX_RULES = 1000;

interface Entry {
  rule: FaultRule;
  matched: number;
  fired: number;
  requestIds: string[];
}

export interface RuleStatus {
  id: string;
  source: FaultRule['source'];
  description?: string;
  match: Readonly<Record<string, unknown>>;
  effect: FaultEffect;
  effectLabel: string;
  times: number | null;
  probability: number | null;
  /** Calls that matched the criteria. */
  matched: number;
  /** Times it fired (applied its effect). */
  fired: number;
  /** Firings left (`null`: unlimited). */
  remaining: number | null;
  /** undici's "pending interceptor": firings still expected (with `times`), or never fired (without). */
  pending: boolean;
  /** The last request ids it fired on, oldest first. */
  requestIds: string[];
}

export class FaultStore {
  #entries: Entry[] = [];
  /** The ids of #entries, so that naming and adding rules stays linear. */
  #ids = new Set<string>();
  #draw: Draw;
  #seed: number;
  #nextId = 1;
  readonly #fileRules: readonly FaultRule[];

  constructor(fileRules: readonly FaultRule[], seed: number) {
    this.#fileRules = fileRules;
    this.#seed = seed;
    this.#draw = seededRandom(seed);
    this.reset();
  }

  /** Draws from the seeded generator (probabilities, delay ranges). */
  get draw(): Draw {
    return this.#draw;
  }

  reset(seed: number = this.#seed): void {
    this.#seed = seed;
    this.#draw = seededRandom(seed);
    this.#entries = this.#fileRules.map((rule) => ({ rule, matched: 0, fired: 0, requestIds: [] }));
    this.#ids = new Set(this.#fileRules.map((rule) => rule.id));
    this.#nextId = 1;
  }

  /** A fresh id for a rule added without one. */
  newId(): string {
    let id: string;
    do id = `rule-${this.#nextId++}`;
    while (this.#ids.has(id));
    return id;
  }

  get size(): number {
    return this.#entries.length;
  }

  /** Adds rules (all or none): an id already in use is an Error. */
  add(rules: readonly FaultRule[]): RuleStatus[] {
    const ids = new Set<string>();
    for (const rule of rules) {
      if (this.#ids.has(rule.id) || ids.has(rule.id)) throw new Error(`a rule with id \`${rule.id}\` exists already`);
      ids.add(rule.id);
    }
    const added = rules.map((rule) => ({ rule, matched: 0, fired: 0, requestIds: [] }));
    for (const entry of added) this.#entries.push(entry);
    for (const id of ids) this.#ids.add(id);
    return added.map(status);
  }

  list(): RuleStatus[] {
    return this.#entries.map(status);
  }

  get(id: string): RuleStatus | undefined {
    const entry = this.#entries.find((candidate) => candidate.rule.id === id);
    return entry && status(entry);
  }

  delete(id: string): boolean {
    const before = this.#entries.length;
    this.#entries = this.#entries.filter((entry) => entry.rule.id !== id);
    this.#ids.delete(id);
    return this.#entries.length < before;
  }

  clear(): void {
    this.#entries = [];
    this.#ids.clear();
  }

  /**
   * Decides for one request and counts it. `explicit` rules (from the request's own header or
   * ImageUrl) come first and keep no counters.
   */
  evaluate(facts: RequestFacts, requestId: string, explicit: readonly FaultRule[] = []): Decision {
    const views: RuleView[] = [...explicit.map((rule) => ({ rule, matched: 0, fired: 0 })), ...this.#entries];
    const decision = decide(views, facts, this.#draw);
    const byId = new Map(this.#entries.map((entry) => [entry.rule.id, entry]));
    for (const id of decision.matched) {
      const entry = byId.get(id);
      if (entry) entry.matched += 1;
    }
    for (const rule of decision.fired) {
      const entry = byId.get(rule.id);
      if (!entry || entry.rule !== rule) continue;
      entry.fired += 1;
      entry.requestIds.push(requestId);
      if (entry.requestIds.length > REMEMBERED_REQUESTS) entry.requestIds.shift();
    }
    return decision;
  }
}

function status(entry: Entry): RuleStatus {
  const { rule } = entry;
  return {
    id: rule.id,
    source: rule.source,
    ...(rule.description !== undefined ? { description: rule.description } : {}),
    match: rule.matchInput,
    effect: rule.effect,
    effectLabel: describeEffect(rule.effect),
    times: rule.times ?? null,
    probability: rule.probability ?? null,
    matched: entry.matched,
    fired: entry.fired,
    remaining: rule.times === undefined ? null : Math.max(0, rule.times - entry.fired),
    pending: isPending(entry),
    requestIds: [...entry.requestIds],
  };
}
