/**
 * Notes the page must show rather than leave in the console (the run's
 * error is at the top of the panel, in Messages.tsx): a run that moved to
 * another backend mid-way, a backend chosen by fallback, a fused engine
 * that does not cover this run's settings (issue 16), and a worker that
 * has gone quiet for too long (the watchdog).
 */
import { useEffect, useState } from 'react';
import { useAppStore } from '../../store';
import { BACKEND_LABELS } from '../header/badge';
import { ENGINE_BACKEND_LABELS, fusedFallbackSentence } from '../../core/spec/backend';

/** Seconds without a word from the worker, during a run, before the page says so. */
const QUIET_SEC = 45;

function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    const t = setInterval(() => setNow(performance.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

function Watchdog() {
  const status = useAppStore((s) => s.run.status);
  const last = useAppStore((s) => s.run.lastEventAt);
  const now = useNow(5000);
  const quiet = (now - last) / 1000;
  const waiting = status === 'compiling' || status === 'training' || status === 'stopping';
  if (!waiting || last === 0 || quiet < QUIET_SEC) return null;
  return (
    <p className="notice notice-warn" role="status">
      No word from the training worker for {Math.round(quiet)} s.
      {status === 'compiling'
        ? ' Compiling GPU kernels can take a while on a software GPU; it will report when the first step is done.'
        : ' It may be stuck: Stop or Reset the run, or pick another backend.'}
    </p>
  );
}

export function Notices() {
  const recovery = useAppStore((s) => s.backend.recovery);
  const active = useAppStore((s) => s.backend.active);
  const fallbackReason = useAppStore((s) => s.backend.fallbackReason);
  const engine = useAppStore((s) => s.backend.engine);
  const runEngine = useAppStore((s) => s.backend.runEngine);
  const notFused =
    runEngine?.requested && runEngine.used !== runEngine.requested ? runEngine : null;
  return (
    <div className="notices">
      {notFused?.requested && (
        <p className="notice" role="status" data-testid="engine-fallback-message">
          {fusedFallbackSentence(
            notFused.requested,
            notFused.reason ?? 'not available',
            notFused.backend,
            notFused.used,
          )}
        </p>
      )}
      {recovery?.moved && active && (
        <p className="notice" role="status" data-testid="recovery-message">
          The run moved from {ENGINE_BACKEND_LABELS[recovery.from]} to{' '}
          {ENGINE_BACKEND_LABELS[engine ?? active]} at step {recovery.resumedFromStep}, with its
          weights and optimizer state.
          {fallbackReason ? ` Why not the first choice: ${fallbackReason}.` : ''}
        </p>
      )}
      {recovery && !recovery.moved && active && (
        <p className="notice notice-warn" role="status" data-testid="recovery-message">
          {ENGINE_BACKEND_LABELS[recovery.from]} failed: {recovery.reason} Training continued on{' '}
          {ENGINE_BACKEND_LABELS[engine ?? active]} from the checkpoint at step{' '}
          {recovery.resumedFromStep}.
        </p>
      )}
      {!recovery && active && active !== 'webgpu' && fallbackReason && (
        <p className="notice" data-testid="fallback-message">
          Running on {BACKEND_LABELS[active]}: {fallbackReason}.
        </p>
      )}
      <Watchdog />
    </div>
  );
}
