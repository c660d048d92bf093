/**
 * The message bodies of the three metrics (issue 14): what the UI asks for
 * (how many tasks, how strongly the support labels are corrupted) and the
 * report the worker sends back — core's ThreeMetrics, exactly the
 * `metrics` object of the CLI's `evaluate --metrics --json`, with the
 * protocol it was computed under. Types only, so the UI imports them
 * without tfjs.
 */
import type { ThreeMetrics } from '../core/train/three-metrics-run';

export type { ThreeMetrics };
export type { ModelMetrics } from '../core/train/three-metrics-run';
export type { SpeedResult, RobustnessEntry } from '../core/train/three-metrics';

export interface ThreeMetricsCommand {
  /** held-out tasks per pass (the same tasks for every model) */
  episodes: number;
  /** regression: noise sd as a fraction of the targets' sd; classification: share of labels flipped */
  fraction: number;
}

export interface ThreeMetricsReport {
  algorithm: string;
  /** model names in display order: the algorithm first, then the baselines */
  order: string[];
  metrics: ThreeMetrics;
  /** the CLI's evaluate flags that give the same numbers */
  protocol: {
    episodes: number;
    shots: number;
    ways: number | null;
    queries: number;
    innerLr: number;
    seed: number;
    backend: string;
  };
  durationMs: number;
}
