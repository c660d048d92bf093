/**
 * What the sessions panel lists for each saved session, computed once when
 * the session is written (stored in `summaries`), so that listing never
 * loads weights, curves or datasets.
 *
 * The best metric shown is the meta-test evaluation of the session's own
 * model after its last adaptation step when there is one, else the
 * validation metric at the kept (best) step of the history. Its kind is
 * 'mse' for regression and 'accuracy' for classification.
 *
 * A stored summary is re-parsed on every read: a damaged one becomes a
 * DamagedSession entry (id + problem) instead of breaking the whole list.
 */
import { z } from 'zod';
import { ALGORITHMS } from '../../core/spec/config';
import { describeIssues, plainErrorMap } from '../issues';
import type { SessionDoc } from '../schema';
import type { BestMetric, SummaryRecord } from './db';
import { restoreStored } from './records';

// Typed against db.ts's record layout, which owns it: a field added there must be parsed here.
const bestMetricSchema = z.object({
  kind: z.enum(['mse', 'accuracy']),
  value: z.number(),
  source: z.enum(['evaluation', 'validation']),
  step: z.number().int().min(0),
}) satisfies z.ZodType<BestMetric>;

const summaryRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  datasetName: z.string(),
  algorithm: z.enum(ALGORITHMS),
  createdAt: z.string(),
  updatedAt: z.string(),
  stepsDone: z.number().int().min(0),
  best: bestMetricSchema.nullable(),
  hasWeights: z.boolean(),
  updatedAtMs: z.number(),
  savedAtMs: z.number(),
}) satisfies z.ZodType<SummaryRecord>;

/** A listed session that can be opened. Names are plain text: render them as text. */
export type SessionInfo = { status: 'ok' } & Omit<SummaryRecord, 'updatedAtMs' | 'savedAtMs'>;

/** A listed session whose stored summary is unreadable; it can still be deleted. */
export interface DamagedSession {
  status: 'damaged';
  id: string;
  problem: string;
}

export type SessionSummary = SessionInfo | DamagedSession;

function metricKind(doc: SessionDoc): BestMetric['kind'] | null {
  if (doc.evaluation) return doc.evaluation.metric;
  const kind = doc.dataset.schema.kind;
  return kind === 'classification' ? 'accuracy' : kind === 'regression' ? 'mse' : null;
}

function bestMetric(doc: SessionDoc): BestMetric | null {
  const ev = doc.evaluation;
  const own = ev?.models[ev.algorithm];
  if (ev && own) {
    const last = own.mean.length - 1;
    const value = own.mean[last];
    if (value != null)
      return { kind: ev.metric, value, source: 'evaluation', step: ev.steps[last]! };
  }
  const kind = metricKind(doc);
  const h = doc.history;
  const point = h.validation.find((p) => p.step === h.bestStep);
  if (kind && point && point.metric != null) {
    return { kind, value: point.metric, source: 'validation', step: point.step };
  }
  return null;
}

export function summaryRecordOf(doc: SessionDoc, savedAtMs: number): SummaryRecord {
  return {
    id: doc.id,
    name: doc.name,
    datasetName: doc.dataset.name,
    algorithm: doc.config.algorithm,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    stepsDone: doc.history.stepsDone,
    best: bestMetric(doc),
    hasWeights: doc.weights !== null,
    updatedAtMs: Date.parse(doc.updatedAt),
    savedAtMs,
  };
}

/** The panel entry for a stored summary record (or a DamagedSession if it is unreadable). */
export function readSummary(id: string, raw: unknown): SessionSummary {
  if (raw === undefined) {
    return { status: 'damaged', id, problem: 'The summary of this session is missing.' };
  }
  const parsed = summaryRecordSchema.safeParse(raw, { error: plainErrorMap });
  if (!parsed.success || parsed.data.id !== id) {
    const why = parsed.success ? 'it belongs to another id' : describeIssues(parsed.error.issues);
    return { status: 'damaged', id, problem: `The summary of this session is damaged: ${why}` };
  }
  const { updatedAtMs: _u, savedAtMs: _s, ...info } = parsed.data;
  return { status: 'ok', ...info };
}

/** The savedAtMs of a stored summary, or 0 (older than any checkpoint) if it is unreadable. */
export function savedAtOf(raw: unknown): number {
  const parsed = summaryRecordSchema.safeParse(raw);
  return parsed.success ? parsed.data.savedAtMs : 0;
}

/** The panel entry of a summary this store has just written. */
export function infoOf(summary: SummaryRecord): SessionInfo {
  return readSummary(summary.id, summary) as SessionInfo;
}

/**
 * A summary made from the stored document itself, for a session whose
 * summary record is unusable (loads the document: only for those).
 */
export function summaryFromRecord(id: string, doc: unknown): SessionSummary {
  try {
    return infoOf(summaryRecordOf(restoreStored(doc), 0));
  } catch (e) {
    return { status: 'damaged', id, problem: e instanceof Error ? e.message : String(e) };
  }
}
