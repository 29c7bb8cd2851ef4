import type { FieldProblem } from '../../../platform/http/field-errors';
import { normaliseNumber } from '../../recordings/phone-number';
import { instantFromGroups, parseDuration, parseTime } from './date-format';
import { baseName, compilePattern, MappedField } from './file-name-pattern';
import { MappingProfile } from './mapping-profile';
import { parseSidecar, SidecarError, sidecarFormatOf, SidecarFormat, SidecarReader } from './sidecar-parser';

export interface MappedCall {
  ownNumber: string;
  /** The own number in E.164: what carrier lines are matched by. */
  ownE164: string | null;
  otherNumber: string;
  direction: 'inbound' | 'outbound';
  startedAt: Date;
  durationSeconds: number | null;
  callId: string | null;
}

export interface MappingResult {
  /** Present when every required field was found and valid. */
  call: MappedCall | null;
  /** The raw text found for each field and where it came from, for the profile tester. */
  found: Partial<Record<MappedField, { value: string; from: 'fileName' | 'sidecar' }>>;
  errors: FieldProblem[];
}

export interface SidecarInput {
  name: string;
  content: Buffer | string;
}

const REQUIRED: MappedField[] = ['ownNumber', 'otherNumber', 'direction', 'startedAt'];
const GROUP_OF: Partial<Record<MappedField, string>> = {
  ownNumber: 'own',
  otherNumber: 'other',
  direction: 'direction',
  callId: 'callId',
  durationSeconds: 'duration',
  startedAt: 'start',
};

/**
 * Reads a delivered file's call fields: first from its name, then from its sidecar (which wins
 * where both have a value). Every problem is reported against the field it concerns.
 */
export function mapDelivery(profile: MappingProfile, fileName: string, sidecar?: SidecarInput | null): MappingResult {
  const errors: FieldProblem[] = [];
  const found: MappingResult['found'] = {};
  let fileStart: Date | null = null;
  let nameMatched = false;
  if (profile.fileNamePattern) {
    const { regex, hasDateGroups } = compilePattern(profile.patternKind, profile.fileNamePattern);
    const m = regex.exec(baseName(fileName));
    if (m) {
      nameMatched = true;
      const groups = m.groups ?? {};
      for (const [field, group] of Object.entries(GROUP_OF)) {
        const value = groups[group];
        if (value !== undefined && value !== '') found[field as MappedField] = { value, from: 'fileName' };
      }
      if (hasDateGroups) {
        try {
          fileStart = instantFromGroups(groups, profile.timeZone);
          found.startedAt = { value: fileStart.toISOString(), from: 'fileName' };
        } catch (error) {
          errors.push({ field: 'startedAt', message: `file name: ${(error as Error).message}` });
        }
      }
    }
  }
  const reader = sidecar ? readSidecar(profile, sidecar, errors) : null;
  if (reader) {
    for (const [field, spec] of Object.entries(profile.sidecar.fields)) {
      const value = spec ? reader(spec)?.trim() : undefined;
      if (value) found[field as MappedField] = { value, from: 'sidecar' };
    }
  } else if (!sidecar && profile.sidecar.required && profile.sidecar.format !== 'none') {
    errors.push({ field: 'sidecar', message: 'the profile requires a sidecar file and none was delivered' });
  }
  for (const field of REQUIRED) {
    if (found[field] || errors.some((e) => e.field === field)) continue;
    const where = [
      profile.fileNamePattern
        ? nameMatched
          ? `the file name has no ${GROUP_OF[field]}`
          : `the file name does not match ${profile.fileNamePattern}`
        : null,
      reader ? `the sidecar has no ${profile.sidecar.fields[field] ?? '(unmapped)'}` : sidecar ? null : 'no sidecar',
    ].filter(Boolean);
    errors.push({ field, message: `not found: ${where.join('; ')}` });
  }
  const call = interpret(profile, found, fileStart, errors);
  return { call: errors.length ? null : call, found, errors };
}

function readSidecar(profile: MappingProfile, sidecar: SidecarInput, errors: FieldProblem[]): SidecarReader | null {
  if (profile.sidecar.format === 'none') return null;
  const format: SidecarFormat | null =
    profile.sidecar.format === 'auto' ? sidecarFormatOf(sidecar.name) : profile.sidecar.format;
  if (!format) {
    errors.push({ field: 'sidecar', message: `${sidecar.name}: not .csv, .json or .xml` });
    return null;
  }
  try {
    return parseSidecar(format, sidecar.content, profile.sidecar.csvDelimiter);
  } catch (error) {
    if (!(error instanceof SidecarError)) throw error;
    errors.push({ field: 'sidecar', message: `${sidecar.name}: ${error.message}` });
    return null;
  }
}

function interpret(
  profile: MappingProfile,
  found: MappingResult['found'],
  fileStart: Date | null,
  errors: FieldProblem[],
): MappedCall | null {
  const fail = (field: MappedField, message: string) => errors.push({ field, message });
  const own = found.ownNumber ? normaliseNumber(found.ownNumber.value) : null;
  if (own && !own.e164) fail('ownNumber', `"${found.ownNumber?.value}" is not a phone number`);
  const direction = found.direction ? directionOf(profile, found.direction.value) : null;
  if (found.direction && !direction) {
    const allowed = [...profile.directionValues.inbound, ...profile.directionValues.outbound].join(', ');
    fail('direction', `"${found.direction.value}" is none of: ${allowed}`);
  }
  let startedAt = fileStart;
  // A sidecar's time wins; a regex's (?<start>) group is read with the sidecar's time format too.
  if (found.startedAt && (found.startedAt.from === 'sidecar' || !fileStart)) {
    try {
      startedAt = parseTime(found.startedAt.value, profile.sidecar.timeFormat, profile.timeZone);
    } catch (error) {
      fail('startedAt', (error as Error).message);
    }
  }
  let durationSeconds: number | null = null;
  if (found.durationSeconds) {
    try {
      durationSeconds = parseDuration(found.durationSeconds.value);
    } catch (error) {
      fail('durationSeconds', (error as Error).message);
    }
  }
  const callId = found.callId?.value ?? null;
  if (callId && callId.length > 100) fail('callId', 'longer than 100 characters');
  if (!own || !direction || !startedAt || !found.otherNumber) return null;
  return {
    ownNumber: own.dialled,
    ownE164: own.e164,
    otherNumber: found.otherNumber.value,
    direction,
    startedAt,
    durationSeconds,
    callId,
  };
}

function directionOf(profile: MappingProfile, value: string): 'inbound' | 'outbound' | null {
  const norm = (v: string) => v.normalize('NFKC').trim().toLowerCase();
  const v = norm(value);
  if (profile.directionValues.inbound.some((x) => norm(x) === v)) return 'inbound';
  if (profile.directionValues.outbound.some((x) => norm(x) === v)) return 'outbound';
  return null;
}
