import { afterAll, describe, expect, it } from 'vitest';
import { expectNoStackOrBox, Sandbox } from './support/run-cli.js';

const box = new Sandbox();
afterAll(() => box.cleanup());

describe('input errors from the environment and flags', () => {
  it('a bad boolean variable exits 1 naming the variable', async () => {
    const result = await box.run(['oci', 'config'], { env: { PROVISIONING_PLAIN_HTTP: 'maybe' } });
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')[0]).toBe(
      'error: PROVISIONING_PLAIN_HTTP: expected true or false, got "maybe"',
    );
    expect(result.stderr).toContain('  hint: ');
    expect(expectNoStackOrBox(result.stderr)).toEqual([]);
  });

  it('--workspace without config/provisioning.yaml → WORKSPACE_NOT_FOUND', async () => {
    const result = await box.run(['oci', 'config', '--json', '--workspace', box.userHome]);
    expect(result.code).toBe(1);
    const body = JSON.parse(result.stdout);
    expect(body.error.code).toBe('WORKSPACE_NOT_FOUND');
    expect(body.error.message).toContain(box.userHome);
    expect(result.stderr).toContain(
      `error: workspace ${box.userHome} (from --workspace) has no config/provisioning.yaml`,
    );
  });

  it('an invalid --registry is a usage error (exit 2)', async () => {
    const result = await box.run(['oci', 'config', '--registry', 'reg.example/ns']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: --registry: invalid registry "reg\.example\/ns"/);
  });

  it('--debug adds a stack trace', async () => {
    const result = await box.run(['oci', 'config', '--debug'], { env: { PROVISIONING_INSECURE: 'perhaps' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^\s+at /m);
  });
});
