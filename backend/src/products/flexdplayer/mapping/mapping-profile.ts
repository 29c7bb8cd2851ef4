import type { FieldProblem } from '../../../platform/http/field-errors';
import { dateFormatRegex } from './date-format';
import { compilePattern, MappedField, MAPPED_FIELDS } from './file-name-pattern';

export interface SidecarRules {
  /** `auto`: by the sidecar's extension (.csv, .json, .xml); `none`: file names only. */
  format: 'auto' | 'csv' | 'json' | 'xml' | 'none';
  /** True: a recording without its sidecar waits for it (and fails after SIDECAR_WAIT_SECONDS). */
  required: boolean;
  /** Call field -> CSV column name (or #n), JSON key path (a.b) or XML element/attribute name. */
  fields: Partial<Record<MappedField, string>>;
  csvDelimiter: string;
  /** How sidecar times without an offset are written; ISO 8601 is always understood too. */
  timeFormat: string;
}

/** Values (compared case-insensitively, NFKC) that mean inbound or outbound. */
export interface DirectionValues {
  inbound: string[];
  outbound: string[];
}

export interface MappingProfile {
  id: string;
  name: string;
  builtIn: boolean;
  patternKind: 'tokens' | 'regex';
  fileNamePattern: string | null;
  sidecar: SidecarRules;
  directionValues: DirectionValues;
  /** Times without an offset are wall-clock times here (JST unless the carrier says otherwise). */
  timeZone: string;
}

export const BUILT_IN_PROFILE_ID = 'default';

/** The profile connectors use unless they name another; documented in docs/flexdplayer.md. */
export const DEFAULT_PROFILE: MappingProfile = Object.freeze({
  id: BUILT_IN_PROFILE_ID,
  name: '標準 (Standard)',
  builtIn: true,
  patternKind: 'tokens',
  fileNamePattern: '{own}_{other}_{yyyyMMddHHmmss}_{direction}',
  sidecar: {
    format: 'auto',
    required: false,
    fields: {
      ownNumber: 'own_number',
      otherNumber: 'other_number',
      direction: 'direction',
      startedAt: 'start_time',
      durationSeconds: 'duration',
      callId: 'call_id',
    },
    csvDelimiter: ',',
    timeFormat: 'yyyy/MM/dd HH:mm:ss',
  },
  directionValues: {
    inbound: ['in', 'inbound', 'incoming', 'i', 'r', '着信', '受信'],
    outbound: ['out', 'outbound', 'outgoing', 'o', 's', '発信', '送信'],
  },
  timeZone: 'Asia/Tokyo',
}) as MappingProfile;

/** What is wrong with a profile's rules, each named by its field (the DTO checked the types). */
export function profileProblems(p: Omit<MappingProfile, 'id' | 'builtIn' | 'name'>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (p.fileNamePattern) {
    try {
      compilePattern(p.patternKind, p.fileNamePattern);
    } catch (error) {
      problems.push({ field: 'fileNamePattern', message: (error as Error).message });
    }
  }
  if (!p.fileNamePattern && p.sidecar.format === 'none')
    problems.push({ field: 'fileNamePattern', message: 'needed when the sidecar format is none' });
  try {
    dateFormatRegex(p.sidecar.timeFormat);
  } catch (error) {
    problems.push({ field: 'sidecar.timeFormat', message: (error as Error).message });
  }
  for (const key of Object.keys(p.sidecar.fields)) {
    if (!(MAPPED_FIELDS as readonly string[]).includes(key))
      problems.push({ field: `sidecar.fields.${key}`, message: `unknown field (use ${MAPPED_FIELDS.join(', ')})` });
  }
  const norm = (v: string) => v.normalize('NFKC').trim().toLowerCase();
  const inbound = new Set(p.directionValues.inbound.map(norm));
  const both = p.directionValues.outbound.find((v) => inbound.has(norm(v)));
  if (both) problems.push({ field: 'directionValues.outbound', message: `"${both}" is also an inbound value` });
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: p.timeZone });
  } catch {
    problems.push({ field: 'timeZone', message: `${p.timeZone} is not an IANA time zone (e.g. Asia/Tokyo)` });
  }
  return problems;
}
