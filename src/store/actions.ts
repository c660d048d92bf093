/**
 * What the person can do, as plain functions over a store and a port to the
 * worker: no React, so tests call them with a fake port and read the store.
 *
 * Invariants: a change that would throw away a run (configuration, dataset)
 * while one exists is not applied but parked in `setup.pending` until
 * confirmPending() or cancelPending(). A backend change throws nothing away:
 * the worker moves a run in progress there from a fresh checkpoint, and a
 * stopped run's weights stay kept for Train to continue. Train after Stop continues the
 * stopped run when only the number of meta-steps changed; otherwise it starts
 * afresh and clears the curves.
 */
import { softwareGpuReason } from '../core/spec/backend';
import { IMAGE_PROBE_REASON, isImageConfig } from '../bench/probe';
import { builtinHasImages, builtinLoadsAsync, type BuiltinName } from '../core/spec/builtin';
import {
  backboneOf,
  defaultsFor,
  filtersOf,
  type AlgorithmName,
  type TrainConfig,
} from '../core/spec/config';
import { configForData, configForFamily } from './family-config';
import type { BackendPick, ImageUpload, WorkerEvent } from '../worker/protocol';
import type { TrainingPort } from '../worker/client';
import { clampToLimits, editRoles, type RoleEdit } from './data-slice';
import { applyEvents } from './reduce';
import { busyWith, type BenchActions } from './bench-actions';
import {
  hasRun,
  initialHistory,
  initialProbe,
  initialRun,
  isActive,
  type AppState,
  type PendingChange,
  type Store,
} from './slices';

/** Same run settings apart from the number of meta-steps (which may grow to continue). */
export function continuable(a: TrainConfig, b: TrainConfig): boolean {
  const strip = (c: TrainConfig) => JSON.stringify({ ...c, metaSteps: 0 });
  return strip(a) === strip(b);
}

/** Same values field by field (the order of the keys may differ: sessions, URL, defaults). */
function sameConfig(a: TrainConfig, b: TrainConfig): boolean {
  const keys = Object.keys(a) as (keyof TrainConfig)[];
  return (
    keys.length === Object.keys(b).length &&
    keys.every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]))
  );
}

/** The data trained on is an upload (CSV or images), not the family selected. */
const uploadInUse = (s: AppState) => s.csv.inUse || s.images.inUse;

/** The probe's part of the actions; absent in tests that do not exercise it. */
type ProbeHooks = Pick<BenchActions, 'probe' | 'cancelProbe' | 'reprobeIfStale'>;

export function createActions(
  store: Store,
  port: TrainingPort,
  now = () => performance.now(),
  probe?: ProbeHooks,
) {
  const get = store.getState;
  const patch = (f: (s: AppState) => AppState) => store.setState(f(get()), true);

  function receive(events: readonly WorkerEvent[]): void {
    patch((s) => applyEvents(s, events, now()));
    probeSoftwareGpu(events);
  }

  /**
   * "Best available" trusts WebGPU only on a real GPU: on a software one
   * (SwiftShader, llvmpipe, a fallback adapter) it runs the timed probe once
   * and trains on the winner, and the badge says why. Image tasks (Conv-4)
   * are always probed, on a conv step: which backend runs a conv net
   * fastest depends on the machine more than the MLP's answer does.
   */
  function probeSoftwareGpu(events: readonly WorkerEvent[]): void {
    const s = get();
    if (!probe || s.backend.requested !== 'auto' || s.backend.probe.phase !== 'idle') return;
    const ready = events.findLast((e) => e.type === 'ready');
    if (ready?.type !== 'ready' || ready.recovery) return;
    if (isImageConfig(s.setup.config)) {
      void probe.probe(IMAGE_PROBE_REASON);
      return;
    }
    if (ready.backend !== 'webgpu') return;
    const why = softwareGpuReason(ready.adapterInfo);
    if (why) void probe.probe(why);
  }

  /** Starts the worker; `config` and `family` (from the address) replace the defaults. */
  function init(opts: {
    backend: BackendPick;
    hideWebgpu: boolean;
    config?: TrainConfig;
    family?: BuiltinName;
  }): void {
    patch((s) => ({
      ...s,
      backend: { ...s.backend, requested: opts.backend, hideWebgpu: opts.hideWebgpu },
      setup: {
        ...s.setup,
        config: opts.config ?? s.setup.config,
        family: opts.family ?? s.setup.family,
      },
    }));
    // "Fastest" starts the worker on the usual order; the probe's winner replaces it.
    const first = opts.backend === 'fastest' ? 'auto' : opts.backend;
    port.send({ type: 'init', backend: first, hideWebgpu: opts.hideWebgpu });
    loadFamily(get().setup.family);
    if (opts.backend === 'fastest') void probe?.probe();
  }

  function train(): void {
    const s = get();
    if (isActive(s.run.status) || s.run.status === 'starting' || busyWith(s) !== null) return;
    // A shared session is never retrained in place: sessionActions().saveCopyAndTrain() copies it first.
    if (s.sessions.current?.readOnly) return;
    const config = s.setup.config;
    const continueRun =
      s.run.status === 'stopped' &&
      s.setup.runConfig !== null &&
      continuable(s.setup.runConfig, config) &&
      config.metaSteps > s.run.step;
    patch((st) => ({
      ...st,
      setup: { ...st.setup, runConfig: config },
      run: {
        ...(continueRun ? st.run : initialRun),
        status: 'compiling',
        compilingMessage: 'Starting the run…',
        error: null,
        doneReason: null,
        totalSteps: config.metaSteps,
        memory: { first: null, last: null, peak: 0 },
        lastEventAt: now(),
      },
      history: continueRun ? st.history : { ...initialHistory, metric: st.history.metric },
    }));
    port.send({ type: 'train', config, continueRun });
  }

  const pause = () => port.send({ type: 'pause' });
  const resume = () => port.send({ type: 'resume' });
  /**
   * Stop. During the first step's kernel compile the worker's thread is busy
   * for seconds (12 s on SwiftShader) and would only see Stop afterwards; at
   * step 0 nothing is trained yet, so a fresh worker is started instead and
   * Stop acts at once. Only when the worker holds nothing else worth keeping:
   * a built-in family (an uploaded CSV lives in the worker) and no session on screen.
   */
  function stop(): void {
    const s = get();
    const compilingFirst = s.run.status === 'compiling' && s.run.step === 0;
    const builtin = !s.csv.inUse && s.setup.data?.limits === undefined;
    if (!port.restart || !compilingFirst || !builtin || s.sessions.current !== null) {
      port.send({ type: 'stop' });
      return;
    }
    port.restart();
    patch((st) => ({
      ...st,
      setup: { ...st.setup, runConfig: null },
      run: { ...initialRun, lastEventAt: now() },
      history: { ...initialHistory, metric: st.history.metric },
      backend: { ...st.backend, active: null, recovery: null },
    }));
    port.send({
      type: 'init',
      backend: s.backend.engine ?? s.backend.active ?? 'auto',
      hideWebgpu: s.backend.hideWebgpu,
    });
    port.send({ type: 'load-data', data: { kind: 'builtin', name: s.setup.family } });
  }

  /** Forgets the run and its curves; the configuration stays. */
  function reset(): void {
    patch((s) => ({
      ...s,
      setup: { ...s.setup, runConfig: null },
      run: { ...initialRun, status: 'idle', lastEventAt: s.run.lastEventAt, resetting: true },
      history: { ...initialHistory, metric: s.history.metric },
      backend: { ...s.backend, recovery: null, runEngine: null },
    }));
    port.send({ type: 'reset' });
  }

  /**
   * Asks the worker for a built-in family; one with an asset (Omniglot) shows
   * its download in `setup.load`, which keeps what was in use to restore if
   * the load fails (reduce.ts, data-failed).
   */
  function loadFamily(family: BuiltinName, previous = get().setup): void {
    const load = builtinLoadsAsync(family)
      ? {
          family,
          loaded: 0,
          total: null,
          previous: { family: previous.family, data: previous.data, config: previous.config },
        }
      : null;
    patch((s) => ({ ...s, setup: { ...s.setup, load, loadError: null } }));
    port.send({ type: 'load-data', data: { kind: 'builtin', name: family } });
  }

  function apply(change: PendingChange): void {
    switch (change.kind) {
      case 'config':
        patch((s) => ({ ...s, setup: { ...s.setup, config: change.config } }));
        probe?.reprobeIfStale();
        return;
      case 'family': {
        // Image families train Conv-4: their defaults come with them, and the page says so.
        const before = get().setup;
        const { config, note } = configForFamily(before.config, change.family);
        patch((s) => ({
          ...s,
          setup: { ...s.setup, family: change.family, data: null, config, configNote: note },
        }));
        loadFamily(change.family, before);
        probe?.reprobeIfStale();
        return;
      }
      case 'csv':
        port.send({ type: 'load-data', data: { kind: 'csv' } });
        return;
      case 'images':
        port.send({ type: 'load-data', data: { kind: 'images' } });
        return;
      case 'backend': {
        const pick = change.backend;
        patch((s) => ({ ...s, backend: { ...s.backend, requested: pick } }));
        if (pick === 'fastest') {
          void probe?.probe();
          return;
        }
        probe?.cancelProbe();
        // "Best available" decides afresh whether this WebGPU is a software one worth probing.
        if (pick === 'auto')
          patch((s) => ({ ...s, backend: { ...s.backend, probe: { ...initialProbe } } }));
        port.send({ type: 'init', backend: pick, hideWebgpu: get().backend.hideWebgpu });
        return;
      }
      case 'settings': {
        // The changes it bundles, each only where it changes something.
        const s = get();
        if (!sameConfig(s.setup.config, change.config))
          apply({ kind: 'config', config: change.config });
        if (change.family !== null && (change.family !== s.setup.family || uploadInUse(s)))
          apply({ kind: 'family', family: change.family });
        if (change.backend !== s.backend.requested)
          apply({ kind: 'backend', backend: change.backend });
        return;
      }
      default:
        change satisfies never;
    }
  }

  /** An address's settings, applied together (after confirmation when a run exists). */
  function applySettings(next: Omit<Extract<PendingChange, { kind: 'settings' }>, 'kind'>): void {
    const s = get();
    const same =
      sameConfig(s.setup.config, next.config) &&
      (next.family === null || (next.family === s.setup.family && !uploadInUse(s))) &&
      next.backend === s.backend.requested;
    if (same) return;
    const onlyBackend =
      sameConfig(s.setup.config, next.config) &&
      (next.family === null || (next.family === s.setup.family && !uploadInUse(s)));
    if (onlyBackend) apply({ kind: 'backend', backend: next.backend });
    else request({ kind: 'settings', ...next });
  }

  /** Applies a change now, or parks it for confirmation when it would discard a run. */
  function request(change: PendingChange): void {
    if (hasRun(get().run.status)) patch((s) => ({ ...s, setup: { ...s.setup, pending: change } }));
    else apply(change);
  }

  /** Puts a whole configuration in the form (a sweep trial's settings), asking first when a run exists. */
  function adoptConfig(config: TrainConfig): void {
    if (!sameConfig(get().setup.config, config)) request({ kind: 'config', config });
  }

  function confirmPending(): void {
    const change = get().setup.pending;
    if (!change) return;
    patch((s) => ({ ...s, setup: { ...s.setup, pending: null, epoch: s.setup.epoch + 1 } }));
    reset();
    apply(change);
  }

  function cancelPending(): void {
    patch((s) => ({ ...s, setup: { ...s.setup, pending: null, epoch: s.setup.epoch + 1 } }));
  }

  function setConfig<K extends keyof TrainConfig>(key: K, value: TrainConfig[K]): void {
    const config = get().setup.config;
    if (JSON.stringify(config[key]) === JSON.stringify(value)) return;
    // The number of meta-steps may change freely: it only says how far to go.
    const next = { ...config, [key]: value };
    if (key === 'metaSteps' && !isActive(get().run.status))
      patch((s) => ({ ...s, setup: { ...s.setup, config: next } }));
    else request({ kind: 'config', config: next });
  }

  /**
   * Picks an algorithm with its own defaults, keeping the seed, the number
   * of steps and the network (a conv net keeps its filters and gets the
   * image defaults of the algorithm).
   */
  function setAlgorithm(algorithm: AlgorithmName): void {
    const c = get().setup.config;
    if (c.algorithm === algorithm) return;
    const conv = backboneOf(c) === 'conv4';
    const base = { ...defaultsFor(algorithm, conv), seed: c.seed, metaSteps: c.metaSteps };
    request({ kind: 'config', config: conv ? { ...base, filters: filtersOf(c) } : base });
  }

  /**
   * The algorithm's defaults for the data in use (image defaults on an image
   * family), lowered to what the data allows, asking first when a run exists.
   */
  function restoreDefaults(): void {
    const s = get();
    const images = s.images.inUse || (!s.csv.inUse && builtinHasImages(s.setup.family));
    const defaults = defaultsFor(s.setup.config.algorithm, images);
    const { config } = clampToLimits(defaults, s.setup.data?.limits);
    if (JSON.stringify(config) !== JSON.stringify(s.setup.config))
      request({ kind: 'config', config });
  }

  /** A fresh seed for every random draw; `draw` gives a whole number (crypto in the page). */
  function newSeed(draw: () => number): void {
    const old = get().setup.config.seed;
    let seed = draw();
    if (seed === old) seed = (seed % 1_000_000) + 1;
    setConfig('seed', seed);
  }

  const setFamily = (family: BuiltinName) => {
    // A CSV may be in use while a newer upload is only staged (csv.inUse false): the summary says.
    const csvInUse = get().csv.inUse || get().setup.data?.limits !== undefined;
    if (family !== get().setup.family || csvInUse) request({ kind: 'family', family });
  };

  /**
   * Reads CSV files in the worker (see data-slice.ts). Without a run the
   * upload is trained on as soon as it is accepted; with one, it waits for
   * useCsv() so the run is not thrown away unasked.
   */
  function uploadCsv(files: readonly File[]): void {
    if (files.length === 0) return;
    const uploadId = get().csv.uploadId + 1;
    const names = files.map((f) => f.name);
    patch((s) => ({
      ...s,
      csv: {
        ...s.csv,
        uploadId,
        phase: 'reading',
        reading: names,
        progress: { fraction: 0, rows: 0, fileName: names[0] ?? '' },
        refusal: null,
      },
    }));
    const s = get();
    port.send({
      type: 'csv-parse',
      uploadId,
      files: [...files],
      use: !hasRun(s.run.status),
      splitSeed: s.setup.config.seed,
      ways: s.setup.config.ways,
    });
  }

  /** Changes one column role of the staged upload; the worker rebuilds it (or refuses). */
  function editCsvRoles(edit: RoleEdit): void {
    const s = get();
    const staged = s.csv.staged;
    if (!staged || s.csv.phase !== 'idle') return;
    const overrides = editRoles(staged.overrides, staged.report.schema, edit);
    const uploadId = s.csv.uploadId + 1;
    patch((st) => ({
      ...st,
      csv: { ...st.csv, uploadId, phase: 'building', progress: null, refusal: null },
    }));
    port.send({
      type: 'csv-roles',
      uploadId,
      overrides,
      use: !hasRun(s.run.status),
      splitSeed: s.setup.config.seed,
      ways: s.setup.config.ways,
    });
  }

  /** Trains on the staged upload (asks first when that would discard a run). */
  const useCsv = () => {
    if (get().csv.staged && !get().csv.inUse) request({ kind: 'csv' });
  };
  /**
   * Reads an upload of image classes in the worker (see images-slice.ts), at
   * the input size and channels chosen, leaving out classes with fewer than
   * the K + Q the configuration will ask for on images. Like a CSV: trained
   * on at once without a run, otherwise staged until useImages().
   */
  function uploadImages(upload: ImageUpload): void {
    if (upload.kind === 'folder' && upload.files.length === 0) {
      // An empty folder never reaches the worker (it has nothing to read): said here.
      patch((s) => ({
        ...s,
        images: {
          ...s.images,
          uploadId: s.images.uploadId + 1,
          reading: null,
          progress: null,
          refusal: {
            name: upload.name,
            message: `${upload.name} is empty: no files found. Put one sub-folder per class with its images inside (e.g. letters/a/1.png).`,
          },
        },
      }));
      return;
    }
    const uploadId = get().images.uploadId + 1;
    const name = upload.kind === 'zip' ? upload.file.name : upload.name;
    patch((s) => ({
      ...s,
      images: { ...s.images, uploadId, reading: name, progress: null, refusal: null },
    }));
    const s = get();
    const config = configForData(s.setup.config, true).config;
    port.send({
      type: 'images-stage',
      uploadId,
      upload,
      settings: {
        size: s.images.size,
        channels: s.images.channels,
        minPerClass: config.shots + config.queries,
        splitSeed: config.seed,
      },
      use: !hasRun(s.run.status),
    });
  }

  /** Trains on the staged image upload (asks first when that would discard a run). */
  const useImages = () => {
    if (get().images.staged && !get().images.inUse) request({ kind: 'images' });
  };

  /** The input size and channels of the next image upload. */
  const setImageInput = (size: number, channels: 1 | 3) =>
    patch((s) => ({ ...s, images: { ...s.images, size, channels } }));

  const setBackend = (backend: BackendPick) => {
    if (backend !== get().backend.requested) apply({ kind: 'backend', backend });
  };

  const dismissConfigNote = () => patch((s) => ({ ...s, setup: { ...s.setup, configNote: null } }));

  const evaluate = (episodes = 100, steps = 10) => port.send({ type: 'evaluate', episodes, steps });
  const loseGpuDevice = () => port.send({ type: 'debug-lose-device' });

  return {
    receive,
    init,
    train,
    pause,
    resume,
    stop,
    reset,
    setConfig,
    adoptConfig,
    setAlgorithm,
    restoreDefaults,
    newSeed,
    setFamily,
    dismissConfigNote,
    applySettings,
    uploadCsv,
    editCsvRoles,
    useCsv,
    uploadImages,
    useImages,
    setImageInput,
    setBackend,
    confirmPending,
    cancelPending,
    evaluate,
    loseGpuDevice,
  };
}

export type Actions = ReturnType<typeof createActions>;
