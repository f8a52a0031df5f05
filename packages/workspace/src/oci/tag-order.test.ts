import { describe, expect, it } from 'vitest';
import { latestTag, orderTags } from './tag-order.js';

describe('tag order', () => {
  it('puts semver tags highest first (numeric, not lexical), then other tags alphabetically', () => {
    const ordered = orderTags(['latest', '1.2.0', '1.10.0', 'edge', '1.10.0-rc.1', 'v3.5.0', '0.9.1']);
    expect(ordered.map((t) => t.tag)).toEqual([
      'v3.5.0',
      '1.10.0',
      '1.10.0-rc.1',
      '1.2.0',
      '0.9.1',
      'edge',
      'latest',
    ]);
    expect(ordered.find((t) => t.tag === 'v3.5.0')?.version).toBe('3.5.0');
    expect(ordered.find((t) => t.tag === 'edge')?.version).toBeNull();
  });

  it('keeps both twins of a version, the bare one first, and drops duplicates', () => {
    expect(orderTags(['v1.0.0', '1.0.0', '1.0.0']).map((t) => t.tag)).toEqual(['1.0.0', 'v1.0.0']);
  });

  it('treats look-alikes as plain tags', () => {
    expect(orderTags(['vv1.0.0', '1.0', '=1.0.0']).every((t) => t.version === null)).toBe(true);
  });

  it('latest is the highest version, else the latest tag, else nothing', () => {
    expect(latestTag(['1.2.0', '1.10.0', 'latest'])).toBe('1.10.0');
    expect(latestTag(['edge', 'latest'])).toBe('latest');
    expect(latestTag(['edge'])).toBeUndefined();
    expect(orderTags(['1.0.0', `sha256-${'a'.repeat(64)}.sig`]).map((t) => t.tag)).toEqual(['1.0.0']);
    expect(latestTag([])).toBeUndefined();
  });
});
