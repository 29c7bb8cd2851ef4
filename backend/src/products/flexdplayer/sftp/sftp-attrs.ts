import type { Stats } from 'node:fs';
import type { Attributes, FileEntry } from 'ssh2';

/** SFTP attributes of a file as ssh2 sends them (times in seconds). */
export function toAttrs(stats: Stats): Attributes {
  return {
    mode: stats.mode,
    uid: stats.uid,
    gid: stats.gid,
    size: stats.size,
    atime: Math.floor(stats.atimeMs / 1000),
    mtime: Math.floor(stats.mtimeMs / 1000),
  };
}

/** A READDIR entry; `longname` is what OpenSSH's `ls -l` prints verbatim, so it mimics `ls -l`. */
export function toFileEntry(name: string, stats: Stats): FileEntry {
  const when = stats.mtime;
  const month = when.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const day = String(when.getUTCDate()).padStart(2, ' ');
  const time = `${String(when.getUTCHours()).padStart(2, '0')}:${String(when.getUTCMinutes()).padStart(2, '0')}`;
  const longname = `${modeString(stats)} 1 sftp sftp ${String(stats.size).padStart(10)} ${month} ${day} ${time} ${name}`;
  return { filename: name, longname, attrs: toAttrs(stats) };
}

function modeString(stats: Stats): string {
  const type = stats.isDirectory() ? 'd' : stats.isSymbolicLink() ? 'l' : '-';
  const bits = 'rwxrwxrwx'
    .split('')
    .map((letter, i) => (stats.mode & (0o400 >> i) ? letter : '-'))
    .join('');
  return type + bits;
}
