import { fieldError } from '../../../platform/http/field-errors';

/** Keyset position: the last row's start time and id (ids break ties between equal times). */
export interface CallCursor {
  t: number;
  id: string;
}

export const encodeCursor = (c: CallCursor) => Buffer.from(`${c.t}.${c.id}`).toString('base64url');

export function decodeCursor(raw: string): CallCursor {
  const m = /^(\d{1,15})\.([0-9a-f-]{36})$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  if (!m) throw fieldError('cursor', 'is not one this server issued');
  return { t: Number(m[1]), id: m[2] };
}
