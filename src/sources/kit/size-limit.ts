// The size limit of one API answer (max_response_bytes). It is enforced on the answer's stream by
// http-call.ts, for both clouds, whatever reads the body.

export const RESPONSE_TOO_LARGE = 'answer exceeds the response size limit';
