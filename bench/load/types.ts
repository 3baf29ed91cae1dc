/** One measurement: `connections` clients hammering `url` for `durationSec`. */
export interface LoadSpec {
  /** `http://...` for HTTP drivers, `ws://...` for the WebSocket driver. */
  readonly url: string;
  readonly method: 'GET' | 'POST';
  /** Request body size (POST), or WebSocket message size. */
  readonly bodyBytes: number;
  readonly connections: number;
  readonly durationSec: number;
}

/** What every driver reports, whatever the tool underneath. */
export interface LoadResult {
  /** Completed requests (or WebSocket round trips) per second. */
  readonly requestsPerSec: number;
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Socket errors, timeouts and non-2xx responses: a proxy that fails fast must not look fast. */
  readonly errors: number;
  /** Bytes read per response, headers included (a sanity check on what was served). */
  readonly bytesPerResponse: number;
}

/** A load generator run as a separate process. */
export interface LoadDriver {
  /** Name and version, for the report header. */
  readonly description: string;
  run(spec: LoadSpec): Promise<LoadResult>;
}
