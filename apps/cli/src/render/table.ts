import { padText, textWidth } from './text-width.js';

export interface TableColumn {
  /** Property of each row shown in this column. */
  key: string;
  /** Heading; defaults to the key. */
  header?: string;
  align?: 'left' | 'right';
}

/**
 * Renders rows as a box-drawn table in the style of the seed's `oci tags` output:
 *
 * ```
 * ┌──────────┬─────────┬────────────────────────────────────────────────────┐
 * │ artifact │ version │ reference                                          │
 * ├──────────┼─────────┼────────────────────────────────────────────────────┤
 * │ redis    │ 1.0.0   │ localhost:5000/provisioning-extensions/redis:1.0.0 │
 * └──────────┴─────────┴────────────────────────────────────────────────────┘
 * ```
 * Columns default to the keys of the first row. `null`/`undefined` cells are empty; line breaks
 * inside a cell are shown as spaces so every row stays one line.
 */
export function renderTable(
  rows: ReadonlyArray<Record<string, unknown>>,
  columns?: Array<string | TableColumn>,
): string {
  const cols: TableColumn[] = (columns ?? Object.keys(rows[0] ?? {})).map((c) =>
    typeof c === 'string' ? { key: c } : c,
  );
  const headers = cols.map((c) => c.header ?? c.key);
  const body = rows.map((row) => cols.map((c) => cellText(row[c.key])));
  const widths = cols.map((_, i) =>
    Math.max(textWidth(headers[i] ?? ''), ...body.map((r) => textWidth(r[i] ?? ''))),
  );

  const rule = (left: string, mid: string, right: string) =>
    left + widths.map((w) => '─'.repeat(w + 2)).join(mid) + right;
  const line = (cells: string[]) =>
    `│ ${cells.map((cell, i) => padText(cell, widths[i] ?? 0, cols[i]?.align)).join(' │ ')} │`;

  return [
    rule('┌', '┬', '┐'),
    line(headers),
    rule('├', '┼', '┤'),
    ...body.map(line),
    rule('└', '┴', '┘'),
  ].join('\n');
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text =
    typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.replace(/\r?\n/g, ' ');
}
