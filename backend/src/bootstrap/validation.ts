import { ValidationError, ValidationPipe } from '@nestjs/common';
import { fieldErrors, FieldProblem } from '../platform/http/field-errors';

function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

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
