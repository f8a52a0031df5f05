/**
 * Machine-readable output uses snake_case keys everywhere, the seed's case (docs/cli.md, "JSON
 * output"): the CLI's `--json`, the REST API's responses and the MCP server's tool results.
 * Library results are camelCase TypeScript objects; this turns their keys into snake_case on the
 * way out, in one place, so no command has to map its result by hand.
 *
 * Two exceptions keep data as it is:
 * - OCI descriptor and manifest fields keep the spelling of the OCI image spec (`mediaType`,
 *   `artifactType`, `schemaVersion`), as `oras` and `skopeo` print them;
 * - the contents of maps that hold user or registry data (annotations, labels, settings, values,
 *   environment) are copied unchanged.
 */

const OCI_SPEC_KEYS = new Set(['mediaType', 'artifactType', 'schemaVersion']);
const DATA_MAPS = new Set(['annotations', 'labels', 'settings', 'values', 'env', 'defaults', 'variables']);

export function snakeCaseKey(key: string): string {
  if (OCI_SPEC_KEYS.has(key) || !/[a-z0-9][A-Z]/.test(key)) return key;
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

export interface SnakeCaseOptions {
  /** More keys whose values are data to copy unchanged (the API's extension `manifest`). */
  keep?: readonly string[];
}

/** A copy of `value` with every object key in snake_case (see above for what is left alone). */
export function snakeCaseKeys(value: unknown, options: SnakeCaseOptions = {}): unknown {
  const keep = new Set([...DATA_MAPS, ...(options.keep ?? [])]);
  const walk = (inner: unknown): unknown => {
    if (Array.isArray(inner)) return inner.map(walk);
    if (!isPlainObject(inner)) return inner;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(inner))
      out[snakeCaseKey(key)] = keep.has(key) ? item : walk(item);
    return out;
  };
  return walk(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
