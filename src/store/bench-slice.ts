/**
 * The Benchmark page's state: what the person selected, the planned cases,
 * which one runs (and in what phase), and one row per finished case. Memory
 * only: a benchmark describes this machine now, so nothing is saved.
 */
import { DEFAULT_SELECTION, type BenchRow, type BenchSelection } from '../bench/cases';
import type { BenchCase, CasePhase } from '../bench/measure';

export interface BenchSlice {
  selection: BenchSelection;
  phase: 'idle' | 'running' | 'done' | 'stopped';
  cases: BenchCase[];
  /** index of the case running now (valid while running) */
  index: number;
  casePhase: CasePhase | null;
  rows: BenchRow[];
}

export const initialBench: BenchSlice = {
  selection: DEFAULT_SELECTION,
  phase: 'idle',
  cases: [],
  index: 0,
  casePhase: null,
  rows: [],
};
