/**
 * A client that leaves before its answer is written: the connection closed under an unfinished
 * response. The pipeline stops waiting for it (fault delays end at once) and the request is
 * journalled as `aborted` (src/journal/observer.ts).
 */
import type { ServerResponse } from 'node:http';

/** Thrown by a stage that stopped because the client left; nothing is answered. */
export class ClientGone extends Error {
  constructor() {
    super('the client closed the connection before the answer');
    this.name = 'ClientGone';
  }
}

/** Aborts when `response`'s connection closes before the response has finished. */
export function clientGoneSignal(response: ServerResponse): AbortSignal {
  const controller = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  return controller.signal;
}
