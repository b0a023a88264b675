/**
 * Benchmark child: the protocol scenario's baseline. A bare Fastify 5 app (defaults: no logger,
 * the built-in JSON body parser) whose one route, POST /, answers every request with the bytes
 * given on the command line (base64) as `application/json`: the emulator's reply to the same
 * request, without any of the pipeline behind it.
 *
 *   bare-http.js <base64 body> [busy µs]
 *
 * With a second argument the route first spins for that many microseconds of CPU: a calibration
 * row that shows what a fixed amount of extra work per request does to the ratio.
 */
import Fastify from 'fastify';
import { serveIpc } from './ipc.js';

const body = Buffer.from(process.argv[2] ?? '', 'base64');
const app = Fastify({ logger: false });
const busyNs = BigInt(Math.round(Number(process.argv[3] ?? 0) * 1000));
app.post('/', async (_request, reply) => {
  if (busyNs > 0n) {
    const end = process.hrtime.bigint() + busyNs;
    while (process.hrtime.bigint() < end);
  }
  return reply.code(200).header('Content-Type', 'application/json').send(body);
});
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();

serveIpc({
  port: typeof address === 'object' && address ? address.port : 0,
  onExit: () => app.close(),
});
