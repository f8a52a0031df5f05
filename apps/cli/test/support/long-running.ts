import { type ChildProcess, spawn } from 'node:child_process';
import { BIN } from './run-cli.js';

export interface LongRunning {
  child: ChildProcess;
  /** Resolves with the exit code once the process ends. */
  exited: Promise<number | null>;
  out: () => string;
  err: () => string;
  /** Polls stdout (every 100 ms, up to 10 s) for `pattern`; its first group, or undefined. */
  waitFor: (pattern: RegExp) => Promise<string | undefined>;
}

/** The built CLI started in the background (a server command), its output collected as it comes. */
export function startCli(args: string[], cwd: string): LongRunning {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH, PROVISIONING_HOME: `${cwd}/home`, NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = async (pattern: RegExp) => {
    for (let i = 0; i < 100; i++) {
      const found = pattern.exec(stdout)?.[1];
      if (found) return found;
      await new Promise((r) => setTimeout(r, 100));
    }
    return undefined;
  };
  return { child, exited, out: () => stdout, err: () => stderr, waitFor };
}
