import type { Site } from '../dsl/spec.js';
import { durationMs } from './duration.js';
import type { IssueList } from './issues.js';

/**
 * Reads typed values out of user options, reporting each bad one at its path. Types already
 * reject most mistakes in the editor; this catches what they cannot (ranges, JavaScript configs).
 */
export class ValueReader {
  constructor(
    readonly issues: IssueList,
    readonly path: string,
    readonly site: Site,
  ) {}

  at(path: string, site: Site = this.site): ValueReader {
    return new ValueReader(this.issues, path, site);
  }

  #bad(key: string, message: string, hint: string): undefined {
    this.issues.error('TSXP_BAD_VALUE', `${this.path}.${key}`, message, hint, this.site);
    return undefined;
  }

  duration(key: string, value: unknown, minMs = 0): number | undefined {
    if (value === undefined) return undefined;
    const ms = durationMs(value);
    if (ms === undefined) {
      this.issues.error(
        'TSXP_BAD_DURATION',
        `${this.path}.${key}`,
        `${key} ${JSON.stringify(value)} is not a duration`,
        `write seconds as a number (${key}: 5) or a string with a unit ('500ms', '5s', '2m', '1h')`,
        this.site,
      );
      return undefined;
    }
    if (ms < minMs)
      return this.#bad(
        key,
        `${key} ${JSON.stringify(value)} is below ${minMs} ms`,
        `use at least ${minMs}ms`,
      );
    return ms;
  }

  int(key: string, value: unknown, min: number, max: number): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      return this.#bad(
        key,
        `${key} ${JSON.stringify(value)} is not a whole number in ${min}..${max}`,
        `use a whole number from ${min} to ${max}`,
      );
    }
    return value;
  }

  bool(key: string, value: unknown): boolean | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean')
      return this.#bad(
        key,
        `${key} ${JSON.stringify(value)} is not true or false`,
        `use ${key}: true or ${key}: false`,
      );
    return value;
  }

  string(key: string, value: unknown, maxLength = Number.POSITIVE_INFINITY): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string')
      return this.#bad(key, `${key} ${JSON.stringify(value)} is not a string`, `give ${key} as a string`);
    if (value.length > maxLength)
      return this.#bad(key, `${key} is longer than ${maxLength} characters`, `shorten ${key}`);
    return value;
  }

  oneOf<T extends string>(key: string, value: unknown, allowed: readonly T[]): T | undefined {
    if (value === undefined) return undefined;
    if (!allowed.includes(value as T)) {
      return this.#bad(
        key,
        `${key} ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`,
        `use one of: ${allowed.map((a) => `'${a}'`).join(', ')}`,
      );
    }
    return value as T;
  }

  object(key: string, value: unknown): object | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return this.#bad(key, `${key} must be an object`, `give ${key} as { ... }`);
    }
    return value;
  }
}
