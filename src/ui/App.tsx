/**
 * The main screen: the header with the views and the backend badge, the
 * notice about settings in the address that could not be used, then
 * two columns — setup on the left (data, configuration), training on the
 * right (controls, status, notices, charts) — and the confirmation dialog.
 * The Benchmark view (#benchmark) replaces the columns; they stay mounted,
 * only hidden, so coming back costs no chart mounts and loses no view state.
 * The Benchmark page is its own chunk, loaded when first shown (the entry
 * chunk has a size budget: scripts/check-bundle.ts).
 */
import { lazy, Suspense } from 'react';
import { AdaptationPanel } from './adaptation/AdaptationPanel';
import { ConfigPanel } from './config/ConfigPanel';
import { ChartsPanel } from './charts/ChartsPanel';
import { DataPanel } from './data/DataPanel';
import { Header } from './header/Header';
import { SessionsPanel } from './sessions/SessionsPanel';
import { ConfirmDialog } from './train/ConfirmDialog';
import { Notices } from './train/Notices';
import { RunStatus } from './train/RunStatus';
import { TrainControls } from './train/TrainControls';
import { useView } from './useView';
import { UrlNotice } from './url/UrlNotice';

const BenchmarkPage = lazy(() =>
  import('./benchmark/BenchmarkPage').then((m) => ({ default: m.BenchmarkPage })),
);

export function App() {
  const view = useView();
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
        <div className="column setup">
          <DataPanel />
          <ConfigPanel />
          <SessionsPanel />
        </div>
        <div className="column training">
          <section className="panel" aria-labelledby="training-h">
            <h2 id="training-h">Training</h2>
            <TrainControls />
            <RunStatus />
            <Notices />
          </section>
          <ChartsPanel />
          <AdaptationPanel />
        </div>
      </main>
      <ConfirmDialog />
    </>
  );
}
