import { join } from 'node:path';
import type { StorageOpusOptions } from '@appliance/audio-format';
import { renderStereo } from '../calls/call-audio';
import { exists, readJsonFile } from '../spool/durable-files';
import type { SpooledCall } from '../spool/spooled-call';
import { AUDIO_FILE, CALL_DOCUMENT, MEDIA_FILE } from '../spool/spool-store';
import { codecTable, scanMedia, spooledRenderPlan } from '../spool/spooled-media';
import { type EncodedAudio, encodeStereoToFile } from './call-audio-encoder';

// Encodes a finished call from its spool folder alone (call.json + media.log -> audio.ogg), so that
// the work can run anywhere: on a worker thread for every call that ends, or in the service's own
// thread after a restart when no worker is available. It writes only audio.ogg; the spool's
// bookkeeping (usage, the ready mark, removing media.log) stays with the spool.

export interface SpooledEncoding {
  encoded: EncodedAudio;
  /** The document promised audio, but none of the spooled media could be decoded. */
  noDecodableAudio: boolean;
}

export async function encodeSpooledCall(callDir: string, opus?: StorageOpusOptions): Promise<SpooledEncoding> {
  const document = await readJsonFile<SpooledCall>(join(callDir, CALL_DOCUMENT));
  const mediaPath = join(callDir, MEDIA_FILE);
  const scan = (await exists(mediaPath)) ? scanMedia(mediaPath, codecTable(document)) : null;
  const plan = scan ? spooledRenderPlan(document, mediaPath, scan) : null;
  const chunks = plan && document.record.audio ? renderStereo(plan) : [];
  const encoded = await encodeStereoToFile(chunks, plan?.sampleRate ?? 8000, join(callDir, AUDIO_FILE), opus);
  return { encoded, noDecodableAudio: plan === null && document.record.audio !== null };
}
