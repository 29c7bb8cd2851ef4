import { Client, type SFTPWrapper } from 'ssh2';

// The ssh2 client, for what OpenSSH's command-line tools cannot do on cue: many quick password
// logins from chosen source addresses, and an upload left open while the server shuts down.

const base = (port: number, username: string, password: string, localAddress?: string) => ({
  host: '127.0.0.1',
  port,
  username,
  password,
  localAddress,
  tryKeyboard: false,
  readyTimeout: 20_000,
});

/** One password login; 'ok' once authenticated (then disconnects), 'refused' when denied. */
export function ssh2Login(
  port: number,
  username: string,
  password: string,
  localAddress?: string,
): Promise<'ok' | 'refused'> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.once('ready', () => {
      client.end();
      resolve('ok');
    });
    client.once('error', (error: Error & { level?: string }) => {
      if (error.level === 'client-authentication') resolve('refused');
      else reject(error);
    });
    client.connect(base(port, username, password, localAddress));
  });
}

/** Opens `remotePath` for writing and writes `data`, but never closes it: an upload in progress. */
export function ssh2Upload(port: number, username: string, password: string, remotePath: string, data: Buffer) {
  return new Promise<{ closed: Promise<void>; drop: () => void }>((resolve, reject) => {
    const client = new Client();
    const closed = new Promise<void>((done) => client.once('close', () => done()));
    client.on('error', () => undefined); // the server going away mid-upload is the point
    client.once('ready', () => {
      client.sftp((error, sftp) => {
        if (error) return reject(error);
        sftp.open(remotePath, 'w', (openError, handle) => {
          if (openError) return reject(openError);
          sftp.write(handle, data, 0, data.length, 0, (writeError) =>
            writeError ? reject(writeError) : resolve({ closed, drop: () => client.end() }),
          );
        });
      });
    });
    client.connect(base(port, username, password));
  });
}

/** An SFTP session through ssh2, for checking the exact status code the server answers. */
export function ssh2Sftp(port: number, username: string, password: string) {
  return new Promise<{ sftp: SFTPWrapper; end: () => void }>((resolve, reject) => {
    const client = new Client();
    client.once('error', reject);
    client.once('ready', () =>
      client.sftp((error, sftp) => (error ? reject(error) : resolve({ sftp, end: () => client.end() }))),
    );
    client.connect(base(port, username, password));
  });
}

/** The SFTP status code a callback-style call fails with (0 when it succeeds). */
export function sftpStatus(call: (done: (error?: Error | null) => void) => void): Promise<number> {
  return new Promise((resolve) =>
    call((error) => resolve(error ? Number((error as Error & { code?: number }).code) : 0)),
  );
}
