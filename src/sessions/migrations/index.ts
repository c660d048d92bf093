/**
 * Every migration step, in order: MIGRATIONS[k] upgrades version k to k + 1,
 * so restore can walk from any old version to the current one. Adding a
 * version means appending its step here (a test checks the chain is complete).
 */
import type { Migration } from './types';
import { v0ToV1 } from './v0';
import { v1ToV2 } from './v1';

export type { Migration, MigrationResult } from './types';

export const MIGRATIONS: readonly Migration[] = [v0ToV1, v1ToV2];
