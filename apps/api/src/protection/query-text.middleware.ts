import type { RequestHandler } from 'express';
import { queryTextError } from './query-text';

/**
 * Runs the query-text check on GraphQL over HTTP (the JSON body's `query`, or `?query=` of a
 * GET) before Apollo parses it, and answers a refusal as a GraphQL error.
 */
export function queryTextMiddleware(maxTokens: number): RequestHandler {
  return (req, res, next) => {
    const body: unknown = req.body;
    const query =
      body && typeof body === 'object' && 'query' in body ? body.query : req.query['query'];
    const error = typeof query === 'string' ? queryTextError(query, maxTokens) : null;
    if (!error) {
      next();
      return;
    }
    const { http, ...extensions } = error.extensions as { http?: { status?: number } };
    res.status(http?.status ?? 400).json({ errors: [{ message: error.message, extensions }] });
  };
}
