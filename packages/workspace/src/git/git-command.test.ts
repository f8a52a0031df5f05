import { describe, expect, it } from 'vitest';
import { gitEnvironment, gitFailure, redact } from './git-command.js';

describe('gitFailure', () => {
  const at = { action: 'listing the tags of https://g.example/o/x.git', url: 'https://g.example/o/x.git' };
  it.each([
    [
      "fatal: could not read Username for 'https://g.example': terminal prompts disabled",
      'GIT_AUTH_FAILED',
      3,
    ],
    ["fatal: Authentication failed for 'https://g.example/o/x.git/'", 'GIT_AUTH_FAILED', 3],
    [
      "remote: Repository not found.\nfatal: repository 'https://g.example/o/x.git/' not found",
      'GIT_REPOSITORY_MISSING',
      1,
    ],
    ['fatal: remote error: access denied or repository not exported: /x.git', 'GIT_REPOSITORY_MISSING', 1],
    [
      "fatal: unable to access 'https://g.example/o/x.git/': Could not resolve host: g.example",
      'NETWORK_ERROR',
      3,
    ],
    ["fatal: couldn't find remote ref refs/tags/taskservs/redis/v1.0.0", 'TAG_NOT_FOUND', 1],
    ['fatal: the remote end hung up unexpectedly', 'GIT_FAILED', 3],
  ])('%s → %s', (stderr, code, exit) => {
    const error = gitFailure(`hint: something\n${stderr}\n`, at);
    expect(error.code).toBe(code);
    expect(error.exitCode).toBe(exit);
    expect(error.message).not.toContain('\n');
    expect(error.message.startsWith(at.action)).toBe(true);
  });

  it('never repeats credentials git printed', () => {
    const error = gitFailure("fatal: unable to access 'https://deploy:hunter2@g.example/x.git/': boom", at);
    expect(JSON.stringify({ m: error.message, d: error.details })).not.toContain('hunter2');
    expect(redact('see https://a:b@h/x and ssh://git@h/y')).toBe('see https://***@h/x and ssh://***@h/y');
  });
});

describe('gitEnvironment', () => {
  it('never lets git prompt, and allows only network transports', () => {
    const env = gitEnvironment({ PATH: '/usr/bin', SSH_ASKPASS: '/usr/bin/ksshaskpass', GIT_ASKPASS: '/x' });
    expect(env).toMatchObject({
      GIT_TERMINAL_PROMPT: '0',
      GIT_ASKPASS: '',
      GIT_ALLOW_PROTOCOL: 'https:http:ssh:git',
      GIT_SSH_COMMAND: 'ssh -o BatchMode=yes',
    });
    expect(env.SSH_ASKPASS).toBeUndefined();
    expect(gitEnvironment({ GIT_SSH_COMMAND: 'ssh -i key' }).GIT_SSH_COMMAND).toBe('ssh -i key');
  });
});
