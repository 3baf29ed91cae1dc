/**
 * undici's `Pool` class, loaded from its own module rather than from undici's index.
 *
 * Why: the index loads all of undici at once (fetch, WebSocket, EventSource, caches, mocks),
 * about 10 MiB of resident memory in a process that only ever uses `Pool`. undici has no
 * `exports` map, so the module path resolves; it is the very class the index re-exports, and
 * test/undici-pool-is-undicis-own.test.ts checks that identity, so an undici upgrade that moves
 * the file fails the suite instead of production.
 */
import { createRequire } from 'node:module';
import type { Pool as UndiciPool } from 'undici';

const require = createRequire(import.meta.url);

export const Pool: typeof UndiciPool = require('undici/lib/dispatcher/pool.js');
export type Pool = UndiciPool;
