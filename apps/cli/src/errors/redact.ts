/**
 * Masks credentials that may hide in error messages or stack traces: `user:password@` in URLs,
 * `Authorization`/`Bearer`/`Basic` header values and `token=`/`password=` style parameters.
 * Applied to everything the CLI prints about an error, including `--debug` output
 * (docs/architecture.md, "Error model").
 */
const RULES: Array<[RegExp, string]> = [
  // scheme://user:secret@host → scheme://user:***@host
  [/([a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:)[^\s/@]+@/gi, '$1***@'],
  [/\b(authorization\s*[:=]\s*)("?)[^\s",]+(\s+[^\s",]+)?/gi, '$1$2***'],
  [/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 ***'],
  // password / secret / access_token … with any separator: always a credential
  [
    /\b((?:access_|refresh_|identity|auth_?|id_)token|password|passwd|secret|client_secret)(["']?\s*[=:]\s*["']?)[^\s"'&,;)\]}]+/gi,
    '$1$2***',
  ],
  // a bare `token` is a credential only as a parameter (`token=…`) or a JSON key (`"token": "…"`);
  // in prose it is a parser's word ("unexpected token: %}") and is left alone
  [/\b(token=)[^\s"'&,;)\]}]+/gi, '$1***'],
  [/("token"\s*:\s*")[^"]*/gi, '$1***'],
];

export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  return out;
}

/** Deep-redacts every string of a JSON-able value. */
export function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = /^(password|secret|token|authorization|auth)$/i.test(key) ? '***' : redactValue(inner);
    }
    return out;
  }
  return value;
}
