/**
 * The one serializer between the settings table (settings.ts) and the
 * address. Pure: it sees the search and hash as strings, so Node tests run
 * it without a DOM.
 *
 * Form: `#v=1&data=sinusoid&algorithm=fomaml&shots=5&…&backend=auto`, every
 * shareable setting written, so a link keeps meaning the same setup when
 * defaults change. Reading accepts any subset (`#algorithm=fomaml&shots=5`):
 * missing settings take the defaults of the algorithm named. Settings may
 * also come from the query string (`?backend=wasm`); the fragment wins.
 *
 * Invariants: reading never throws; every value it cannot use (bad value,
 * unknown key in the fragment, bad encoding, newer format) becomes a problem
 * naming the key and the value, and the default is used instead. Unknown
 * query parameters are ignored silently: the query belongs to whoever links
 * here too (utm_source and the like). Fragments that are not settings (a
 * share link `#s1.…`, a view such as `#benchmark`) are never read or
 * written here. `v` versions the form: a future change bumps URL_VERSION
 * and appends a migration, so old links keep working.
 */
import type { AlgorithmName } from '../../core/spec/config';
import type { BuiltinName } from '../../core/spec/builtin';
import { defaultSettings, URL_SETTINGS, type AnySetting, type UrlSettings } from './settings';

/** The version of the form this app writes. */
export const URL_VERSION = 1;

/** The parameters of one version turned into those of the next. */
export type UrlMigration = (params: Map<string, string>) => Map<string, string>;

/** URL_MIGRATIONS[i] migrates version i + 1 to version i + 2 (none yet: 1 is the first). */
export const URL_MIGRATIONS: readonly UrlMigration[] = [];

export type FragmentKind = 'none' | 'settings' | 'share' | 'other';

/** What a `location.hash` holds: nothing, settings, a share link, or something else (a view). */
export function fragmentKind(hash: string): FragmentKind {
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  if (body === '') return 'none';
  // Any "s<digits>." is a session link, as ui/sessions/start.ts reads it.
  if (/^s\d+\./.test(body)) return 'share';
  return body.includes('=') ? 'settings' : 'other';
}

export interface UrlProblem {
  key: string;
  value: string;
  message: string;
}

export interface UrlRead {
  settings: UrlSettings;
  problems: UrlProblem[];
}

const BY_KEY = new Map<string, AnySetting>(URL_SETTINGS.map((s) => [s.key, s]));

const shown = (value: string) => (value.length > 40 ? `${value.slice(0, 40)}…` : value);

interface Pair {
  key: string;
  value: string;
}

/** `a=1&b=2` → pairs, decoded; a part that is not valid percent-encoding is a problem. */
function pairsOf(body: string, problems: UrlProblem[]): Pair[] {
  const pairs: Pair[] = [];
  for (const part of body.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    try {
      pairs.push({ key: decodeURIComponent(rawKey), value: decodeURIComponent(rawValue) });
    } catch {
      problems.push({
        key: rawKey,
        value: rawValue,
        message: `"${shown(part)}" in the address is not valid URL encoding; it was ignored.`,
      });
    }
  }
  return pairs;
}

/** Near misses of a known key ("Shots", "inner_lr"), for a hint. */
function suggestion(key: string): string {
  const norm = (k: string) => k.toLowerCase().replace(/[-_]/g, '');
  const near = URL_SETTINGS.find((s) => norm(s.key) === norm(key));
  return near ? ` (did you mean ${near.key}?)` : '';
}

/** The version the fragment says, after reporting a bad or newer one. */
function versionOf(value: string | undefined, current: number, problems: UrlProblem[]): number {
  if (value === undefined) return 1; // the short hand-written form: read as the first version
  const v = /^\d{1,6}$/.test(value.trim()) ? Number(value) : NaN;
  if (!(v >= 1)) {
    problems.push({
      key: 'v',
      value,
      message: `v=${shown(value)}: not a version of the settings form (a whole number ≥ 1); read as v=${current}.`,
    });
    return current;
  }
  if (v > current) {
    problems.push({
      key: 'v',
      value,
      message: `v=${v}: this link was made by a newer version of the app; the settings this version knows were read, the others ignored.`,
    });
    return current;
  }
  return v;
}

/** The fragment's parameters in the current version's terms. */
function fragmentParams(
  hash: string,
  problems: UrlProblem[],
  opts: { version: number; migrations: readonly UrlMigration[] },
): Map<string, string> {
  let params = new Map<string, string>();
  for (const { key, value } of pairsOf(hash.replace(/^#/, ''), problems)) {
    const before = params.get(key);
    if (before !== undefined && before !== value)
      problems.push({
        key,
        value,
        message: `${key} is given twice (${shown(before)}, ${shown(value)}); the last one is used.`,
      });
    params.set(key, value);
  }
  const version = versionOf(params.get('v'), opts.version, problems);
  params.delete('v');
  for (let from = version; from < opts.version; from++) {
    const migrate = opts.migrations[from - 1];
    if (migrate) params = migrate(params);
  }
  for (const [key, value] of params) {
    if (BY_KEY.has(key)) continue;
    problems.push({
      key,
      value,
      message: `${key}=${shown(value)}: not a setting of this app${suggestion(key)}; it was ignored.`,
    });
    params.delete(key);
  }
  return params;
}

/** The localStorage key of the remembered settings. */
export const REMEMBERED_KEY = 'meta-learning-playground.settings';

/** The settings marked `remember` in the query form (`backend=wasm`), for localStorage. */
export function rememberedText(s: UrlSettings): string {
  const parts: string[] = [];
  for (const setting of URL_SETTINGS) {
    if (!setting.remember) continue;
    const value: unknown = setting.get(s);
    if (value !== null) parts.push(`${setting.key}=${encodeValue(setting.type.format(value))}`);
  }
  return parts.join('&');
}

/**
 * The settings an address asks for: the defaults, then what this browser
 * remembered (`remembered`, rememberedText's form; only settings marked
 * `remember`, and a value it cannot use is dropped silently: the address did
 * not say it), then the query string, then the fragment (when it holds
 * settings). Never throws.
 */
export function readUrl(
  search: string,
  hash: string,
  opts: {
    version?: number;
    migrations?: readonly UrlMigration[];
    remembered?: string | null;
  } = {},
): UrlRead {
  const problems: UrlProblem[] = [];
  const params = new Map<string, string>();
  for (const { key, value } of pairsOf(opts.remembered ?? '', [])) {
    const setting = BY_KEY.get(key);
    if (setting?.remember && setting.type.parse(value) !== undefined) params.set(key, value);
  }
  for (const { key, value } of pairsOf(search.replace(/^\?/, ''), problems))
    if (BY_KEY.has(key)) params.set(key, value);
  if (fragmentKind(hash) === 'settings') {
    const fromHash = fragmentParams(hash, problems, {
      version: opts.version ?? URL_VERSION,
      migrations: opts.migrations ?? URL_MIGRATIONS,
    });
    for (const [key, value] of fromHash) params.set(key, value);
  }

  const parse = (setting: AnySetting, fallback: UrlSettings): unknown => {
    const text = params.get(setting.key);
    if (text === undefined) return undefined;
    const value: unknown = setting.type.parse(text);
    if (value === undefined) {
      const def = setting.get(fallback);
      const used =
        def === null ? 'it was ignored' : `the default ${setting.type.format(def)} is used`;
      problems.push({
        key: setting.key,
        value: text,
        message:
          text.trim() === ''
            ? `${setting.key} has no value (expected ${setting.type.allowed}); ${used}.`
            : `${setting.key}=${shown(text)}: expected ${setting.type.allowed}; ${used}.`,
      });
    }
    return value;
  };

  // The algorithm and the data first: the other settings default to their values
  // (an image family's are Conv-4's, unless the address names another network).
  const algorithmSetting = BY_KEY.get('algorithm') as AnySetting;
  const dataSetting = BY_KEY.get('data') as AnySetting;
  const algorithm = parse(algorithmSetting, defaultSettings()) as AlgorithmName | undefined;
  const family = parse(dataSetting, defaultSettings()) as BuiltinName | undefined;
  const imageBase = params.get('backbone') === undefined && family !== undefined;
  const base = imageBase
    ? defaultSettings(algorithm, family)
    : { ...defaultSettings(algorithm), ...(family !== undefined ? { family } : {}) };
  let settings = base;
  for (const setting of URL_SETTINGS) {
    if (setting === algorithmSetting || setting === dataSetting) continue;
    const value = parse(setting, base);
    if (value !== undefined) settings = setting.set(settings, value);
  }
  return { settings, problems };
}

/** Percent-encoding, but commas stay readable (hidden=40,40). */
const encodeValue = (text: string) => encodeURIComponent(text).replace(/%2C/gi, ',');

/** The fragment (with '#') that carries every shareable setting. */
export function settingsHash(s: UrlSettings): string {
  const parts = [`v=${URL_VERSION}`];
  for (const setting of URL_SETTINGS) {
    if (setting.home !== 'hash') continue;
    const value: unknown = setting.get(s);
    if (value !== null) parts.push(`${setting.key}=${encodeValue(setting.type.format(value))}`);
  }
  return `#${parts.join('&')}`;
}
