/**
 * A document for React and recharts inside the chart worker. A worker has
 * no DOM, and recharts 3 cannot render to a string (its layout lives in a
 * store filled by effects after the first commit, so server rendering gives
 * an empty wrapper), so the worker renders into linkedom's document and
 * serializes the result. linkedom has no layout: the few measuring calls
 * recharts makes get zero sizes, which is why every drawing fixes its own
 * margins, axis sizes and ticks (drawings.tsx).
 *
 * Must run before react-dom and recharts are evaluated: both look for a
 * window when their modules load.
 */
import { parseHTML } from 'linkedom/worker';

const ZERO_RECT = { x: 0, y: 0, width: 0, height: 0, top: 0, left: 0, right: 0, bottom: 0 };

export function installDom(): Document {
  const { window, document } = parseHTML('<!doctype html><html><head></head><body></body></html>');
  // linkedom's window lacks the timers and measuring calls React and recharts
  // reach for. In a browser worker it falls back to the worker's scope, which
  // already has the timers and a read-only location: fill only what is missing.
  const w = window as unknown as Record<string, unknown>;
  const fill = (name: string, value: unknown) => {
    if (w[name] === undefined) w[name] = value;
  };
  fill('setTimeout', setTimeout);
  fill('clearTimeout', clearTimeout);
  fill('requestAnimationFrame', (f: (t: number) => void) =>
    setTimeout(() => f(performance.now()), 0),
  );
  fill('cancelAnimationFrame', clearTimeout);
  fill('getComputedStyle', () => ({ getPropertyValue: () => '' }));
  fill('location', { protocol: 'https:', href: 'https://chart.worker/' });
  const proto = (window as unknown as { Element: { prototype: Record<string, unknown> } }).Element
    .prototype;
  proto.getBoundingClientRect = () => ZERO_RECT;
  const g = globalThis as unknown as Record<string, unknown>;
  g.window = window;
  g.document = document;
  // Node before 21 (the unit tests) has no navigator; a worker has its own.
  if (!('navigator' in g)) g.navigator = { userAgent: 'chart worker' };
  for (const name of ['HTMLElement', 'Element', 'Node', 'SVGElement', 'Event', 'CustomEvent'])
    if (!(name in g) && name in w) g[name] = w[name];
  return document as unknown as Document;
}
