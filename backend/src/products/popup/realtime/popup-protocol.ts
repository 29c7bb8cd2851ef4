import type { ExternalCard } from '../integrations/external-cards';
import type { CustomerCard } from './customer-matcher';

// The Socket.IO protocol of the popup (path /socket.io). The server only sends; every event a
// client sends is ignored: rooms are joined by the server from the authenticated session alone.

export const POPUP_EVENTS = {
  ringing: 'popup:ringing',
  answered: 'popup:answered',
  ended: 'popup:ended',
  presence: 'popup:presence',
  synced: 'popup:synced',
  sessionExpired: 'popup:session-expired',
} as const;

export interface PopupNumber {
  /** As the phone system gave it. */
  dialled: string;
  e164: string | null;
  /** National digits (0312345678): what the call search matches. */
  digits: string;
  /** 03-1234-5678, or 非通知 when withheld. */
  display: string;
  withheld: boolean;
}

export interface PopupUser {
  userId: string;
  displayName: string;
}

/** One earlier call with the same number, newest first. */
export interface PopupHistoryItem {
  callId: string;
  startedAt: string;
  direction: string;
  disposition: string;
  talkSeconds: number;
  answeredBy: PopupUser | null;
}

/** What every popup of one call shares (the history depends on who looks: see PopupRinging). */
export interface PopupCall {
  /** `${siteId}:${sipCallId}`: names the call in every later event of it. */
  key: string;
  siteId: string;
  siteName: string;
  sipCallId: string;
  lineName: string | null;
  direction: string;
  extension: string | null;
  callerName: string | null;
  number: PopupNumber;
  /** The number the call came in on (the callee of an inbound call). */
  calledNumber: PopupNumber;
  /** The capture's packet time of the INVITE. */
  ringingAt: string;
  /** When the backend accepted the ringing event (the capture's stream stored its seq). */
  acceptedAt: string;
  customers: CustomerCard[];
  /**
   * Cards from the tenant's own systems (external lookup hook, kintone), present only when one
   * answered: shown beside the directory's cards, or instead of them when the directory has none.
   */
  externalCards?: ExternalCard[];
}

/** `popup:ringing`: a call rings for this user (also re-sent after a reconnect: `resumed`). */
export interface PopupRinging extends PopupCall {
  /** The last 30 calls with this number the user may see. */
  history: PopupHistoryItem[];
  resumed: boolean;
  /** Set when the call was already answered (only on a resumed popup). */
  answeredBy: PopupUser | null;
  answeredAt: string | null;
}

/** `popup:answered`: someone picked up; `answeredBy` null when the extension is mapped to nobody. */
export interface PopupAnswered {
  key: string;
  extension: string | null;
  answeredBy: PopupUser | null;
  answeredAt: string;
}

/** `popup:ended`: close the popup (the memo can still be saved). */
export interface PopupEnded {
  key: string;
  endedAt: string;
}

/**
 * `popup:synced`: after each (re)connect, once the calls in progress were re-sent: the keys of every
 * call still open for the user. A popup whose key is missing ended while the socket was away: close it.
 */
export interface PopupSynced {
  keys: string[];
}

export const callKey = (siteId: string, sipCallId: string) => `${siteId}:${sipCallId}`;
