/**
 * The size limits of an upload, in one place so the UI and the messages agree.
 * They keep a browser tab responsive and training memory bounded; each refusal
 * that uses one says which limit was hit.
 */

/** Widest file accepted: every column may become a model input. */
export const MAX_COLUMNS = 2000;

/** Most categories a text feature column may have to be one-hot encoded. */
export const MAX_CATEGORIES = 20;

/** Widest model input after one-hot encoding. */
export const MAX_INPUTS = 4000;

/** A numeric target with at most this many distinct whole numbers is guessed to be class codes. */
export const MAX_CLASS_CODES = 20;

/** Rows kept for the preview in the report. */
export const PREVIEW_ROWS = 10;

/** Characters inspected to tell text from binary and to sniff the delimiter. */
export const SNIFF_CHARS = 64 * 1024;
