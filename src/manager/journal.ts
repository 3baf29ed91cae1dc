/**
 * The journal of runtime changes (Apache's BalancerPersist, made explicit): for each changed
 * setting, the value set and the config value it overrode. It is re-applied to every new
 * generation (reload) and, with `persist`, after a restart. The rule: a change is re-applied
 * only while the config still has the value it overrode, so a field edited in the config file
 * wins over an older runtime change to that field.
 */
import { resolve } from 'node:path';
import type { LiveBalancer, MemberState } from '../balancer/types.js';
import type { ProxyConfig } from '../config/types.js';
import type { ProxyLogger } from '../runtime/types.js';
import type { AddParams } from './change-validation.js';
import type { BalancerField, BalancerSettings, ManagerFlag, MemberField, MemberSettings } from './fields.js';
import {
  type BalancerJournal,
  emptyBalancer,
  journalText,
  type MemberJournal,
  type Override,
  readJournalFile,
} from './journal-file.js';
import { restoreBalancer } from './journal-restore.js';
import { writeFileAtomic } from './write-atomic.js';

export type { BalancerJournal, JournalFile, MemberJournal, Override } from './journal-file.js';

/** What re-applying the journal to a generation did. */
export interface RestoreReport {
  /** Changes applied to the new generation. */
  readonly applied: number;
  /** One line per change dropped because the config now sets the field (or lost its subject). */
  readonly dropped: readonly string[];
}

/** The runtime changes of one running proxy (see `createManagerJournal`). */
export interface ManagerJournal {
  /** The `persist` file in use (absolute), if any. */
  readonly file: string | undefined;
  /**
   * Re-applies the journal to a freshly built generation, before it serves. With `persist` in
   * the config, the file is read the first time (restart) and after its path changes.
   */
  restore(config: ProxyConfig, balancers: readonly LiveBalancer[], logger: ProxyLogger): RestoreReport;
  /** The journal of a balancer (empty when nothing was changed). */
  balancer(name: string): BalancerJournal;
  /** Records a balancer setting; a value equal to the config's removes the entry. */
  setBalancer<F extends BalancerField>(
    name: string,
    field: F,
    value: BalancerSettings[F],
    config: BalancerSettings[F],
  ): void;
  /** Records a member setting; a value equal to the config's removes the entry. */
  setMember<F extends MemberField>(
    name: string,
    url: string,
    field: F,
    value: MemberSettings[F],
    config: MemberSettings[F],
  ): void;
  /** Records a member flag; a value equal to the config's removes the entry. */
  setFlag(name: string, url: string, flag: ManagerFlag, value: boolean, config: boolean): void;
  /** Records a member added at runtime, with its live state (kept across reloads). */
  addMember(name: string, url: string, params: AddParams, state: MemberState): void;
  /** Writes the journal to the `persist` file, atomically; resolves at once without one. */
  save(): Promise<void>;
  /** Resolves when no write is in flight (failed writes included): the proxy's close waits for it. */
  settled(): Promise<void>;
}

/** The `persist` file of the config's first manager route that has one, resolved against the working directory. */
function persistFile(config: ProxyConfig): string | undefined {
  for (const route of config.routes) {
    if (route.kind === 'manager' && route.persist) return resolve(route.persist);
  }
  return undefined;
}

function setOverride<T>(slots: object, key: string, value: T, config: T, at: string) {
  const slot = slots as Record<string, Override<T> | undefined>;
  const existing = slot[key];
  if (value === config) delete slot[key];
  else if (existing?.value !== value) slot[key] = { value, config, at };
}

class Journal implements ManagerJournal {
  #balancers: Record<string, BalancerJournal> = {};
  #file: string | undefined;
  /** Live states of members added at runtime, by key, so a reload keeps their counters. */
  #added = new Map<string, MemberState>();
  #saving: Promise<void> = Promise.resolve();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  get file(): string | undefined {
    return this.#file;
  }

  restore(config: ProxyConfig, balancers: readonly LiveBalancer[], logger: ProxyLogger): RestoreReport {
    const file = persistFile(config);
    let loaded = false;
    if (file !== this.#file) {
      this.#file = file;
      if (file) {
        try {
          const fromFile = readJournalFile(file);
          if (fromFile) {
            this.#balancers = fromFile;
            loaded = true;
          }
        } catch (err) {
          logger.warn(
            `balancer-manager: cannot read ${file} (${(err as Error).message}); starting without saved changes, the file will be replaced at the next change`,
          );
        }
      }
    }
    const dropped: string[] = [];
    const drop = (line: string) => {
      dropped.push(line);
      logger.info(`balancer-manager: ${line}`);
    };
    let applied = 0;
    for (const [name, entry] of Object.entries(this.#balancers)) {
      const live = balancers.find((b) => b.name === name);
      if (!live) {
        drop(`balancer '${name}' is no longer in the config; dropped its runtime changes`);
        delete this.#balancers[name];
        continue;
      }
      applied += restoreBalancer(entry, live, config, this.#added, drop);
    }
    for (const key of [...this.#added.keys()]) {
      if (!balancers.some((b) => b.members.some((m) => m.key === key))) this.#added.delete(key);
    }
    if (loaded && applied > 0)
      logger.info(`balancer-manager: re-applied ${applied} runtime change(s) from ${file}`);
    if (dropped.length > 0) {
      this.save().catch((err: Error) =>
        logger.warn(`balancer-manager: cannot save ${this.#file}: ${err.message}`),
      );
    }
    return { applied, dropped };
  }

  balancer(name: string): BalancerJournal {
    return this.#balancers[name] ?? emptyBalancer();
  }

  #entry(name: string): BalancerJournal {
    this.#balancers[name] ??= emptyBalancer();
    return this.#balancers[name];
  }

  #member(name: string, url: string): MemberJournal {
    const entry = this.#entry(name);
    entry.members[url] ??= { settings: {}, status: {} };
    return entry.members[url];
  }

  #at(): string {
    return new Date(this.#now()).toISOString();
  }

  setBalancer<F extends BalancerField>(
    name: string,
    field: F,
    value: BalancerSettings[F],
    config: BalancerSettings[F],
  ) {
    setOverride(this.#entry(name).settings, field, value, config, this.#at());
    this.#prune(name);
  }

  setMember<F extends MemberField>(
    name: string,
    url: string,
    field: F,
    value: MemberSettings[F],
    config: MemberSettings[F],
  ) {
    setOverride(this.#member(name, url).settings, field, value, config, this.#at());
    this.#prune(name);
  }

  setFlag(name: string, url: string, flag: ManagerFlag, value: boolean, config: boolean) {
    setOverride(this.#member(name, url).status, flag, value, config, this.#at());
    this.#prune(name);
  }

  addMember(name: string, url: string, params: AddParams, state: MemberState) {
    this.#entry(name).added.push({ url, params, at: this.#at() });
    this.#added.set(state.key, state);
  }

  /** Removes entries left empty, so the file lists only what differs from the config. */
  #prune(name: string) {
    const entry = this.#balancers[name];
    if (!entry) return;
    for (const [url, m] of Object.entries(entry.members)) {
      if (Object.keys(m.settings).length === 0 && Object.keys(m.status).length === 0)
        delete entry.members[url];
    }
    const empty =
      Object.keys(entry.settings).length === 0 &&
      entry.added.length === 0 &&
      Object.keys(entry.members).length === 0;
    if (empty) delete this.#balancers[name];
  }

  save(): Promise<void> {
    const file = this.#file;
    if (!file) return Promise.resolve();
    // Writes are chained so that the last change is always the one left on disk.
    const write = () => writeFileAtomic(file, journalText(this.#balancers, this.#at()));
    this.#saving = this.#saving.then(write, write);
    return this.#saving;
  }

  settled(): Promise<void> {
    return this.#saving.then(
      () => undefined,
      () => undefined,
    );
  }
}

/**
 * The journal of runtime changes for one running proxy: create it once at start, call
 * `restore()` on every generation before it serves, and give it to every `createManager`.
 * @example
 * const journal = createManagerJournal(Date.now);
 * journal.restore(config, liveBalancers, logger); // at start and after each reload
 */
export function createManagerJournal(now: () => number = Date.now): ManagerJournal {
  return new Journal(now);
}
