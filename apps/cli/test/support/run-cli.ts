import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const CLI_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(CLI_ROOT, 'bin', 'run.js');

if (!existsSync(join(CLI_ROOT, 'dist', 'main.js'))) {
  throw new Error(
    'apps/cli is not built: run `pnpm exec turbo run build --filter @provisioning/cli...` first',
  );
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A scratch area per test file: its own PROVISIONING_HOME and HOME, removed by `cleanup()`. */
export class Sandbox {
  readonly root = mkdtempSync(join(tmpdir(), 'prov-cli-'));
  readonly home = join(this.root, 'provisioning-home');
  readonly userHome = join(this.root, 'user-home');

  constructor() {
    mkdirSync(this.home);
    mkdirSync(this.userHome);
  }

  /** Writes `DIR/config/provisioning.yaml` and returns the workspace directory. */
  workspace(name: string, yaml: string): string {
    const dir = join(this.root, name);
    mkdirSync(join(dir, 'config'), { recursive: true });
    writeFileSync(join(dir, 'config', 'provisioning.yaml'), yaml);
    return dir;
  }

  /**
   * Runs the built CLI with a clean environment: no PROVISIONING_* from the caller leaks in. `input`
   * is written to its stdin, which is then closed.
   */
  run(
    args: string[],
    options: { cwd?: string; env?: Record<string, string>; nodeOptions?: string[]; input?: string } = {},
  ): Promise<CliResult> {
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: this.userHome,
      PROVISIONING_HOME: this.home,
      ...options.env,
    };
    return new Promise((resolvePromise) => {
      const child = execFile(
        process.execPath,
        [...(options.nodeOptions ?? []), BIN, ...args],
        { cwd: options.cwd ?? this.root, env, timeout: 30_000 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
          resolvePromise({ code, stdout, stderr });
        },
      );
      // what a pipe gives the command: `printf %s "$PW" | provisioning oci login … --password-stdin`
      if (options.input !== undefined) child.stdin?.end(options.input);
    });
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** No line of a stack trace (`    at fn (file:1:2)`) and none of oclif's own error decorations. */
export function expectNoStackOrBox(stderr: string): string[] {
  const problems: string[] = [];
  if (/^\s+at /m.test(stderr)) problems.push('stack trace line');
  if (/›|Error: |See more help with/.test(stderr)) problems.push('oclif error decoration');
  return problems;
}

/** A command that succeeded with `--json`: exit 0 (stderr shown otherwise), its parsed output. */
// biome-ignore lint/suspicious/noExplicitAny: the tests read whichever fields the command prints
export function jsonOk(result: CliResult): any {
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

/**
 * A refusal under `--json`: the exit status, one `error:` line on stderr with no stack trace, and
 * the stable code in the JSON error. Returns the error's message.
 */
export function expectRefusal(result: CliResult, code: string, exitCode = 1): string {
  expect(result.code, result.stderr).toBe(exitCode);
  expect(expectNoStackOrBox(result.stderr)).toEqual([]);
  expect(result.stderr.split('\n').filter((line) => line.startsWith('error:'))).toHaveLength(1);
  const error = JSON.parse(result.stdout).error;
  expect(error.code, result.stderr).toBe(code);
  return error.message;
}
