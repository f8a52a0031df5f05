import { describe, expect, it } from 'vitest';
import { renderTree } from './tree.js';

describe('renderTree', () => {
  it('draws nested children with guides', () => {
    const out = renderTree({
      label: 'workspace',
      children: [
        { label: 'kubernetes 1.28.0', children: [{ label: 'containerd 1.7.0' }, { label: 'etcd 3.5.9' }] },
        { label: 'cilium 1.14.0', children: [{ label: 'kubernetes 1.28.0 (see above)' }] },
      ],
    });
    expect(out).toBe(
      [
        'workspace',
        '├── kubernetes 1.28.0',
        '│   ├── containerd 1.7.0',
        '│   └── etcd 3.5.9',
        '└── cilium 1.14.0',
        '    └── kubernetes 1.28.0 (see above)',
      ].join('\n'),
    );
  });

  it('prints several roots and keeps guides on multi-line labels', () => {
    const out = renderTree([
      { label: 'a', children: [{ label: 'b\nmore' }, { label: 'c' }] },
      { label: 'd' },
    ]);
    expect(out.split('\n')).toEqual(['a', '├── b', '│   more', '└── c', 'd']);
  });
});
