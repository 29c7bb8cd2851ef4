// Shapes of the FlexVNote API (docs/vnote/search-api.md, docs/vnote/transcription-api.md).
// Keep in step with backend/src/products/vnote/.
import { CallView } from '../recordings/recordings.types';

export type Speaker = 'customer' | 'operator';
export const SPEAKERS: Speaker[] = ['customer', 'operator'];

/** A stretch of text inside `text`: UTF-16 indices, `text.slice(start, end)`. */
export interface TextRange {
  start: number;
  end: number;
}

export const TRANSCRIPT_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type TranscriptStatus = (typeof TRANSCRIPT_STATUSES)[number];

/** One transcription job (GET /vnote/jobs items; the job part of a transcript). */
export interface TranscriptJob {
  transcriptId: string;
  callId: string;
  recordingId?: string;
  status: TranscriptStatus;
  engine: string;
  language: string;
  /** 0-100. */
  progress: number;
  attempts: number;
  priority?: number;
  error: string | null;
  durationMs: number;
  startedAt?: string | null;
  finishedAt?: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A segment as the panel uses it; `key` identifies it (the API gives segments no id). */
export interface Segment {
  key: string;
  seq: number;
  channel: number;
  speaker: Speaker;
  speakerLabel: string;
  startMs: number;
  endMs: number;
  text: string;
  /** 0-1 (the API sends per mille; mapped in the service). */
  confidence: number;
}

export interface Transcript {
  job: TranscriptJob;
  segments: Segment[];
}

export interface DeadLetter {
  id: string;
  callId: string;
  transcriptId: string;
  engine: string;
  reason: string;
  attempts: number;
  createdAt: string;
  retriedAt: string | null;
}

export interface JobPage {
  items: TranscriptJob[];
  counts: Record<TranscriptStatus, number>;
}

// --- search, keywords, metrics (docs/vnote/search-api.md) ---

export const FLAG_FILTERS = ['ng', 'competitor', 'missingRequired', 'any'] as const;
export type FlagFilter = (typeof FLAG_FILTERS)[number];

export interface SearchHit {
  kind: 'segment' | 'note';
  segmentId: string | null;
  startMs: number | null;
  endMs: number | null;
  channel: number | null;
  speaker: Speaker | null;
  text: string;
  highlights: TextRange[];
}

export interface CallFlags {
  ng: number;
  competitor: number;
  missingRequired: string[];
}

export interface MetricsSummary {
  silenceCount: number;
  operatorTalkPercent: number;
  speechRate: number;
  overlapCount: number;
  longestMonologueMs: number;
}

export interface SearchItem {
  call: CallView;
  hitCount: number;
  hits: SearchHit[];
  flags: CallFlags | null;
  metrics: MetricsSummary | null;
}

export interface SearchPage {
  items: SearchItem[];
  nextCursor: string | null;
}

export const DICTIONARY_KINDS = ['ng', 'required', 'competitor', 'hotword'] as const;
export type DictionaryKind = (typeof DICTIONARY_KINDS)[number];

export interface Dictionary {
  id: string;
  kind: DictionaryKind;
  name: string;
  entries: string[];
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface DictionaryBody {
  kind?: DictionaryKind;
  name?: string;
  entries?: string[];
  enabled?: boolean;
}

export interface KeywordHit {
  dictionaryId: string;
  kind: DictionaryKind;
  entry: string;
  segmentId: string;
  startMs: number;
  channel: number;
  speaker: Speaker;
  text: string;
  highlights: TextRange[];
}

export interface KeywordHits {
  callId: string;
  flags: CallFlags;
  hits: KeywordHit[];
}

export interface SpeakerMetrics {
  talkMs: number;
  talkPercent: number;
  chars: number;
  charsPerMinute: number;
}

export interface CallMetrics {
  callId: string;
  durationMs: number;
  speakers: Record<Speaker, SpeakerMetrics>;
  silenceCount: number;
  silenceTotalMs: number;
  silences: { startMs: number; endMs: number }[];
  overlapCount: number;
  overlapTotalMs: number;
  speechRate: number;
  longestMonologue: { speaker: Speaker; startMs: number; endMs: number; durationMs: number } | null;
  computedAt: string;
}

export interface SummarySettings {
  enabled: boolean;
  provider: string;
  availableProviders: string[];
}

// --- engine settings (docs/vnote/transcription-api.md) ---

export const ENGINES = ['pocketsphinx', 'sherpa-onnx', 'aws-transcribe', 'amivoice'] as const;
export type EngineName = (typeof ENGINES)[number];

/** An engine as GET /settings lists it: installed or not, and why not. */
export interface EngineInfo {
  name: EngineName;
  languages: string[];
  available: boolean;
  reason: string | null;
}

export type EngineOptionValue = string | number | boolean;

export interface VnoteSettingsBody {
  engine: EngineName;
  language: string;
  engineOptions: Record<string, EngineOptionValue>;
  speakerLabels: Record<Speaker, string>;
  concurrency: number;
  priority: number;
}

export interface VnoteSettings extends VnoteSettingsBody {
  engines: EngineInfo[];
}
