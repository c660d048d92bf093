/**
 * The CLI's live progress bar on stderr (cli-progress), fed by TrainEvents:
 * step, steps/s, ETA and the latest losses. Silent when stderr is not a TTY
 * except for one line every few seconds, so logs stay readable in CI. A loss
 * that is not a finite number is printed as "diverged", never as NaN.
 */
import cliProgress from 'cli-progress';
import type { TrainEvent } from '../core/spec/events';

/** A loss for the bar: 4 significant digits, or "diverged" — never NaN or Infinity. */
export function progressNumber(v: number): string {
  return Number.isFinite(v) ? v.toPrecision(4) : 'diverged';
}

export function progressReporter(
  label: string,
  total: number,
): { onEvent: (e: TrainEvent) => void; stop: () => void } {
  const tty = Boolean(process.stderr.isTTY);
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {value}/{total} | {sps} steps/s | ETA {eta_formatted} | loss {loss} | val {val}`,
      barsize: 24,
      hideCursor: tty,
      noTTYOutput: !tty,
      notTTYSchedule: 5000,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { sps: '-', loss: '-', val: '-' });
  const fmt = progressNumber;
  return {
    onEvent(e) {
      if (e.type === 'progress')
        bar.update(e.step, { sps: e.stepsPerSec.toFixed(1), loss: fmt(e.lastLoss) });
      else if (e.type === 'validation') bar.update({ val: fmt(e.point.metric) });
      else if (e.type === 'done') bar.update(e.step);
    },
    stop() {
      bar.stop();
    },
  };
}
