import { parseNameAddr, splitHeaderList, uriHost, uriUser } from './sip-address';
import { header, MAX_SIP_HEADER_BYTES, parseSipMessage, SipMessage } from './sip-message';
import { buildSipMessage } from './sip-message-builder';

function parsed(text: string | Buffer): SipMessage {
  const result = parseSipMessage(typeof text === 'string' ? Buffer.from(text) : text);
  if (!result.ok) throw new Error(`parse failed: ${result.failure}`);
  return result.message;
}

const INVITE = [
  'INVITE sip:201@10.0.0.2 SIP/2.0',
  'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1',
  'Via: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bK0',
  'From: "山田 太郎" <sip:101@10.0.0.1>;tag=abc',
  'To: <sip:201@10.0.0.2>',
  'Call-ID: call-1@10.0.0.1',
  'CSeq: 1 INVITE',
  'Content-Type: application/sdp',
  'Content-Length: 4',
  '',
  'v=0\r\nEXTRA',
].join('\r\n');

describe('parseSipMessage', () => {
  it('parses a request: start line, repeated Via, UTF-8 display name, body cut to Content-Length', () => {
    const message = parsed(INVITE);
    expect(message.kind).toBe('request');
    expect(message.method).toBe('INVITE');
    expect(message.requestUri).toBe('sip:201@10.0.0.2');
    expect(message.callId).toBe('call-1@10.0.0.1');
    expect(message.cseq).toBe(1);
    expect(message.headers.get('via')).toHaveLength(2);
    expect(parseNameAddr(header(message, 'from'))?.displayName).toBe('山田 太郎');
    expect(message.body.toString()).toBe('v=0\r');
  });

  it('parses a response and takes its method from CSeq', () => {
    const message = parsed(
      'SIP/2.0 486 Busy Here\r\nf: <sip:a@h>;tag=1\r\nt: <sip:b@h>;tag=2\r\ni: x\r\nCSeq: 7 INVITE\r\nl: 0\r\n\r\n',
    );
    expect(message).toMatchObject({ kind: 'response', status: 486, method: 'INVITE', cseq: 7, callId: 'x' });
  });

  it('expands compact header names and ignores header-name case', () => {
    const message = parsed(
      'BYE sip:a@h SIP/2.0\r\nv: SIP/2.0/UDP h\r\nF: <sip:a@h>;tag=1\r\nT: <sip:b@h>;tag=2\r\nI: cid\r\ncseq: 2 BYE\r\n' +
        'm: <sip:a@h>\r\nk: timer\r\ns: hello\r\ne: gzip\r\nc: text/plain\r\nL: 0\r\n\r\n',
    );
    for (const name of ['via', 'from', 'to', 'call-id', 'contact', 'supported', 'subject', 'content-encoding']) {
      expect(message.headers.has(name)).toBe(true);
    }
    expect(header(message, 'content-type')).toBe('text/plain');
    expect(message.callId).toBe('cid');
  });

  it('unfolds continuation lines', () => {
    const message = parsed(
      'OPTIONS sip:a@h SIP/2.0\r\nSubject: first\r\n  second\r\n\tthird\r\nf: <sip:a@h>\r\nt: <sip:b@h>\r\ni: c\r\nCSeq: 1 OPTIONS\r\n\r\n',
    );
    expect(header(message, 'subject')).toBe('first second third');
  });

  it('accepts bare LF line ends', () => {
    const message = parsed('ACK sip:a@h SIP/2.0\nf: <sip:a@h>\nt: <sip:b@h>\ni: c\nCSeq: 1 ACK\n\n');
    expect(message.method).toBe('ACK');
  });

  it.each([
    ['random bytes', Buffer.from([0x41, 0x00, 0xff, 0x13, 0x37, 0x0d, 0x0a, 0x0d, 0x0a]), 'notSip'],
    ['HTTP', Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), 'notSip'],
    [
      'no Call-ID',
      Buffer.from('BYE sip:a@h SIP/2.0\r\nf: <sip:a@h>\r\nt: <sip:b@h>\r\nCSeq: 1 BYE\r\n\r\n'),
      'missingHeaders',
    ],
    [
      'bad CSeq',
      Buffer.from('BYE sip:a@h SIP/2.0\r\nf: <sip:a@h>\r\nt: <sip:b@h>\r\ni: c\r\nCSeq: x BYE\r\n\r\n'),
      'missingHeaders',
    ],
    ['header without colon', Buffer.from('BYE sip:a@h SIP/2.0\r\ngarbage line\r\n\r\n'), 'badHeader'],
    [
      'negative Content-Length',
      Buffer.from('BYE sip:a@h SIP/2.0\r\nf: <sip:a@h>\r\nt: <sip:b@h>\r\ni: c\r\nCSeq: 1 BYE\r\nl: -5\r\n\r\n'),
      'badContentLength',
    ],
  ])('rejects %s', (_name, bytes, failure) => {
    expect(parseSipMessage(bytes)).toEqual({ ok: false, failure });
  });

  it('rejects more than 200 headers and header sections over 64 KiB', () => {
    const many = buildSipMessage({
      startLine: 'OPTIONS sip:a@h SIP/2.0',
      headers: Array.from({ length: 201 }, (_, i): [string, string] => [`X-H${i}`, 'v']),
    });
    expect(parseSipMessage(many)).toEqual({ ok: false, failure: 'tooManyHeaders' });
    const huge = buildSipMessage({
      startLine: 'OPTIONS sip:a@h SIP/2.0',
      headers: [['X-Big', 'a'.repeat(MAX_SIP_HEADER_BYTES + 10)]],
    });
    expect(parseSipMessage(huge)).toEqual({ ok: false, failure: 'headersTooLarge' });
  });
});

describe('SIP addresses', () => {
  it('reads name-addr with quoted, escaped and unquoted display names', () => {
    expect(parseNameAddr('"A \\"B\\" C" <sip:100@h;transport=udp>;tag=9')).toEqual({
      displayName: 'A "B" C',
      uri: 'sip:100@h;transport=udp',
      params: new Map([['tag', '9']]),
    });
    expect(parseNameAddr('Bob Smith <sip:200@h>')?.displayName).toBe('Bob Smith');
    // addr-spec: parameters belong to the header
    expect(parseNameAddr('sip:300@h;tag=x')?.params.get('tag')).toBe('x');
    expect(parseNameAddr('"unterminated <sip:1@h>')).toBeNull();
  });

  it('takes the number from sip:, sips: and tel: URIs without parameters', () => {
    expect(uriUser('sip:0312345678;npdi@gw.example.jp:5060;user=phone')).toBe('0312345678');
    expect(uriUser('sips:+81312345678@h')).toBe('+81312345678');
    expect(uriUser('tel:+81-3-1234-5678;phone-context=example.jp')).toBe('+81312345678');
    expect(uriUser('sip:user:secret@h')).toBe('user');
    expect(uriUser('sip:%2B815012345678@h')).toBe('+815012345678');
    expect(uriUser('sip:h.example.jp')).toBe('');
    expect(uriUser('mailto:a@b')).toBe('');
    expect(uriHost('sip:100@PBX.example.jp:5060;transport=tcp')).toBe('pbx.example.jp');
  });

  it('splits header lists on top-level commas only', () => {
    expect(splitHeaderList('"Doe, J" <sip:1@h>, <sip:2@h;x=a,b>, tel:+1')).toEqual([
      '"Doe, J" <sip:1@h>',
      '<sip:2@h;x=a,b>',
      'tel:+1',
    ]);
  });
});
