/**
 * What only happens on a terminal, run in a real pseudo-terminal (`script` from util-linux): the
 * progress bar, the delete confirmation and the no-echo password prompt of `oci login`.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  type RunningDistribution,
  requireBinary,
  startDistribution,
  startHttpServer,
} from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, Sandbox } from './support/run-cli.js';

const script = requireBinary('script');
const USER = 'tty-user';
const PASSWORD = 'typed-Secret-42';
const box = new Sandbox();
let open: RunningDistribution;
let locked: RunningDistribution;
let extensionDir: string;

function quote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * Run the CLI on a pseudo-terminal (stdin, stdout and stderr are the terminal, so the transcript
 * holds both streams). `answers` are typed, in order, each once `prompt` text has appeared.
 */
function runOnTerminal(
  args: string[],
  registry: string,
  answers: Array<{ after: string; type: string }> = [],
): Promise<{ code: number; transcript: string }> {
  const command = [process.execPath, BIN, ...args].map(quote).join(' ');
  return new Promise((resolve) => {
    const child = spawn(script, ['-qec', command, '/dev/null'], {
      cwd: box.root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: box.userHome,
        PROVISIONING_HOME: box.home,
        PROVISIONING_REGISTRY: registry,
        TERM: 'xterm',
      },
    });
    let transcript = '';
    const pending = [...answers];
    child.stdout.on('data', (chunk: Buffer) => {
      transcript += chunk.toString();
      const next = pending[0];
      if (next && transcript.includes(next.after)) {
        pending.shift();
        child.stdin.write(next.type);
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code: code ?? -1, transcript });
    });
  });
}

beforeAll(async () => {
  [open, locked] = await Promise.all([
    startDistribution(),
    startDistribution({ auth: { htpasswd: { user: USER, password: PASSWORD } } }),
  ]);
  extensionDir = join(box.root, 'src', 'redis');
  const generated = await box.run(['generate', 'extension', 'taskserv', 'redis', '--dir', extensionDir]);
  expect(generated.code, generated.stderr).toBe(0);
});
afterAll(async () => {
  await Promise.all([open?.stop(), locked?.stop()]);
  box.cleanup();
});

describe('on a terminal', () => {
  it('push draws a progress bar in place and clears it before the result', async () => {
    const { code, transcript } = await runOnTerminal(
      ['oci', 'push', extensionDir, 'redis', '1.0.0'],
      open.host,
    );
    expect(code, transcript).toBe(0);
    expect(transcript).toMatch(/\r\x1b\[2Kpush redis {2}\[[█░]+\] +100% .* 2\/2 blobs/);
    expect(transcript).toMatch(/\r\x1b\[2K\r?\n?pushed /);
    const json = await runOnTerminal(['oci', 'pull', 'redis:1.0.0', '--json', '-o', 'p1'], open.host);
    expect(json.code, json.transcript).toBe(0);
    expect(json.transcript).not.toContain('blobs'); // --json: no bar even on a terminal
  });

  it('delete asks for confirmation; "n" keeps the artifact, "y" deletes it', async () => {
    const kept = await runOnTerminal(['oci', 'delete', 'redis:1.0.0'], open.host, [
      { after: '[y/N]', type: 'n\r' },
    ]);
    expect(kept.code, kept.transcript).toBe(1);
    expect(kept.transcript).toContain('Delete ');
    expect(kept.transcript).toContain('error: not deleting');
    const deleted = await runOnTerminal(['oci', 'delete', 'redis:1.0.0'], open.host, [
      { after: '[y/N]', type: 'y\r' },
    ]);
    expect(deleted.code, deleted.transcript).toBe(0);
    expect(deleted.transcript).toContain('deleted ');
  });

  it('login prompts for user and password and does not echo the password', async () => {
    const { code, transcript } = await runOnTerminal(['oci', 'login', locked.host], locked.host, [
      { after: 'Username: ', type: `${USER}\r` },
      { after: 'Password: ', type: `${PASSWORD}\r` },
    ]);
    expect(code, transcript).toBe(0);
    expect(transcript).toContain(USER); // the user name is echoed as typed
    expect(transcript).not.toContain(PASSWORD);
    expect(transcript).toContain(`Login succeeded for ${USER}`);
    const pushed = await box.run(['oci', 'push', extensionDir, 'redis', '1.0.0', '--json'], {
      env: { PROVISIONING_REGISTRY: locked.host },
    });
    expect(pushed.code, pushed.stderr).toBe(0);
  });

  it('says once what it is waiting for when a registry does not answer, then fails within --timeout', async () => {
    const silent = await startHttpServer((req) => {
      req.resume(); // accepts and reads the request, never answers
    });
    try {
      const started = Date.now();
      const { code, transcript } = await runOnTerminal(
        ['oci', 'tags', 'redis', '--timeout', '2s'],
        silent.host,
      );
      expect(code, transcript).toBe(3);
      expect(Date.now() - started).toBeLessThan(10_000);
      const waiting = `waiting for ${silent.host} (GET /v2/provisioning-extensions/redis/tags/list)…`;
      expect(transcript.split(waiting)).toHaveLength(2); // exactly once
      expect(transcript.indexOf(waiting)).toBeLessThan(transcript.indexOf('error: '));
      expect(transcript).toContain(`${silent.host} did not answer within 2 s`);
    } finally {
      await silent.close();
    }
  });
});
