import { isOnHold, MAX_SDP_MEDIA_LINES, parseSdp, SessionDescription } from './sdp';

function sdp(text: string): SessionDescription {
  const result = parseSdp(text.replace(/\n/g, '\r\n'));
  if (!result.ok) throw new Error(result.failure);
  return result.sdp;
}

describe('parseSdp', () => {
  it('reads session-level c=, static and dynamic payload types, ptime and direction', () => {
    const parsed = sdp(
      'v=0\no=- 1 1 IN IP4 10.0.0.1\ns=-\nc=IN IP4 10.0.0.1\nt=0 0\n' +
        'm=audio 4000 RTP/AVP 0 8 9 18 13 101 111\na=rtpmap:101 telephone-event/8000\n' +
        'a=rtpmap:111 opus/48000/2\na=ptime:30\na=sendrecv\n',
    );
    const [media] = parsed.media;
    expect(media).toMatchObject({ type: 'audio', port: 4000, address: '10.0.0.1', direction: 'sendrecv', ptime: 30 });
    expect(media.payloadTypes).toEqual([0, 8, 9, 18, 13, 101, 111]);
    expect(Object.fromEntries([...media.codecs].map(([pt, c]) => [pt, `${c.name}/${c.clockRate}/${c.kind}`]))).toEqual({
      0: 'PCMU/8000/audio',
      8: 'PCMA/8000/audio',
      9: 'G722/8000/audio',
      18: 'G729/8000/audio',
      13: 'CN/8000/comfortNoise',
      101: 'TELEPHONE-EVENT/8000/dtmf',
      111: 'OPUS/48000/audio',
    });
    expect(isOnHold(media)).toBe(false);
  });

  it('lets media-level c= and direction override the session level, in IPv6 canonical form', () => {
    const parsed = sdp(
      'v=0\nc=IN IP4 10.0.0.1\na=sendonly\nt=0 0\nm=audio 4000 RTP/AVP 0\n' +
        'm=audio 4002 RTP/AVP 0\nc=IN IP6 2001:DB8:0:0:0:0:0:1\na=recvonly\na=rtcp:5000\n' +
        'm=video 0 RTP/AVP 96\na=rtcp-mux\n',
    );
    expect(parsed.media.map((m) => [m.address, m.direction, m.port])).toEqual([
      ['10.0.0.1', 'sendonly', 4000],
      ['2001:db8::1', 'recvonly', 4002],
      ['10.0.0.1', 'sendonly', 0],
    ]);
    expect(parsed.media[1].rtcpPort).toBe(5000);
    expect(parsed.media[2].rtcpMux).toBe(true);
  });

  it('treats sendonly, inactive and c=0.0.0.0 as hold', () => {
    const base = 'v=0\nc=IN IP4 10.0.0.1\nt=0 0\nm=audio 4000 RTP/AVP 0\n';
    expect(isOnHold(sdp(`${base}a=sendonly\n`).media[0])).toBe(true);
    expect(isOnHold(sdp(`${base}a=inactive\n`).media[0])).toBe(true);
    expect(isOnHold(sdp(`${base}a=recvonly\n`).media[0])).toBe(false);
    const nullAddress = sdp('v=0\nc=IN IP4 0.0.0.0\nt=0 0\nm=audio 4000 RTP/AVP 0\n').media[0];
    expect(nullAddress).toMatchObject({ address: null, nullAddress: true });
    expect(isOnHold(nullAddress)).toBe(true);
  });

  it('processes at most 64 media lines of an SDP with 1,000 and counts the rest', () => {
    const lines = ['v=0', 'c=IN IP4 10.0.0.1', 't=0 0'];
    for (let i = 0; i < 1000; i++) lines.push(`m=audio ${10000 + i * 2} RTP/AVP 0`, 'a=sendrecv');
    const parsed = sdp(lines.join('\n'));
    expect(parsed.media).toHaveLength(MAX_SDP_MEDIA_LINES);
    expect(parsed.droppedMediaLines).toBe(1000 - MAX_SDP_MEDIA_LINES);
  });

  it.each([
    ['no v= line', 'hello'],
    ['a bad port', 'v=0\nm=audio 99999 RTP/AVP 0\n'],
    ['a bad c= line', 'v=0\nc=IN IP4 not-an-ip\nm=audio 4000 RTP/AVP 0\n'],
  ])('rejects %s', (_name, text) => {
    expect(parseSdp(text).ok).toBe(false);
  });

  it('survives random bytes', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
    for (let i = 0; i < 200; i++) {
      const bytes = Buffer.from(Array.from({ length: 300 }, random));
      bytes.write('v=0\r\n', 0);
      expect(() => parseSdp(bytes)).not.toThrow();
    }
  });
});
