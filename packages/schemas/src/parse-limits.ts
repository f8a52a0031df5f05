import { ProvisioningError } from './errors.js';

/**
 * Bounds checked on raw YAML or JSON text before any parser or recursive walk sees it
 * (docs/configuration.md, "Size and nesting limits"). Deeply nested input would otherwise overflow
 * the stack of the parser, of `toJS`, of schema validation or of `JSON.stringify`; aliases expand
 * without bound ("billion laughs"); and parse time grows with size.
 */
export interface ParseLimits {
  /** Largest accepted input, in bytes (UTF-8). */
  maxBytes: number;
  /** Deepest accepted nesting of mappings, sequences and flow collections. */
  maxDepth: number;
  /** Most alias nodes (`*name`) accepted in one YAML document. */
  maxAliases: number;
}

/**
 * Configuration files (`provisioning.yaml`, `$PROVISIONING_HOME/config.yaml`, lockfiles) and an
 * extension's data files (`defaults.yaml`, `tests/*.test.yaml`).
 */
export const CONFIG_PARSE_LIMITS: Readonly<ParseLimits> = Object.freeze({
  maxBytes: 1024 * 1024,
  maxDepth: 64,
  maxAliases: 100,
});

/**
 * An extension's `manifest.yaml`: about a kilobyte in practice and read from other people's
 * artifacts, so the bound is tight; at 16 KiB the worst malformed input is rejected in tens of ms.
 */
export const MANIFEST_PARSE_LIMITS: Readonly<ParseLimits> = Object.freeze({
  maxBytes: 16 * 1024,
  maxDepth: 64,
  maxAliases: 100,
});

/** OCI manifests and index files (JSON): the distribution spec's 4 MiB, shallow by nature. */
export const JSON_MANIFEST_PARSE_LIMITS: Readonly<ParseLimits> = Object.freeze({
  maxBytes: 4 * 1024 * 1024,
  maxDepth: 64,
  maxAliases: 0,
});

/** `INPUT_TOO_LARGE` (kind input): `subject` names the file or reference. */
export function inputTooLarge(subject: string, bytes: number, limit: number): ProvisioningError {
  return new ProvisioningError(
    'INPUT_TOO_LARGE',
    `${subject} is ${bytes} bytes, larger than the ${limit}-byte limit`,
    {
      kind: 'input',
      hint: `check that ${subject} is what it should be; inputs this large are refused unparsed`,
      details: { subject, bytes, limit },
    },
  );
}

/** `INPUT_TOO_DEEP` (kind input), with the 1-based line where the limit was crossed when known. */
export function inputTooDeep(subject: string, limit: number, line?: number): ProvisioningError {
  const at = line === undefined ? '' : ` at line ${line}`;
  return new ProvisioningError('INPUT_TOO_DEEP', `${subject} is nested more than ${limit} levels deep${at}`, {
    kind: 'input',
    hint: `flatten the structure of ${subject}; deeper nesting is refused unparsed`,
    details: { subject, limit, ...(line === undefined ? {} : { line }) },
  });
}

/** `INPUT_TOO_MANY_ALIASES` (kind input). */
export function inputTooManyAliases(subject: string, limit: number): ProvisioningError {
  return new ProvisioningError(
    'INPUT_TOO_MANY_ALIASES',
    `${subject} uses more than ${limit} YAML aliases (*name)`,
    {
      kind: 'input',
      hint: `write the values out in ${subject}; so many aliases are refused (they can expand without bound)`,
      details: { subject, limit },
    },
  );
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_SQUARE = 0x5b;
const OPEN_CURLY = 0x7b;
const CLOSE_SQUARE = 0x5d;
const CLOSE_CURLY = 0x7d;

/**
 * Refuses JSON bytes or text that are too large or nested too deeply, without parsing: one pass
 * over the brackets outside strings. The bytes `"`, `\`, `[`, `]`, `{`, `}` never occur inside a
 * multi-byte UTF-8 sequence, so bytes and text scan alike. Syntax errors are left to `JSON.parse`.
 */
export function checkJsonLimits(
  input: string | Uint8Array,
  subject: string,
  limits: Readonly<ParseLimits> = JSON_MANIFEST_PARSE_LIMITS,
): void {
  const bytes = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (bytes > limits.maxBytes) throw inputTooLarge(subject, bytes, limits.maxBytes);
  const at: (i: number) => number =
    typeof input === 'string' ? (i) => input.charCodeAt(i) : (i) => input[i] as number;
  const length = input.length;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < length; i++) {
    const c = at(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_SQUARE || c === OPEN_CURLY) {
      if (++depth > limits.maxDepth) throw inputTooDeep(subject, limits.maxDepth);
    } else if ((c === CLOSE_SQUARE || c === CLOSE_CURLY) && depth > 0) {
      depth--;
    }
  }
}

/** `JSON.parse` after `checkJsonLimits`: limit errors are `ProvisioningError`s, syntax errors `SyntaxError`s. */
export function parseJsonWithinLimits(
  input: string | Uint8Array,
  subject: string,
  limits: Readonly<ParseLimits> = JSON_MANIFEST_PARSE_LIMITS,
): unknown {
  checkJsonLimits(input, subject, limits);
  return JSON.parse(typeof input === 'string' ? input : Buffer.from(input).toString('utf8'));
}
