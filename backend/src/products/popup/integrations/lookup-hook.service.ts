import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AuditService } from '../../../core/audit/audit.service';
import { RequestContext } from '../../../core/tenancy/request-context';
import { TenantKeysService } from '../../../core/tenancy/tenant-keys.service';
import { SecretBox } from '../../../platform/crypto/secret-box';
import { fieldErrors, FieldProblem } from '../../../platform/http/field-errors';
import { normaliseNumber, NormalisedNumber } from '../../recordings/phone-number';
import { cachedConnectorCards, CardCache } from './card-cache';
import { ExternalCard, numberPlaceholders } from './external-cards';
import { cardText, parseJsonPath, readJsonPath } from './json-path';
import { LookupTestDto, PutLookupHookDto } from './lookup-hook.dto';
import { PopupLookupHook } from './lookup-hook.entity';
import {
  checkBounded,
  checkHeaders,
  checkMapping,
  checkPath,
  checkUrlTemplate,
  fillTemplate,
  LOOKUP_CACHE_TTL_SECONDS,
  LOOKUP_TIMEOUT_MS,
} from './lookup-hook-rules';
import { OutboundError, requestJson } from './outbound-json';

const SECRET_PURPOSE = 'popup-lookup-hook-headers';
/** Most cards one lookup shows (an answer listing a whole table is cut here). */
const MAX_CARDS = 5;

export interface LookupHookView {
  enabled: boolean;
  urlTemplate: string;
  /** Values are sealed and never shown again; only which headers are set. */
  headerNames: string[];
  timeoutMs: number;
  cacheTtlSeconds: number;
  recordsPath: string | null;
  mapping: Record<string, string>;
  updatedAt: Date | null;
}

export interface LookupResult {
  ok: boolean;
  httpStatus: number | null;
  durationMs: number;
  cards: ExternalCard[];
  error: string | null;
}

const view = (h: PopupLookupHook | null): LookupHookView => ({
  enabled: h?.enabled ?? false,
  urlTemplate: h?.urlTemplate ?? '',
  headerNames: h ? (JSON.parse(h.headerNames) as string[]) : [],
  timeoutMs: h?.timeoutMs ?? LOOKUP_TIMEOUT_MS.default,
  cacheTtlSeconds: h?.cacheTtlSeconds ?? LOOKUP_CACHE_TTL_SECONDS.default,
  recordsPath: h?.recordsPath ?? null,
  mapping: h ? (JSON.parse(h.mapping) as Record<string, string>) : {},
  updatedAt: h?.updatedAt ?? null,
});

/**
 * The external lookup hook: a tenant's own CRM asked for the caller's number (GET on a URL
 * template), its JSON answer mapped onto cards by JSONPath. Used by the popup through
 * PopupExternalCards, bounded by the hook's timeout; answers are cached per number for the TTL.
 */
@Injectable()
export class LookupHookService {
  private readonly logger = new Logger(LookupHookService.name);
  private readonly hooks: Repository<PopupLookupHook>;
  private readonly cache = new CardCache();

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly context: RequestContext,
    private readonly tenantKeys: TenantKeysService,
    private readonly audit: AuditService,
  ) {
    this.hooks = dataSource.getRepository(PopupLookupHook);
  }

  async get(): Promise<LookupHookView> {
    return view(await this.hooks.findOne({ where: { tenantId: this.context.tenantId() } }));
  }

  /** Replaces the settings; every problem is reported at once and nothing is written when there is one. */
  async put(dto: PutLookupHookDto): Promise<LookupHookView> {
    const tenantId = this.context.tenantId();
    const problems: FieldProblem[] = [];
    const urlTemplate = checkUrlTemplate(dto.urlTemplate, problems);
    const headers = dto.headers === undefined ? undefined : checkHeaders(dto.headers, problems);
    const timeoutMs = checkBounded(dto.timeoutMs, 'timeoutMs', LOOKUP_TIMEOUT_MS, problems);
    const cacheTtlSeconds = checkBounded(dto.cacheTtlSeconds, 'cacheTtlSeconds', LOOKUP_CACHE_TTL_SECONDS, problems);
    const recordsPath =
      dto.recordsPath === undefined || dto.recordsPath === null || dto.recordsPath === ''
        ? null
        : checkPath(dto.recordsPath, 'recordsPath', problems);
    const mapping = checkMapping(dto.mapping, problems);
    if (problems.length) throw fieldErrors(problems);
    const existing = await this.hooks.findOne({ where: { tenantId } });
    const row: PopupLookupHook = existing ?? this.hooks.create({ tenantId, headerNames: '[]', headers: null });
    Object.assign(row, {
      enabled: dto.enabled,
      urlTemplate: urlTemplate as string,
      timeoutMs,
      cacheTtlSeconds,
      recordsPath,
      mapping: JSON.stringify(mapping),
      updatedAt: new Date(),
    });
    if (headers !== undefined) {
      const names = Object.keys(headers);
      const { keyId, dataKey } = await this.tenantKeys.current(tenantId);
      Object.assign(row, {
        headerNames: JSON.stringify(names),
        headers: names.length ? new SecretBox(dataKey, SECRET_PURPOSE).seal(JSON.stringify(headers)) : null,
        headersKeyId: names.length ? keyId : null,
      });
    }
    await this.hooks.save(row);
    this.cache.forget(tenantId);
    const saved = view(row);
    // Header values are secrets: the audit names them only.
    await this.audit.record({ action: 'popup.lookupHook.updated', details: { ...saved, updatedAt: undefined } });
    return saved;
  }

  async remove(): Promise<void> {
    const tenantId = this.context.tenantId();
    const deleted = await this.hooks.delete({ tenantId });
    this.cache.forget(tenantId);
    if (deleted.affected) await this.audit.record({ action: 'popup.lookupHook.deleted' });
  }

  /** Runs the saved hook for a number now (no cache), for the settings page's test button. */
  async test(dto: LookupTestDto): Promise<LookupResult & { number: NormalisedNumber }> {
    const hook = await this.hooks.findOne({ where: { tenantId: this.context.tenantId() } });
    const number = normaliseNumber(dto.number);
    if (!hook) throw fieldErrors([{ field: 'urlTemplate', message: 'save the lookup hook before testing it' }]);
    if (number.withheld || !number.digits) throw fieldErrors([{ field: 'number', message: 'is not a phone number' }]);
    return { number, ...(await this.run(hook, number)) };
  }

  /** The popup's cards from the hook; [] when it is off, fails or times out (the failure is logged). */
  cardsFor(tenantId: string, number: NormalisedNumber): Promise<ExternalCard[]> {
    return cachedConnectorCards(
      {
        label: 'lookup hook',
        cache: this.cache,
        logger: this.logger,
        load: (id) => this.hooks.findOne({ where: { tenantId: id } }),
        lookup: (hook, n) => this.run(hook, n),
      },
      tenantId,
      number,
    );
  }

  private async run(hook: PopupLookupHook, number: NormalisedNumber): Promise<LookupResult> {
    const url = fillTemplate(hook.urlTemplate, numberPlaceholders(number));
    const started = performance.now();
    try {
      const headers =
        hook.headers && hook.headersKeyId
          ? (JSON.parse(
              new SecretBox(await this.tenantKeys.byId(hook.tenantId, hook.headersKeyId), SECRET_PURPOSE).open(
                hook.headers,
              ),
            ) as Record<string, string>)
          : {};
      const answer = await requestJson(url, { method: 'GET', headers }, hook.timeoutMs);
      // 404: the CRM does not know the number, which is an answer, not a failure.
      if (answer.status === 404)
        return { ok: true, httpStatus: 404, durationMs: answer.durationMs, cards: [], error: null };
      if (answer.status < 200 || answer.status > 299)
        throw new OutboundError(`answered HTTP ${answer.status}`, answer.status);
      return {
        ok: true,
        httpStatus: answer.status,
        durationMs: answer.durationMs,
        cards: this.map(hook, answer.body),
        error: null,
      };
    } catch (error) {
      return {
        ok: false,
        httpStatus: error instanceof OutboundError ? error.status : null,
        durationMs: Math.round(performance.now() - started),
        cards: [],
        error: (error as Error).message,
      };
    }
  }

  private map(hook: PopupLookupHook, body: unknown): ExternalCard[] {
    const records = hook.recordsPath ? readJsonPath(body, parseJsonPath(hook.recordsPath)) : [body];
    if (!Array.isArray(records)) throw new OutboundError(`${hook.recordsPath} is not a list in the answer`);
    const mapping = Object.entries(JSON.parse(hook.mapping) as Record<string, string>).map(
      ([field, path]) => [field, parseJsonPath(path)] as const,
    );
    return records.slice(0, MAX_CARDS).flatMap((record) => {
      const card: Record<string, string | null> = {};
      for (const [field, steps] of mapping) card[field] = cardText(readJsonPath(record, steps));
      return card['name'] ? [{ ...card, source: 'lookup-hook' as const, name: card['name'] }] : [];
    });
  }
}
