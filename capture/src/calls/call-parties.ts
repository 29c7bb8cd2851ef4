import { header, SipMessage } from '../sip/sip-message';
import { NameAddr, parseNameAddr, splitHeaderList, uriUser } from '../sip/sip-address';

// Who is calling whom, from the initial INVITE. The caller is the asserted identity where a
// trusted network supplied one (P-Asserted-Identity, RFC 3325; Remote-Party-ID, its older
// predecessor) and the From header otherwise; the callee is the To header.

export interface PartyIdentity {
  number: string;
  name: string;
  uri: string;
}

function identity(address: NameAddr | null): PartyIdentity | null {
  if (!address) return null;
  return { number: uriUser(address.uri), name: address.displayName, uri: address.uri };
}

function firstWithNumber(values: string[], accept: (address: NameAddr) => boolean = () => true): NameAddr | null {
  for (const value of values) {
    for (const item of splitHeaderList(value)) {
      const address = parseNameAddr(item);
      if (address && uriUser(address.uri) && accept(address)) return address;
    }
  }
  return null;
}

export function callerOf(invite: SipMessage): PartyIdentity {
  const from = identity(parseNameAddr(header(invite, 'from'))) ?? { number: '', name: '', uri: '' };
  const asserted =
    firstWithNumber(invite.headers.get('p-asserted-identity') ?? []) ??
    firstWithNumber(invite.headers.get('remote-party-id') ?? [], (address) => {
      const party = address.params.get('party');
      return party === undefined || party === 'calling';
    });
  const chosen = identity(asserted);
  if (!chosen) return from;
  return { ...chosen, name: chosen.name || from.name };
}

export function calleeOf(invite: SipMessage): PartyIdentity {
  const to = identity(parseNameAddr(header(invite, 'to'))) ?? { number: '', name: '', uri: '' };
  // Some gateways leave To as a generic address and route on the Request-URI.
  return to.number ? to : { ...to, number: uriUser(invite.requestUri) };
}

export function diversionOf(invite: SipMessage): { number: string; reason: string }[] {
  const result: { number: string; reason: string }[] = [];
  for (const value of invite.headers.get('diversion') ?? []) {
    for (const item of splitHeaderList(value)) {
      const address = parseNameAddr(item);
      if (address) result.push({ number: uriUser(address.uri), reason: address.params.get('reason') ?? '' });
      if (result.length >= 16) return result;
    }
  }
  return result;
}

export function tagOf(headerValue: string): string {
  return parseNameAddr(headerValue)?.params.get('tag') ?? '';
}
