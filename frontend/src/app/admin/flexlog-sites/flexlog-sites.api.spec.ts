import { Site, formPathOf, joinList, secondsSince, siteState, splitList } from './flexlog-sites.api';

describe('FlexLog site form helpers', () => {
  it('splits a text area by lines, commas and Japanese commas, dropping blanks', () => {
    expect(splitList('192.168.0.0/16\n fd00::/8 ,10.0.0.0/8、\n\n172.16.0.0/12')).toEqual([
      '192.168.0.0/16',
      'fd00::/8',
      '10.0.0.0/8',
      '172.16.0.0/12',
    ]);
    expect(splitList('  \n ')).toEqual([]);
    expect(splitList(joinList(['200-299', '3xxx']))).toEqual(['200-299', '3xxx']);
  });

  it("puts an API field error on the control that holds the entry's text", () => {
    const controls = new Set(['name', 'internalNetworks', 'lines', 'lines.0', 'lines.0.numbers', 'lines.1.name']);
    const exists = (path: string) => controls.has(path);
    expect(formPathOf('internalNetworks[1]', exists)).toBe('internalNetworks');
    expect(formPathOf('lines[0].numbers[2]', exists)).toBe('lines.0.numbers');
    expect(formPathOf('lines[1].name', exists)).toBe('lines.1.name');
    expect(formPathOf('lines[0]', exists)).toBe('lines.0');
    expect(formPathOf('webhookUrl', exists)).toBeNull();
  });

  it('counts seconds since a heartbeat, never below zero', () => {
    const now = Date.parse('2026-04-01T00:00:30Z');
    expect(secondsSince('2026-04-01T00:00:18Z', now)).toBe(12);
    expect(secondsSince('2026-04-01T00:00:31Z', now)).toBe(0);
    expect(secondsSince(null, now)).toBeNull();
  });

  it('treats a site without a status as never connected', () => {
    const site = { status: null } as Site;
    expect(siteState(site)).toBe('never');
    expect(siteState({ ...site, status: { state: 'online' } } as Site)).toBe('online');
  });
});
