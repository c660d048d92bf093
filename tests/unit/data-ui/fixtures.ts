/** Small CSVs and staged events for the data-panel tests, built through the real core/data. */
import { loadCsvTexts } from '../../../src/core/data/index';
import { dataLimits } from '../../../src/worker/csv-stage';
import type { CsvStaged } from '../../../src/worker/protocol';

/** "task,x,y": `tasks` tasks of `rows` rows; task t3 has only `small` rows when given. */
export function regressionCsv(tasks = 6, rows = 12, small?: number): string {
  const lines = ['task,x,y'];
  for (let t = 1; t <= tasks; t++) {
    const n = t === 3 && small !== undefined ? small : rows;
    for (let r = 0; r < n; r++) lines.push(`t${t},${r},${(Math.sin(r + t) * 3).toFixed(3)}`);
  }
  return `${lines.join('\n')}\n`;
}

export function stagedFrom(text: string, uploadId = 1, fileName = 'tasks.csv'): CsvStaged {
  const built = loadCsvTexts([{ fileName, text }], {}, { seed: 1 });
  return {
    uploadId,
    fileNames: [fileName],
    overrides: {},
    report: built.report,
    limits: dataLimits(built.source),
    parseMs: 1,
    buildMs: 1,
    memory: null,
    inUse: true,
  };
}
