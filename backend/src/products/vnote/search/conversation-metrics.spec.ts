import { conversationMetrics, TimedSegment } from './conversation-metrics';

const seg = (speaker: TimedSegment['speaker'], startMs: number, endMs: number, text: string): TimedSegment => ({
  speaker,
  startMs,
  endMs,
  text,
});

describe('conversation metrics', () => {
  it('computes talk, silences over 3 s, overlaps, speech rate and the longest monologue by hand', () => {
    const m = conversationMetrics([
      seg('operator', 0, 4000, 'お電話ありがとうございます。'), // 13 chars
      seg('customer', 3500, 6000, 'すみません'), // 5 chars, overlaps 500 ms
      seg('customer', 10000, 12000, '解約したい'), // 4000 ms gap before: a silence
      seg('operator', 13000, 16000, 'かしこまりました'), // 1000 ms gap: not a silence
      seg('operator', 16000, 20000, '少々お待ちください'),
      seg('customer', 23000, 24000, 'はい'), // exactly 3000 ms gap: not a silence
    ]);
    // operator talk: 4000 + 3000 + 4000 = 11000; customer: 2500 + 2000 + 1000 = 5500
    expect(m.speakers.operator.talkMs).toBe(11000);
    expect(m.speakers.customer.talkMs).toBe(5500);
    expect(m.speakers.operator.talkPercent).toBe(67); // 11000 / 16500
    expect(m.speakers.customer.talkPercent).toBe(33);
    expect(m.speakers.operator.chars).toBe(13 + 8 + 9);
    expect(m.speakers.operator.charsPerMinute).toBe(Math.round((30 * 60000) / 11000));
    expect(m.silenceCount).toBe(1);
    expect(m.silences).toEqual([{ startMs: 6000, endMs: 10000 }]);
    expect(m.overlapCount).toBe(1);
    expect(m.overlapTotalMs).toBe(500);
    // anyone talking: 0-6000, 10000-12000, 13000-20000, 23000-24000 = 16000 ms; chars 30 + 5 + 5 + 2 = 42
    expect(m.speechRate).toBe(Math.round((42 * 60000) / 16000));
    expect(m.longestMonologue).toEqual({ speaker: 'operator', startMs: 13000, endMs: 20000, durationMs: 7000 });
    expect(m.durationMs).toBe(24000);
  });

  it('answers zeros for a call without speech', () => {
    const m = conversationMetrics([]);
    expect(m).toMatchObject({ silenceCount: 0, overlapCount: 0, speechRate: 0, longestMonologue: null, durationMs: 0 });
  });
});
