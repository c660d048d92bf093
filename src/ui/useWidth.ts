/** The element's content width, kept current by one ResizeObserver (0 until its first report). */
import { useLayoutEffect, useRef, useState, type RefObject } from 'react';

export function useWidth<T extends HTMLElement>(): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    // No clientWidth read here: in a commit that reads it the browser lays out
    // the whole page at once (40–65 ms tasks in a sweep's trace, when the
    // parallel plot's box appeared); the observer's first callback brings the
    // width from the next regular layout instead.
    const ro = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? 0);
      setWidth((old) => (old === w ? old : w));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}
