// Errors the server answers with: an HTTP status and a JSON body naming what was wrong,
//   { "error": "<code>", "message": "<sentence>", ...details }
// where <code> is the limit or the check that refused the request (max_body_bytes, max_pairs,
// max_code_chars, invalid_json, invalid_utf8, missing_field, wrong_type, ...). Anything else
// thrown while answering becomes a 500 with error "internal" (and is counted in /metrics).

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return { error: this.code, message: this.message, ...this.details };
  }
}

export const missing = (field: string) => new HttpError(400, 'missing_field', `the field '${field}' is required`, { field });
export const wrongType = (field: string, want: string, got: unknown) =>
  new HttpError(400, 'wrong_type', `the field '${field}' must be ${want}, got ${got === null ? 'null' : Array.isArray(got) ? 'an array' : typeof got}`, { field });
export const tooLarge = (limit: string, max: number, got: number, what: string) =>
  new HttpError(limit === 'max_body_bytes' ? 413 : 422, limit, `${what} is over the limit ${limit} = ${max} (got ${got})`, { limit, max, got });
