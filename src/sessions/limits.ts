/**
 * The constants of the session format: its name, its current version, and
 * every size limit a session must respect. Limits exist because a session
 * arrives from outside (a file, a link someone sent, a tampered IndexedDB
 * entry): each cap keeps a hostile or broken input from exhausting memory or
 * from starting an absurd training run, and each is far above what a real
 * session of this app needs. Changing the shape of the document means a new
 * SESSION_VERSION and a migration (see restore.ts); raising a limit does not.
 */

export const SESSION_FORMAT = 'meta-learning-playground/session';
/** The version this app writes; restore reads every version up to it. */
export const SESSION_VERSION = 2;
/** Envelope tag of share fragments written by this app. */
export const SHARE_PREFIX = 's1.';

const MiB = 1024 * 1024;

/** Largest decoded JSON text of one session (what gzip may inflate to). */
export const MAX_DOCUMENT_BYTES = 64 * MiB;
/** Largest gzip-compressed file accepted. */
export const MAX_COMPRESSED_BYTES = 16 * MiB;
/**
 * Longest share fragment read. Browsers cap URLs at about 2 MB (Chromium);
 * a longer fragment cannot have come from a real link.
 */
export const MAX_FRAGMENT_CHARS = 2 * MiB;
/** Default budget of shareFragmentFor: links longer than this break in chat apps and mail. */
export const DEFAULT_SHARE_BYTES = 64 * 1024;
/**
 * Budget for a conv net's session (Conv-4: 28k weights at 32 filters, 113k
 * at 64, as base64): past the chat-app limit, within what browsers open.
 */
export const CONV_SHARE_BYTES = 1 * MiB;

/** Names shown to people: session, dataset, file and column names. */
export const MAX_NAME_CHARS = 200;
/** Short technical strings: app version, backend, optimizer name, stop reason. */
export const MAX_TAG_CHARS = 64;
/** One raw CSV cell. */
export const MAX_CELL_CHARS = 10_000;
export const MAX_COLUMNS = 4096;
/** Categories of one text feature (one-hot inputs); the data layer allows far fewer. */
export const MAX_CATEGORIES = 1024;
export const MAX_CSV_FILES = 16;
/** Rows per CSV file kept in a session (only small datasets travel with it). */
export const MAX_CSV_ROWS = 200_000;
export const MAX_OPTIONS = 64;
export const MAX_OPTION_ARRAY = 1024;
/** Classes listed (with a short hash each) in an uploaded image set's contents; larger sets keep only the totals. */
export const MAX_LISTED_CLASSES = 2000;
/** Hex digits kept of an image class's hash: enough to tell two classes apart, short in a share link. */
export const CLASS_HASH_CHARS = 16;
/** Files of one upload (the zip reader's limit, core/data/images/archive's MAX_FILES). */
export const MAX_UPLOAD_FILES = 100_000;
/** Points per curve. The trainer throttles what it records, so real curves are far shorter. */
export const MAX_HISTORY_POINTS = 1_000_000;
export const MAX_EVAL_STEPS = 1000;
export const MAX_EVAL_MODELS = 32;
/** Tensors in one weight set (an Adam state holds two slots per parameter tensor). */
export const MAX_TENSORS = 256;
export const MAX_TENSOR_RANK = 4;
export const MAX_TENSOR_DIM = 1 << 20;
/** float32 values in one weight set: 64 MiB of raw data, more than the document cap allows anyway. */
export const MAX_WEIGHT_VALUES = 16 * MiB;

/**
 * Caps on the training configuration. validateConfig (core/spec/config.ts)
 * checks the lower bounds for the form; these upper bounds stop a shared
 * link from asking a visitor's browser for, say, a meta-batch of a billion.
 */
export const CONFIG_LIMITS = {
  metaSteps: 10_000_000,
  metaBatch: 10_000,
  shots: 10_000,
  ways: 1000,
  queries: 10_000,
  innerSteps: 1000,
  evalInnerSteps: 1000,
  valEvery: 10_000_000,
  valTasks: 100_000,
  patience: 1_000_000,
  /** an L2 weight far above any useful one (it would pull every weight to 0) */
  weightDecay: 10,
  hiddenLayers: 16,
  hiddenUnits: 4096,
  evalEpisodes: 1_000_000,
} as const;
