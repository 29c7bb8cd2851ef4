import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditService } from '../../../core/audit/audit.service';
import { TenantKeysService } from '../../../core/tenancy/tenant-keys.service';
import { SecretBox } from '../../../platform/crypto/secret-box';
import { fieldErrors } from '../../../platform/http/field-errors';
import { ENGINE_NAMES, EngineName, SPEECH_ENGINES, SpeechEngine } from './engines/speech-engine';
import { VnoteSettingsRow } from './transcription.entities';

const SECRET_PURPOSE = 'vnote-engine-options';
/** What GET shows for a secret that is set; PUT with it keeps the stored value. */
export const MASK = '********';

export interface VnoteSettings {
  engine: EngineName;
  language: string;
  engineOptions: Record<string, unknown>;
  speakerLabels: { customer: string; operator: string };
  concurrency: number;
  priority: number;
}

export const DEFAULT_SETTINGS: VnoteSettings = {
  engine: 'pocketsphinx',
  language: 'en-US',
  engineOptions: {},
  speakerLabels: { customer: 'お客様', operator: 'オペレーター' },
  concurrency: 1,
  priority: 0,
};

type Sealed = { sealed: string; keyId: string };
const isSealed = (v: unknown): v is Sealed => typeof v === 'object' && v !== null && 'sealed' in v && 'keyId' in v;

/**
 * Each tenant's transcription settings. Engine secrets (cloud keys) are sealed with the tenant's
 * data key in the row and never leave through the API: GET shows a mask.
 */
@Injectable()
export class VnoteSettingsService {
  constructor(
    @InjectRepository(VnoteSettingsRow) private readonly rows: Repository<VnoteSettingsRow>,
    @Inject(SPEECH_ENGINES) private readonly engines: SpeechEngine[],
    private readonly tenantKeys: TenantKeysService,
    private readonly audit: AuditService,
  ) {}

  engine(name: string): SpeechEngine {
    const engine = this.engines.find((e) => e.name === name);
    if (!engine) throw new Error(`unknown speech engine ${name}`);
    return engine;
  }

  /** Settings with secrets opened: for the worker only. */
  async forWorker(tenantId: string): Promise<VnoteSettings> {
    const row = await this.rows.findOne({ where: { tenantId } });
    if (!row) return DEFAULT_SETTINGS;
    const stored = JSON.parse(row.engineOptions) as Record<string, unknown>;
    const options: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(stored)) {
      options[key] = isSealed(value)
        ? new SecretBox(await this.tenantKeys.byId(tenantId, value.keyId), SECRET_PURPOSE).open(value.sealed)
        : value;
    }
    return { ...this.fromRow(row), engineOptions: options };
  }

  /** Settings as the API shows them (secrets masked), with what each engine can do here. */
  async view(tenantId: string) {
    const row = await this.rows.findOne({ where: { tenantId } });
    const settings = row ? this.fromRow(row) : DEFAULT_SETTINGS;
    const options = row ? (JSON.parse(row.engineOptions) as Record<string, unknown>) : {};
    const shown = Object.fromEntries(Object.entries(options).map(([k, v]) => [k, isSealed(v) ? MASK : v]));
    const engines = await Promise.all(
      this.engines.map(async (e) => {
        const reason = await e.availability();
        return { name: e.name, languages: [...e.languages], available: reason === null, reason };
      }),
    );
    return { ...settings, engineOptions: shown, engines };
  }

  async update(tenantId: string, body: unknown) {
    const input = this.validate(body);
    const engine = this.engine(input.engine);
    const previous = await this.rows.findOne({ where: { tenantId } });
    const before =
      previous && previous.engine === input.engine
        ? (JSON.parse(previous.engineOptions) as Record<string, unknown>)
        : {};
    const options: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input.engineOptions)) {
      if (!engine.secretOptions.includes(key)) {
        options[key] = value;
      } else if (value === MASK) {
        if (!isSealed(before[key]))
          throw fieldErrors([{ field: `engineOptions.${key}`, message: 'no stored value to keep; send the secret' }]);
        options[key] = before[key];
      } else {
        const { keyId, dataKey } = await this.tenantKeys.current(tenantId);
        options[key] = { sealed: new SecretBox(dataKey, SECRET_PURPOSE).seal(String(value)), keyId };
      }
    }
    await this.rows.save({
      tenantId,
      engine: input.engine,
      language: input.language,
      engineOptions: JSON.stringify(options),
      customerLabel: input.speakerLabels.customer,
      operatorLabel: input.speakerLabels.operator,
      concurrency: input.concurrency,
      priority: input.priority,
      updatedAt: new Date(),
    });
    await this.audit.record({
      action: 'vnote.settings.updated',
      target: tenantId,
      details: {
        engine: input.engine,
        language: input.language,
        concurrency: input.concurrency,
        priority: input.priority,
      },
    });
    return this.view(tenantId);
  }

  /** Every problem of a PUT body at once, named by field; nothing is written when there is one. */
  private validate(body: unknown): VnoteSettings {
    const errors: { field: string; message: string }[] = [];
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    for (const key of Object.keys(b))
      if (!['engine', 'language', 'engineOptions', 'speakerLabels', 'concurrency', 'priority', 'engines'].includes(key))
        errors.push({ field: key, message: 'unknown field' });
    const engine = this.engines.find((e) => e.name === b['engine']);
    if (!engine) errors.push({ field: 'engine', message: `must be one of ${ENGINE_NAMES.join(', ')}` });
    if (engine && !engine.languages.includes(b['language'] as string))
      errors.push({ field: 'language', message: `must be one of ${engine.languages.join(', ')} for ${engine.name}` });
    const options = b['engineOptions'] ?? {};
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      errors.push({ field: 'engineOptions', message: 'must be an object' });
    } else if (engine) {
      const o = options as Record<string, unknown>;
      for (const key of Object.keys(o))
        if (!engine.optionKeys.includes(key))
          errors.push({ field: `engineOptions.${key}`, message: `unknown option for ${engine.name}` });
      // A masked secret stands for the stored one: validate with a placeholder in its place.
      const probe = Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v === MASK ? 'x' : v]));
      errors.push(
        ...engine.validateOptions(probe).filter((e) => !(e.field === 'engineOptions.region' && o['region'] === MASK)),
      );
    }
    const labels = (b['speakerLabels'] ?? {}) as Record<string, unknown>;
    for (const who of ['customer', 'operator']) {
      const label = labels[who];
      if (typeof label !== 'string' || !label.trim() || label.length > 50)
        errors.push({ field: `speakerLabels.${who}`, message: 'must be 1-50 characters' });
    }
    const int = (field: string, min: number, max: number) => {
      const v = b[field];
      if (!Number.isInteger(v) || (v as number) < min || (v as number) > max)
        errors.push({ field, message: `must be an integer ${min}-${max}` });
    };
    int('concurrency', 1, 16);
    int('priority', 0, 10);
    if (errors.length) throw fieldErrors(errors);
    return {
      engine: b['engine'] as EngineName,
      language: b['language'] as string,
      engineOptions: options as Record<string, unknown>,
      speakerLabels: {
        customer: (labels['customer'] as string).trim(),
        operator: (labels['operator'] as string).trim(),
      },
      concurrency: b['concurrency'] as number,
      priority: b['priority'] as number,
    };
  }

  private fromRow(row: VnoteSettingsRow): VnoteSettings {
    return {
      engine: row.engine as EngineName,
      language: row.language,
      engineOptions: {},
      speakerLabels: { customer: row.customerLabel, operator: row.operatorLabel },
      concurrency: row.concurrency,
      priority: row.priority,
    };
  }
}
