// The Socket.IO protocol of 応対力 as docs/popup-realtime.md describes it (server -> client only).
// Mirrors backend/src/products/popup/realtime/popup-protocol.ts: the frontend cannot import backend code.

export const POPUP_EVENTS = {
  ringing: 'popup:ringing',
  answered: 'popup:answered',
  ended: 'popup:ended',
  presence: 'popup:presence',
  synced: 'popup:synced',
  sessionExpired: 'popup:session-expired',
} as const;

export type Presence = 'available' | 'away';

export interface PopupNumber {
  dialled: string;
  e164: string | null;
  digits: string;
  /** 03-1234-5678, or 非通知 when withheld. */
  display: string;
  withheld: boolean;
}

export interface PopupUser {
  userId: string;
  displayName: string;
}

export interface RankView {
  code: string;
  label: string;
  colour: string;
}

/** A matched customer as the popup shows it. */
export interface CustomerCard {
  id: string;
  name: string;
  kana: string | null;
  company: string | null;
  department: string | null;
  rank: RankView | null;
  tags: string[];
  memo: string | null;
  customFields: Record<string, string>;
  externalId: string | null;
}

export interface PopupHistoryItem {
  callId: string;
  startedAt: string;
  direction: string;
  disposition: string;
  talkSeconds: number;
  answeredBy: PopupUser | null;
}

export interface PopupRinging {
  key: string;
  siteId: string;
  siteName: string;
  sipCallId: string;
  lineName: string | null;
  direction: string;
  extension: string | null;
  callerName: string | null;
  number: PopupNumber;
  calledNumber: PopupNumber;
  ringingAt: string;
  acceptedAt: string;
  customers: CustomerCard[];
  history: PopupHistoryItem[];
  resumed: boolean;
  answeredBy: PopupUser | null;
  answeredAt: string | null;
}

export interface PopupAnswered {
  key: string;
  extension: string | null;
  answeredBy: PopupUser | null;
  answeredAt: string;
}

export interface PopupEnded {
  key: string;
  endedAt: string;
}

export interface PopupSynced {
  keys: string[];
}
