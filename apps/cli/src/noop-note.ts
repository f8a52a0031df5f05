/**
 * How `dep resolve` tells the no-op answer recorder (noop-replay.ts) that its light path found
 * nothing to do. The recorder is built on its own, outside the CLI's bundle (it runs before the
 * bundle loads), so the two meet at a global symbol rather than a shared module. No imports: the
 * resolve command must not load more than its light path.
 */

/** What the recorder keeps between `bin/run.js` and the command. */
export interface NoopRecording {
  noted?: { root: string; inputs: string[] };
}

const RECORDING = Symbol.for('provisioning.cli.noop-recording');

type WithRecording = { [RECORDING]?: NoopRecording };

export function setNoopRecording(recording: NoopRecording | undefined): void {
  (globalThis as WithRecording)[RECORDING] = recording;
}

export function noopRecording(): NoopRecording | undefined {
  return (globalThis as WithRecording)[RECORDING];
}

/** Called by `dep resolve` when its light path found nothing to do, with the files it read. */
export function noteNoopAnswer(root: string, inputs: string[]): void {
  const recording = noopRecording();
  if (recording) recording.noted = { root, inputs };
}
