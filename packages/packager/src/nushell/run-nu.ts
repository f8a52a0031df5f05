/**
 * Runs one Nushell script with the documented environment only (docs/extension-guide.md, "Script
 * environment"), a timeout, and its output delivered line by line as it comes.
 */
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';

export type OutputStream = 'stdout' | 'stderr';

export interface OutputLine {
  stream: OutputStream;
  line: string;
}

export interface RunNuOptions {
  nu: string;
  script: string;
  args: string[];
  cwd: string;
  /** The whole environment of the script: nothing else from this process reaches it. */
  env: Record<string, string>;
  /** Milliseconds before the script (and every process it started) is stopped. */
  timeoutMs: number;
  /** Each line of output as soon as it is complete. */
  onLine?: (line: OutputLine) => void;
  /** How many characters of output to keep in the result (default 1 MiB); the rest is only streamed. */
  keepChars?: number;
}

export interface RunNuResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  durationMs: number;
  /** The output lines kept (see `keepChars`), in the order they arrived. */
  output: OutputLine[];
  /** True when output past `keepChars` was dropped from `output`. */
  truncated: boolean;
}

const KILL_GRACE_MS = 5_000;
const MAX_LINE_CHARS = 64 * 1024;

export function runNu(options: RunNuOptions): Promise<RunNuResult> {
  const started = Date.now();
  const keepChars = options.keepChars ?? 1024 * 1024;
  const output: OutputLine[] = [];
  let kept = 0;
  let truncated = false;
  const emit = (stream: OutputStream, line: string) => {
    options.onLine?.({ stream, line });
    if (kept + line.length > keepChars) {
      truncated = true;
      return;
    }
    kept += line.length;
    output.push({ stream, line });
  };

  return new Promise((resolve, reject) => {
    // its own process group, so a timeout stops what the script started too (apt-get, systemctl…)
    const child = spawn(options.nu, ['--no-config-file', options.script, ...options.args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
    });
    let timedOut = false;
    const signalGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      try {
        if (process.platform === 'win32') child.kill(signal);
        else process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    let killTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      signalGroup('SIGTERM');
      killTimer = setTimeout(() => signalGroup('SIGKILL'), KILL_GRACE_MS);
    }, options.timeoutMs);
    // Ctrl-C or a kill of this process reaches the script's group as well, and the run then fails
    const forward = (signal: NodeJS.Signals) => signalGroup(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    const cleanup = () => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
    };

    const pending = [lines(child.stdout, 'stdout', emit), lines(child.stderr, 'stderr', emit)];
    child.once('error', (error) => {
      cleanup();
      reject(error);
    });
    child.once('close', (exitCode, signal) => {
      cleanup();
      void Promise.all(pending).then(() =>
        resolve({
          exitCode,
          signal,
          timedOut,
          durationMs: Date.now() - started,
          output,
          truncated,
        }),
      );
    });
  });
}

function lines(
  stream: NodeJS.ReadableStream,
  name: OutputStream,
  emit: (stream: OutputStream, line: string) => void,
): Promise<void> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  return new Promise((resolve) => {
    stream.on('data', (chunk: Buffer) => {
      rest += decoder.write(chunk);
      let newline = rest.indexOf('\n');
      while (newline >= 0) {
        emit(name, rest.slice(0, newline).replace(/\r$/, ''));
        rest = rest.slice(newline + 1);
        newline = rest.indexOf('\n');
      }
      // a script that never ends its line still streams, in bounded pieces
      while (rest.length > MAX_LINE_CHARS) {
        emit(name, rest.slice(0, MAX_LINE_CHARS));
        rest = rest.slice(MAX_LINE_CHARS);
      }
    });
    stream.on('end', () => {
      rest += decoder.end();
      if (rest) emit(name, rest);
      resolve();
    });
    stream.on('error', () => resolve());
  });
}
