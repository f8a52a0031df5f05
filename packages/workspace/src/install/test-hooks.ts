/**
 * Crash-test hook: with `PROVISIONING_TEST_PAUSE_AT=<step>` the install stops at that step, prints
 * `paused at <step>` on stderr and waits, so a test can SIGKILL the process at a precise point and
 * check the workspace is either as before or as after. Inert unless the variable is set.
 */
export async function pausePoint(step: string): Promise<void> {
  const wanted = process.env.PROVISIONING_TEST_PAUSE_AT;
  if (!wanted) return;
  if (!wanted.split(',').includes(step)) return;
  process.stderr.write(`paused at ${step}\n`);
  await new Promise<void>(() => {
    // never resolves; the keep-alive timer holds the event loop until the test kills us
    setInterval(() => {}, 60_000);
  });
}
