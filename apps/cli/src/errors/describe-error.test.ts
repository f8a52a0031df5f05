import { Errors } from '@oclif/core';
import { ProvisioningError } from '@provisioning/schemas';
import { describe, expect, it } from 'vitest';
import { describeError } from './describe-error.js';

const opts = { debug: false, helpCommand: 'provisioning oci config --help' };

describe('describeError', () => {
  it('renders a ProvisioningError as error + hint with its exit code and JSON body', () => {
    const err = new ProvisioningError('NETWORK_ERROR', 'cannot reach reg.example:5000', {
      kind: 'network',
      hint: 'check the registry address',
      details: { registry: 'reg.example:5000' },
    });
    const d = describeError(err, opts);
    expect(d.lines).toEqual(['error: cannot reach reg.example:5000', '  hint: check the registry address']);
    expect(d.exitCode).toBe(3);
    expect(d.json).toEqual({
      error: {
        code: 'NETWORK_ERROR',
        kind: 'network',
        message: 'cannot reach reg.example:5000',
        hint: 'check the registry address',
        registry: 'reg.example:5000',
      },
    });
  });

  it('keeps every line of a multi-line message and includes problems in JSON', () => {
    const err = Object.assign(
      new ProvisioningError('CONFIG_INVALID', 'a.yaml:1:1: x: bad\na.yaml:2:1: y: bad'),
      {
        problems: [{ file: 'a.yaml', line: 1 }],
      },
    );
    const d = describeError(err, opts);
    expect(d.lines).toEqual(['error: a.yaml:1:1: x: bad', 'a.yaml:2:1: y: bad']);
    expect(d.json.error.problems).toEqual([{ file: 'a.yaml', line: 1 }]);
    expect(d.exitCode).toBe(1);
  });

  it('recognises a ProvisioningError from another copy of the schemas package by its brand', () => {
    class ForeignError extends Error {
      constructor(message: string) {
        super(message);
        // what every copy of ProvisioningError carries (docs/architecture.md, "Error model")
        Object.defineProperty(this, Symbol.for('provisioning.error'), { value: true });
      }
      code = 'FOREIGN';
      kind = 'registry';
      exitCode = 3;
      hint = 'try again';
      toJSON() {
        return { code: this.code, kind: this.kind, message: this.message, hint: this.hint };
      }
    }
    const d = describeError(new ForeignError('registry said no'), opts);
    expect(d.lines).toEqual(['error: registry said no', '  hint: try again']);
    expect(d.exitCode).toBe(3);
    expect(d.json.error.code).toBe('FOREIGN');
    // the same shape without the brand is not taken on trust
    const unbranded = Object.assign(new Error('looks alike'), { code: 'X', kind: 'input', exitCode: 1 });
    expect(describeError(unbranded, opts).lines[0]).toBe('error: internal error: looks alike');
  });

  it('treats oclif parse errors as usage errors (exit 2)', () => {
    const err = Object.assign(new Errors.CLIError('Nonexistent flag: --nope\nSee more help with --help'), {
      parse: {},
    });
    const d = describeError(err, opts);
    expect(d.lines).toEqual([
      'error: Nonexistent flag: --nope',
      '  hint: run "provisioning oci config --help" for usage',
    ]);
    expect(d.exitCode).toBe(2);
    expect(d.json.error.code).toBe('USAGE_INVALID');
  });

  it('reports unexpected errors as internal, stack only in debug mode, secrets redacted', () => {
    const err = new TypeError('boom at https://bob:pw123@reg.example/');
    const plain = describeError(err, opts);
    expect(plain.lines).toEqual([
      'error: internal error: boom at https://bob:***@reg.example/',
      '  hint: re-run with --debug for details',
    ]);
    expect(plain.lines.some((l) => l.includes('    at '))).toBe(false);
    expect(plain.exitCode).toBe(1);
    const debug = describeError(err, { ...opts, debug: true });
    expect(debug.lines.some((l) => l.startsWith('    at '))).toBe(true);
    expect(debug.lines.join('\n')).not.toContain('pw123');
  });
});
