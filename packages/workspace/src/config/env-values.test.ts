import { expandHome, isProvisioningError, provisioningHome } from '@provisioning/schemas';
import { describe, expect, it } from 'vitest';
import { booleanEnv, stringEnv } from './env-values.js';
import { resolveConfigPath } from './home.js';

describe('booleanEnv', () => {
  it('accepts the usual spellings and treats unset/empty as undefined', () => {
    expect(booleanEnv({ X: 'true' }, 'X')).toBe(true);
    expect(booleanEnv({ X: 'YES' }, 'X')).toBe(true);
    expect(booleanEnv({ X: '1' }, 'X')).toBe(true);
    expect(booleanEnv({ X: 'off' }, 'X')).toBe(false);
    expect(booleanEnv({ X: '0' }, 'X')).toBe(false);
    expect(booleanEnv({ X: '' }, 'X')).toBeUndefined();
    expect(booleanEnv({}, 'X')).toBeUndefined();
  });

  it('rejects other values naming the variable and the value', () => {
    try {
      booleanEnv({ PROVISIONING_PLAIN_HTTP: 'maybe' }, 'PROVISIONING_PLAIN_HTTP');
      expect.unreachable();
    } catch (err) {
      expect(isProvisioningError(err) && err.code).toBe('ENV_INVALID');
      expect((err as Error).message).toBe('PROVISIONING_PLAIN_HTTP: expected true or false, got "maybe"');
    }
  });

  it('stringEnv trims and ignores blanks', () => {
    expect(stringEnv({ X: '  a ' }, 'X')).toBe('a');
    expect(stringEnv({ X: '  ' }, 'X')).toBeUndefined();
  });
});

describe('provisioningHome / expandHome', () => {
  it('uses PROVISIONING_HOME (~ expanded, relative to cwd) or ~/.provisioning', () => {
    expect(provisioningHome({ HOME: '/h' })).toBe('/h/.provisioning');
    expect(provisioningHome({ HOME: '/h', PROVISIONING_HOME: '~/p' })).toBe('/h/p');
    expect(provisioningHome({ PROVISIONING_HOME: 'rel' }, '/cwd')).toBe('/cwd/rel');
    expect(expandHome('~', { HOME: '/h' })).toBe('/h');
    expect(expandHome('a/~/b', { HOME: '/h' })).toBe('a/~/b');
  });

  it("resolveConfigPath maps the seed's ~/.provisioning onto PROVISIONING_HOME", () => {
    const env = { HOME: '/h', PROVISIONING_HOME: '/p' };
    expect(resolveConfigPath('~/.provisioning/tokens/oci', '/ws', env)).toBe('/p/tokens/oci');
    expect(resolveConfigPath('~/.provisioning', '/ws', env)).toBe('/p');
    expect(resolveConfigPath('~/.provisioningx/t', '/ws', env)).toBe('/h/.provisioningx/t');
    expect(resolveConfigPath('~/other', '/ws', env)).toBe('/h/other');
    expect(resolveConfigPath('rel/t', '/ws', env)).toBe('/ws/rel/t');
    expect(resolveConfigPath('~/.provisioning/t', '/ws', { HOME: '/h' })).toBe('/h/.provisioning/t');
  });
});
