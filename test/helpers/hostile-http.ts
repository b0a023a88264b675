/**
 * Small clients for the hostile part of the bad-input suite: raw bytes over TCP, the control
 * plane, the journal and the in-flight gauge of a listening emulator.
 */
import net from 'node:net';
import type { RunningEmulator } from '../../src/index.js';

/** Writes `request` on a fresh connection and resolves with everything read until it closes. */
export function rawExchange(port: number, request: string | Buffer, closeAfterMs = 5_000): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), closeAfterMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    socket.on('error', () => undefined);
    socket.write(request);
  });
}

export async function admin(
  emulator: RunningEmulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${emulator.url}/_emulator${path}`, {
    method,
    ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

export interface Entry {
  requestId: string;
  code: string;
  httpStatus: number | null;
  imageUrl: string | null;
  secretId: string | null;
  testId: string | null;
}

export async function journal(emulator: RunningEmulator, query: string): Promise<Entry[]> {
  const { json } = await admin(emulator, 'GET', `/requests?limit=1000&${query}`);
  return (json as { requests: Entry[] }).requests;
}

/** The tcocr_requests_in_flight gauge. */
export async function inFlight(emulator: RunningEmulator): Promise<number> {
  const text = await (await fetch(`${emulator.url}/_emulator/metrics`)).text();
  return Number(/^tcocr_requests_in_flight (\d+)$/m.exec(text)?.[1]);
}

/** Polls `check` until it returns true or `timeoutMs` passes; resolves with the last answer. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
