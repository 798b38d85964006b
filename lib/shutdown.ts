/** Runs the closers once on SIGTERM or SIGINT, then exits; a second signal exits at once. */
export function onShutdown(...closers: (() => Promise<void>)[]): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`${signal}: shutting down`);
    const results = await Promise.allSettled(closers.map((c) => c()));
    const failed = results.filter((r) => r.status === 'rejected');
    for (const f of failed) console.error((f as PromiseRejectedResult).reason);
    process.exit(failed.length ? 1 : 0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
