/**
 * Allocation and checks shared by every sampler. A batch is B episodes of
 * equal shape laid out row-major ([B, support, inputDim] and so on), so the
 * trainer can run the whole meta-batch as one computation. Requests with a
 * count or shape that is not a whole number ≥ 1 are settings errors and are
 * refused as DataError, worded for the person who typed them.
 */
import { DataError, type EpisodeBatch, type EpisodeShape, type ProblemKind } from '../types';

export interface BatchLayout {
  tasks: number;
  support: number;
  query: number;
  inputDim: number;
  outputDim: number;
  withClasses: boolean;
}

export function allocateBatch(l: BatchLayout): EpisodeBatch {
  const batch: EpisodeBatch = {
    tasks: l.tasks,
    support: l.support,
    query: l.query,
    inputDim: l.inputDim,
    outputDim: l.outputDim,
    supportX: new Float32Array(l.tasks * l.support * l.inputDim),
    supportY: new Float32Array(l.tasks * l.support * l.outputDim),
    queryX: new Float32Array(l.tasks * l.query * l.inputDim),
    queryY: new Float32Array(l.tasks * l.query * l.outputDim),
    names: [],
  };
  if (l.withClasses) {
    batch.supportClass = new Int32Array(l.tasks * l.support);
    batch.queryClass = new Int32Array(l.tasks * l.query);
  }
  return batch;
}

function wholeAtLeastOne(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) {
    throw new DataError(`${name} must be a whole number ≥ 1 (got ${v}).`);
  }
}

/** Refuses a count or shape that no source could serve; `ways` is checked for classification only. */
export function checkRequest(kind: ProblemKind, count: number, shape: EpisodeShape): void {
  wholeAtLeastOne('The number of episodes', count);
  wholeAtLeastOne('K (shots)', shape.shots);
  wholeAtLeastOne('The query size', shape.queries);
  if (kind === 'classification') wholeAtLeastOne('N (ways)', shape.ways);
}

/** "meta-train" for messages. */
export function splitLabel(split: string): string {
  return `meta-${split}`;
}
