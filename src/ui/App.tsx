/**
 * The main screen: the header with the views and the backend badge, the
 * notice about settings in the address that could not be used, then
 * setup (data, configuration), training (messages, controls, status, the
 * data picture, charts) and the saved sessions, and the confirmation dialog.
 * The Benchmark view (#benchmark) replaces them; they stay mounted, only
 * hidden, so coming back costs no chart mounts and loses no view state.
 *
 * Order: on a wide screen setup is on the left, training on the right and
 * the sessions under setup; the DOM order is setup, training, sessions, so
 * Tab reaches Train and the run controls before the saved sessions. On a
 * narrow screen (one column) training comes first, so Train and the
 * messages are on the first screen; the keyed blocks are moved, not
 * remounted, so nothing is lost when the width crosses the breakpoint.
 *
 * The Benchmark page is its own chunk, loaded when first shown (the entry
 * chunk has a size budget: scripts/check-bundle.ts).
 */
import { lazy, Suspense, useSyncExternalStore } from 'react';
import { AdaptationPanel } from './adaptation/AdaptationPanel';
import { ConfigPanel } from './config/ConfigPanel';
import { ChartsPanel } from './charts/ChartsPanel';
import { DataPanel } from './data/DataPanel';
import { DrawSection } from './draw/DrawSection';
import { Header } from './header/Header';
import { SessionsPanel } from './sessions/SessionsPanel';
import { ConfirmDialog } from './train/ConfirmDialog';
import { DataPreview } from './train/DataPreview';
import { Messages } from './train/Messages';
import { Notices } from './train/Notices';
import { RunStatus } from './train/RunStatus';
import { TrainControls } from './train/TrainControls';
import { useView } from './useView';
import { UrlNotice } from './url/UrlNotice';

// Its own chunk too: the search-space code (zod) would not fit the entry's budget.
const SweepPanel = lazy(() =>
  import('./sweep/SweepPanel').then((m) => ({ default: m.SweepPanel })),
);

const BenchmarkPage = lazy(() =>
  import('./benchmark/BenchmarkPage').then((m) => ({ default: m.BenchmarkPage })),
);

/** The one-column layout's breakpoint; styles.css uses the same width. */
const NARROW = '(max-width: 900px)';

function subscribeNarrow(onChange: () => void): () => void {
  const mq = window.matchMedia(NARROW);
  mq.addEventListener('change', onChange);
  return () => mq.removeEventListener('change', onChange);
}

function useNarrow(): boolean {
  return useSyncExternalStore(
    subscribeNarrow,
    () => window.matchMedia(NARROW).matches,
    () => false,
  );
}

export function App() {
  const view = useView();
  const narrow = useNarrow();
  const setup = (
    <div key="setup" className="column setup">
      <DataPanel />
      <ConfigPanel />
    </div>
  );
  const training = (
    <div key="training" className="column training">
      <section className="panel" aria-labelledby="training-h">
        <h2 id="training-h">Training</h2>
        <Messages />
        <TrainControls />
        <RunStatus />
        <Notices />
        <DataPreview />
      </section>
      <ChartsPanel />
      <AdaptationPanel />
      <DrawSection />
      <Suspense fallback={<p role="status">Loading the Sweep panel…</p>}>
        <SweepPanel />
      </Suspense>
    </div>
  );
  const sessions = (
    <div key="sessions" className="column sessions-column">
      <SessionsPanel />
    </div>
  );
  return (
    <>
      <Header view={view} />
      <UrlNotice />
      {view === 'benchmark' && (
        <Suspense fallback={<p role="status">Loading the Benchmark page…</p>}>
          <BenchmarkPage />
        </Suspense>
      )}
      <main className="layout" hidden={view !== 'training'}>
        {narrow ? [training, setup, sessions] : [setup, training, sessions]}
      </main>
      <ConfirmDialog />
    </>
  );
}
