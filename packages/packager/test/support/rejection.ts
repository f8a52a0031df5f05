import { ProvisioningError } from '@provisioning/schemas';

/** The ProvisioningError `promise` rejects with; fails the test if it resolves or throws anything else. */
export async function rejection(promise: Promise<unknown>): Promise<ProvisioningError> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error('expected a ProvisioningError, but the call succeeded');
  if (!(outcome.error instanceof ProvisioningError)) throw outcome.error;
  return outcome.error;
}
