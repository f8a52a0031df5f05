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
  ])('masks %s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
    expect(redactSecrets(input)).not.toMatch(/s3cr3t|eyJhbGci|abc123xyz|hunter22/);
  });

  it('leaves ordinary messages alone', () => {
    const line =
      'config/provisioning.yaml:14:20: dependencies.extensions.oci.auth_token_path: expected string';
    expect(redactSecrets(line)).toBe(line);
  });

  it('redacts values under secret keys and nested strings', () => {
    expect(redactValue({ password: 'x', nested: { url: 'https://u:p@h/' }, n: 1 })).toEqual({
      password: '***',
      nested: { url: 'https://u:***@h/' },
      n: 1,
    });
  });
});
