import semver from 'semver';
import { z } from 'zod';
import { digestProblem } from './digest.js';
import { isProvisioningError } from './errors.js';
import { isGitModuleReference, parseGitModuleReference } from './git-reference.js';
import { parseReference } from './reference.js';
import { configuredRegistryProblem, pathComponentProblem, repositoryProblem } from './reference-grammar.js';

/**
 * Reusable string validators for the schemas. Each refinement reports the precise reason as the
 * issue message, which the YAML loader shows next to the file position and key path.
 */

/** `pattern` only informs editors through the JSON Schema; `check` is what decides. */
function refined(check: (value: string) => string | null, description: string, pattern?: RegExp) {
  const schema = z.string().superRefine((value, ctx) => {
    const problem = check(value);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem, input: value });
  });
  return pattern === undefined
    ? schema.meta({ description })
    : schema.meta({ description, pattern: pattern.source });
}

export const nonEmptyString = (description: string) =>
  refined((v) => (v.trim() === '' ? 'must not be empty' : null), description);

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';

/**
 * The shape of a reference for editors: optional scheme, optional `host[:port]/`, a repository path,
 * an optional tag and an optional digest. The parser decides the finer rules.
 */
const REFERENCE_PATTERN = new RegExp(
  String.raw`^(?:oci://)?(?:[A-Za-z0-9.-]+(?::\d+)?/)?${COMPONENT}(?:/${COMPONENT})*(?::[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?(?:@sha(?:256:[a-f0-9]{64}|512:[a-f0-9]{128}))?$`,
);

/**
 * An OCI reference in any accepted form (`oci://` optional). Not `https://`/`http://`: those choose
 * a transport for one command, and a configured or locked reference would lose it on the next
 * install; the registry's scheme belongs to its settings (docs/oci.md, "TLS and plain HTTP").
 */
export const referenceString = (description = 'OCI reference, e.g. oci://localhost:5000/ns/name:1.0.0') =>
  refined(
    (value) => {
      try {
        const ref = parseReference(value);
        if (ref.scheme !== undefined) {
          return `"${value}": a configured reference takes no ${ref.scheme}:// (write oci:// or nothing, and set the scheme of ${ref.registry} with dependencies.registry.oci.endpoint or tls_enabled)`;
        }
        return null;
      } catch (error) {
        if (isProvisioningError(error)) return error.message;
        throw error;
      }
    },
    description,
    REFERENCE_PATTERN,
  );

/**
 * A module of `dependencies.extensions.modules`: an OCI reference as `referenceString` takes, or a
 * git module reference (`git+https://…#NAME:VERSION`, `gitea://REPO#NAME:VERSION`; docs/sources.md).
 */
export const moduleReferenceString = (
  description = 'OCI reference (e.g. kubernetes:1.28.0) or git module reference (git+https://HOST/PATH.git#NAME:VERSION, gitea://REPO#NAME:VERSION)',
) => {
  const oci = referenceString(description);
  return refined(
    (value) => {
      if (isGitModuleReference(value)) {
        try {
          parseGitModuleReference(value);
          return null;
        } catch (error) {
          if (isProvisioningError(error)) return error.message;
          throw error;
        }
      }
      const checked = oci.safeParse(value);
      return checked.success ? null : (checked.error.issues[0]?.message ?? 'invalid reference');
    },
    description,
    MODULE_REFERENCE_PATTERN,
  );
};

/** For editors: an OCI reference, or a git module reference (the parser decides the finer rules). */
const MODULE_REFERENCE_PATTERN = new RegExp(
  String.raw`^(?:${REFERENCE_PATTERN.source.slice(1, -1)}|(?:git\+(?:https|http|ssh|git)|gitea)://[^\s#]+(?:#[a-z0-9._-]+(?::v?\d+\.\d+\.\d+[0-9A-Za-z.+-]*)?)?)$`,
);

/** `host[:port]`, optionally with `http://` or `https://` in front (the seed's Harbor `endpoint`). */
export function endpointProblem(value: string): string | null {
  const match = /^(?:(https?):\/\/)?([^/]*)\/?$/i.exec(value);
  if (match === null)
    return `invalid registry endpoint "${value}": give host[:port] or https://host[:port], no path`;
  return configuredRegistryProblem(match[2]!);
}

export const registryEndpoint = (description: string) => refined(endpointProblem, description);

export const repositoryPath = (description: string) => refined(repositoryProblem, description);

export const extensionName = (description: string) =>
  refined(pathComponentProblem, description, /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/);

export const digestString = (description = 'content digest, sha256:<64 hex> or sha512:<128 hex>') =>
  refined(digestProblem, description, /^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/);

/** Strict semver (`1.28.0`); a leading `v` is refused with the fix in the message. */
export function semverProblem(value: string): string | null {
  if (/^v\d/.test(value))
    return `invalid version "${value}": write it without the leading "v" (${value.slice(1)})`;
  const parsed = semver.parse(value);
  if (parsed === null || parsed.raw !== value || !/^\d/.test(value)) {
    return `invalid version "${value}": expected semver MAJOR.MINOR.PATCH such as 1.0.0`;
  }
  if (parsed.build.length > 0) {
    return `invalid version "${value}": build metadata ("+…") cannot appear in an OCI tag`;
  }
  return null;
}

export const semverString = (description: string) =>
  refined(semverProblem, description, /^(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$/);

/** An npm-style semver range (`>=1.7.0`, `^3.5`, `1.x`). */
export function rangeProblem(value: string): string | null {
  if (value.trim() === '') return 'empty version range: write "*" to accept any version';
  if (semver.validRange(value) === null) {
    return `invalid version range "${value}": use npm semver syntax such as ">=1.7.0", "^3.5.0" or "1.x"`;
  }
  return null;
}

/** One comparator of an npm range (`>=1.7.0`, `^3.5`, `1.x`, `*`), for the editor pattern below. */
const COMPARATOR = String.raw`(?:[<>]=?|=|~>?|\^)?\s*v?(?:0|[1-9]\d*|[xX*])(?:\.(?:0|[1-9]\d*|[xX*])){0,2}(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?`;

/** Editors flag what is plainly not a range (`not a range`, `>=`); `semver.validRange` decides. */
const RANGE_PATTERN = new RegExp(String.raw`^\s*${COMPARATOR}(?:\s*(?:\|\||\s-\s|,)?\s*${COMPARATOR})*\s*$`);

export const semverRange = (description: string) => refined(rangeProblem, description, RANGE_PATTERN);
