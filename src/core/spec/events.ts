/**
 * What a training run tells the outside world. The trainer emits these; the
 * worker forwards them (throttled) to the UI and the CLI draws its progress
 * bar from them. Plain data only: no tensors, safe to structured-clone.
 */
import type { AlgorithmName } from './config';

export interface StepMetric {
  step: number;
  /** mean query loss over the meta-batch after adaptation (standardized units) */
  trainLoss: number;
}

export interface ValidationMetric {
  step: number;
  /** query loss after evalInnerSteps adaptation on held-out tasks */
  loss: number;
  /** MSE in original units (regression) or accuracy in [0, 1] (classification) */
  metric: number;
}

export type TrainEvent =
  | { type: 'compiling'; message: string }
  | {
      type: 'progress';
      step: number;
      totalSteps: number;
      stepsPerSec: number;
      tasksPerSec: number;
      etaSec: number;
      lastLoss: number;
    }
  | { type: 'metrics'; points: StepMetric[] }
  | { type: 'validation'; point: ValidationMetric; bestStep: number; improved: boolean }
  | {
      type: 'done';
      reason: 'finished' | 'stopped' | 'early-stopped';
      step: number;
      bestStep: number;
      algorithm: AlgorithmName;
    };
