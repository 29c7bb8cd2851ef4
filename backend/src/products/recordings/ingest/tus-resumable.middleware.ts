import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { TUS_VERSION } from './tus-protocol';

/**
 * tus: every request and response but OPTIONS carries Tus-Resumable, and a request for a version
 * we do not speak gets 412. A middleware, so even the auth guard's 401/403 carry the header.
 */
@Injectable()
export class TusResumableMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    if (req.method === 'OPTIONS') return next();
    res.setHeader('Tus-Resumable', TUS_VERSION);
    const asked = req.headers['tus-resumable'];
    if (asked === TUS_VERSION) return next();
    const message = asked === undefined ? 'missing' : `version ${String(asked)} is not supported (use ${TUS_VERSION})`;
    res.setHeader('Tus-Version', TUS_VERSION);
    res.status(412).json({
      statusCode: 412,
      error: 'Precondition Failed',
      message: `Tus-Resumable: ${message}`,
      errors: [{ field: 'Tus-Resumable', message }],
    });
  }
}
