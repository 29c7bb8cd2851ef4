import type { FieldProblem } from '../../platform/http/field-errors';

const LOOPBACK_HOST = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/;

/**
 * A URL the appliance will call on a tenant's behalf (webhooks, the lookup hook, kintone). Call
 * events carry numbers and customer names, so they travel over TLS (Art. 8): plain http only for a
 * receiver on this machine (tests, a local relay), where nothing crosses a network. Credentials in
 * the URL are refused: they would show in every log line; requests are signed or carry headers.
 * Answers the normalised URL, or null after pushing a problem named `field`.
 */
export function outboundUrl(text: unknown, field: string, problems: FieldProblem[]): string | null {
  const trimmed = typeof text === 'string' ? text.trim() : '';
  if (!trimmed) {
    problems.push({ field, message: 'is required' });
    return null;
  }
  if (trimmed.length > 2000) {
    problems.push({ field, message: 'at most 2000 characters' });
    return null;
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    problems.push({ field, message: 'is not a valid URL' });
    return null;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOST.test(url.hostname))) {
    problems.push({ field, message: 'must start with https:// (plain http only for localhost)' });
    return null;
  }
  if (url.username || url.password) {
    problems.push({ field, message: 'must not contain credentials' });
    return null;
  }
  return trimmed;
}
