/**
 * A value that follows its source at most once per `everyMs`, `offsetMs`
 * after the interval opens, and is applied in a React transition.
 *
 * Why: when a software GPU (SwiftShader) keeps both cores busy, every
 * main-thread millisecond stretches several-fold. Each chart therefore
 * redraws at most a few times a second, each at its own offset, so no two
 * charts share a commit and no single main-thread task approaches 50 ms. The latest value
 * always arrives: the last change in an interval is applied at its end.
 */
import { startTransition, useEffect, useRef, useState } from 'react';

export function useThrottled<T>(value: T, everyMs: number, offsetMs = 0): T {
  const [shown, setShown] = useState(value);
  const latest = useRef(value);
  const last = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    latest.current = value;
    if (timer.current !== null) return;
    const wait = Math.max(0, last.current + everyMs - performance.now()) + offsetMs;
    timer.current = setTimeout(() => {
      timer.current = null;
      last.current = performance.now();
      startTransition(() => setShown(latest.current));
    }, wait);
  }, [value, everyMs, offsetMs]);
  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );
  return shown;
}
