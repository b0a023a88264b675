/**
 * Library mode honours the TCOCR_* it is given, TCOCR_PORT and TCOCR_HOST included, and refuses
 * (ConfigError naming both) when an option and a variable say different things.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { ConfigError, startEmulator } from '../../src/index.js';

const QUIET = { TCOCR_LOG_LEVEL: 'silent', TCOCR_HEALTHCODE_OFFLINE: 'true', TCOCR_DECODER_WORKERS: '1' };

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('startEmulator and TCOCR_PORT / TCOCR_HOST in env', () => {
  it('listens where env says', async () => {
    const port = await freePort();
    const emulator = await startEmulator({
      env: { ...QUIET, TCOCR_PORT: String(port), TCOCR_HOST: '127.0.0.1' },
      warm: false,
    });
    try {
      expect(emulator.port).toBe(port);
      expect(emulator.endpoint).toBe(`127.0.0.1:${port}`);
      expect((await fetch(`${emulator.url}/_emulator/health`)).status).toBe(200);
    } finally {
      await emulator.close();
    }
  });

  it('0.0.0.0 from env: listens on every interface, reached at 127.0.0.1', async () => {
    const emulator = await startEmulator({ env: { ...QUIET, TCOCR_HOST: '0.0.0.0' }, warm: false });
    try {
      expect(emulator.config.host).toBe('0.0.0.0');
      expect(emulator.url).toBe(`http://127.0.0.1:${emulator.port}`);
    } finally {
      await emulator.close();
    }
  });

  it('refuses an option and a variable that disagree', async () => {
    const start = startEmulator({
      port: 0,
      host: '127.0.0.1',
      env: { ...QUIET, TCOCR_PORT: '9000', TCOCR_HOST: '0.0.0.0' },
      warm: false,
    });
    await expect(start).rejects.toBeInstanceOf(ConfigError);
    await expect(start).rejects.toMatchObject({
      problems: [
        'TCOCR_PORT="9000": differs from the port option (0); give one of them',
        'TCOCR_HOST="0.0.0.0": differs from the host option (127.0.0.1); give one of them',
      ],
    });
  });
});
