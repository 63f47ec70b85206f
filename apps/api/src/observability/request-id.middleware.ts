import { REQUEST_ID_HEADER, requestIdFrom, withLogContext } from '@quorum/observability';
import type { RequestHandler } from 'express';

/**
 * Takes the caller's `x-request-id` (or makes one), returns it in the response header and
 * runs the rest of the request in a log context, so every line logged for it names it.
 */
export function requestIdMiddleware(): RequestHandler {
  return (req, res, next) => {
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    res.locals['requestId'] = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    withLogContext({ requestId }, next);
  };
}
