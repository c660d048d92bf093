/**
 * What to measure: backends (those this browser seems to have; the others
 * are shown disabled), methods, meta-batch sizes, hidden sizes, Omniglot
 * image episodes for Conv-4 and its filter count, the timed
 * seconds and the time budget per case. Plain checkboxes and number inputs,
 * each with its own label; all disabled while a benchmark runs.
 */
import { useMemo } from 'react';
import {
  BENCH_FILTERS,
  BENCH_HIDDEN,
  BENCH_IMAGE_EPISODES,
  BENCH_META_BATCHES,
  BENCH_METHODS,
  imageEpisodeLabel,
  type BenchSelection,
} from '../../bench/cases';
import { browserBackends } from '../../bench/probe';
import { benchActions, useAppStore } from '../../store';
import {
  ENGINE_BACKEND_LABELS,
  FUSED_BACKENDS,
  FUSED_BASE,
  type EngineBackendName,
} from '../../core/spec/backend';
import { methodLabel } from './format';

const BACKENDS: EngineBackendName[] = [
  'webgpu',
  'webgl',
  'wasm',
  'wasm-fused',
  'wasm-fused-2t',
  'cpu',
  'webgpu-fused',
];

/** The tfjs backends this browser seems to have, and each fused engine wherever its base is. */
function offered(hideWebgpu: boolean): Set<EngineBackendName> {
  const tfjs: EngineBackendName[] = browserBackends(hideWebgpu);
  return new Set([...tfjs, ...FUSED_BACKENDS.filter((f) => tfjs.includes(FUSED_BASE[f]))]);
}

function toggle<T>(list: readonly T[], v: T, on: boolean): T[] {
  return on ? [...list.filter((x) => x !== v), v] : list.filter((x) => x !== v);
}

function Checks<T extends string | number>(props: {
  legend: string;
  values: readonly T[];
  chosen: readonly T[];
  label: (v: T) => string;
  disabled: boolean;
  unavailable?: (v: T) => boolean;
  onChange: (next: T[]) => void;
}) {
  return (
    <fieldset disabled={props.disabled}>
      <legend>{props.legend}</legend>
      {props.values.map((v) => {
        const off = props.unavailable?.(v) ?? false;
        return (
          <label key={v}>
            <input
              type="checkbox"
              checked={props.chosen.includes(v) && !off}
              disabled={off}
              // Keep the grid order whatever order the boxes were ticked in.
              onChange={(e) =>
                props.onChange(
                  props.values.filter((x) => toggle(props.chosen, v, e.target.checked).includes(x)),
                )
              }
            />
            {props.label(v)}
            {off ? ' (not in this browser)' : ''}
          </label>
        );
      })}
    </fieldset>
  );
}

export function BenchmarkForm() {
  const sel = useAppStore((s) => s.bench.selection);
  const running = useAppStore((s) => s.bench.phase === 'running');
  const hideWebgpu = useAppStore((s) => s.backend.hideWebgpu);
  const available = useMemo(() => offered(hideWebgpu), [hideWebgpu]);
  const select = (change: Partial<BenchSelection>) => benchActions().select(change);
  return (
    <div className="bench-form">
      <Checks
        legend="Backends"
        values={BACKENDS}
        chosen={sel.backends.filter((b) => available.has(b))}
        label={(b) => ENGINE_BACKEND_LABELS[b]}
        unavailable={(b) => !available.has(b)}
        disabled={running}
        onChange={(backends) => select({ backends })}
      />
      <Checks
        legend="Methods"
        values={BENCH_METHODS}
        chosen={sel.methods}
        label={methodLabel}
        disabled={running}
        onChange={(methods) => select({ methods })}
      />
      <Checks
        legend="Meta-batch"
        values={BENCH_META_BATCHES}
        chosen={sel.metaBatches}
        label={(b) => `B ${b}`}
        disabled={running}
        onChange={(metaBatches) => select({ metaBatches })}
      />
      <Checks
        legend="Hidden sizes"
        values={BENCH_HIDDEN}
        chosen={sel.hidden}
        label={(h) => h.replace(',', '-')}
        disabled={running}
        onChange={(hidden) => select({ hidden })}
      />
      <Checks
        legend="Images (Conv-4: ProtoNet, first-order MAML, Reptile)"
        values={BENCH_IMAGE_EPISODES}
        chosen={sel.images}
        label={imageEpisodeLabel}
        disabled={running}
        onChange={(images) => select({ images })}
      />
      <Checks
        legend="Conv-4 filters"
        values={BENCH_FILTERS}
        chosen={sel.filters}
        label={(f) => `${f} filters`}
        disabled={running}
        onChange={(filters) => select({ filters })}
      />
      <fieldset disabled={running}>
        <legend>Time per case</legend>
        <label>
          Timed seconds
          <input
            type="number"
            min={1}
            max={60}
            value={sel.seconds}
            onChange={(e) => {
              const v = Number(e.target.value);
              if (v >= 1 && v <= 60) select({ seconds: v });
            }}
          />
        </label>
        <label>
          Budget (s)
          <input
            type="number"
            min={5}
            max={600}
            value={sel.budgetSec}
            onChange={(e) => {
              const v = Number(e.target.value);
              if (v >= 5 && v <= 600) select({ budgetSec: v });
            }}
          />
        </label>
        <label>
          <input
            type="checkbox"
            checked={sel.memory}
            onChange={(e) => select({ memory: e.target.checked })}
          />
          Measure worker memory (up to 25 s more per case)
        </label>
      </fieldset>
    </div>
  );
}
