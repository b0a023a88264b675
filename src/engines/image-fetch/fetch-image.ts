import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import { Agent, buildConnector, request } from 'undici';
import { ApiError } from '../../errors/api-error.js';
import { type AddressPolicy, checkAddress } from './address-policy.js';
import { type UrlMapEntry, findMapping, readMappedFile, resolveMappedFile } from './url-map.js';

export interface FetchImageOptions {
  /** Total deadline for the download, headers and body together (a server that trickles bytes too). Default 3000. */
  readonly timeoutMs?: number;
  /** Largest accepted body; the download stops as soon as it is passed. Default 10 MiB. */
  readonly maxBytes?: number;
  /** Redirects followed; every target is checked like the first URL. Default 3. */
  readonly maxRedirects?: number;
  /** Allow loopback, private, link-local and other non-public addresses. Default false. */
  readonly allowPrivateNetworks?: boolean;
  /** Host names allowed to resolve to non-public addresses (e.g. a fixture server on a CI network). */
  readonly allowHosts?: readonly string[];
  /** URL prefixes served from local folders without any network access. */
  readonly urlMap?: readonly UrlMapEntry[];
  /** `User-Agent` header of the download. */
  readonly userAgent?: string;
  /** Name resolution (all addresses of a host). Default: the system resolver (`dns.lookup`). */
  readonly resolveHost?: (hostname: string) => Promise<readonly LookupAddress[]>;
}

export const FETCH_DEFAULTS = Object.freeze({
  timeoutMs: 3000,
  maxBytes: 10 * 1024 * 1024,
  maxRedirects: 3,
  userAgent: 'tencentcloud-ocr-emulator',
});

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Raised inside the connector when an address is refused; becomes a DownLoadError. */
class AddressRefusedError extends Error {
  override readonly name = 'AddressRefusedError';
}

function downloadError(detail: string, cause?: unknown): ApiError {
  return new ApiError('FailedOperation.DownLoadError', [], { message: `File download failed: ${detail}`, cause });
}

function tooLarge(detail: string): ApiError {
  return new ApiError('LimitExceeded.TooLargeFileError', [], { message: `The file is too large: ${detail}` });
}

function invalidUrl(detail: string): ApiError {
  return new ApiError('InvalidParameterValue.InvalidParameterValueLimit', [`ImageUrl ${detail}`]);
}

function parseImageUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw invalidUrl('is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidUrl(`must use http or https, not ${url.protocol.replace(/:$/, '')}`);
  }
  return url;
}

/** Stops reading a body and closes its connection; the abort this causes is expected, not an error. */
function discard(body: NodeJS.ReadableStream & { destroy(): void }): void {
  body.on('error', () => undefined);
  body.destroy();
}

const bareHost = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');

/** A `net.connect` lookup that drops the addresses the policy refuses. */
function guardedLookup(
  policy: AddressPolicy,
  resolveHost: NonNullable<FetchImageOptions['resolveHost']>,
): LookupFunction {
  return (hostname, options, callback) => {
    resolveHost(hostname).then(
      (found) => {
        const family = options.family === 4 || options.family === 6 ? options.family : undefined;
        const candidates = found.filter((a) => family === undefined || a.family === family);
        const verdicts = candidates.map((a) => ({ address: a, verdict: checkAddress(policy, hostname, a.address) }));
        const allowed = verdicts.filter((v) => v.verdict.allowed).map((v) => v.address);
        const first = allowed[0];
        if (first === undefined) {
          const refused = verdicts.map((v) => v.verdict).find((v) => !v.allowed);
          const error =
            refused === undefined || refused.allowed
              ? Object.assign(new Error(`host ${hostname} has no address`), { code: 'ENOTFOUND' })
              : new AddressRefusedError(refused.reason);
          callback(error, '', 0);
        } else if (options.all) {
          (callback as unknown as (err: null, addresses: LookupAddress[]) => void)(null, allowed);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, '', 0),
    );
  };
}

/**
 * One agent per download: its connector resolves through the guarded lookup and checks the peer
 * address once more after connecting (covers IP literals and any path that skips the lookup).
 */
function createAgent(policy: AddressPolicy, options: FetchImageOptions, timeoutMs: number): Agent {
  const baseConnect = buildConnector({
    lookup: guardedLookup(policy, options.resolveHost ?? ((host) => dnsLookup(host, { all: true, verbatim: true }))),
    timeout: timeoutMs,
  });
  return new Agent({
    connections: 1,
    pipelining: 0,
    headersTimeout: 0,
    bodyTimeout: 0,
    connect: (connectOptions, callback) =>
      baseConnect(connectOptions, (error, socket) => {
        if (error !== null) return callback(error, null);
        const remote = (socket as Socket).remoteAddress;
        const verdict =
          remote === undefined
            ? ({ allowed: false, reason: 'the peer address is unknown' } as const)
            : checkAddress(policy, connectOptions.hostname, remote);
        if (!verdict.allowed) {
          socket.destroy();
          return callback(new AddressRefusedError(verdict.reason), null);
        }
        return callback(null, socket);
      }),
  });
}

/** Explains a network failure in one phrase: which step failed. */
function describeFailure(error: unknown, url: URL): string {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e instanceof AddressRefusedError) return `${e.message}; set allowPrivateNetworks to fetch it`;
    const code = (e as NodeJS.ErrnoException).code;
    const where = `${bareHost(url)}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NODATA')
      return `host ${bareHost(url)} could not be resolved`;
    if (code === 'ECONNREFUSED') return `connection to ${where} was refused`;
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `connection to ${where} was closed by the server`;
    if (code === 'UND_ERR_CONNECT_TIMEOUT') return `connecting to ${where} timed out`;
    if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `${where} is unreachable`;
    if ((typeof code === 'string' && code.startsWith('ERR_TLS')) || /certificate|SSL|TLS/i.test(e.message)) {
      return `TLS handshake with ${where} failed (${e.message})`;
    }
  }
  return `request to ${url.origin} failed (${error instanceof Error ? error.message : String(error)})`;
}

/**
 * Downloads the image behind an `ImageUrl`. Throws `ApiError`s only:
 * bad URL → InvalidParameterValue.InvalidParameterValueLimit; any network failure, refused address,
 * non-2xx answer, redirect loop or deadline → FailedOperation.DownLoadError; body over `maxBytes` →
 * LimitExceeded.TooLargeFileError; empty body → FailedOperation.EmptyImageError.
 */
export async function fetchImage(url: string, options: FetchImageOptions = {}): Promise<Uint8Array> {
  const timeoutMs = options.timeoutMs ?? FETCH_DEFAULTS.timeoutMs;
  const maxBytes = options.maxBytes ?? FETCH_DEFAULTS.maxBytes;
  const maxRedirects = options.maxRedirects ?? FETCH_DEFAULTS.maxRedirects;
  if (typeof url !== 'string' || url.trim() === '') throw invalidUrl('is empty');
  let current = parseImageUrl(url);

  const mapping = findMapping(current.href, options.urlMap ?? []);
  if (mapping !== undefined) {
    const bytes = await readMappedFile(await resolveMappedFile(current.href, mapping), maxBytes);
    if (bytes.byteLength === 0) throw new ApiError('FailedOperation.EmptyImageError');
    return bytes;
  }

  const policy: AddressPolicy = {
    allowPrivateNetworks: options.allowPrivateNetworks ?? false,
    allowHosts: options.allowHosts ?? [],
  };
  const agent = createAgent(policy, options, timeoutMs);
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  const timedOut = (): ApiError => downloadError(`the download did not finish within ${timeoutMs} ms`);
  try {
    for (let redirects = 0; ; redirects += 1) {
      const host = bareHost(current);
      if (isIP(host) !== 0) {
        const verdict = checkAddress(policy, host, host);
        if (!verdict.allowed) throw downloadError(`${verdict.reason}; set allowPrivateNetworks to fetch it`);
      }
      let response: Awaited<ReturnType<typeof request>>;
      try {
        response = await request(current, {
          method: 'GET',
          dispatcher: agent,
          signal: deadline.signal,
          headers: { 'user-agent': options.userAgent ?? FETCH_DEFAULTS.userAgent, accept: 'image/*, */*;q=0.5' },
        });
      } catch (error) {
        if (deadline.signal.aborted) throw timedOut();
        throw downloadError(describeFailure(error, current), error);
      }
      const { statusCode, headers, body } = response;

      if (REDIRECT_STATUSES.has(statusCode)) {
        discard(body);
        const location = headers.location;
        const target = Array.isArray(location) ? location[0] : location;
        if (target === undefined)
          throw downloadError(`HTTP ${statusCode} redirect from ${current.href} has no Location`);
        if (redirects >= maxRedirects) throw downloadError(`more than ${maxRedirects} redirects`);
        let next: URL;
        try {
          next = new URL(target, current);
        } catch {
          throw downloadError(`redirect to an invalid URL (${target})`);
        }
        if (next.protocol !== 'http:' && next.protocol !== 'https:') {
          throw downloadError(`redirect to an unsupported scheme (${next.protocol})`);
        }
        current = next;
        continue;
      }
      if (statusCode < 200 || statusCode > 299) {
        discard(body);
        throw downloadError(`${current.href} answered HTTP ${statusCode}`);
      }

      const declared = Number(headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        discard(body);
        throw tooLarge(`Content-Length ${declared} is over the limit of ${maxBytes} bytes`);
      }
      const chunks: Buffer[] = [];
      let total = 0;
      try {
        for await (const chunk of body as AsyncIterable<Buffer>) {
          total += chunk.byteLength;
          if (total > maxBytes) {
            discard(body);
            throw tooLarge(`the body is over the limit of ${maxBytes} bytes`);
          }
          chunks.push(chunk);
        }
      } catch (error) {
        if (error instanceof ApiError) throw error;
        if (deadline.signal.aborted) throw timedOut();
        throw downloadError(`the body could not be read to the end: ${describeFailure(error, current)}`, error);
      }
      if (deadline.signal.aborted) throw timedOut();
      if (total === 0) throw new ApiError('FailedOperation.EmptyImageError');
      return Buffer.concat(chunks, total);
    }
  } finally {
    clearTimeout(timer);
    agent.destroy().catch(() => undefined);
  }
}
