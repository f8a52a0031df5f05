/**
 * A repeated no-op `dep resolve` answered before oclif or any library loads (docs/performance.md,
 * "The no-op answer"): `bin/run.js` calls `replayedNoop` first. On a miss the run goes on as usual
 * with its stdout captured; when the command's light path found nothing to do (`noteNoopAnswer`)
 * and the run exits 0 without a word on stderr, the answer is recorded for the next run.
 *
 * The key is everything outside the workspace that could change the answer: this build, the
 * command line, the working directory, the environment and what stdout and stderr are. What is
 * inside the workspace (config, lockfile, generation, installed files) is checked by
 * `@provisioning/workspace/noop-answers`.
 */
import { createHash } from 'node:crypto';
import { discoverWorkspace } from '@provisioning/workspace';
import { recordNoopAnswer, replayNoopAnswer } from '@provisioning/workspace/noop-answers';
import { type NoopRecording, noopRecording, setNoopRecording } from './noop-note.js';

/** Variables a shell changes between prompts without changing what a command does. */
const VOLATILE_ENV = new Set(['_', 'OLDPWD', 'PWD', 'SHLVL']);
/** Output beyond this is not kept (≈ 7,000 modules of table): the answers file is read by every replay. */
const MAX_CAPTURE = 1024 * 1024;

interface Recording extends NoopRecording {
  key: string;
  startedAt: number;
  stdout: string[];
  size: number;
  stderrWritten: boolean;
}

/** `dep resolve` without `--help` or debugging: the one command with a recorded no-op answer. */
export function isNoopCandidate(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  const [first, second] = argv;
  const isResolve = (first === 'dep' && second === 'resolve') || first === 'dep:resolve';
  if (!isResolve || env.DEBUG) return false;
  return !argv.some((arg) => arg === '--help' || arg === '-h' || arg === '--debug');
}

/**
 * Prints the recorded answer and returns true when there is one for this exact run; otherwise
 * starts capturing the run's output so that its answer can be recorded, and returns false.
 */
export function replayedNoop(
  argv: readonly string[],
  buildId: string,
  /** `--workspace`'s value, as bin/core-pin.js reads it from `argv`. */
  workspaceFlag: string | undefined,
): boolean {
  if (!isNoopCandidate(argv)) return false;
  const key = noopKey(argv, buildId);
  const root = workspaceRoot(workspaceFlag);
  const answer = root === undefined ? undefined : replayNoopAnswer(root, key);
  if (answer) {
    process.stdout.write(answer.stdout);
    return true;
  }
  startRecording(key);
  return false;
}

function noopKey(argv: readonly string[], buildId: string): string {
  const env = Object.entries(process.env)
    .filter(([name]) => !VOLATILE_ENV.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const streams = [process.stdout.isTTY ?? false, process.stderr.isTTY ?? false, process.stdout.columns ?? 0];
  return createHash('sha256')
    .update(JSON.stringify({ buildId, argv, cwd: process.cwd(), env, streams }))
    .digest('hex');
}

/** The workspace the command would use; undefined when it would fail to find one. */
function workspaceRoot(flag: string | undefined): string | undefined {
  try {
    return discoverWorkspace({ cwd: process.cwd(), flag, env: process.env });
  } catch {
    return undefined;
  }
}

function startRecording(key: string): void {
  // started before the command reads anything its answer depends on
  const state: Recording = {
    key,
    startedAt: Date.now(),
    stdout: [],
    size: 0,
    stderrWritten: false,
  };
  setNoopRecording(state);
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  const stderrWrite = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    if (noopRecording() === state) {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      state.stdout.push(text);
      state.size += text.length;
      if (state.size > MAX_CAPTURE) setNoopRecording(undefined);
    }
    return stdoutWrite(chunk, ...rest);
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    state.stderrWritten = true;
    return stderrWrite(chunk, ...rest);
  }) as typeof process.stderr.write;
  process.once('exit', (code) => {
    const noted = noopRecording() === state ? state.noted : undefined;
    if (!noted || code !== 0 || state.stderrWritten) return;
    recordNoopAnswer(noted.root, {
      key: state.key,
      inputs: noted.inputs,
      answer: { stdout: state.stdout.join('') },
      startedAt: state.startedAt,
    });
  });
}
