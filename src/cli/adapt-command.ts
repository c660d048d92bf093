/**
 * `adapt --session S.json --support new-task.csv --predict queries.csv`: the
 * session's meta-learned model adapts to a new task's support examples (the
 * procedure of its adaptation card: inner rate, steps, what adapts) and
 * predicts the queries. Prints CSV — the query rows followed by `prediction`
 * (in the target's units, or the most probable label and one `p_<label>`
 * column per class) — or writes it with --out.
 */
import { writeFile } from 'node:fs/promises';
import Papa from 'papaparse';
import { adaptNewTask } from '../core/export/adapt-new-task';
import { encodeFeatures, encodeTargets, restoreTarget } from '../core/export/encode-rows';
import { useNodeBackend, type NodeBackend } from './backend-node';
import { CliError } from './errors';
import { columnIndex, featureRows, readCsvTable, sessionModel } from './new-task-csv';
import { readSessionFile } from './session-file';

export interface AdaptFlags {
  session: string;
  support: string;
  predict: string;
  steps?: number;
  innerLr?: number;
  out?: string;
  backend: NodeBackend;
}

/** Softmax of one row of logits. */
export function softmaxRow(logits: ArrayLike<number>): number[] {
  const xs = Array.from(logits);
  const m = Math.max(...xs);
  const e = xs.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

export async function runAdapt(f: AdaptFlags): Promise<void> {
  await useNodeBackend(f.backend);
  const doc = await readSessionFile(f.session);
  const { card, model } = sessionModel(doc, f.session);
  const support = await readCsvTable(f.support);
  const queries = await readCsvTable(f.predict);
  const ti = columnIndex(support, f.support, card.target.column);
  const targets = support.rows.map((r) => r[ti] ?? '');
  let enc;
  try {
    enc = encodeTargets(card, targets, model.style === 'protonet' ? null : model.spec.outputDim);
  } catch (e) {
    throw new CliError(`${f.support}: ${(e as Error).message}`);
  }
  const steps = f.steps ?? card.adaptation.steps;
  const { outputs, width } = await adaptNewTask(
    model,
    {
      supportX: encodeFeatures(card, featureRows(support, f.support, card)),
      supportY: enc.y,
      outputDim: enc.outputDim,
      queryX: encodeFeatures(card, featureRows(queries, f.predict, card)),
    },
    steps,
    f.innerLr ?? card.adaptation.innerLr,
  );
  const labels = enc.labels;
  const header = [...queries.header, 'prediction', ...(labels ? labels.map((l) => `p_${l}`) : [])];
  const rows = queries.rows.map((r, i) => {
    const out = outputs.subarray(i * width, (i + 1) * width);
    if (!labels) return [...r, String(restoreTarget(card, out[0] as number))];
    const p = softmaxRow(out);
    return [...r, labels[p.indexOf(Math.max(...p))] as string, ...p.map(String)];
  });
  const csv = Papa.unparse([header, ...rows], { newline: '\n' }) + '\n';
  if (!f.out) {
    process.stdout.write(csv);
    return;
  }
  try {
    await writeFile(f.out, csv);
  } catch (e) {
    throw new CliError(`cannot write ${f.out}: ${(e as Error).message}`);
  }
  process.stderr.write(
    `adapted ${steps} step${steps === 1 ? '' : 's'} on ${support.rows.length} support rows; ${queries.rows.length} predictions written to ${f.out}\n`,
  );
}
