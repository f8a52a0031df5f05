import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactSecrets, redactValue } from './redact.js';

describe('redactSecrets', () => {
  it.each([
    ['GET https://alice:s3cr3t@reg.example/v2/ failed', 'GET https://alice:***@reg.example/v2/ failed'],
    ['Authorization: Bearer eyJhbGciOiJFUzI1NiJ9.abc.def', 'Authorization: ***'],
    ['sent bearer eyJhbGciOiJFUzI1NiJ9.abc.def to x', 'sent bearer *** to x'],
    [
      'POST /token body grant_type=refresh_token&refresh_token=abc123xyz',
      'POST /token body grant_type=refresh_token&refresh_token=***',
    ],
    ['{"password":"hunter22"}', '{"password":"***"}'],
    ['GET /token?scope=x&token=abc123xyz', 'GET /token?scope=x&token=***'],
    ['{"token": "abc123xyz", "expires_in": 300}', '{"token": "***", "expires_in": 300}'],
    ['access_token: abc123xyz', 'access_token: ***'],
  ])('masks %s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
    expect(redactSecrets(input)).not.toMatch(/s3cr3t|eyJhbGci|abc123xyz|hunter22/);
  });

  it('leaves ordinary messages alone', () => {
    const line =
      'config/provisioning.yaml:14:20: dependencies.extensions.oci.auth_token_path: expected string';
    expect(redactSecrets(line)).toBe(line);
  });

  it('leaves template and parser syntax alone (property)', () => {
    const syntax = fc.constantFrom('%}', '{%', '}}', '{{', ')', ']', 'endfor', 'EOF', "'|'", '<<');
    fc.assert(
      fc.property(
        syntax,
        fc.constantFrom('unexpected token: ', 'Unexpected token ', 'bad token '),
        (t, p) => {
          const line = `manifest.yaml:3:7: ${p}${t} in template`;
          expect(redactSecrets(line)).toBe(line);
        },
      ),
    );
  });

  it('masks any credential in the forms it travels in (property)', () => {
    // no `/`: inside URL userinfo it would have to be percent-encoded
    const secret = fc.stringMatching(/^[A-Za-z0-9._~+-]{8,40}$/);
    const forms = fc.constantFrom(
      (s: string) => `https://robot:${s}@reg.example/v2/`,
      (s: string) => `Authorization: Bearer ${s}`,
      (s: string) => `?token=${s}&service=reg`,
      (s: string) => `{"token":"${s}"}`,
      (s: string) => `{"access_token": "${s}"}`,
      (s: string) => `password=${s}`,
      (s: string) => `client_secret: ${s}`,
    );
    fc.assert(
      fc.property(secret, forms, (s, form) => {
        expect(redactSecrets(`request failed: ${form(s)}`)).not.toContain(s);
      }),
    );
  });

  it('redacts values under secret keys and nested strings', () => {
    expect(redactValue({ password: 'x', nested: { url: 'https://u:p@h/' }, n: 1 })).toEqual({
      password: '***',
      nested: { url: 'https://u:***@h/' },
      n: 1,
    });
  });
});
