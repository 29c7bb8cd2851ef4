import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { json } from 'express';

interface BodyParserError extends Error {
  type?: string;
  limit?: number;
}

/**
 * JSON body parsing with the API's error shape: 400 for malformed JSON and 413 above the limit,
 * both with `errors: [{ field: '(body)', message }]`, answered before any handler runs.
 */
export function jsonBody(limit: string): RequestHandler {
  const parse = json({ limit });
  return (req: Request, res: Response, next: NextFunction) =>
    parse(req, res, (error?: BodyParserError) => {
      if (!error) return next();
      const tooLarge = error.type === 'entity.too.large';
      const status = tooLarge ? 413 : 400;
      const message = tooLarge ? `request body exceeds the ${limit} limit` : `malformed JSON: ${error.message}`;
      res.status(status).json({
        statusCode: status,
        error: tooLarge ? 'Payload Too Large' : 'Bad Request',
        message,
        errors: [{ field: '(body)', message }],
      });
    });
}
