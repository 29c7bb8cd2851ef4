import { fieldErrors, FieldProblem } from '../../../platform/http/field-errors';
import { canonicalCidr, extensionPatternRegex, lineNumber, trunkAddress } from './network-rules';
import { SiteLine } from './site.entity';
import { CreateSiteDto, SiteLineDto, UpdateSiteDto } from './site.dto';

/** The stored shape of the fields an admin may set. */
export interface SiteFields {
  name: string;
  location: string | null;
  internalNetworks: string[];
  extensionPatterns: string[];
  lines: SiteLine[];
  offlineAfterSeconds: number;
  dropAlertThreshold: number;
  webhookUrl: string | null;
}

const LOOPBACK_HOST = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/;
/** Fields that have a value on every site: null means nothing, so it is refused rather than guessed. */
const NOT_NULL = [
  'name',
  'internalNetworks',
  'extensionPatterns',
  'lines',
  'offlineAfterSeconds',
  'dropAlertThreshold',
] as const;

/**
 * Checks and normalises what an admin sent (CIDR blocks to canonical form, numbers to digits) and
 * answers only the fields that were given; every problem is reported at once, each naming its
 * entry (`internalNetworks[1]`, `lines[0].numbers[2]`).
 */
export function normaliseSiteFields(dto: CreateSiteDto | UpdateSiteDto): Partial<SiteFields> {
  const problems: FieldProblem[] = [];
  const out: Partial<SiteFields> = {};
  for (const field of NOT_NULL) {
    if (dto[field] === null) problems.push({ field, message: 'may not be null' });
  }
  if (typeof dto.name === 'string') {
    out.name = dto.name.trim();
    if (!out.name) problems.push({ field: 'name', message: 'may not be blank' });
  }
  if (dto.location !== undefined) out.location = dto.location?.trim() || null;
  if (Array.isArray(dto.internalNetworks)) {
    out.internalNetworks = unique(
      dto.internalNetworks.flatMap((text, i) => {
        const result = canonicalCidr(text);
        if ('cidr' in result) return [result.cidr];
        problems.push({ field: `internalNetworks[${i}]`, message: `${text} ${result.problem}` });
        return [];
      }),
    );
  }
  if (Array.isArray(dto.extensionPatterns)) {
    out.extensionPatterns = unique(
      dto.extensionPatterns.flatMap((text, i) => {
        const result = extensionPatternRegex(text);
        if ('regex' in result) return [text.trim().toLowerCase()];
        problems.push({ field: `extensionPatterns[${i}]`, message: `${text}: ${result.problem}` });
        return [];
      }),
    );
  }
  if (Array.isArray(dto.lines)) out.lines = normaliseLines(dto.lines, problems);
  if (dto.offlineAfterSeconds !== undefined && dto.offlineAfterSeconds !== null) {
    out.offlineAfterSeconds = dto.offlineAfterSeconds;
  }
  if (dto.dropAlertThreshold !== undefined && dto.dropAlertThreshold !== null) {
    out.dropAlertThreshold = dto.dropAlertThreshold;
  }
  if (dto.webhookUrl !== undefined) out.webhookUrl = webhookUrl(dto.webhookUrl, problems);
  if (problems.length) throw fieldErrors(problems);
  return out;
}

function normaliseLines(lines: SiteLineDto[], problems: FieldProblem[]): SiteLine[] {
  const names = new Set<string>();
  return lines.map((line, i) => {
    const name = line.name.trim();
    if (!name) problems.push({ field: `lines[${i}].name`, message: 'may not be blank' });
    else if (names.has(name)) problems.push({ field: `lines[${i}].name`, message: `${name} is named twice` });
    names.add(name);
    const numbers = (line.numbers ?? []).flatMap((text, j) => {
      const result = lineNumber(text);
      if ('number' in result) return [result.number];
      problems.push({ field: `lines[${i}].numbers[${j}]`, message: `${text} ${result.problem}` });
      return [];
    });
    const trunks = (line.trunks ?? []).flatMap((text, j) => {
      const result = trunkAddress(text);
      if ('trunk' in result) return [result.trunk];
      problems.push({ field: `lines[${i}].trunks[${j}]`, message: `${text} ${result.problem}` });
      return [];
    });
    if (!line.numbers?.length && !line.trunks?.length) {
      problems.push({ field: `lines[${i}]`, message: 'needs at least one number or trunk to recognise its calls' });
    }
    return { name, numbers: unique(numbers), trunks: unique(trunks) };
  });
}

/**
 * Alerts carry site names and figures: they travel over TLS. Plain http is only for a receiver on
 * this machine (tests, a local relay), where nothing crosses a network.
 */
function webhookUrl(text: string | null, problems: FieldProblem[]): string | null {
  const trimmed = text?.trim();
  if (!trimmed) return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    problems.push({ field: 'webhookUrl', message: 'is not a valid URL' });
    return null;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOST.test(url.hostname))) {
    problems.push({ field: 'webhookUrl', message: 'must start with https:// (plain http only for localhost)' });
  }
  if (url.username || url.password) {
    problems.push({ field: 'webhookUrl', message: 'must not contain credentials: requests are signed instead' });
  }
  return url.toString();
}

const unique = <T>(values: T[]) => [...new Set(values)];
