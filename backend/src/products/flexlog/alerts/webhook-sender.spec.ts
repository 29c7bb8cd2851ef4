import { createHmac } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postSignedJson } from './webhook-sender';

/** A loopback receiver whose answer each test decides. */
async function receiver(answer: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => answer(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('postSignedJson', () => {
  it('signs the exact body with HMAC-SHA256 and passes the extra headers', async () => {
    let seen: { signature?: string; delivery?: string; body: string } = { body: '' };
    const r = await receiver((req, res, body) => {
      seen = {
        signature: req.headers['x-flexlog-signature'] as string,
        delivery: req.headers['x-flexlog-delivery'] as string,
        body,
      };
      res.writeHead(202).end('ignored');
    });
    try {
      const status = await postSignedJson(r.url, { site: '東京本社', n: 1 }, 'whsec_test', {
        'x-flexlog-delivery': 'd-1',
      });
      expect(status).toBe(202);
      expect(JSON.parse(seen.body)).toEqual({ site: '東京本社', n: 1 });
      expect(seen.signature).toBe(`sha256=${createHmac('sha256', 'whsec_test').update(seen.body).digest('hex')}`);
      expect(seen.delivery).toBe('d-1');
    } finally {
      await r.close();
    }
  });

  it('gives up on a receiver that does not answer in time', async () => {
    const r = await receiver(() => undefined); // never answers
    try {
      const started = Date.now();
      await expect(postSignedJson(r.url, {}, 's', {}, 200)).rejects.toThrow('no answer within 200 ms');
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await r.close();
    }
  });

  it('treats redirects and errors as failures, without following them', async () => {
    let hits = 0;
    const r = await receiver((req, res) => {
      hits += 1;
      if (req.url === '/hook') res.writeHead(302, { location: '/elsewhere' }).end();
      else res.writeHead(200).end();
    });
    try {
      await expect(postSignedJson(r.url, {}, 's', {})).rejects.toThrow('answered HTTP 302');
      expect(hits).toBe(1);
    } finally {
      await r.close();
    }
    await expect(postSignedJson(r.url, {}, 's', {}, 1000)).rejects.toThrow(/ECONNREFUSED|connect/);
  });
});
