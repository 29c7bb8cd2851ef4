import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

export interface FieldProblem {
  field: string;
  message: string;
}

function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** 400 with `errors: [{ field, message }]`, the one shape every validation failure takes. */
export function fieldErrors(problems: FieldProblem[]): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: problems.map((p) => `${p.field}: ${p.message}`).join('; '),
    errors: problems,
  });
}

export const fieldError = (field: string, message: string) => fieldErrors([{ field, message }]);

/** Whitelisting: unknown fields are rejected, not silently dropped; types are not coerced. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      fieldErrors(
        flatten(errors).map((p) =>
          p.message.endsWith('should not exist') ? { field: p.field, message: 'unknown field' } : p,
        ),
      ),
  });
}
