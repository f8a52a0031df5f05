/**
 * Response keys in snake_case, as the CLI's `--json` does; the extension `manifest` is the
 * publisher's document and is passed through as stored.
 */
export function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const snake = key.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);
    out[snake] = key === 'manifest' ? inner : snakeKeys(inner);
  }
  return out;
}
