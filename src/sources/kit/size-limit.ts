// The size limit of one API answer (max_response_bytes). It is enforced on the answer's stream by
// http-call.ts, for both clouds, whatever reads the body.

export const RESPONSE_TOO_LARGE = 'answer exceeds the response size limit';

/** Default limit for one API answer: far above any real scan status answer. */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
