import { describe, expect, it } from 'vitest';
import { renderAnnotatedBlock } from './annotated-block.js';

describe('renderAnnotatedBlock', () => {
  it('renders the seed block style with aligned notes', () => {
    const out = renderAnnotatedBlock([
      { key: 'registry', value: 'localhost:5000', note: 'default' },
      {
        key: 'namespace',
        entries: [{ key: 'extensions', value: 'provisioning-extensions', note: 'env: X' }],
      },
      { key: 'tls_enabled', value: false, note: 'flag: --plain-http' },
      { key: 'auth_token_path', value: undefined },
    ]);
    expect(out.split('\n')).toEqual([
      '{',
      '  registry: "localhost:5000"                # default',
      '  namespace: {',
      '    extensions: "provisioning-extensions"   # env: X',
      '  }',
      '  tls_enabled: false                        # flag: --plain-http',
      '  auth_token_path: null',
      '}',
    ]);
  });
});
