/**
 * Where the app mounts "Draw to adapt": the panel is its own chunk, loaded
 * only once image data is in use (the entry chunk has a size budget:
 * scripts/check-bundle.ts), so the sinusoid page never downloads it.
 */
import { lazy, Suspense } from 'react';
import { useAppStore } from '../../store';

const DrawPanel = lazy(() => import('./DrawPanel').then((m) => ({ default: m.DrawPanel })));

export function DrawSection() {
  const images = useAppStore((s) => s.setup.data?.imageShape !== undefined);
  if (!images) return null;
  return (
    <Suspense fallback={<p role="status">Loading the Draw to adapt panel…</p>}>
      <DrawPanel />
    </Suspense>
  );
}
