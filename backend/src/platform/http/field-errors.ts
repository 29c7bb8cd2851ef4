import { BadRequestException } from '@nestjs/common';

export interface FieldProblem {
  field: string;
  message: string;
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
