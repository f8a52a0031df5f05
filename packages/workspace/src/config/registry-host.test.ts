import { isProvisioningError } from '@provisioning/schemas';
import { describe, expect, it } from 'vitest';
import { isLoopbackRegistry, parseRegistryEndpoint } from './registry-host.js';

const at = { where: 'PROVISIONING_REGISTRY', code: 'ENV_INVALID' } as const;

describe('parseRegistryEndpoint', () => {
  it.each([
    ['localhost:5000', 'localhost:5000', undefined],
    ['https://harbor.company.com', 'harbor.company.com', true],
    ['http://127.0.0.1:5000/', '127.0.0.1:5000', false],
    ['oci://Reg.Example:5000', 'reg.example:5000', undefined],
    ['[::1]:5000', '[::1]:5000', undefined],
  ])('%s → %s (tls %s)', (raw, host, tls) => {
    expect(parseRegistryEndpoint(raw, at)).toEqual({ host, tls });
  });

  it.each([
    ['ftp://reg.example', 'unsupported scheme'],
    ['reg.example/ns', 'without a path'],
    ['reg.example:99999', 'expected host[:port]'],
    ['bad_host', 'expected host[:port]'],
  ])('rejects %s naming where it came from', (raw, reason) => {
    try {
      parseRegistryEndpoint(raw, at);
      expect.unreachable();
    } catch (err) {
      expect(isProvisioningError(err) && err.code).toBe('ENV_INVALID');
      expect((err as Error).message).toContain('PROVISIONING_REGISTRY');
      expect((err as Error).message).toContain(reason);
    }
  });

  it('flag errors are usage errors', () => {
    try {
      parseRegistryEndpoint('a/b', { where: '--registry', code: 'FLAG_INVALID' });
      expect.unreachable();
    } catch (err) {
      expect(isProvisioningError(err) && err.exitCode).toBe(2);
    }
  });
});

describe('isLoopbackRegistry', () => {
  it.each([
    ['localhost:5000', true],
    ['localhost', true],
    ['127.0.0.1:5000', true],
    ['127.1.2.3', true],
    ['[::1]:5000', true],
    ['reg.example:5000', false],
    ['128.0.0.1', false],
    ['localhost.example.com', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopbackRegistry(host)).toBe(expected);
  });
});
