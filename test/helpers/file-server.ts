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
