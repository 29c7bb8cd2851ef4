import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChrootPaths, PathOutsideInboxError } from './chroot-paths';

describe('ChrootPaths', () => {
  let dir: string;
  let inbox: string;
  let paths: ChrootPaths;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'chroot-paths-'));
    inbox = join(dir, 'inbox');
    mkdirSync(join(inbox, 'day1'), { recursive: true });
    mkdirSync(join(dir, 'elsewhere'));
    symlinkSync(join(dir, 'elsewhere'), join(inbox, 'out'));
    symlinkSync(join(inbox, 'day1'), join(inbox, 'today'));
    symlinkSync(join(dir, 'missing'), join(inbox, 'dangling'));
    paths = new ChrootPaths(inbox);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['', '/'],
    ['.', '/'],
    ['/', '/'],
    ['a.wav', '/a.wav'],
    ['/day1/../a.wav', '/a.wav'],
    ['//day1/./b.wav', '/day1/b.wav'],
    ['/etc/passwd', '/etc/passwd'], // absolute paths are taken inside the inbox, like a chroot
  ])('maps %j to %j', (client, virtual) => {
    expect(paths.toVirtual(client)).toBe(virtual);
  });

  it.each(['..', '/..', '../x', '/day1/../../x', 'a/../../etc', 'bad\0name', '.incoming-0123abcd.part'])(
    'refuses %j',
    (client) => {
      expect(() => paths.toVirtual(client)).toThrow(PathOutsideInboxError);
    },
  );

  it('resolves to host paths inside the inbox', async () => {
    await expect(paths.resolve('/day1/new.wav')).resolves.toEqual({
      virtual: '/day1/new.wav',
      host: join(inbox, 'day1', 'new.wav'),
    });
    await expect(paths.resolve('/not/yet/made.wav')).resolves.toMatchObject({
      host: join(inbox, 'not', 'yet', 'made.wav'),
    });
    await expect(paths.resolve('/today/x.wav')).resolves.toMatchObject({ virtual: '/today/x.wav' }); // a link that stays inside
  });

  it('refuses symlinks that lead out of the inbox, or nowhere', async () => {
    await expect(paths.resolve('/out')).rejects.toThrow('leads outside the inbox');
    await expect(paths.resolve('/out/new.wav')).rejects.toThrow('leads outside the inbox');
    await expect(paths.resolve('/dangling')).rejects.toThrow('dangling symlink');
    await expect(paths.resolve('/dangling/x')).rejects.toThrow(PathOutsideInboxError);
  });
});
