/**
 * The journal's data and its file: plain JSON, readable and editable by hand, versioned.
 */
import { readFileSync } from 'node:fs';
import type { AddParams } from './change-validation.js';
import type { BalancerField, BalancerSettings, ManagerFlag, MemberField, MemberSettings } from './fields.js';

/** One changed setting: the value set at runtime and the config value it overrode. */
export interface Override<T> {
  readonly value: T;
  readonly config: T;
  /** When it was set (ISO 8601). */
  readonly at: string;
}

export interface MemberJournal {
  settings: { [F in MemberField]?: Override<MemberSettings[F]> };
  status: { [F in ManagerFlag]?: Override<boolean> };
}

export interface AddedMemberJournal {
  readonly url: string;
  readonly params: AddParams;
  readonly at: string;
}

export interface BalancerJournal {
  settings: { [F in BalancerField]?: Override<BalancerSettings[F]> };
  added: AddedMemberJournal[];
  /** By member URL. */
  members: Record<string, MemberJournal>;
}

/** The persisted file's content. */
export interface JournalFile {
  readonly format: 'tsx-proxy-manager-state';
  readonly version: 1;
  readonly savedAt: string;
  /** By balancer name. */
  readonly balancers: Record<string, BalancerJournal>;
}

export const JOURNAL_FORMAT = 'tsx-proxy-manager-state';

/** A balancer with no runtime change. */
export function emptyBalancer(): BalancerJournal {
  return { settings: {}, added: [], members: {} };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The file's balancers, or undefined when it is missing; throws when it is not a journal. */
export function readJournalFile(file: string): Record<string, BalancerJournal> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const data: unknown = JSON.parse(text);
  if (!isRecord(data) || data.format !== JOURNAL_FORMAT || data.version !== 1 || !isRecord(data.balancers)) {
    throw new Error(`not a ${JOURNAL_FORMAT} version 1 file`);
  }
  const out: Record<string, BalancerJournal> = {};
  for (const [name, entry] of Object.entries(data.balancers)) {
    if (!isRecord(entry)) continue;
    out[name] = {
      settings: isRecord(entry.settings) ? (entry.settings as BalancerJournal['settings']) : {},
      added: Array.isArray(entry.added) ? (entry.added as AddedMemberJournal[]) : [],
      members: isRecord(entry.members) ? (entry.members as BalancerJournal['members']) : {},
    };
    for (const [url, member] of Object.entries(out[name].members)) {
      out[name].members[url] = {
        settings: isRecord(member?.settings) ? member.settings : {},
        status: isRecord(member?.status) ? member.status : {},
      };
    }
  }
  return out;
}

/** The file's content for `balancers`, as written. */
export function journalText(balancers: Record<string, BalancerJournal>, savedAt: string): string {
  const content: JournalFile = { format: JOURNAL_FORMAT, version: 1, savedAt, balancers };
  return `${JSON.stringify(content, null, 2)}\n`;
}
