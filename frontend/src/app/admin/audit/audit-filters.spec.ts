import { auditParams, brokenReasonKey, dayToIso, prettyDetails } from './audit-filters';

const none = { action: '', actor: '', target: '', from: '', to: '' };

describe('audit viewer filters', () => {
  it('sends only the filters that were filled in, trimmed', () => {
    expect(auditParams(none).keys()).toEqual([]);
    const p = auditParams({ ...none, action: ' flexlog.* ', target: ' call-1 ' });
    expect(p.get('action')).toBe('flexlog.*');
    expect(p.get('target')).toBe('call-1');
    expect(p.has('actorEmail')).toBe(false);
  });

  it('asks by id for an actor typed as a user id, otherwise by e-mail', () => {
    const id = '0b9d3c52-9f5e-4f43-a1a4-3f1e2d9c8b7a';
    expect(auditParams({ ...none, actor: id }).get('actorId')).toBe(id);
    const byMail = auditParams({ ...none, actor: 'Admin@Example.jp' });
    expect(byMail.get('actorEmail')).toBe('Admin@Example.jp');
    expect(byMail.has('actorId')).toBe(false);
  });

  it('turns days into a range from local midnight to the end of the last day', () => {
    const p = auditParams({ ...none, from: '2026-04-01', to: '2026-04-02' });
    expect(p.get('from')).toBe(new Date(2026, 3, 1).toISOString());
    expect(p.get('to')).toBe(new Date(2026, 3, 2, 23, 59, 59, 999).toISOString());
    expect(dayToIso('', false)).toBeNull();
  });

  it('names why a chain broke in the viewer language, or shows an unknown reason as it came', () => {
    expect(brokenReasonKey('sequence gap: expected 4, found 5')).toBe('audit.reasons.gap');
    expect(brokenReasonKey('previous-hash link does not match the entry before it')).toBe('audit.reasons.link');
    expect(brokenReasonKey('content does not match its hash (entry was altered)')).toBe('audit.reasons.altered');
    expect(brokenReasonKey('something new')).toBeNull();
    expect(brokenReasonKey(undefined)).toBeNull();
  });

  it('indents JSON details and leaves other text alone', () => {
    expect(prettyDetails('{"name":"東京","n":1}')).toBe('{\n  "name": "東京",\n  "n": 1\n}');
    expect(prettyDetails('not json')).toBe('not json');
  });
});
