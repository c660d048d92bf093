/**
 * Which feature columns become model inputs, and how. A column is left out
 * (with a note) when it has no values in the rows used, no values in the
 * meta-train rows (nothing to standardize with), or — for text — more
 * distinct values than MAX_CATEGORIES. The rest are fitted on meta-train
 * rows only (see normalization.ts); text values of val / test rows that
 * meta-train never saw are counted in one note per column.
 */
import { MAX_CATEGORIES } from './caps';
import { categoriesOf, meanStd, type FeatureEncoding } from './normalization';
import { quoteCell, type ProblemLog, type Where } from './problems';
import type { RowStore } from './read-rows';
import type { DatasetSchema } from './schema';

export function chooseEncodings(
  store: RowStore,
  schema: DatasetSchema,
  usedRows: readonly number[],
  trainRows: readonly number[],
  log: ProblemLog,
  file: string | undefined,
): FeatureEncoding[] {
  const encodings: FeatureEncoding[] = [];
  const trainSet = new Set(trainRows);
  for (const column of schema.features) {
    const where: Where = { file, column };
    const exclude = (text: string, code: 'empty-column' | 'too-many-categories' = 'empty-column') =>
      log.add(code, 'column-excluded', where, `${text}; it was ignored.`);

    const numbers = store.numeric.get(column);
    if (numbers !== undefined) {
      if (meanStd(numbers, usedRows) === null) {
        exclude('the column has no values');
        continue;
      }
      const stats = meanStd(numbers, trainRows);
      if (stats === null) {
        exclude('the column has no values in the meta-train tasks, so it cannot be standardized');
        continue;
      }
      encodings.push({ column, type: 'numeric', mean: stats.mean, std: stats.std });
      continue;
    }

    const texts = store.categorical.get(column) ?? [];
    const distinct = categoriesOf(texts, usedRows);
    if (distinct.length === 0) {
      exclude('the column has no values');
      continue;
    }
    if (distinct.length > MAX_CATEGORIES) {
      exclude(
        `the column has ${distinct.length} different text values, more than the ${MAX_CATEGORIES} that can be one-hot encoded`,
        'too-many-categories',
      );
      continue;
    }
    const categories = categoriesOf(texts, trainRows);
    if (categories.length === 0) {
      exclude('the column has no values in the meta-train tasks');
      continue;
    }
    encodings.push({ column, type: 'categorical', categories });
    const known = new Set(categories);
    const unseen = usedRows.filter((r) => {
      const v = texts[r];
      return !trainSet.has(r) && v !== null && v !== undefined && !known.has(v);
    });
    if (unseen.length > 0) {
      const examples = [...new Set(unseen.map((r) => texts[r] as string))].slice(0, 3);
      log.add(
        'unseen-category',
        'note',
        where,
        unseen.length === 1
          ? `1 value in meta-val / meta-test (${quoteCell(examples[0] as string)}) never occurs in meta-train; it is encoded as no category (all zeros).`
          : `${unseen.length} values in meta-val / meta-test (${examples.map(quoteCell).join(', ')}) never occur in meta-train; they are encoded as no category (all zeros).`,
      );
    }
  }
  return encodings;
}
