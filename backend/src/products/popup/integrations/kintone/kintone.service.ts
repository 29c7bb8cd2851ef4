import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AuditService } from '../../../../core/audit/audit.service';
import { RequestContext } from '../../../../core/tenancy/request-context';
import { TenantKeysService } from '../../../../core/tenancy/tenant-keys.service';
import { SecretBox } from '../../../../platform/crypto/secret-box';
import { fieldError } from '../../../../platform/http/field-errors';
import { normaliseNumber, NormalisedNumber } from '../../../recordings/phone-number';
import { cachedConnectorCards, CardCache } from '../card-cache';
import { ExternalCard } from '../external-cards';
import { LookupTestDto } from '../lookup-hook.dto';
import { getRecords, KintoneError, KintoneField, KintoneRecord, numberQuery } from './kintone-client';
import { PopupKintoneConnector } from './kintone-connector.entity';
import { KintoneFields, kintoneFields, KINTONE_TIMEOUT_MS } from './kintone-rules';
import { PutKintoneDto } from './kintone.dto';

const SECRET_PURPOSE = 'popup-kintone-tokens';
const MAX_CARDS = 5;

interface Tokens {
  apiToken: string | null;
  historyApiToken: string | null;
}

export interface KintoneView extends Partial<KintoneFields> {
  configured: boolean;
  /** Tokens are sealed and never shown again; only whether each is saved. */
  apiTokenSet: boolean;
  historyApiTokenSet: boolean;
  lastWriteBackAt: Date | null;
  lastWriteBackError: string | null;
  updatedAt: Date | null;
}

export interface KintoneLookupResult {
  ok: boolean;
  durationMs: number;
  cards: ExternalCard[];
  error: string | null;
  /** kintone's error code (GAIA_AP01, CB_VA01…) when kintone refused. */
  kintoneCode: string | null;
}

/** A kintone value as card text: lists joined, user/organisation entries by name. */
function fieldText(field: KintoneField | undefined): string | null {
  const value = field?.value;
  if (typeof value === 'string') return value.trim() ? value : null;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    const parts = value.map((v) => (typeof v === 'object' && v && 'name' in v ? String(v.name) : String(v)));
    return parts.length ? parts.join('、') : null;
  }
  if (value && typeof value === 'object' && 'name' in value) return String((value as { name: unknown }).name);
  return null;
}

const digitsOf = (text: string | null) => (text ?? '').replace(/[^0-9]/g, '');

/**
 * The kintone connector's settings and its lookup: the customer app searched by number with
 * GET /k/v1/records.json, each hit whose phone field holds exactly the number mapped to a card.
 */
@Injectable()
export class KintoneService {
  private readonly logger = new Logger(KintoneService.name);
  private readonly connectors: Repository<PopupKintoneConnector>;
  private readonly cache = new CardCache();

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly context: RequestContext,
    private readonly tenantKeys: TenantKeysService,
    private readonly audit: AuditService,
  ) {
    this.connectors = dataSource.getRepository(PopupKintoneConnector);
  }

  row(tenantId: string): Promise<PopupKintoneConnector | null> {
    return this.connectors.findOne({ where: { tenantId } });
  }

  async get(): Promise<KintoneView> {
    const row = await this.row(this.context.tenantId());
    if (!row) {
      return {
        configured: false,
        apiTokenSet: false,
        historyApiTokenSet: false,
        lastWriteBackAt: null,
        lastWriteBackError: null,
        updatedAt: null,
      };
    }
    return this.view(row, await this.tokens(row));
  }

  async put(dto: PutKintoneDto): Promise<KintoneView> {
    const tenantId = this.context.tenantId();
    const existing = await this.row(tenantId);
    const saved = existing ? await this.tokens(existing) : { apiToken: null, historyApiToken: null };
    const fields = kintoneFields(dto, { apiToken: !!saved.apiToken, historyApiToken: !!saved.historyApiToken });
    const tokens: Tokens = {
      apiToken: dto.apiToken ?? saved.apiToken,
      historyApiToken: dto.historyApiToken ?? saved.historyApiToken,
    };
    const { keyId, dataKey } = await this.tenantKeys.current(tenantId);
    const row = existing ?? this.connectors.create({ tenantId, lastWriteBackAt: null, lastWriteBackError: null });
    Object.assign(row, {
      ...fields,
      mapping: JSON.stringify(fields.mapping),
      historyMapping: JSON.stringify(fields.historyMapping),
      tokens: new SecretBox(dataKey, SECRET_PURPOSE).seal(JSON.stringify(tokens)),
      tokensKeyId: keyId,
      updatedAt: new Date(),
    });
    await this.connectors.save(row);
    this.cache.forget(tenantId);
    await this.audit.record({
      action: 'popup.kintone.updated',
      details: {
        ...fields,
        apiTokenChanged: dto.apiToken !== undefined,
        historyApiTokenChanged: dto.historyApiToken !== undefined,
      },
    });
    return this.view(row, tokens);
  }

  async remove(): Promise<void> {
    const tenantId = this.context.tenantId();
    const deleted = await this.connectors.delete({ tenantId });
    this.cache.forget(tenantId);
    if (deleted.affected) await this.audit.record({ action: 'popup.kintone.deleted' });
  }

  /** Runs the saved connector's lookup for a number now (no cache), for the test button. */
  async test(dto: LookupTestDto): Promise<KintoneLookupResult & { number: NormalisedNumber }> {
    const row = await this.row(this.context.tenantId());
    if (!row) throw fieldError('baseUrl', 'save the kintone connector before testing it');
    const number = normaliseNumber(dto.number);
    if (number.withheld || !number.digits) throw fieldError('number', 'is not a phone number');
    return { number, ...(await this.lookup(row, number)) };
  }

  /** The popup's kintone cards; [] when off, failing or slow (logged). */
  cardsFor(tenantId: string, number: NormalisedNumber): Promise<ExternalCard[]> {
    return cachedConnectorCards(
      {
        label: 'kintone lookup',
        cache: this.cache,
        logger: this.logger,
        load: (id) => this.row(id),
        lookup: (row, n) => this.lookup(row, n),
      },
      tenantId,
      number,
    );
  }

  async tokens(row: PopupKintoneConnector): Promise<Tokens> {
    const dataKey = await this.tenantKeys.byId(row.tenantId, row.tokensKeyId);
    return JSON.parse(new SecretBox(dataKey, SECRET_PURPOSE).open(row.tokens)) as Tokens;
  }

  /** Remembers the outcome of the last history write-back, shown on the settings page. */
  async noteWriteBack(tenantId: string, error: string | null): Promise<void> {
    await this.connectors.update(
      { tenantId },
      { lastWriteBackAt: new Date(), lastWriteBackError: error ? error.slice(0, 500) : null },
    );
  }

  private async lookup(row: PopupKintoneConnector, number: NormalisedNumber): Promise<KintoneLookupResult> {
    const started = performance.now();
    const took = () => Math.round(performance.now() - started);
    try {
      const { apiToken } = await this.tokens(row);
      const mapping = JSON.parse(row.mapping) as Record<string, string>;
      const fields = [...new Set(['$id', row.phoneField, ...Object.values(mapping)])];
      const query = numberQuery(row.phoneField, [number.digits, number.display], MAX_CARDS * 2);
      const timeout = Math.min(row.timeoutMs ?? KINTONE_TIMEOUT_MS.default, KINTONE_TIMEOUT_MS.max);
      const records = await getRecords(row.baseUrl, row.appId, apiToken ?? '', query, fields, timeout);
      // `like` also finds 0312345678 inside 0312345678-9: keep the records holding exactly the number.
      const exact = records.filter((r) => digitsOf(fieldText(r[row.phoneField])) === number.digits);
      return {
        ok: true,
        durationMs: took(),
        cards: exact.slice(0, MAX_CARDS).flatMap((r) => this.card(r, mapping)),
        error: null,
        kintoneCode: null,
      };
    } catch (error) {
      const e = error as Error;
      return {
        ok: false,
        durationMs: took(),
        cards: [],
        error: e.message,
        kintoneCode: error instanceof KintoneError ? error.code : null,
      };
    }
  }

  private card(record: KintoneRecord, mapping: Record<string, string>): ExternalCard[] {
    const card: Record<string, string | null> = {};
    for (const [field, code] of Object.entries(mapping)) card[field] = fieldText(record[code]);
    if (!card['name']) return [];
    return [{ ...card, source: 'kintone', name: card['name'], recordId: fieldText(record['$id']) }];
  }

  private view(row: PopupKintoneConnector, tokens: Tokens): KintoneView {
    return {
      configured: true,
      enabled: row.enabled,
      baseUrl: row.baseUrl,
      appId: row.appId,
      phoneField: row.phoneField,
      mapping: JSON.parse(row.mapping) as Record<string, string>,
      historyEnabled: row.historyEnabled,
      historyAppId: row.historyAppId,
      historyMapping: JSON.parse(row.historyMapping) as Record<string, string>,
      timeoutMs: row.timeoutMs,
      cacheTtlSeconds: row.cacheTtlSeconds,
      apiTokenSet: !!tokens.apiToken,
      historyApiTokenSet: !!tokens.historyApiToken,
      lastWriteBackAt: row.lastWriteBackAt,
      lastWriteBackError: row.lastWriteBackError,
      updatedAt: row.updatedAt,
    };
  }
}
