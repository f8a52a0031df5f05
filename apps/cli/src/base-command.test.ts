import { Errors } from '@oclif/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BaseCommand } from './base-command.js';

const CLI_ROOT = new URL('..', import.meta.url).pathname;

class Boom extends BaseCommand<typeof Boom> {
  async run(): Promise<void> {
    throw new TypeError('cannot read properties of undefined (token=abcdef123456)');
  }
}

class Fine extends BaseCommand<typeof Fine> {
  async run(): Promise<{ ok: boolean; json: boolean }> {
    return { ok: true, json: this.isJson };
  }
}

function capture(stream: NodeJS.WriteStream): { text: () => string } {
  let text = '';
  vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  });
  return { text: () => text };
}

async function exitCodeOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 0;
  } catch (err) {
    if (err instanceof Errors.ExitError) return err.oclif.exit ?? -1;
    throw err;
  }
}

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

describe('BaseCommand', () => {
  it('reports an unexpected error as an internal error without a stack, exit 1', async () => {
    const stderr = capture(process.stderr);
    const code = await exitCodeOf(Boom.run([], CLI_ROOT));
    expect(code).toBe(1);
    expect(stderr.text()).toBe(
      'error: internal error: cannot read properties of undefined (token=***)\n  hint: re-run with --debug for details\n',
    );
  });

  it('prints the stack with --debug, still without the secret', async () => {
    const stderr = capture(process.stderr);
    const code = await exitCodeOf(Boom.run(['--debug'], CLI_ROOT));
    expect(code).toBe(1);
    expect(stderr.text()).toMatch(/^\s+at /m);
    expect(stderr.text()).not.toContain('abcdef123456');
  });

  it('prints the JSON error body on stdout with --json', async () => {
    const stdout = capture(process.stdout);
    capture(process.stderr);
    await exitCodeOf(Boom.run(['--json'], CLI_ROOT));
    expect(JSON.parse(stdout.text()).error).toMatchObject({ code: 'INTERNAL', kind: 'internal' });
  });

  it('prints the run() result as plain JSON with --json', async () => {
    const stdout = capture(process.stdout);
    await Fine.run(['--json'], CLI_ROOT);
    expect(stdout.text()).toBe('{\n  "ok": true,\n  "json": true\n}\n');
  });
});
