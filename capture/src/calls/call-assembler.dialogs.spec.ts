import { TcpBytes } from '../packet/packet-types';
import { at, harness, iso } from './testing/assembler-harness';
import { DialogSimulator, DialogOptions } from './testing/dialog-simulator';

const alice = { number: '101', name: '山田 花子', ip: '192.168.1.10', rtpPort: 4000 };
const bob = { number: '0312345678', ip: '203.0.113.5', rtpPort: 6000 };

function dialog(overrides: Partial<DialogOptions> = {}) {
  return new DialogSimulator({ callId: 'call-1@pbx', caller: alice, callee: bob, ...overrides });
}

describe('CallAssembler: dialogs', () => {
  it('follows an answered call from INVITE to BYE and reports times, parties and disposition', () => {
    const { assembler, ended } = harness();
    const d = dialog();
    assembler.udp(d.invite(at(0)));
    assembler.udp(d.response(at(0.05), 100, 'Trying'));
    assembler.udp(d.response(at(0.2), 180, 'Ringing'));
    assembler.udp(d.answer(at(8.5)));
    assembler.udp(d.request(at(8.6), 'caller', 'ACK'));
    assembler.udp(d.request(at(30), 'callee', 'BYE'));
    assembler.udp(d.response(at(30.01), 200, 'OK', { method: 'BYE', requester: 'callee' }));
    expect(ended).toHaveLength(0); // lingers for retransmissions
    assembler.udp(d.request(at(33), 'caller', 'OPTIONS'));
    expect(ended).toHaveLength(1);
    expect(ended[0].record).toMatchObject({
      callId: 'call-1@pbx',
      from: { number: '101', name: '山田 花子' },
      to: { number: '0312345678', name: '' },
      startedAt: iso(0),
      answeredAt: iso(8.5),
      endedAt: iso(30),
      ringSeconds: 8.5,
      talkSeconds: 21.5,
      disposition: 'answered',
      endReason: 'bye',
      audio: null,
      rtpStreams: [],
      quality: null,
    });
    expect(assembler.activeCalls).toBe(0);
  });

  it.each([
    [486, 'busy'],
    [600, 'busy'],
    [487, 'cancelled'],
    [408, 'missed'],
    [480, 'missed'],
    [404, 'failed'],
    [503, 'failed'],
    [603, 'failed'],
  ])('a final %i to the INVITE ends the call as %s', (status, disposition) => {
    const { assembler, ended } = harness();
    const d = dialog();
    assembler.udp(d.invite(at(0)));
    assembler.udp(d.response(at(1), 180, 'Ringing'));
    assembler.udp(d.response(at(4), status, 'Final'));
    assembler.finish(at(10));
    expect(ended[0].record).toMatchObject({
      disposition,
      endReason: 'rejected',
      answeredAt: null,
      endedAt: iso(4),
      ringSeconds: 4,
      talkSeconds: 0,
    });
  });

  it('a CANCEL ends a ringing call as cancelled at the CANCEL', () => {
    const { assembler, ended } = harness();
    const d = dialog();
    assembler.udp(d.invite(at(0)));
    assembler.udp(d.response(at(1), 180, 'Ringing'));
    assembler.udp(d.request(at(6), 'caller', 'CANCEL'));
    assembler.udp(d.response(at(6.1), 487, 'Request Terminated'));
    assembler.finish(at(7));
    expect(ended[0].record).toMatchObject({ disposition: 'cancelled', endReason: 'cancel', endedAt: iso(6) });
  });

  it('a call never answered is missed: at the end of input, or after the ring timeout', () => {
    const atEnd = harness();
    const d = dialog();
    atEnd.assembler.udp(d.invite(at(0)));
    atEnd.assembler.udp(d.response(at(1), 180, 'Ringing'));
    atEnd.assembler.finish(at(20));
    expect(atEnd.ended[0].record).toMatchObject({ disposition: 'missed', endReason: 'endOfInput', endedAt: iso(20) });

    const timedOut = harness({ ringTimeoutSeconds: 60 });
    timedOut.assembler.udp(dialog().invite(at(0)));
    timedOut.assembler.udp(dialog({ callId: 'other' }).request(at(100), 'caller', 'OPTIONS'));
    expect(timedOut.ended[0].record).toMatchObject({ disposition: 'missed', endReason: 'timeout', endedAt: iso(0) });
  });

  it('keeps an answered call without BYE until the end of input', () => {
    const { assembler, ended } = harness();
    const d = dialog();
    assembler.udp(d.invite(at(0)));
    assembler.udp(d.answer(at(2)));
    assembler.finish(at(28));
    expect(ended[0].record).toMatchObject({ disposition: 'answered', endReason: 'endOfInput', talkSeconds: 26 });
  });

  it('continues the same call after a 407 challenge and the authenticated INVITE', () => {
    const { assembler, ended } = harness();
    const d = dialog();
    assembler.udp(d.invite(at(0)));
    assembler.udp(d.response(at(0.1), 407, 'Proxy Authentication Required'));
    assembler.udp(d.request(at(0.2), 'caller', 'ACK'));
    assembler.udp(d.request(at(0.3), 'caller', 'INVITE', { sdp: d.sdp('caller') }));
    assembler.udp(d.answer(at(3)));
    assembler.finish(at(5));
    expect(ended).toHaveLength(1);
    expect(ended[0].record).toMatchObject({ disposition: 'answered', startedAt: iso(0), answeredAt: iso(3) });
  });

  it('a 2xx from another fork after a failure still makes the call answered', () => {
    const { assembler, ended } = harness();
    const d = dialog();
    assembler.udp(d.invite(at(0)));
    assembler.udp(d.response(at(1), 486, 'Busy Here'));
    assembler.udp(d.answer(at(1.5)));
    assembler.finish(at(10));
    expect(ended[0].record).toMatchObject({ disposition: 'answered', endedAt: iso(10) });
  });

  it('prefers P-Asserted-Identity, then Remote-Party-ID, for the caller and records Diversion', () => {
    const pai = harness();
    const withPai = dialog({
      extraInviteHeaders: [
        ['P-Asserted-Identity', '"Reception" <sip:0501234567@carrier>, <tel:+81501234567>'],
        ['Diversion', '<sip:200@pbx>;reason=no-answer;counter=1, <sip:300@pbx>;reason=user-busy'],
      ],
    });
    pai.assembler.udp(withPai.invite(at(0)));
    pai.assembler.finish(at(1));
    expect(pai.ended[0].record.from).toEqual({ number: '0501234567', name: 'Reception' });
    expect(pai.ended[0].record.diversion).toEqual([
      { number: '200', reason: 'no-answer' },
      { number: '300', reason: 'user-busy' },
    ]);

    const rpid = harness();
    rpid.assembler.udp(
      dialog({
        extraInviteHeaders: [
          ['Remote-Party-ID', '<sip:999@h>;party=called'],
          ['Remote-Party-ID', '<sip:0311112222@h>;party=calling;privacy=off'],
        ],
      }).invite(at(0)),
    );
    rpid.assembler.finish(at(1));
    // No display name in the asserted identity: the From display name is kept.
    expect(rpid.ended[0].record.from).toEqual({ number: '0311112222', name: '山田 花子' });
  });

  it('reads compact header forms', () => {
    const { assembler, ended } = harness();
    const d = dialog({ compact: true });
    assembler.udp(d.invite(at(0)));
    assembler.udp(d.answer(at(1)));
    assembler.udp(d.request(at(5), 'caller', 'BYE'));
    assembler.finish(at(9));
    expect(ended[0].record).toMatchObject({ from: { number: '101' }, disposition: 'answered', endReason: 'bye' });
  });

  it.each([
    [{ internalNetworks: ['192.168.0.0/16'] }, 'outbound'],
    [{ extensionLengths: [3] }, 'outbound'],
    [{ extensionPattern: '^0\\d{9}$' }, 'inbound'],
    [{ extensionLengths: [3, 10] }, 'internal'],
    [{ extensionPattern: '^9\\d\\d$' }, 'unknown'],
    [{ extensionPattern: '^9\\d\\d$', internalNetworks: ['203.0.113.0/24'] }, 'inbound'],
  ])('classifies direction with rules %j as %s', (rules, direction) => {
    const { assembler, ended } = harness({ direction: rules });
    assembler.udp(dialog().invite(at(0)));
    assembler.finish(at(1));
    expect(ended[0].record.direction).toBe(direction);
  });

  it('follows SIP over TCP with messages split across and packed into segments', () => {
    const { assembler, ended } = harness();
    const d = dialog();
    const messages = [
      d.invite(at(0)),
      d.response(at(0.1), 180, 'Ringing'),
      d.answer(at(2)),
      d.request(at(9), 'caller', 'BYE'),
    ];
    const caller = { ip: alice.ip, port: 40000 };
    const proxy = { ip: bob.ip, port: 5060 };
    const stream = (from: 'caller' | 'callee') =>
      Buffer.concat(messages.filter((m) => m.src.ip === (from === 'caller' ? alice.ip : bob.ip)).map((m) => m.payload));
    const upstream = stream('caller');
    const downstream = stream('callee');
    const send = (ts: number, src: typeof caller, dst: typeof caller, bytes: Buffer): TcpBytes => ({
      ts: at(ts),
      src,
      dst,
      bytes,
    });
    // INVITE in three pieces, then the two responses in one segment, then BYE.
    const inviteLength = messages[0].payload.length;
    assembler.tcp(send(0, caller, proxy, upstream.subarray(0, 10)));
    assembler.tcp(send(0, caller, proxy, upstream.subarray(10, inviteLength - 5)));
    assembler.tcp(send(0, caller, proxy, upstream.subarray(inviteLength - 5, inviteLength)));
    assembler.tcp(send(2, proxy, caller, downstream));
    assembler.tcp(send(9, caller, proxy, upstream.subarray(inviteLength)));
    assembler.finish(at(12));
    expect(ended).toHaveLength(1);
    expect(ended[0].record).toMatchObject({
      answeredAt: iso(2),
      endedAt: iso(9),
      disposition: 'answered',
      endReason: 'bye',
    });
    expect(assembler.counters.sipMessages).toBe(4);
  });

  it('does not start a phantom call from a late retransmitted INVITE, but does for a reused Call-ID', () => {
    const { assembler, ended } = harness();
    const d = dialog();
    const invite = d.invite(at(0));
    assembler.udp(invite);
    assembler.udp(d.response(at(1), 486, 'Busy Here'));
    assembler.udp(d.request(at(5), 'caller', 'OPTIONS'));
    expect(ended).toHaveLength(1);
    assembler.udp({ ...invite, ts: at(6) });
    expect(assembler.activeCalls).toBe(0);
    // Much later the device reuses the Call-ID for a new call: a distinct record and file name.
    assembler.udp({ ...invite, ts: at(600) });
    assembler.finish(at(601));
    expect(ended).toHaveLength(2);
    expect(ended[1].record.callId).toBe(ended[0].record.callId);
    expect(ended[1].record.id).not.toBe(ended[0].record.id);
  });

  it('ignores requests outside any followed dialog and REGISTER', () => {
    const { assembler, ended } = harness();
    const d = dialog();
    assembler.udp(d.request(at(0), 'caller', 'REGISTER'));
    assembler.udp(d.request(at(1), 'caller', 'BYE'));
    assembler.finish(at(2));
    expect(ended).toHaveLength(0);
    expect(assembler.counters.sipIgnored).toBe(2);
  });
});
