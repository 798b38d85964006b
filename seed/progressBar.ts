/**
 * A terminal progress bar on stderr: redrawn at most ten times a second on a TTY; on a pipe or in CI,
 * one line per tenth of each phase so logs stay short.
 */
export interface ProgressBar {
  update: (done: number, total: number, phase: string) => void;
  done: () => void;
}

export function createProgressBar(stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  const started = Date.now();
  let lastDraw = 0;
  let lastPhase = '';
  let lastTenth = -1;
  const tty = stream.isTTY === true;
  return {
    update(done, total, phase) {
      const now = Date.now();
      const fraction = total > 0 ? Math.min(1, done / total) : 1;
      if (tty) {
        if (now - lastDraw < 100 && done < total && phase === lastPhase) return;
        lastDraw = now;
        if (phase !== lastPhase && lastPhase) stream.write('\n');
        lastPhase = phase;
        const width = 30;
        const filled = Math.round(fraction * width);
        const secs = (now - started) / 1000;
        const rate = secs > 0 ? Math.round(done / secs) : 0;
        stream.write(
          `\r${phase.padEnd(10)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${done}/${total} ${secs.toFixed(1)}s ${rate}/s   `,
        );
        return;
      }
      const tenth = Math.floor(fraction * 10);
      if (phase !== lastPhase) {
        lastPhase = phase;
        lastTenth = -1;
      }
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      stream.write(`${phase}: ${(fraction * 100).toFixed(0)}% (${done}/${total}) after ${((now - started) / 1000).toFixed(1)}s\n`);
    },
    done() {
      if (tty && lastPhase) stream.write('\n');
    },
  };
}
