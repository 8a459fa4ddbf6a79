import cliProgress from 'cli-progress';

/** A progress bar on stderr; a no-op when stderr is not a terminal or output is JSON. */
export interface Progress {
  update(done: number, payload?: Record<string, string>): void;
  stop(): void;
}

export function progressBar(o: { total: number; label: string; enabled: boolean; detail?: boolean }): Progress {
  if (!o.enabled || !process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${o.label} [{bar}] {value}/{total} {percentage}% | ETA {eta_formatted}${o.detail ? ' | {detail}' : ''}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(o.total, 0, { detail: '' });
  return {
    update: (done, payload) => bar.update(done, payload ?? {}),
    stop: () => bar.stop(),
  };
}
