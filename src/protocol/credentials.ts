/** SecretId → SecretKey (and, for temporary credentials, the session token they require). */
export interface Credential {
  secretId: string;
  secretKey: string;
  /** When set, requests with this SecretId must carry this `X-TC-Token` / `Token`. */
  token?: string;
}

export type CredentialStore = ReadonlyMap<string, Credential>;

export function credentialStore(credentials: readonly Credential[]): CredentialStore {
  return new Map(credentials.map((c) => [c.secretId, c]));
}
