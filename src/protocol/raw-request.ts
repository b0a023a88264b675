/** The request exactly as it came off the wire: what signing and parsing work from. */
export interface RawRequest {
  method: string;
  /** Path and raw query, e.g. `/?ImageUrl=…`. */
  url: string;
  /** Node's header record: names in lower case. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: Buffer;
  /** `1.1`, `1.0`…; absent when not known. */
  httpVersion?: string;
}

export function header(raw: RawRequest, name: string): string | undefined {
  const value = raw.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

export function splitUrl(url: string): { path: string; query: string } {
  const at = url.indexOf('?');
  return at < 0 ? { path: url, query: '' } : { path: url.slice(0, at), query: url.slice(at + 1) };
}

/** Media type of the Content-Type header, lower case, without parameters. */
export function mediaType(raw: RawRequest): string {
  return (header(raw, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}
