/**
 * Fault effects that are not a Tencent error: the one place that writes them. The fault stage
 * throws a FaultReply; the route handler (src/app.ts) hands it here.
 *
 *   success     the canned Response fields in the normal envelope (a new RequestId)
 *   http        the raw status with an HTML body (or the rule's body): no envelope at all
 *   malformed   HTTP 200, Content-Type application/json, a JSON body cut short
 *   empty       the connection is closed (FIN) before any byte of a reply
 *   reset       the connection is reset (RST)
 *
 * What the official SDKs make of each is in docs/fault-injection.md (PROTOCOL.md §4.1, §4.2).
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiContext } from '../pipeline/context.js';
import { JSON_CONTENT_TYPE } from '../protocol/envelope.js';
import { sendResult } from '../protocol/reply.js';
import { type FaultEffect, describeEffect } from './effects.js';

const brand = Symbol.for('tencentcloud-ocr-emulator.FaultReply');

type ReplyEffect = Exclude<FaultEffect, { type: 'error' } | { type: 'delay' }>;

export class FaultReply extends Error {
  readonly effect: ReplyEffect;
  readonly ruleId: string;
  readonly [brand] = true;

  constructor(effect: ReplyEffect, ruleId: string) {
    super(`fault ${describeEffect(effect)} (rule ${ruleId})`);
    this.name = 'FaultReply';
    this.effect = effect;
    this.ruleId = ruleId;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }
}

export function htmlErrorPage(status: number): string {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`;
}

/**
 * Writes the fault's reply. `onDropped` runs when no reply is written at all (reset, empty):
 * Fastify's onResponse hook never fires for those, so the caller records the request there.
 */
export function sendFaultReply(
  request: FastifyRequest,
  reply: FastifyReply,
  fault: FaultReply,
  context: ApiContext,
  onDropped: () => void,
): FastifyReply | undefined {
  const { effect } = fault;
  const action = context.action?.name;
  switch (effect.type) {
    case 'success':
      context.result = { ...effect.result };
      return sendResult(request, reply, context);
    case 'http':
      request.apiOutcome = { action, code: describeEffect(effect) };
      return reply
        .code(effect.status)
        .header('Content-Type', effect.contentType ?? 'text/html')
        .send(Buffer.from(effect.body ?? htmlErrorPage(effect.status)));
    case 'malformed':
      request.apiOutcome = { action, code: 'malformed' };
      return reply
        .code(200)
        .header('Content-Type', JSON_CONTENT_TYPE)
        .send(Buffer.from(`{"Response":{"RequestId":"${request.id}","CodeResults":[{"TypeName":"QR_`));
    case 'empty':
    case 'reset': {
      request.apiOutcome = { action, code: effect.type };
      reply.hijack();
      const socket = request.raw.socket as Partial<Socket> | undefined;
      if (effect.type === 'reset' && typeof socket?.resetAndDestroy === 'function') socket.resetAndDestroy();
      else if (effect.type === 'empty' && typeof socket?.end === 'function') socket.end();
      else if (typeof socket?.destroy === 'function') socket.destroy();
      else reply.raw.destroy(); // inject(): no real socket
      request.log.info({ action, fault: fault.ruleId, effect: effect.type }, 'api request dropped by a fault');
      onDropped();
      return undefined;
    }
  }
}
