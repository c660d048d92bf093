/**
 * The snippet shown after "Download model": a conv net's tells the person to
 * pass images as pixel rows and predict a task's images in one call (its batch
 * norm uses the batch's statistics), and never shows the MLP's feature rows or
 * a Sequential of Linear layers.
 */
import { describe, expect, it } from 'vitest';
import { snippetFor } from '../../../src/ui/sessions/DownloadModel';

describe('snippetFor', () => {
  it('shows feature rows and Linear layers for an MLP', () => {
    expect(snippetFor('tfjs', 'm.zip')).toMatch(/adapter\.columns/);
    expect(snippetFor('safetensors', 'm.zip')).toMatch(/torch\.nn\.Linear/);
  });

  it("shows pixel rows and one predict call per task for a conv net, and the folder's model.py", () => {
    const js = snippetFor('tfjs', 'm.zip', true);
    expect(js).toMatch(/H·W·C pixels/);
    expect(js).toMatch(/predict a task's images together/);
    expect(js).not.toMatch(/\[\[0\.5\]/);
    const py = snippetFor('safetensors', 'm.zip', true);
    expect(py).toMatch(/Conv-4/);
    expect(py).not.toMatch(/torch\.nn\.Linear\(sizes/);
  });
});
