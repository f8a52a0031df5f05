import { ResolverError } from './resolver-error.js';

/**
 * Version solving proved that no set of versions satisfies every requirement. `explanation` is
 * the full derivation in plain English (one fact per line), `incompatibility` the root of the
 * derivation graph for programmatic inspection.
 */
export class SolveError extends ResolverError {
  override readonly name = 'SolveError';
  readonly explanation: string;
  readonly incompatibility: unknown;

  constructor(explanation: string, incompatibility: unknown, hint?: string) {
    super('RESOLUTION_FAILED', 'version solving failed', {
      kind: 'input',
      hint:
        hint ??
        'Read the explanation: relax the ranges it names in config/provisioning.yaml, or publish versions that satisfy them.',
      details: { explanation },
    });
    this.explanation = explanation;
    this.incompatibility = incompatibility;
  }
}
