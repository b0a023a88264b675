/** A tiny HTTP server on 127.0.0.1 serving fixed bodies by path, for ImageUrl tests. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FileServer {
  url(path: string): string;
  close(): Promise<void>;
}

export async function serveFiles(files: Record<string, Buffer>): Promise<FileServer> {
  const server = http.createServer((request, response) => {
    const body = files[request.url ?? ''];
    if (!body) return response.writeHead(404).end('not found');
    response.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface SlowServer {
  /** Where the image is served. */
  readonly url: string;
  /** Resolves when the first request for it arrives. */
  readonly requested: Promise<void>;
  close(): Promise<void>;
}

/** A server on 127.0.0.1 that answers every request with `body` (a PNG) only after `delayMs`. */
export async function serveSlowly(body: Buffer, delayMs: number): Promise<SlowServer> {
  let requested!: () => void;
  const arrived = new Promise<void>((resolve) => (requested = resolve));
  const server = http.createServer((_request, response) => {
    requested();
    setTimeout(() => response.writeHead(200, { 'Content-Type': 'image/png' }).end(body), delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/image.png`,
    requested: arrived,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
