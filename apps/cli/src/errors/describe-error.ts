import { Errors } from '@oclif/core';
import { asFileSystemError, closestMatch, isProvisioningError, snakeCaseKeys } from '@provisioning/schemas';
import { redactSecrets, redactValue } from './redact.js';

/** What the CLI prints for a failed command: stderr lines, the `--json` body and the exit status. */
export interface DescribedError {
  /** Lines for stderr, without trailing newlines. */
  lines: string[];
  /** Body printed on stdout with `--json`: `{"error": {code, message, hint, …details}}`. */
  json: { error: Record<string, unknown> };
  exitCode: number;
}

export interface DescribeOptions {
  /** Append stack traces (and causes). Only with `--debug` or `DEBUG`. */
  debug: boolean;
  /** How to get help for the failing command, e.g. `provisioning oci config --help`. */
  helpCommand: string;
  /** Known names, for "did you mean" on a mistyped flag or command. */
  known?: { flags?: readonly string[]; commands?: readonly string[] };
}

/** True for errors oclif's parser raises: unknown flag, missing argument, bad option value. */
export function isUsageError(err: unknown): err is Errors.CLIError {
  return err instanceof Errors.CLIError && 'parse' in err;
}

/** oclif's message for an id that matches no command. */
function isCommandNotFound(err: unknown): err is Errors.CLIError {
  return err instanceof Errors.CLIError && /^command .+ not found$/.test(err.message);
}

export function describeError(err: unknown, options: DescribeOptions): DescribedError {
  // a full disk or a read-only mount is the environment, not a bug, wherever it surfaced
  const described = classify(asFileSystemError(err), options);
  if (options.debug) described.lines.push(...debugLines(err));
  return {
    lines: described.lines.map(redactSecrets),
    json: snakeCaseKeys(redactValue(described.json)) as DescribedError['json'],
    exitCode: described.exitCode,
  };
}

function classify(err: unknown, { helpCommand, known }: DescribeOptions): DescribedError {
  if (isProvisioningError(err)) {
    const lines = messageLines(err.message);
    if (err.hint) lines.push(`  hint: ${err.hint}`);
    const problems = (err as { problems?: unknown }).problems;
    const json = { ...err.toJSON(), ...(Array.isArray(problems) ? { problems } : {}) };
    return { lines, json: { error: json }, exitCode: err.exitCode };
  }
  if (isUsageError(err) || isCommandNotFound(err) || isFlagParseFailure(err)) {
    // oclif names unknown commands by internal id (`oci:config:extra`); show them as typed.
    const message = usageMessage(err).replace(
      /^command (.+) not found$/,
      (_, id: string) => `command "${id.replaceAll(':', ' ')}" not found`,
    );
    const guess = didYouMean(err, known);
    const hint = guess
      ? `did you mean ${guess}? (run "${helpCommand}" for usage)`
      : `run "${helpCommand}" for usage`;
    return {
      lines: [`error: ${message}`, `  hint: ${hint}`],
      json: { error: { code: 'USAGE_INVALID', kind: 'usage', message, hint } },
      exitCode: 2,
    };
  }
  if (err instanceof Errors.CLIError) {
    // Raised on purpose through `this.error()`: a user-facing message, not a bug.
    const exitCode = typeof err.oclif?.exit === 'number' ? err.oclif.exit : 1;
    const lines = messageLines(err.message);
    return {
      lines,
      json: { error: { code: 'COMMAND_FAILED', kind: 'input', message: err.message } },
      exitCode,
    };
  }
  const message = err instanceof Error ? err.message || err.name : String(err);
  const hint = 're-run with --debug for details';
  return {
    lines: [`error: internal error: ${firstLine(message)}`, `  hint: ${hint}`],
    json: { error: { code: 'INTERNAL', kind: 'internal', message, hint } },
    exitCode: 1,
  };
}

/** The closest known flag or command to what was mistyped, as the user would type it. */
function didYouMean(err: Errors.CLIError, known: DescribeOptions['known']): string | undefined {
  const flag = /^Nonexistent flags?: --([\w-]+)/.exec(err.message)?.[1];
  if (flag !== undefined && known?.flags) {
    const match = closestMatch(flag, known.flags);
    return match === undefined ? undefined : `--${match}`;
  }
  const command = /^command (.+) not found$/.exec(firstLine(err.message))?.[1];
  if (command !== undefined && known?.commands) {
    const match = closestMatch(command, known.commands);
    return match === undefined ? undefined : `"provisioning ${match.replaceAll(':', ' ')}"`;
  }
  return undefined;
}

/** A flag's own `parse` threw (`--port 99999`): oclif wraps it as `Parsing --port \n\tExpected …`. */
function isFlagParseFailure(err: unknown): err is Errors.CLIError {
  return err instanceof Errors.CLIError && /^Parsing --[\w-]+/.test(err.message);
}

/**
 * oclif's usage errors in one line, detail kept: its multi-line lists (missing arguments, failed
 * flag validations) are joined, its colours and "See more help with --help" dropped (our hint says it).
 */
function usageMessage(err: Errors.CLIError): string {
  const missing = (err as { args?: { name: string }[] }).args;
  if (err.constructor.name === 'RequiredArgsError' && Array.isArray(missing) && missing.length > 0) {
    const names = missing.map((a) => a.name.toUpperCase()).join(', ');
    return `missing required argument${missing.length === 1 ? '' : 's'} ${names}`;
  }
  const lines = err.message
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && line !== 'See more help with --help');
  const [first = '', ...rest] = lines;
  const parsing = /^Parsing (--[\w-]+)$/.exec(first);
  if (parsing) return `${parsing[1]}: ${rest.join('; ')}`;
  if (/^The following errors? occurred:$/.test(first)) return rest.join('; ');
  return rest.length === 0 ? first : `${first.replace(/:$/, '')}: ${rest.join('; ')}`;
}

function messageLines(message: string): string[] {
  const [first = '', ...rest] = message.split('\n');
  return [`error: ${first}`, ...rest];
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? '';
}

/** Stack of the error and of each `cause`, for `--debug`. */
function debugLines(err: unknown): string[] {
  const lines: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    lines.push(...(depth === 0 ? ['', 'debug:'] : ['caused by:']), ...(current.stack ?? '').split('\n'));
    current = current.cause;
  }
  return lines;
}
