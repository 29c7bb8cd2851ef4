import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { createReadStream } from 'node:fs';
import type { CallRecord } from '../calls/call-record';
import type { SpooledCall } from '../spool/spooled-call';
import { concatenated } from './backend-client';
import { extensionOf } from './site-party';

// One call as POST /api/v1/ingest/calls wants it (docs/api-contract-core.md, "Recording store";
// backend/src/products/recordings/ingest/ingest-metadata.dto.ts): multipart/form-data with the
// metadata JSON first, then the audio file, whose SHA-256 the metadata carries.

/** The `metadata` part. Limits are the DTO's (names ≤ 100, numbers ≤ 64, ≤ 20 tags of ≤ 50, ≤ 1000 DTMF). */
export interface IngestMetadata {
  clientRecordingId: string;
  source: 'flexlog';
  direction: 'inbound' | 'outbound' | 'internal';
  caller: { number: string; name?: string };
  callee: { number: string; name?: string };
  extension?: string;
  startedAt: string;
  answeredAt?: string;
  endedAt?: string;
  disposition: CallRecord['disposition'];
  codec?: string;
  sha256: string;
  tags?: string[];
  dtmf?: unknown[];
  quality?: Record<string, unknown>;
}

const party = (number: string, name: string) => ({
  // The ingest API wants a number; SIP without a user part is an anonymous caller.
  number: (number || 'anonymous').slice(0, 64),
  ...(name ? { name: name.slice(0, 100) } : {}),
});

export function ingestMetadataOf(document: SpooledCall, sha256: string): IngestMetadata {
  const record = document.record;
  const tags: string[] = [];
  if (document.partial) tags.push('partial');
  // The ingest API knows three directions; a call the site's rules could not place is sent as
  // inbound and tagged, so it can be found and corrected.
  if (record.direction === 'unknown') tags.push('direction-unknown');
  if (record.audioTruncated) tags.push('audio-truncated');
  if (record.codecUnsupported) tags.push('codec-unsupported');
  const quality: Record<string, unknown> = {
    ...(record.quality ?? {}),
    pairingConfidence: record.pairingConfidence,
    rtpStreams: record.rtpStreams.slice(0, 64),
    endReason: record.endReason,
    partial: document.partial,
    ...(record.holds.length ? { holds: record.holds.slice(0, 100) } : {}),
    ...(document.problems.length ? { problems: document.problems.slice(0, 20) } : {}),
  };
  return {
    clientRecordingId: document.clientRecordingId,
    source: 'flexlog',
    direction: record.direction === 'unknown' ? 'inbound' : record.direction,
    caller: party(record.from.number, record.from.name),
    callee: party(record.to.number, record.to.name),
    ...(extensionOf(record) ? { extension: extensionOf(record) } : {}),
    startedAt: record.startedAt,
    ...(record.answeredAt ? { answeredAt: record.answeredAt } : {}),
    endedAt: record.endedAt,
    disposition: record.disposition,
    ...(record.codec ? { codec: record.codec.slice(0, 32) } : {}),
    sha256,
    ...(tags.length ? { tags } : {}),
    ...(record.dtmf.length ? { dtmf: record.dtmf.slice(0, 1000) } : {}),
    quality,
  };
}

export interface MultipartBody {
  contentType: string;
  length: number;
  open: () => Readable;
}

/** metadata then audio as multipart/form-data, streamed from the spool file (never whole in memory). */
export function ingestMultipart(metadata: IngestMetadata, audioPath: string, audioBytes: number): MultipartBody {
  const boundary = `----flexlog-${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\n` +
      'Content-Disposition: form-data; name="metadata"\r\n' +
      'Content-Type: application/json\r\n\r\n' +
      `${JSON.stringify(metadata)}\r\n` +
      `--${boundary}\r\n` +
      'Content-Disposition: form-data; name="audio"; filename="call.ogg"\r\n' +
      'Content-Type: audio/ogg\r\n\r\n',
    'utf8',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: head.length + audioBytes + tail.length,
    open: concatenated([head, () => createReadStream(audioPath), tail]),
  };
}
