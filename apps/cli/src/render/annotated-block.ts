import { padText, textWidth } from './text-width.js';

/** A value in an annotated block: a scalar with a note, or a nested block. */
export type BlockEntry =
  | { key: string; value: string | number | boolean | null | undefined; note?: string }
  | { key: string; entries: BlockEntry[] };

/**
 * Renders the seed's `oci config` block style, with each value's note aligned in a `#` column:
 *
 * ```
 * {
 *   registry: "localhost:5000"                # default: built-in
 *   namespace: {
 *     extensions: "provisioning-extensions"   # env: PROVISIONING_NAMESPACE
 *   }
 * }
 * ```
 * Strings are quoted (JSON escaping), `undefined` shows as `null`.
 */
export function renderAnnotatedBlock(entries: BlockEntry[]): string {
  const rows: Array<{ text: string; note?: string | undefined }> = [{ text: '{' }];
  const walk = (list: BlockEntry[], depth: number) => {
    const indent = '  '.repeat(depth);
    for (const entry of list) {
      if ('entries' in entry) {
        rows.push({ text: `${indent}${entry.key}: {` });
        walk(entry.entries, depth + 1);
        rows.push({ text: `${indent}}` });
      } else {
        rows.push({
          text: `${indent}${entry.key}: ${JSON.stringify(entry.value ?? null)}`,
          note: entry.note,
        });
      }
    }
  };
  walk(entries, 1);
  rows.push({ text: '}' });
  const width = Math.max(...rows.filter((r) => r.note).map((r) => textWidth(r.text)), 0);
  return rows.map((r) => (r.note ? `${padText(r.text, width)}   # ${r.note}` : r.text)).join('\n');
}
