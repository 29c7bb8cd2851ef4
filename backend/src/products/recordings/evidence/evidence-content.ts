import { Call } from '../call.entity';
import { Recording } from '../recording.entity';
import { CallPlaceNames } from '../places/call-places';
import { callView, csvHeader, csvRow } from '../search/call-view';
import { EVIDENCE_FORMAT, MANIFEST_PATH, PUBLIC_KEY_PATH, SIGNATURE_PATH } from './evidence-format';

const parseJson = (json: string | null) => (json ? JSON.parse(json) : null);

/** calls/<id>/metadata.json: the call as the API shows it, plus which audio file holds which recording. */
export function callMetadata(
  call: Call,
  tags: string[],
  places: CallPlaceNames,
  recordings: Array<{ file: string; recording: Recording }>,
) {
  return {
    ...callView(call, tags, places),
    notes: call.notes,
    dtmf: parseJson(call.dtmf),
    quality: parseJson(call.quality),
    recordings: recordings.map(({ file, recording }) => ({
      file,
      recordingId: recording.id,
      // The recording as stored: normalised at ingest to Ogg Opus; sha256 is the hash kept since then.
      format: recording.format,
      bytes: recording.bytes,
      sha256: recording.sha256,
      durationMs: recording.durationMs,
      storedAt: recording.createdAt,
    })),
  };
}

/** calls.csv: the same columns and formatting as GET /api/v1/calls/export.csv, times in the tenant's zone. */
export function callsCsv(
  rows: Array<{ call: Call; tags: string[]; places: CallPlaceNames }>,
  timeZone: string,
): Buffer {
  const format = new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'medium' });
  const lines = rows.map(({ call, tags, places }) => csvRow(callView(call, tags, places), (d) => format.format(d)));
  return Buffer.from('\uFEFF' + csvHeader() + lines.join(''), 'utf8');
}

/** README.txt: how to check the export without the appliance (also listed and hashed in the manifest). */
export function readme(exportId: string, fingerprint: string): Buffer {
  return Buffer.from(
    [
      `Evidence export ${exportId} (${EVIDENCE_FORMAT})`,
      '',
      'calls/<call id>/audio.opus      the recording as stored by the appliance (Ogg Opus, normalised at ingest)',
      'calls/<call id>/metadata.json   the call: parties, times, tags, notes, and the SHA-256 of each recording',
      'calls.csv                       one row per call (UTF-8 with BOM)',
      `${MANIFEST_PATH}                   every file above with its size and SHA-256`,
      `${SIGNATURE_PATH}                   Ed25519 signature (base64) over the exact bytes of ${MANIFEST_PATH}`,
      `${PUBLIC_KEY_PATH}                 a copy of the signing key, for information only`,
      '',
      `Signing key fingerprint: ${fingerprint}`,
      '',
      'To verify, take the public key from the appliance (GET /api/v1/evidence/public-key), not from',
      'this ZIP, compare its fingerprint with the one above, and run:',
      '  npm run evidence:verify -- <this file>.zip --public-key <key file or URL>',
      'Any changed, missing or added file is reported by name.',
      '',
    ].join('\r\n'),
    'utf8',
  );
}
