/**
 * Reading and discarding the rest of a refused request body before answering: a client still
 * writing when the server closes the connection sees `EPIPE` or `ECONNRESET` instead of the answer
 * (the Node SDK, for a TC3 POST over 10 MB). Bodies past DRAIN_LIMIT_BYTES are not waited for.
 */
import { DRAIN_LIMIT_BYTES } from './limits.js';
import type { IncomingMessage } from 'node:http';

/** Resolves once `request`'s body has been read to its end, or past `limit` bytes, or the connection is gone. */
export function drainBody(request: IncomingMessage, limit = DRAIN_LIMIT_BYTES): Promise<void> {
  if (request.readableEnded || request.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let read = 0;
    const done = () => {
      request.off('data', onData).off('end', done).off('error', done).off('close', done);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      read += chunk.length;
      if (read > limit) done();
    };
    request.on('data', onData).on('end', done).on('error', done).on('close', done);
    request.resume();
  });
}
