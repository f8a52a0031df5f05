import { readFileSync } from 'node:fs';
import { Errors, flush, run } from '@oclif/core';
import { packageVersion, VERSION_ARGS, versionLine } from './version-line.js';

/**
 * Entry point used by `bin/run.js`. Like oclif's `execute`, but errors that escape a command
 * (unknown command, failures before a command starts, stray async failures) are rendered in our
 * one-line format instead of oclif's boxes and stacks, and the exit status is set without cutting
 * stdout short.
 */
export async function main(rawArgv: string[], root: string): Promise<void> {
  // `--no-color` anywhere means NO_COLOR (https://no-color.org), which oclif's help honours too.
  const argv = rawArgv.filter((arg) => arg !== '--no-color');
  if (argv.length !== rawArgv.length) process.env.NO_COLOR = '1';
  if (process.env.NO_COLOR) delete process.env.FORCE_COLOR;
  const debug = argv.includes('--debug') || Boolean(process.env.DEBUG);
  const json = argv.includes('--json');
  const report = async (err: unknown): Promise<number> => {
    // Loaded on failure only: it brings the schema library, which `--version` or `--help` never need.
    const { describeError } = await import('./errors/describe-error.js');
    const described = describeError(err, {
      debug,
      helpCommand: 'provisioning --help',
      known: { commands: commandIds(root) },
    });
    if (json) process.stdout.write(`${JSON.stringify(described.json, null, 2)}\n`);
    process.stderr.write(`${described.lines.join('\n')}\n`);
    return described.exitCode;
  };
  // A failure outside the command's own promise chain would otherwise crash with Node's stack dump.
  const crash = (err: unknown) => {
    void report(err).then(
      (code) => process.exit(code),
      () => {
        process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);

  // Every registry request says who sends it (oci-client reads this key; docs/cli.md).
  (globalThis as Record<symbol, unknown>)[Symbol.for('provisioning.oci-client.user-agent')] =
    `provisioning/${packageVersion(root)}`;
  if (argv.length === 1 && VERSION_ARGS.has(argv[0] as string)) {
    process.stdout.write(`${versionLine(root)}\n`);
    return;
  }
  try {
    await run(argv, root);
    await flush();
  } catch (err) {
    process.exitCode = err instanceof Errors.ExitError ? (err.oclif.exit ?? 1) : await report(err);
  }
}

/** Command ids and topics from the oclif manifest (`oci:push`, `oci`), for "did you mean". */
function commandIds(root: string): string[] {
  try {
    const manifest = JSON.parse(readFileSync(new URL('../oclif.manifest.json', root), 'utf8')) as {
      commands: Record<string, unknown>;
    };
    const ids = Object.keys(manifest.commands);
    return [...new Set([...ids, ...ids.map((id) => id.split(':')[0] as string)])];
  } catch {
    return [];
  }
}
