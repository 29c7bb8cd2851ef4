import type { PopupRinging } from './popup-protocol';

/** A popup:ringing payload as the backend sends it (tests of the socket service and the card). */
export function ringing(over: Partial<PopupRinging> = {}): PopupRinging {
  const sipCallId = over.sipCallId ?? 'call-1@pbx';
  return {
    key: `site-1:${sipCallId}`,
    siteId: 'site-1',
    siteName: '東京本社',
    sipCallId,
    lineName: '東京店',
    direction: 'inbound',
    extension: '201',
    callerName: null,
    number: {
      dialled: '0312345678',
      e164: '+81312345678',
      digits: '0312345678',
      display: '03-1234-5678',
      withheld: false,
    },
    calledNumber: {
      dialled: '0312340000',
      e164: '+81312340000',
      digits: '0312340000',
      display: '03-1234-0000',
      withheld: false,
    },
    ringingAt: '2026-11-24T01:00:00.000Z',
    acceptedAt: '2026-11-24T01:00:00.050Z',
    customers: [],
    history: [],
    resumed: false,
    answeredBy: null,
    answeredAt: null,
    ...over,
  };
}

export const WITHHELD = { dialled: 'anonymous', e164: null, digits: '', display: '非通知', withheld: true };
