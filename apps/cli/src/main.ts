import { Errors, flush, run } from '@oclif/core';
import { describeError } from './errors/describe-error.js';

/**
 * Entry point used by `bin/run.js`. Like oclif's `execute`, but errors that escape a command
 * (unknown command, failures before a command starts, stray async failures) are rendered in our
 * one-line format instead of oclif's boxes and stacks, and the exit status is set without cutting
 * stdout short.
 */
export async function main(argv: string[], root: string): Promise<void> {
  const debug = argv.includes('--debug') || Boolean(process.env.DEBUG);
  const json = argv.includes('--json');
  const report = (err: unknown): number => {
    const described = describeError(err, { debug, helpCommand: 'provisioning --help' });
    if (json) process.stdout.write(`${JSON.stringify(described.json, null, 2)}\n`);
    process.stderr.write(`${described.lines.join('\n')}\n`);
    return described.exitCode;
  };
  // A failure outside the command's own promise chain would otherwise crash with Node's stack dump.
  const crash = (err: unknown) => {
    process.exit(report(err));
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);

  try {
    await run(argv, root);
    await flush();
  } catch (err) {
    process.exitCode = err instanceof Errors.ExitError ? (err.oclif.exit ?? 1) : report(err);
  }
}
