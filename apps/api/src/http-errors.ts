import type { Logger } from '@quorum/observability';
import type { ErrorRequestHandler } from 'express';

interface HttpError {
  type?: unknown;
  status?: unknown;
  statusCode?: unknown;
  limit?: unknown;
}

/** body-parser's error types, as the client should read them. */
const BODY_ERRORS: Record<
  string,
  { status: number; code: string; message: (e: HttpError) => string }
> = {
  'entity.parse.failed': {
    status: 400,
    code: 'BAD_REQUEST',
    message: () => 'The request body is not valid JSON',
  },
  'entity.too.large': {
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    message: (e) =>
      `The request body is over ${typeof e.limit === 'number' ? `${e.limit} bytes` : 'the limit'} (QUORUM_MAX_BODY_BYTES)`,
  },
  'encoding.unsupported': {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: () => 'The request body has an unsupported content encoding',
  },
  'charset.unsupported': {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: () => 'The request body has an unsupported charset',
  },
  'request.aborted': {
    status: 400,
    code: 'BAD_REQUEST',
    message: () => 'The request was aborted before its body was read',
  },
  'request.size.invalid': {
    status: 400,
    code: 'BAD_REQUEST',
    message: () => 'The request body is shorter or longer than its content-length',
  },
};

/**
 * The last Express handler: an error raised before GraphQL (an unreadable or oversized body)
 * or by another route is answered as a GraphQL-shaped JSON error with no stack and no file
 * path, and logged as one JSON line (Express's own handler answers an HTML page with the
 * stack and prints it to stderr).
 */
export function jsonErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const e = (error && typeof error === 'object' ? error : {}) as HttpError;
    const known = typeof e.type === 'string' ? BODY_ERRORS[e.type] : undefined;
    const status =
      known?.status ??
      (typeof e.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : 500);
    const code = known?.code ?? (status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST');
    const message = known
      ? known.message(e)
      : status === 500
        ? 'Internal server error'
        : 'The request could not be read';
    if (status === 500) logger.error({ err: error, method: req.method, path: req.path }, message);
    else logger.warn({ method: req.method, path: req.path, status, code }, message);
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  };
}
