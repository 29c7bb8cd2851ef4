import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  limit?: number;
}

/**
 * Turns body-parser failures into the API's field-error shape (400 malformed JSON, 413 too large)
 * and lets Nest handle everything else.
 */
@Catch()
export class HttpErrorFilter extends BaseExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  override catch(error: unknown, host: ArgumentsHost): void {
    const e = error as BodyParserError;
    const res = host.switchToHttp().getResponse<Response>();
    if (!(error instanceof HttpException) && e?.type === 'entity.too.large') {
      res.status(413).json({
        statusCode: 413,
        error: 'Payload Too Large',
        message: `request body exceeds ${e.limit} bytes`,
        errors: [{ field: '(body)', message: `larger than the ${e.limit}-byte limit` }],
      });
      return;
    }
    if (!(error instanceof HttpException) && (e?.type === 'entity.parse.failed' || e?.status === 400)) {
      res.status(400).json({
        statusCode: 400,
        error: 'Bad Request',
        message: `malformed JSON: ${e.message}`,
        errors: [{ field: '(body)', message: `malformed JSON: ${e.message}` }],
      });
      return;
    }
    if (!(error instanceof HttpException)) this.logger.error(e?.stack ?? String(error));
    super.catch(error, host);
  }
}
