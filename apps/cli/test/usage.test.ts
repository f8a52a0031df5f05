import { afterAll, describe, expect, it } from 'vitest';
import { expectNoStackOrBox, Sandbox } from './support/run-cli.js';

const box = new Sandbox();
afterAll(() => box.cleanup());

describe('usage errors, --version and --help', () => {
  it('an unknown flag exits 2 with one error line and a usage hint', async () => {
    const result = await box.run(['oci', 'config', '--no-such-flag']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'error: Nonexistent flag: --no-such-flag\n  hint: run "provisioning oci config --help" for usage\n',
    );
    expect(expectNoStackOrBox(result.stderr)).toEqual([]);
  });

  it('with --json the usage error is also JSON on stdout', async () => {
    const result = await box.run(['oci', 'config', '--json', '--no-such-flag']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      error: {
        code: 'USAGE_INVALID',
        kind: 'usage',
        message: 'Nonexistent flag: --no-such-flag',
        hint: 'run "provisioning oci config --help" for usage',
      },
    });
  });

  it('an unknown command exits 2 in the same format', async () => {
    const result = await box.run(['frobnicate', 'now']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^error: command "frobnicate( now)?" not found\n {2}hint: run "provisioning --help"/,
    );
    expect(expectNoStackOrBox(result.stderr)).toEqual([]);
  });

  it('a failure outside the command flow is still one internal-error line, secrets masked', async () => {
    // Throws once the CLI's handlers are installed (module loading is async: a fixed delay races).
    const late =
      'const t = setInterval(() => { if (process.listenerCount("uncaughtException") > 0) {' +
      ' clearInterval(t); throw new TypeError("late failure https://u:pw123@h/"); } }, 5)';
    const result = await box.run(['oci', 'config'], {
      nodeOptions: ['--import', `data:text/javascript,${late}`],
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: internal error: late failure https://u:***@h/\n  hint: re-run with --debug for details\n',
    );
  });

  it("usage errors keep oclif's detail in one line, in text and --json", async () => {
    const cases: [string[], string][] = [
      [['oci', 'push'], 'error: missing required arguments DIR, NAME, VERSION'],
      [['oci', 'push', 'dir'], 'error: missing required arguments NAME, VERSION'],
      [['taskserv', 'create', 'redis', '--check'], 'error: Missing required flag infra'],
      [
        ['oci-registry', 'start', '--port', '99999'],
        'error: --port: Expected an integer less than or equal to 65535 but received: 99999',
      ],
    ];
    for (const [args, line] of cases) {
      const result = await box.run(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.split('\n')).toEqual([
        line,
        expect.stringMatching(/^ {2}hint: run "provisioning .* --help" for usage$/),
        '',
      ]);
      const json = await box.run([...args, '--json']);
      expect(JSON.parse(json.stdout).error).toMatchObject({
        code: 'USAGE_INVALID',
        message: line.slice('error: '.length),
      });
    }
  });

  it('a mistyped command or flag gets a "did you mean"', async () => {
    const command = await box.run(['ocx']);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('hint: did you mean "provisioning oci"?');
    const verb = await box.run(['dep', 'reslove']);
    expect(verb.stderr).toContain('hint: did you mean "provisioning dep resolve"?');
    const flag = await box.run(['oci', 'config', '--regsitry', 'x']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('hint: did you mean --registry?');
  });

  it('oci copy usage names one destination after the sources', async () => {
    const help = await box.run(['oci', 'copy', '--help']);
    expect(help.stdout).toContain('$ provisioning oci copy SOURCE... DESTINATION [flags]');
    expect(help.stdout).not.toContain('SOURCE... DESTINATION...');
  });

  it('--version, -v and version print the core version 3.5.0 under the bin name', async () => {
    for (const arg of ['--version', '-v', 'version']) {
      const result = await box.run([arg]);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^provisioning\/3\.5\.0 linux-x64 node-v\d+/);
    }
  });

  it('--no-color and NO_COLOR turn colours off, even under FORCE_COLOR', async () => {
    const coloured = await box.run(['oci', 'push', '--help'], { env: { FORCE_COLOR: '1' } });
    expect(coloured.stdout).toContain('\u001b[');
    const flag = await box.run(['oci', 'push', '--help', '--no-color'], { env: { FORCE_COLOR: '1' } });
    const env = await box.run(['oci', 'push', '--help'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(flag.code).toBe(0);
    expect(flag.stdout).not.toContain('\u001b[');
    expect(env.stdout).not.toContain('\u001b[');
  });

  it('-h and help COMMAND print the same help as --help', async () => {
    const long = await box.run(['oci', 'push', '--help']);
    const short = await box.run(['oci', 'push', '-h']);
    const help = await box.run(['help', 'oci', 'push']);
    expect(long.stdout).toContain('$ provisioning oci push DIR NAME VERSION');
    expect(short.stdout).toBe(long.stdout);
    expect(help.stdout).toBe(long.stdout);
    expect([short.code, help.code]).toEqual([0, 0]);
  });

  it('--help lists topics and a command help lists the global flags', async () => {
    const root = await box.run(['--help']);
    expect(root.code).toBe(0);
    expect(root.stdout).toContain('TOPICS');
    expect(root.stdout).toMatch(/^ {2}oci +Push, pull, inspect/m);
    const cmd = await box.run(['oci', 'config', '--help']);
    expect(cmd.code).toBe(0);
    expect(cmd.stdout).toContain('GLOBAL FLAGS');
    for (const flag of [
      '--workspace',
      '--registry',
      '--namespace',
      '--plain-http',
      '--insecure',
      '--timeout',
      '--debug',
      '--json',
    ]) {
      expect(cmd.stdout).toContain(flag);
    }
  });
});
