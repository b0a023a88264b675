/**
 * The fault stage of the pipeline; its place in the order is written down in src/app.ts.
 *
 *   applyFaults        last before the action: header, magic ImageUrl and rules
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ClientGone } from '../protocol/client-gone.js';
import type { ApiContext, Stage } from '../pipeline/context.js';
import { type FaultEffect, MAX_DELAY_MS, describeEffect } from './effects.js';
import { forcedError } from './forced-error.js';
import { type Draw, uniform } from './random.js';
import { FaultReply } from './reply.js';
import { explicitFaults, requestFacts } from './request-faults.js';

/**
 * Holds the request `ms`. The app closing ends the wait early and the request carries on (it is
 * still answered); the client leaving ends it and the request with it (ClientGone).
 */
async function hold(ms: number, context: ApiContext): Promise<void> {
  const { clientGone } = context;
  try {
    await sleep(ms, undefined, { signal: AbortSignal.any([context.controls.closing, clientGone]) });
  } catch (error) {
    if (clientGone.aborted) throw new ClientGone();
    if (!context.controls.closing.aborted) throw error;
  }
}

/** How long each delay among `effects` holds the request: drawn, then cut so that together they stay within MAX_DELAY_MS. */
export function plannedDelays(effects: readonly FaultEffect[], draw: Draw): number[] {
  let held = 0;
  return effects.map((effect) => {
    if (effect.type !== 'delay') return 0;
    const ms = Math.min(uniform(draw, effect.minMs, effect.maxMs), MAX_DELAY_MS - held);
    held += ms;
    return ms;
  });
}

export const applyFaults: Stage = async (context) => {
  const { faults } = context.controls;
  const explicit = context.config.faultInputs ? explicitFaults(context) : [];
  const { fired } = faults.evaluate(requestFacts(context), context.requestId, explicit);
  if (fired.length === 0) return;
  context.faults = fired.map((rule) => ({ id: rule.id, source: rule.source, effect: describeEffect(rule.effect) }));
  const delays = plannedDelays(
    fired.map((rule) => rule.effect),
    faults.draw,
  );
  for (const [index, { id, effect }] of fired.entries()) {
    if (effect.type === 'delay') await hold(delays[index]!, context);
    else if (effect.type === 'error') throw forcedError(effect.code, effect.message, context);
    else throw new FaultReply(effect, id);
  }
};
