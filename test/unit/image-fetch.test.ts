import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/errors/api-error.js';
import type { ErrorCode } from '../../src/errors/codes.js';
import {
  type FetchImageOptions,
  checkAddress,
  classifyAddress,
  fetchImage,
} from '../../src/engines/image-fetch/index.js';

const PNG = Buffer.from(`89504e470d0a1a0a${'ab'.repeat(200)}`, 'hex');

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface TestServer {
  readonly port: number;
  readonly url: string;
  /** Paths requested, in order. */
  readonly requests: string[];
  connections: number;
  close(): Promise<void>;
}

async function startServer(routes: Record<string, Handler>): Promise<TestServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const handler = routes[(req.url ?? '').replace(/\?.*$/, '')];
    if (handler === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    handler(req, res);
  });
  const state = { connections: 0 };
  server.on('connection', () => (state.connections += 1));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    get connections() {
      return state.connections;
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  } as TestServer;
}

/** Awaits the promise and returns the ApiError it rejects with (fails the test otherwise). */
async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError, the promise resolved');
}

async function expectCode(promise: Promise<unknown>, code: ErrorCode, message?: RegExp): Promise<ApiError> {
  const error = await apiError(promise);
  expect(error.code).toBe(code);
  if (message !== undefined) expect(error.message).toMatch(message);
  return error;
}

const open: FetchImageOptions = { allowPrivateNetworks: true };

/** A resolver that answers every listed name with 127.0.0.1 (a stand-in for a hostile DNS server). */
const fakeDns =
  (names: readonly string[]): NonNullable<FetchImageOptions['resolveHost']> =>
  async (hostname) => {
    if (names.includes(hostname)) return [{ address: '127.0.0.1', family: 4 }];
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  };

describe('fetchImage over HTTP', () => {
  let server: TestServer;
  /** Closed by the server-side handler of /huge: bytes written before the client went away. */
  let hugeResult: Promise<{ sent: number; total: number; finished: boolean }>;

  beforeAll(async () => {
    let resolveHuge: (value: { sent: number; total: number; finished: boolean }) => void = () => undefined;
    hugeResult = new Promise((resolve) => (resolveHuge = resolve));
    server = await startServer({
      '/img.png': (_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(PNG),
      '/empty': (_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(),
      '/server-error': (_req, res) => res.writeHead(503).end('busy'),
      '/r/1': (_req, res) => res.writeHead(302, { location: '/img.png' }).end(),
      '/r/2': (_req, res) => res.writeHead(301, { location: '/r/1' }).end(),
      '/r/3': (_req, res) => res.writeHead(307, { location: `${server.url}/r/2` }).end(),
      '/r/4': (_req, res) => res.writeHead(308, { location: '/r/3' }).end(),
      '/r/no-location': (_req, res) => res.writeHead(302).end(),
      '/r/ftp': (_req, res) => res.writeHead(302, { location: 'ftp://example.com/a.png' }).end(),
      '/r/to-evil': (_req, res) => res.writeHead(302, { location: `http://evil.test:${server.port}/img.png` }).end(),
      '/r/to-loopback': (_req, res) =>
        res.writeHead(302, { location: `http://127.0.0.1:${server.port}/img.png` }).end(),
      '/r/to-metadata': (_req, res) =>
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
      '/declared-large': (_req, res) => {
        res.writeHead(200, { 'content-length': String(1024 * 1024) });
        res.write(Buffer.alloc(1024));
        // never finishes: the client must decide from the header alone
      },
      '/huge': (_req, res) => {
        // Chunked, no Content-Length: 8 MiB in 16 KiB chunks, respecting backpressure.
        const chunk = Buffer.alloc(16 * 1024, 0x41);
        const total = 8 * 1024 * 1024;
        let sent = 0;
        let done = false;
        const finish = (finished: boolean): void => {
          if (done) return;
          done = true;
          resolveHuge({ sent, total, finished });
        };
        res.on('close', () => finish(sent >= total));
        res.writeHead(200, { 'content-type': 'image/png' });
        const pump = (): void => {
          while (sent < total && !res.destroyed) {
            sent += chunk.length;
            if (!res.write(chunk)) {
              res.once('drain', pump);
              return;
            }
          }
          if (sent >= total) res.end();
        };
        pump();
      },
      '/trickle': (_req, res) => {
        res.writeHead(200, { 'content-type': 'image/png' });
        const timer = setInterval(() => res.write(Buffer.from([0x89])), 50);
        res.on('close', () => clearInterval(timer));
      },
      '/cut': (req, res) => {
        res.writeHead(200, { 'content-length': '1000' });
        res.write(Buffer.alloc(10), () => req.socket.destroy());
      },
      '/no-headers': () => {
        // accepts the request and never answers
      },
    });
  });

  afterAll(async () => {
    await server.close();
  });

  it('returns the body of a 200 answer', async () => {
    const bytes = await fetchImage(`${server.url}/img.png`, open);
    expect(Buffer.from(bytes).equals(PNG)).toBe(true);
  });

  it('sends the configured User-Agent', async () => {
    let agent: string | undefined;
    const ua = await startServer({
      '/ua': (req, res) => {
        agent = req.headers['user-agent'];
        res.end(PNG);
      },
    });
    try {
      await fetchImage(`${ua.url}/ua`, { ...open, userAgent: 'ocr-test/1.0' });
      expect(agent).toBe('ocr-test/1.0');
    } finally {
      await ua.close();
    }
  });

  it('404 and 503 are DownLoadError naming the status', async () => {
    await expectCode(fetchImage(`${server.url}/missing.png`, open), 'FailedOperation.DownLoadError', /HTTP 404/);
    await expectCode(fetchImage(`${server.url}/server-error`, open), 'FailedOperation.DownLoadError', /HTTP 503/);
  });

  it('a 0-byte body is EmptyImageError', async () => {
    await expectCode(fetchImage(`${server.url}/empty`, open), 'FailedOperation.EmptyImageError');
  });

  it('follows a redirect chain up to maxRedirects', async () => {
    const bytes = await fetchImage(`${server.url}/r/3`, { ...open, maxRedirects: 3 });
    expect(Buffer.from(bytes).equals(PNG)).toBe(true);
  });

  it('one redirect more than maxRedirects is DownLoadError', async () => {
    await expectCode(
      fetchImage(`${server.url}/r/4`, { ...open, maxRedirects: 3 }),
      'FailedOperation.DownLoadError',
      /more than 3 redirects/,
    );
    await expectCode(
      fetchImage(`${server.url}/r/1`, { ...open, maxRedirects: 0 }),
      'FailedOperation.DownLoadError',
      /more than 0 redirects/,
    );
  });

  it('a redirect without Location or to another scheme is DownLoadError', async () => {
    await expectCode(fetchImage(`${server.url}/r/no-location`, open), 'FailedOperation.DownLoadError', /no Location/);
    await expectCode(fetchImage(`${server.url}/r/ftp`, open), 'FailedOperation.DownLoadError', /unsupported scheme/);
  });

  describe('address policy (allowPrivateNetworks false)', () => {
    // `allowed.test` is an allow-listed host that resolves to the test server; every other name
    // and every literal address is judged by the policy, so the server is reachable only through it.
    const strict: FetchImageOptions = {
      allowPrivateNetworks: false,
      allowHosts: ['allowed.test'],
      resolveHost: fakeDns(['allowed.test', 'evil.test', 'rebind.test']),
    };

    it('the allow-listed host is reachable (control for the cases below)', async () => {
      const bytes = await fetchImage(`http://allowed.test:${server.port}/img.png`, strict);
      expect(Buffer.from(bytes).equals(PNG)).toBe(true);
    });

    it('a redirect to a name resolving to loopback is refused before connecting', async () => {
      const before = server.requests.length;
      await expectCode(
        fetchImage(`http://allowed.test:${server.port}/r/to-evil`, strict),
        'FailedOperation.DownLoadError',
        /127\.0\.0\.1 \(resolved from evil\.test\) is loopback/,
      );
      expect(server.requests.slice(before)).toEqual(['/r/to-evil']);
    });

    it('a redirect to a loopback literal is refused', async () => {
      const before = server.requests.length;
      await expectCode(
        fetchImage(`http://allowed.test:${server.port}/r/to-loopback`, strict),
        'FailedOperation.DownLoadError',
        /127\.0\.0\.1 is loopback/,
      );
      expect(server.requests.slice(before)).toEqual(['/r/to-loopback']);
    });

    it('a redirect to the cloud metadata address is refused', async () => {
      await expectCode(
        fetchImage(`http://allowed.test:${server.port}/r/to-metadata`, strict),
        'FailedOperation.DownLoadError',
        /169\.254\.169\.254 is link-local/,
      );
    });

    it('DNS rebinding: a public-looking name resolving to 127.0.0.1 is refused at connect time', async () => {
      const connections = server.connections;
      await expectCode(
        fetchImage(`http://rebind.test:${server.port}/img.png`, strict),
        'FailedOperation.DownLoadError',
        /resolved from rebind\.test\) is loopback/,
      );
      expect(server.connections).toBe(connections);
    });

    it('the same name is fetched when private networks are allowed (the resolver is really used)', async () => {
      const bytes = await fetchImage(`http://rebind.test:${server.port}/img.png`, {
        ...strict,
        allowPrivateNetworks: true,
      });
      expect(bytes.byteLength).toBe(PNG.length);
    });

    it('literal private addresses are refused without a connection', async () => {
      const connections = server.connections;
      for (const url of [
        `http://127.0.0.1:${server.port}/img.png`,
        `http://[::1]:${server.port}/img.png`,
        `http://[::ffff:127.0.0.1]:${server.port}/img.png`,
        `http://2130706433:${server.port}/img.png`, // 127.0.0.1 as one decimal number
        'http://169.254.169.254/latest/meta-data/',
        'http://10.1.2.3/a.png',
        'http://0.0.0.0/a.png',
      ]) {
        await expectCode(
          fetchImage(url, { allowPrivateNetworks: false }),
          'FailedOperation.DownLoadError',
          /not a public address/,
        );
      }
      expect(server.connections).toBe(connections);
    });

    it('the default policy refuses localhost', async () => {
      await expectCode(
        fetchImage(`http://localhost:${server.port}/img.png`),
        'FailedOperation.DownLoadError',
        /not a public address|could not be resolved/,
      );
    });
  });

  it('a Content-Length over maxBytes is TooLargeFileError without reading the body', async () => {
    await expectCode(
      fetchImage(`${server.url}/declared-large`, { ...open, maxBytes: 64 * 1024 }),
      'LimitExceeded.TooLargeFileError',
      /Content-Length 1048576/,
    );
  });

  it('a streamed body over maxBytes is aborted early: the server sees the connection close', async () => {
    await expectCode(
      fetchImage(`${server.url}/huge`, { ...open, maxBytes: 64 * 1024 }),
      'LimitExceeded.TooLargeFileError',
    );
    const { sent, total, finished } = await hugeResult;
    expect(finished).toBe(false);
    expect(sent).toBeLessThan(total / 2);
  });

  it('a server that trickles bytes hits the total deadline', async () => {
    const started = performance.now();
    await expectCode(
      fetchImage(`${server.url}/trickle`, { ...open, timeoutMs: 300 }),
      'FailedOperation.DownLoadError',
      /within 300 ms/,
    );
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('a server that never answers hits the deadline', async () => {
    const started = performance.now();
    await expectCode(
      fetchImage(`${server.url}/no-headers`, { ...open, timeoutMs: 300 }),
      'FailedOperation.DownLoadError',
      /within 300 ms/,
    );
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('a connection dropped in the middle of the body is DownLoadError', async () => {
    await expectCode(
      fetchImage(`${server.url}/cut`, open),
      'FailedOperation.DownLoadError',
      /could not be read to the end/,
    );
  });

  it('a refused connection is DownLoadError', async () => {
    const closed = await startServer({});
    const port = closed.port;
    await closed.close();
    await expectCode(fetchImage(`http://127.0.0.1:${port}/a.png`, open), 'FailedOperation.DownLoadError', /refused/);
  });

  it('a DNS failure is DownLoadError', async () => {
    await expectCode(
      fetchImage('http://no-such-host.test/a.png', { ...open, resolveHost: fakeDns([]) }),
      'FailedOperation.DownLoadError',
      /could not be resolved/,
    );
  });
});

describe('fetchImage URL map', () => {
  let dir: string;
  const prefix = 'http://fixtures.invalid/images/';
  const map = (): FetchImageOptions => ({
    urlMap: [{ prefix, dir: path.join(dir, 'images') }],
    resolveHost: () => Promise.reject(new Error('the network must not be used for mapped URLs')),
  });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'image-fetch-'));
    await mkdir(path.join(dir, 'images', 'sub dir'), { recursive: true });
    await writeFile(path.join(dir, 'images', 'a.png'), PNG);
    await writeFile(path.join(dir, 'images', 'sub dir', 'b c.png'), PNG.subarray(0, 50));
    await writeFile(path.join(dir, 'images', 'empty.png'), '');
    await writeFile(path.join(dir, 'secret.txt'), 'outside the mapped folder');
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('serves a mapped URL from the folder, ignoring query and fragment', async () => {
    expect(Buffer.from(await fetchImage(`${prefix}a.png?v=1#x`, map())).equals(PNG)).toBe(true);
    expect((await fetchImage(`${prefix}sub%20dir/b%20c.png`, map())).byteLength).toBe(50);
  });

  it('a missing mapped file is DownLoadError', async () => {
    await expectCode(fetchImage(`${prefix}nope.png`, map()), 'FailedOperation.DownLoadError', /no file "nope\.png"/);
  });

  it('a mapped folder itself is DownLoadError', async () => {
    await expectCode(fetchImage(`${prefix}sub%20dir`, map()), 'FailedOperation.DownLoadError');
  });

  it('an empty mapped file is EmptyImageError; a large one TooLargeFileError', async () => {
    await expectCode(fetchImage(`${prefix}empty.png`, map()), 'FailedOperation.EmptyImageError');
    await expectCode(fetchImage(`${prefix}a.png`, { ...map(), maxBytes: 10 }), 'LimitExceeded.TooLargeFileError');
  });

  it('path traversal out of the folder is refused', async () => {
    for (const rest of [
      '%2e%2e%2fsecret.txt',
      '..%2Fsecret.txt',
      '..%2f..%2f..%2fetc%2fpasswd',
      '%2Fetc%2Fpasswd',
      'a.png%00.txt',
    ]) {
      await expectCode(fetchImage(`${prefix}${rest}`, map()), 'FailedOperation.DownLoadError');
    }
    // Plain `..` segments are removed by URL normalisation and then miss the prefix: network path.
    await expectCode(
      fetchImage('http://fixtures.invalid/images/../secret.txt', map()),
      'FailedOperation.DownLoadError',
      /could not be resolved|request to/,
    );
  });

  it('an unmapped URL still goes to the network', async () => {
    await expectCode(fetchImage('http://fixtures.invalid/other/a.png', map()), 'FailedOperation.DownLoadError');
  });
});

describe('fetchImage URL validation', () => {
  it.each([
    ['ftp://example.com/a.png', /must use http or https, not ftp/],
    ['file:///etc/passwd', /must use http or https, not file/],
    ['data:image/png;base64,AAAA', /not data/],
    ['javascript:alert(1)', /not javascript/],
    ['not a url', /is not a valid URL/],
    ['/relative/a.png', /is not a valid URL/],
    ['http://', /is not a valid URL/],
    ['', /is empty/],
  ])('%j is InvalidParameterValueLimit naming ImageUrl', async (url, message) => {
    const error = await expectCode(fetchImage(url, open), 'InvalidParameterValue.InvalidParameterValueLimit', message);
    expect(error.message).toMatch(/ImageUrl/);
    expect(error.messageIn('zh-CN')).toMatch(/ImageUrl/);
  });
});

describe('address policy table', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['100.128.0.1', 'public'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'this-network'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['2606:4700:4700::1111', 'public'],
    ['2001:4860:4860::8888', 'public'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:8.8.8.8', 'public'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['64:ff9b::808:808', 'public'],
    ['100::1', 'reserved'],
    // Documentation and benchmarking ranges are never a web server.
    ['192.0.2.1', 'reserved'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.9', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['2001:2::1', 'reserved'],
    ['ff05::1:3', 'multicast'],
    ['FF02::1', 'multicast'],
    ['fd00:ec2::254', 'unique-local'], // a cloud metadata address over IPv6
    // IPv4 inside IPv6: translated, compatible (hex too), NAT64 local-use, upper case, 6to4.
    ['::ffff:0:169.254.169.254', 'link-local'],
    ['::FFFF:127.0.0.1', 'loopback'],
    ['0:0:0:0:0:ffff:7f00:1', 'loopback'],
    ['::7f00:1', 'loopback'],
    ['::a00:1', 'private'],
    ['::8.8.8.8', 'public'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['64:ff9b:1::a9fe:a9fe', 'link-local'],
    ['64:ff9b:1:ffff::c0a8:1', 'private'],
    ['64:ff9b:1::808:808', 'public'],
    ['2002:7f00:1::1', 'loopback'],
    ['2002:a9fe:a9fe::', 'link-local'],
    ['2002:808:808::1', 'public'],
  ])('%s is %s', (address, category) => {
    expect(classifyAddress(address)).toBe(category);
  });

  it('classifyAddress rejects names and the non-canonical IPv4 forms a URL parser rewrites', () => {
    for (const text of ['example.com', '010.0.0.1', '2130706433', '0x7f.1', '1.2.3', '::ffff:1.2.3.4.5', '']) {
      expect(() => classifyAddress(text), text).toThrow(new TypeError(`not an IP address: ${text}`));
    }
  });

  it('checkAddress: the reason names the address, the host it came from and its category', () => {
    expect(checkAddress({ allowPrivateNetworks: false }, 'metadata.test', 'fd00:ec2::254')).toEqual({
      allowed: false,
      reason: 'address fd00:ec2::254 (resolved from metadata.test) is unique-local, not a public address',
    });
    expect(checkAddress({ allowPrivateNetworks: false }, '[::ffff:0:127.0.0.1]', '::ffff:0:127.0.0.1')).toEqual({
      allowed: false,
      reason: 'address ::ffff:0:127.0.0.1 is loopback, not a public address',
    });
    expect(checkAddress({ allowPrivateNetworks: false }, 'x.test', 'nonsense')).toEqual({
      allowed: false,
      reason: 'nonsense is not an IP address',
    });
  });

  it('checkAddress: policy switch and host allow-list', () => {
    expect(checkAddress({ allowPrivateNetworks: false }, 'example.com', '93.184.216.34')).toEqual({ allowed: true });
    expect(checkAddress({ allowPrivateNetworks: false }, 'example.com', '10.0.0.5').allowed).toBe(false);
    expect(checkAddress({ allowPrivateNetworks: true }, 'example.com', '10.0.0.5').allowed).toBe(true);
    expect(
      checkAddress({ allowPrivateNetworks: false, allowHosts: ['Fixtures.Local'] }, 'fixtures.local.', '10.0.0.5')
        .allowed,
    ).toBe(true);
    expect(
      checkAddress({ allowPrivateNetworks: false, allowHosts: ['fixtures.local'] }, 'other.local', '10.0.0.5').allowed,
    ).toBe(false);
  });
});
