import { decodedSampleRate } from '../codecs/codec-registry';
import { estimateMos } from '../rtp/e-model';
import { MuteInterval, renderStereo } from './call-audio';
import { DirectionClassifier } from './call-direction';
import { CallAudio, CallQuality, CallRecord, DtmfDigit, EndedCall, isoFromMicros } from './call-record';
import { CallState } from './call-state';
import { CallStream } from './call-stream';

// Turns a closed CallState into what the output side receives: the metadata document and a lazy
// view of the audio. Nothing here runs on the packet path.

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const senderName = (stream: CallStream) => (stream.sender === 0 ? 'caller' : 'callee');

function audioStreams(call: CallState): CallStream[] {
  return call.streams.filter((stream) => stream.payloadType >= 0);
}

function mainCodec(call: CallState): string | null {
  let best: CallStream | null = null;
  for (const stream of audioStreams(call)) if (!best || stream.packets > best.packets) best = stream;
  return best ? (best.codec ?? `PT${best.payloadType}`) : null;
}

function quality(call: CallState, codec: string | null): CallQuality | null {
  const streams = audioStreams(call);
  const packets = streams.reduce((sum, s) => sum + s.stats.totalReceived, 0);
  if (packets === 0) return null;
  const expected = streams.reduce((sum, s) => sum + s.stats.expected, 0);
  const lost = streams.reduce((sum, s) => sum + s.stats.lost, 0);
  const lossPercent = expected > 0 ? (lost / expected) * 100 : 0;
  const jitterMs = streams.reduce((sum, s) => sum + s.jitterMs * s.stats.totalReceived, 0) / packets;
  return {
    lossPercent: round(lossPercent, 2),
    jitterMs: round(jitterMs, 2),
    mos: estimateMos(codec ?? '', lossPercent, jitterMs),
    rtcp:
      call.rtcpReports > 0
        ? {
            reports: call.rtcpReports,
            fractionLostPercent: round((call.rtcpFractionLostSum / call.rtcpReports) * 100, 2),
            jitterMs: round(call.rtcpJitterMsMax, 2),
          }
        : null,
  };
}

function dtmfOf(call: CallState): DtmfDigit[] {
  const events = call.streams.flatMap((stream) => (stream.dtmf?.events ?? []).map((event) => ({ stream, event })));
  return events
    .sort((a, b) => a.event.startUs - b.event.startUs)
    .map(({ stream, event }) => ({
      digit: event.digit,
      at: isoFromMicros(event.startUs),
      durationMs: event.durationMs,
      sender: senderName(stream),
    }));
}

export function buildEndedCall(call: CallState, classifier: DirectionClassifier): EndedCall {
  const endedUs = call.endedUs ?? call.lastActivityUs;
  const streams = audioStreams(call);
  const decodable = streams.filter((s) => s.codec !== null && decodedSampleRate(s.codec) !== null);
  const rawCodecs = [
    ...new Set(streams.filter((s) => !decodable.includes(s)).map((s) => s.codec ?? `PT${s.payloadType}`)),
  ];
  const sampleRate = decodable.some((s) => s.codec === 'G722') ? 16000 : 8000;
  const hasAudio = decodable.some((s) => s.packets > 0);
  const codec = mainCodec(call);
  const startFrame = Math.floor((call.earliestMediaOffsetUs * sampleRate) / 1e6);
  const packets = call.streams.reduce((sum, s) => sum + s.packets, 0);
  const confidence = call.streams.reduce((sum, s) => sum + s.confidenceSum, 0);

  const record: CallRecord = {
    id: call.id,
    callId: call.callId,
    from: { number: call.caller.number, name: call.caller.name },
    to: { number: call.callee.number, name: call.callee.name },
    diversion: call.diversion,
    startedAt: isoFromMicros(call.startedUs),
    answeredAt: call.answeredUs === null ? null : isoFromMicros(call.answeredUs),
    endedAt: isoFromMicros(endedUs),
    ringSeconds: round(((call.answeredUs ?? endedUs) - call.startedUs) / 1e6, 3),
    talkSeconds: call.answeredUs === null ? 0 : round((endedUs - call.answeredUs) / 1e6, 3),
    disposition: call.disposition,
    endReason: call.endReason,
    direction: classifier.classify(
      { number: call.caller.number, ip: call.callerAddress },
      { number: call.callee.number, ip: call.calleeAddress },
    ),
    codec,
    codecUnsupported: rawCodecs.length > 0,
    rawCodecs,
    audio: hasAudio ? `${call.id}.ogg` : null,
    audioStartedAt:
      call.mediaOriginUs === null ? null : isoFromMicros(call.mediaOriginUs + startFrame * (1e6 / sampleRate)),
    sampleRate,
    audioTruncated: call.audioTruncated,
    holds: call.holds.map((hold) => ({
      startedAt: isoFromMicros(hold.startUs),
      endedAt: hold.endUs === null ? null : isoFromMicros(hold.endUs),
    })),
    rtpStreams: call.streams.map((s) => ({
      source: s.source,
      destination: s.destination,
      sender: senderName(s),
      ssrc: s.ssrc,
      payloadType: s.payloadType,
      codec: s.codec,
      packets: s.packets,
      lost: s.stats.lost,
      jitterMs: round(s.jitterMs, 2),
      pairing: s.learned ? 'learned' : 'sdp',
    })),
    dtmf: dtmfOf(call),
    quality: quality(call, codec),
    pairingConfidence: packets > 0 ? round(confidence / packets, 2) : 0,
  };

  const mutes: MuteInterval[] = call.streams.flatMap((stream) =>
    stream.dtmfMarks.map((mark) => ({
      side: stream.sender,
      generation: mark.generation,
      rtpOffset: mark.event.rtpStart - mark.anchorRtp,
      durationUnits: mark.event.durationUnits,
    })),
  );
  // Output never runs past the call's end (plus a second of slack for RTP clock skew).
  const mediaSeconds =
    call.mediaOriginUs === null ? 0 : (endedUs - call.mediaOriginUs - call.earliestMediaOffsetUs) / 1e6 + 1;
  const audio: CallAudio = {
    sampleRate,
    hasAudio,
    chunks: () =>
      renderStereo({
        log: call.log,
        codecOf: (_side, payloadType) => call.codecs.get(payloadType),
        sampleRate,
        mutes,
        startFrame,
        maxFrames: Math.max(0, Math.ceil(mediaSeconds * sampleRate)),
      }),
    rawRecords: (side) => call.log.records(side),
    release: () => call.log.release(),
  };
  return { record, audio };
}
