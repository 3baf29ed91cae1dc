/** Paths the bench upstream answers; every scenario and peer probe uses these. */
export const upstreamPaths = {
  /** GET: a ~100 byte text body. */
  small: '/small',
  /** GET: a 1 MiB body. */
  large: '/large',
  /** POST: reads the body, answers a short JSON with its size. */
  echoSize: '/upload',
  /** GET: requests counted on this port so far (not counted itself). */
  count: '/__bench/count',
} as const;

export const SMALL_BODY_BYTES = 100;
export const LARGE_BODY_BYTES = 1024 * 1024;
