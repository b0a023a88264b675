/**
 * Hostile input, part of the bad-input suite: SIGTERM while a request is still at work for longer
 * than a fixed 10 s grace. The command stops accepting, answers the request in flight and exits 0:
 * its grace period outlasts what a request may still take (an ImageUrl download, then the engine
 * deadline), so TCOCR_URL_TIMEOUT_MS here stands in for any long stage.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ocr } from 'tencentcloud-sdk-nodejs/tencentcloud/services/ocr/index.js';
import { afterAll, describe, expect, it } from 'vitest';
import { closeGraceMs } from '../../src/cli/serve.js';
import { loadConfig } from '../../src/config.js';
import { ROOT, type Started, localFlags, startCli } from '../helpers/cli-process.js';
import { type SlowServer, serveSlowly } from '../helpers/file-server.js';
import { eventually } from '../helpers/hostile-http.js';
import { qrPng } from '../../support/images.js';

describe('SIGTERM with a long request in flight', () => {
  let started: Started | undefined;
  let slowServer: SlowServer | undefined;
  afterAll(async () => {
    started?.child.kill('SIGKILL');
    await slowServer?.close();
  });

  it('the grace period is longer than the engine deadline plus a download', () => {
    const config = loadConfig({});
    expect(closeGraceMs(config)).toBeGreaterThan(config.decodeTimeoutMs + config.urlTimeoutMs);
  });

  it('a download answering 12 s after SIGTERM is still answered, then the process exits 0', async () => {
    const secretId = 'AKIDHOSTILE00000000000000000000000000';
    const secretKey = 'HostileSecretKey000000000000000000';
    started = await startCli([
      ...localFlags(secretId, secretKey),
      '--allow-private-urls',
      '--healthcode-offline',
      '--url-timeout-ms',
      '20000',
    ]);
    slowServer = await serveSlowly((await qrPng('slow shutdown')).png, 12_000);
    const client = new ocr.v20181119.Client({
      credential: { secretId, secretKey },
      region: 'ap-guangzhou',
      profile: { httpProfile: { protocol: 'http://', endpoint: started.endpoint, reqTimeout: 60 } },
    });
    const inFlight = client.QrcodeOCR({ ImageUrl: slowServer.url });
    await slowServer.requested;
    started.child.kill('SIGTERM');
    expect((await inFlight).CodeResults?.[0]?.Url).toBe('slow shutdown');
    expect(await started.exit).toEqual({ code: 0, signal: null });
    expect(started.stderr()).toContain('SIGTERM, closed');
  });
});

describe('SIGTERM with engine work in flight', () => {
  let started: Started | undefined;
  afterAll(() => {
    started?.child.kill('SIGKILL');
  });

  it('recognitions running and queued at SIGTERM are all answered with their fields, then the process exits 0', async () => {
    const secretId = 'AKIDHOSTILE00000000000000000000000001';
    const secretKey = 'HostileSecretKey000000000000000000';
    started = await startCli([...localFlags(secretId, secretKey), '--ocr-workers', '1', '--rate-limits', 'off']);
    const client = new ocr.v20181119.Client({
      credential: { secretId, secretKey },
      region: 'ap-guangzhou',
      profile: { httpProfile: { protocol: 'http://', endpoint: started.endpoint, reqTimeout: 120 } },
    });
    const fixture = readFileSync(join(ROOT, 'fixtures', 'healthcode', 'beijing-1080x2340-20220110-clean.png')).toString(
      'base64',
    );
    const calls = [0, 1, 2].map(
      () => client.request('RecognizeHealthCodeOCR', { ImageBase64: fixture }) as Promise<Record<string, string>>,
    );
    // Wait until the first recognition has reached the worker and the other two wait in its queue
    // (a fixed pause raced the uploads on a busy machine).
    const queued = async () => {
      const text = await (await fetch(`http://${started!.endpoint}/_emulator/metrics`)).text();
      return /^tcocr_engine_queue_depth\{engine="healthCode"\} 2$/m.test(text);
    };
    expect(await eventually(queued, 60_000)).toBe(true);
    started.child.kill('SIGTERM');
    for (const reply of await Promise.all(calls))
      expect(reply).toMatchObject({ Name: '汤*新', Time: '02-06 20:30:46', Color: '黄色' });
    expect(await started.exit).toEqual({ code: 0, signal: null });
  }, 120_000);
});
