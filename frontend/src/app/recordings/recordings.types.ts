// Shapes of the recording store API (docs/api-contract-core.md "Recording store";
// backend/src/products/recordings/search/call-view.ts). Keep in step with the backend.

export const DIRECTIONS = ['inbound', 'outbound', 'internal'] as const;
export type Direction = (typeof DIRECTIONS)[number];
export const DISPOSITIONS = ['answered', 'missed', 'busy', 'failed', 'cancelled'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];
export const CALL_SOURCES = ['flexlog', 'flexdplayer', 'upload'] as const;
export type CallSource = (typeof CALL_SOURCES)[number];
export const NUMBER_MATCHES = ['prefix', 'exact', 'suffix', 'contains'] as const;
export type NumberMatch = (typeof NUMBER_MATCHES)[number];

export interface PartyView {
  number: string;
  e164: string | null;
  /** Formatted by the server (03-1234-5678). */
  display: string;
  /** 非通知: shown with our own label. */
  withheld: boolean;
  name: string | null;
}

export interface CallView {
  id: string;
  source: CallSource;
  siteId: string | null;
  /** The site's name in this tenant; null when the id is unknown (shown as the id then). */
  siteName: string | null;
  lineId: string | null;
  lineName: string | null;
  direction: Direction;
  caller: PartyView;
  callee: PartyView;
  extension: string | null;
  userId: string | null;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  ringSeconds: number;
  talkSeconds: number;
  disposition: Disposition;
  codec: string | null;
  channelLayout: 'stereo' | 'mono';
  tags: string[];
  hasNotes: boolean;
  legalHold: boolean;
}

/** GET /api/v1/calls/:id: the list view plus what only the detail needs. */
export interface CallDetail extends CallView {
  notes: string | null;
  /** As the capture client sent it; no fixed shape yet. */
  dtmf: unknown[] | null;
  quality: Record<string, unknown> | null;
}

export interface CallPage {
  items: CallView[];
  nextCursor: string | null;
  /** Exact up to 10,000, then a lower bound; -1 on follow-up pages (not counted again). */
  total: { value: number; exact: boolean };
  plan: string;
}

/** GET /api/v1/calls/:id/peaks: min/max per channel per bucket, interleaved. */
export interface PeaksAnswer {
  durationMs: number;
  peaks: { intervalMs: number; channels: number; values: number[] } | number[];
}

/** GET /api/v1/recordings/places: the tenant's sites and lines, for the search filters. */
export interface PlaceListing {
  sites: { id: string; name: string }[];
  /** siteId null: a line of no site (a carrier line); else one of that site's named lines. */
  lines: { id: string; name: string; siteId: string | null }[];
}

export interface RecordingPolicy {
  capacityBytes: number | null;
  whenFull: 'rotate' | 'reject';
  retentionDays: number | null;
  operatorsSeeOwnCallsOnly: boolean;
  shareLinkMaxHours: number;
}

export interface ShareLink {
  url: string;
  expiresAt: string;
}

export interface CallPatch {
  notes?: string;
  tags?: string[];
  legalHold?: boolean;
}
