/**
 * What we may present to one registry origin. Exactly one style is normally set:
 * username + password (basic, or exchanged for a bearer token), an identity/refresh token
 * (OAuth2 `grant_type=refresh_token`), or a ready registry access token (used as `Bearer`).
 */
export interface Credential {
  username?: string;
  password?: string;
  /** Refresh/identity token (`identitytoken` in ~/.docker/config.json). */
  identityToken?: string;
  /** A registry bearer token used as-is (the seed's `auth_token_path`). */
  accessToken?: string;
}

/** Looks up the credential for a registry host (`ghcr.io`, `127.0.0.1:5000`) and its origin. */
export type CredentialProvider = (host: string, origin: string) => Promise<Credential | undefined>;

export function isEmptyCredential(credential: Credential | undefined): boolean {
  return (
    credential === undefined ||
    (!credential.username && !credential.password && !credential.identityToken && !credential.accessToken)
  );
}

/** Never print a credential: this is what logs and errors may show instead. */
export function describeCredential(credential: Credential | undefined): string {
  if (isEmptyCredential(credential)) return 'anonymous';
  if (credential!.accessToken) return 'access token';
  if (credential!.identityToken) return 'identity token';
  return `user ${credential!.username ?? '(none)'}`;
}
