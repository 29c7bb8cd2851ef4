import { buildSipMessage } from './sip-message-builder';
import { FramerProblem, MAX_SIP_BODY_BYTES, SipStreamFramer } from './sip-stream-framer';

function message(cseq: number, body = ''): Buffer {
  return buildSipMessage({
    startLine: 'INFO sip:a@h SIP/2.0',
    headers: [
      ['f', '<sip:a@h>;tag=1'],
      ['t', '<sip:b@h>;tag=2'],
      ['i', 'cid'],
      ['CSeq', `${cseq} INFO`],
    ],
    body,
  });
}

function framer() {
  const messages: string[] = [];
  const problems: [FramerProblem, number][] = [];
  const instance = new SipStreamFramer(
    (m) => messages.push(m.toString()),
    (p, n) => problems.push([p, n]),
  );
  return { instance, messages, problems };
}

describe('SipStreamFramer', () => {
  it('cuts several messages out of one chunk by Content-Length', () => {
    const { instance, messages } = framer();
    instance.push(Buffer.concat([message(1, 'hello'), message(2), message(3, 'x\r\n\r\ny')]));
    expect(messages).toHaveLength(3);
    expect(messages[0].endsWith('hello')).toBe(true);
    expect(messages[2].endsWith('x\r\n\r\ny')).toBe(true);
  });

  it('reassembles a message split at every possible byte', () => {
    const whole = Buffer.concat([message(1, 'v=0\r\nbody'), message(2)]);
    for (let cut = 1; cut < whole.length; cut++) {
      const { instance, messages } = framer();
      instance.push(whole.subarray(0, cut));
      instance.push(whole.subarray(cut));
      expect(messages).toEqual([message(1, 'v=0\r\nbody').toString(), message(2).toString()]);
    }
  });

  it('reassembles a message delivered one byte at a time', () => {
    const whole = message(9, 'abc');
    const { instance, messages } = framer();
    for (let i = 0; i < whole.length; i++) instance.push(whole.subarray(i, i + 1));
    expect(messages).toEqual([whole.toString()]);
    expect(instance.pendingBytes).toBe(0);
  });

  it('skips keep-alive CRLFs and drops junk up to the next start line', () => {
    const { instance, messages, problems } = framer();
    instance.push(
      Buffer.concat([Buffer.from('\r\n\r\n'), Buffer.from('garbage\x00\xff\r\nmore junk\r\n'), message(1)]),
    );
    expect(messages).toHaveLength(1);
    expect(problems[0][0]).toBe('junk');
    expect(problems[0][1]).toBe('garbage\x00\xff\r\nmore junk\r\n'.length + 1);
  });

  it('counts an absurd Content-Length and an endless header section, and keeps bounded', () => {
    const { instance, messages, problems } = framer();
    const bad = buildSipMessage({
      startLine: 'INFO sip:a@h SIP/2.0',
      headers: [['i', 'x']],
      contentLength: MAX_SIP_BODY_BYTES + 1,
    });
    instance.push(Buffer.concat([bad, message(2)]));
    expect(messages).toHaveLength(1);
    expect(problems.map((p) => p[0])).toContain('oversized');

    const endless = framer();
    endless.instance.push(Buffer.from('INFO sip:a@h SIP/2.0\r\n'));
    for (let i = 0; i < 200; i++) endless.instance.push(Buffer.from(`X-Filler-${i}: ${'a'.repeat(1000)}\r\n`));
    expect(endless.instance.pendingBytes).toBeLessThanOrEqual(128 * 1024 + 2000);
    expect(endless.problems.map((p) => p[0])).toContain('oversized');
  });

  it('follows SIP over WebSocket after the HTTP upgrade (masked client frames, fragments)', () => {
    const client = framer();
    client.instance.push(
      Buffer.from(
        'GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Protocol: sip\r\n\r\n',
      ),
    );
    const sip = message(1, 'v=0');
    const mask = Buffer.from([1, 2, 3, 4]);
    const frame = (fin: boolean, opcode: number, data: Buffer) => {
      const masked = Buffer.from(data.map((b, i) => b ^ mask[i & 3]));
      const head =
        data.length < 126
          ? Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | data.length])
          : Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | 126, data.length >> 8, data.length & 0xff]);
      return Buffer.concat([head, mask, masked]);
    };
    const half = sip.length >> 1;
    const frames = Buffer.concat([
      frame(false, 1, sip.subarray(0, half)),
      frame(true, 0, sip.subarray(half)),
      frame(true, 9, Buffer.from('ping')),
    ]);
    client.instance.push(frames.subarray(0, 5));
    client.instance.push(frames.subarray(5));
    expect(client.messages).toEqual([sip.toString()]);

    const server = framer();
    server.instance.push(
      Buffer.from('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'),
    );
    server.instance.push(Buffer.concat([Buffer.from([0x81, 126, sip.length >> 8, sip.length & 0xff]), sip]));
    expect(server.messages).toEqual([sip.toString()]);
  });

  it('gives up on a connection that carries another protocol', () => {
    const { instance, messages, problems } = framer();
    for (let i = 0; i < 100; i++) instance.push(Buffer.from(`binary-ish line ${i} ${'z'.repeat(1000)}\n`));
    instance.push(message(1));
    expect(messages).toEqual([]);
    expect(problems.map((p) => p[0])).toContain('notSip');
    expect(instance.pendingBytes).toBe(0);
  });

  it('stops following a WebSocket stream with reserved bits set', () => {
    const { instance, messages, problems } = framer();
    instance.push(Buffer.from('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n'));
    instance.push(Buffer.from([0xf1, 0x02, 0x41, 0x42]));
    instance.push(message(1));
    expect(messages).toEqual([]);
    expect(problems[0][0]).toBe('badWebSocketFrame');
  });
});
