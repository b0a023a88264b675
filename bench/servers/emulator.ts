/**
 * Benchmark child: the emulator itself (src/index.ts startEmulator) on 127.0.0.1, any free port.
 *
 *   emulator.js '<json>'
 *   json: { env: { TCOCR_*: … }, warm: true | false | ['barcode'] | ['healthCode'] }
 *
 * Logging is silent and rate limits are off unless the JSON says otherwise (a load test would
 * otherwise measure RequestLimitExceeded replies).
 */
import type { EngineName } from '../../src/engines/engines.js';
import { startEmulator } from '../../src/index.js';
import { serveIpc } from './ipc.js';

interface Options {
  env?: Record<string, string>;
  warm?: boolean | EngineName[];
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;
const emulator = await startEmulator({
  port: 0,
  host: '127.0.0.1',
  env: { TCOCR_LOG_LEVEL: 'silent', TCOCR_RATE_LIMITS: 'off', ...options.env },
  warm: options.warm ?? false,
});

serveIpc({
  port: emulator.port,
  handlers: {
    engineStats: async () => {
      const engines = emulator.app.engines;
      return engines.isWarm() ? { barcode: (await engines.barcode()).stats() } : {};
    },
  },
  onExit: () => emulator.close(),
});
