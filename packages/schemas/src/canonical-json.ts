/**
 * Canonical JSON: object keys sorted by UTF-16 code units (as RFC 8785 does), no insignificant
 * whitespace, strings escaped as JSON.stringify does (non-ASCII kept as UTF-8). These are the bytes of
 * an extension's config blob (docs/architecture.md, "Artifact format"), so equal manifests always give equal digests.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$');
}

function write(value: unknown, where: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value))
        throw new TypeError(`canonicalJson: ${where} is ${value}, not a finite number`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value.map((item, i) => (item === undefined ? 'null' : write(item, `${where}[${i}]`))).join(',')}]`;
      }
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      const entries = Object.keys(value)
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .sort()
        .map(
          (key) =>
            `${JSON.stringify(key)}:${write((value as Record<string, unknown>)[key], `${where}.${key}`)}`,
        );
      return `{${entries.join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: ${where} is a ${typeof value}, which JSON cannot represent`);
  }
}
