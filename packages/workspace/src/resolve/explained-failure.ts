/**
 * The solver's `SolveError` keeps its derivation in `explanation` and says only "version solving
 * failed" in `message`. Front ends that print messages (the CLI) want the derivation in the message:
 * this rewraps it, keeping code, kind, hint and details.
 */
import { isProvisioningError, ProvisioningError } from '@provisioning/schemas';

export function explainSolveFailure(err: unknown): unknown {
  if (!isProvisioningError(err) || err.code !== 'RESOLUTION_FAILED') return err;
  const explanation = (err as ProvisioningError & { explanation?: unknown }).explanation;
  if (typeof explanation !== 'string' || explanation === '') return err;
  return new ProvisioningError('RESOLUTION_FAILED', `version solving failed:\n${explanation}`, {
    kind: err.kind,
    ...(err.hint ? { hint: err.hint } : {}),
    cause: err,
    details: err.details,
  });
}

/** Await `work`, turning a solver failure into an error whose message carries the explanation. */
export async function withSolveExplanation<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    throw explainSolveFailure(err);
  }
}
