/**
 * The pipeline stages of this folder; their place in the order is written down in src/app.ts.
 *
 *   checkCam           after routing: AuthFailure.UnauthorizedOperation (PROTOCOL.md §1.5 #13)
 *   checkRateLimit     after CAM: RequestLimitExceeded (§1.5 #15)
 *   checkAccountState  after parameters: billing states and the daily quota (business codes, §6.3)
 *   applyFaults        last before the action: header, magic ImageUrl and rules
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError } from '../errors/api-error.js';
import type { Stage } from '../protocol/context.js';
import { describeEffect } from './effects.js';
import { forcedError } from './forced-error.js';
import { uniform } from './random.js';
import { FaultReply } from './reply.js';
import { explicitFaults, requestFacts } from './request-faults.js';

export const checkCam: Stage = (context) => {
  const code = context.controls.accounts.camCheck(context.secretId ?? '', context.action!.name);
  if (code) throw new ApiError(code);
};

export const checkRateLimit: Stage = (context) => {
  const decision = context.controls.rateLimiter.check(context.secretId ?? '', context.action!.name);
  if (decision.limited) throw new ApiError('RequestLimitExceeded', [String(decision.count), String(decision.limit)]);
};

export const checkAccountState: Stage = (context) => {
  const code = context.controls.accounts.stateCheck(context.secretId ?? '');
  if (code) throw new ApiError(code);
};

export const applyFaults: Stage = async (context) => {
  const { faults, closing } = context.controls;
  const explicit = context.config.faultInputs ? explicitFaults(context) : [];
  const { fired } = faults.evaluate(requestFacts(context), context.requestId, explicit);
  if (fired.length === 0) return;
  context.faults = fired.map((rule) => ({ id: rule.id, source: rule.source, effect: describeEffect(rule.effect) }));
  for (const { id, effect } of fired) {
    if (effect.type === 'delay') await sleep(uniform(faults.draw, effect.minMs, effect.maxMs), undefined, { signal: closing });
    else if (effect.type === 'error') throw forcedError(effect.code, effect.message, context);
    else throw new FaultReply(effect, id);
  }
};
