import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type FSWatcher, watch } from 'chokidar';

export interface ConfigWatcherOptions {
  /** Quiet time after the last change before `onChange` runs: editors write a file several times per save. Default 50 ms. */
  readonly debounceMs?: number;
  /** Called once per burst of changes with the files that changed. */
  readonly onChange: (changed: readonly string[]) => void;
  readonly onError?: (error: Error) => void;
}

export interface ConfigWatcher {
  /** Replaces the watched set with the loader's latest inputs (a new import is watched, a dropped one is not). */
  update(inputs: readonly string[]): Promise<void>;
  /** Files watched now. */
  readonly files: readonly string[];
  close(): Promise<void>;
}

const ENV_USE = /\bloadEnvFile\b|\bdotenv\b|['"`]\.env/;

/**
 * The `.env`-style files beside the config, when one of its inputs reads env files
 * (`process.loadEnvFile`, dotenv, or a literal '.env' path): changing them must reload too.
 */
export function envFilesFor(configFile: string, inputs: readonly string[]): string[] {
  const readsEnv = inputs.some((f) => {
    try {
      return ENV_USE.test(readFileSync(f, 'utf8'));
    } catch {
      return false;
    }
  });
  if (!readsEnv) return [];
  const dir = dirname(resolve(configFile));
  return readdirSync(dir)
    .filter((name) => name === '.env' || name.startsWith('.env.'))
    .map((name) => join(dir, name));
}

/**
 * Watches the config and every local file it imports (chokidar), debouncing bursts of saves.
 * node_modules is never watched: packages change by install, not by editing.
 */
export async function watchConfig(
  configFile: string,
  inputs: readonly string[],
  opts: ConfigWatcherOptions,
): Promise<ConfigWatcher> {
  const debounceMs = opts.debounceMs ?? 50;
  const wantedFiles = (list: readonly string[]) =>
    new Set([resolve(configFile), ...list.map((f) => resolve(f)), ...envFilesFor(configFile, list)]);
  let watched = wantedFiles(inputs);
  let pending = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const watcher: FSWatcher = watch([...watched], {
    ignoreInitial: true,
    ignored: (path: string) => path.includes('/node_modules/'),
  });
  // Until the initial scan ends, a save could be missed.
  await new Promise<void>((done) => watcher.once('ready', () => done()));

  const flush = () => {
    timer = undefined;
    const changed = [...pending];
    pending = new Set();
    opts.onChange(changed);
  };
  watcher.on('all', (event, path) => {
    if (event !== 'change' && event !== 'add' && event !== 'unlink') return;
    pending.add(path);
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, debounceMs);
  });
  watcher.on('error', (error) => opts.onError?.(error instanceof Error ? error : new Error(String(error))));

  const update = async (next: readonly string[]) => {
    const wanted = wantedFiles(next);
    const added = [...wanted].filter((f) => !watched.has(f));
    const removed = [...watched].filter((f) => !wanted.has(f));
    if (removed.length) watcher.unwatch(removed);
    if (added.length) watcher.add(added);
    watched = wanted;
  };

  return {
    update,
    get files() {
      return [...watched];
    },
    async close() {
      if (timer) clearTimeout(timer);
      await watcher.close();
    },
  };
}
