import { describe, expect, it } from 'vitest';
import { renderTable } from './table.js';

describe('renderTable', () => {
  it('draws the seed oci tags table with aligned columns', () => {
    const out = renderTable([
      {
        artifact: 'redis',
        version: '1.0.0',
        reference: 'localhost:5000/provisioning-extensions/redis:1.0.0',
      },
    ]);
    expect(out.split('\n')).toEqual([
      '┌──────────┬─────────┬────────────────────────────────────────────────────┐',
      '│ artifact │ version │ reference                                          │',
      '├──────────┼─────────┼────────────────────────────────────────────────────┤',
      '│ redis    │ 1.0.0   │ localhost:5000/provisioning-extensions/redis:1.0.0 │',
      '└──────────┴─────────┴────────────────────────────────────────────────────┘',
    ]);
  });

  it('uses given columns, headers and right alignment; empty cells for missing values', () => {
    const out = renderTable(
      [
        { name: 'kubernetes', size: 1200, note: undefined },
        { name: 'etcd', size: 7, note: 'two\nlines' },
      ],
      [{ key: 'name', header: 'NAME' }, { key: 'size', align: 'right' }, 'note'],
    );
    const lines = out.split('\n');
    expect(lines[1]).toBe('│ NAME       │ size │ note      │');
    expect(lines[3]).toBe('│ kubernetes │ 1200 │           │');
    expect(lines[4]).toBe('│ etcd       │    7 │ two lines │');
    // every line has the same width
    expect(new Set(lines.map((l) => [...l].length)).size).toBe(1);
  });

  it('ignores ANSI colour codes when measuring and renders headers for no rows', () => {
    const out = renderTable([{ a: '\u001b[31mred\u001b[0m' }]);
    expect(out.split('\n')[3]).toBe('│ \u001b[31mred\u001b[0m │');
    expect(renderTable([], ['x', 'yy']).split('\n')).toEqual([
      '┌───┬────┐',
      '│ x │ yy │',
      '├───┼────┤',
      '└───┴────┘',
    ]);
  });
});
