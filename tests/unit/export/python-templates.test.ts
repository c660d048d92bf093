/**
 * The generated module of Python templates must equal what the generator
 * makes of src/core/export/python/ now: an edit to a .py file without
 * rerunning `npx tsx scripts/python-templates.ts` fails here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODULE_PATH, TEMPLATE_DIR, templatesModule } from '../../../scripts/python-templates';
import { PYTHON_TEMPLATES } from '../../../src/core/export/python-templates';

describe('Python templates', () => {
  it('are up to date with src/core/export/python/', async () => {
    expect(readFileSync(MODULE_PATH, 'utf8')).toBe(await templatesModule());
  });

  it('hold the files byte for byte (backslashes, backticks and ${ survive)', () => {
    for (const [name, text] of Object.entries(PYTHON_TEMPLATES))
      expect(text).toBe(readFileSync(path.join(TEMPLATE_DIR, name), 'utf8'));
    expect(Object.keys(PYTHON_TEMPLATES)).toEqual([
      'model.py',
      'adapt.py',
      'train.py',
      'README.md',
    ]);
  });
});
