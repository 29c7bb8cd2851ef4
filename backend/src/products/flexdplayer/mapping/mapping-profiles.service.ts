import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../../../core/audit/audit.service';
import { InjectTenantRepository, TenantRepository } from '../../../core/tenancy/tenant-repository';
import { fieldError, fieldErrors } from '../../../platform/http/field-errors';
import { mapDelivery } from './call-mapping';
import { CreateMappingProfileDto, TestMappingDto, UpdateMappingProfileDto } from './mapping-profile.dto';
import { MappingProfileRow } from './mapping-profile.entity';
import { BUILT_IN_PROFILE_ID, DEFAULT_PROFILE, MappingProfile, profileProblems } from './mapping-profile';
import { FlexdConnector } from '../connectors/connector.entity';

const isDuplicate = (error: unknown) => /duplicate|unique/i.test((error as Error).message);

export const profileView = (r: MappingProfileRow): MappingProfile => ({
  id: r.id,
  name: r.name,
  builtIn: false,
  patternKind: r.patternKind,
  fileNamePattern: r.fileNamePattern,
  sidecar: JSON.parse(r.sidecar) as MappingProfile['sidecar'],
  directionValues: JSON.parse(r.directionValues) as MappingProfile['directionValues'],
  timeZone: r.timeZone,
});

/** The rules of a profile: what the DTO gives over what `base` has. 400 naming each bad field. */
function merged(base: MappingProfile, dto: CreateMappingProfileDto): MappingProfile {
  const out: MappingProfile = {
    ...base,
    name: dto.name ?? base.name,
    patternKind: dto.patternKind ?? base.patternKind,
    fileNamePattern: dto.fileNamePattern === undefined ? base.fileNamePattern : dto.fileNamePattern || null,
    sidecar: {
      ...base.sidecar,
      ...dto.sidecar,
      fields: { ...(dto.sidecar?.fields ?? base.sidecar.fields) },
    } as MappingProfile['sidecar'],
    directionValues: dto.directionValues ?? base.directionValues,
    timeZone: dto.timeZone ?? base.timeZone,
  };
  for (const [k, v] of Object.entries(out.sidecar.fields)) {
    if (typeof v !== 'string' || !v || v.length > 100)
      throw fieldError(`sidecar.fields.${k}`, 'must be a column, key or element name (1-100 characters)');
  }
  const problems = profileProblems(out);
  if (problems.length) throw fieldErrors(problems);
  return out;
}

/** Mapping profiles of the current tenant, plus the built-in default every tenant has. */
@Injectable()
export class MappingProfilesService {
  constructor(
    @InjectTenantRepository(MappingProfileRow) private readonly rows: TenantRepository<MappingProfileRow>,
    @InjectTenantRepository(FlexdConnector) private readonly connectors: TenantRepository<FlexdConnector>,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<MappingProfile[]> {
    return [DEFAULT_PROFILE, ...(await this.rows.find({ order: { name: 'ASC' } })).map(profileView)];
  }

  /** A profile of the current tenant by id (`default`: the built-in one); 404 otherwise. */
  async get(id: string | null): Promise<MappingProfile> {
    if (!id || id === BUILT_IN_PROFILE_ID) return DEFAULT_PROFILE;
    return profileView(await this.rows.get({ id }));
  }

  async create(dto: CreateMappingProfileDto): Promise<MappingProfile> {
    const rules = merged(DEFAULT_PROFILE, dto);
    const now = new Date();
    const row = this.rows.create({ id: randomUUID(), ...this.columns(rules), createdAt: now, updatedAt: now });
    await this.saveNamed(row);
    await this.audit.record({ action: 'flexdplayer.profile.created', target: row.id, details: { name: row.name } });
    return profileView(row);
  }

  async update(id: string, dto: UpdateMappingProfileDto): Promise<MappingProfile> {
    if (id === BUILT_IN_PROFILE_ID) throw fieldError('id', 'the built-in profile cannot be changed; copy it instead');
    const row = await this.rows.get({ id });
    const rules = merged(profileView(row), dto);
    Object.assign(row, this.columns(rules), { updatedAt: new Date() });
    await this.saveNamed(row);
    await this.audit.record({ action: 'flexdplayer.profile.updated', target: id, details: { name: row.name } });
    return profileView(row);
  }

  async remove(id: string): Promise<void> {
    if (id === BUILT_IN_PROFILE_ID) throw fieldError('id', 'the built-in profile cannot be deleted');
    const row = await this.rows.get({ id });
    const users = await this.connectors.find({ where: { mappingProfileId: id } });
    if (users.length) throw fieldError('id', `still used by connector(s): ${users.map((c) => c.name).join(', ')}`);
    await this.rows.remove(row);
    await this.audit.record({ action: 'flexdplayer.profile.deleted', target: id, details: { name: row.name } });
  }

  /** Parses a sample with a stored profile, or with unsaved rules laid over it. */
  async test(id: string, dto: TestMappingDto) {
    const stored = await this.get(id);
    const profile = dto.profile ? merged(stored, { ...dto.profile, name: dto.profile.name ?? stored.name }) : stored;
    const sidecar =
      dto.sidecarContent !== undefined
        ? { name: dto.sidecarName ?? dto.fileName.replace(/\.[^.]+$/, '.csv'), content: dto.sidecarContent }
        : null;
    const result = mapDelivery(profile, dto.fileName, sidecar);
    return {
      ok: result.errors.length === 0,
      fields: result.call,
      found: result.found,
      errors: result.errors,
    };
  }

  private columns(p: MappingProfile): Partial<MappingProfileRow> {
    return {
      name: p.name,
      patternKind: p.patternKind,
      fileNamePattern: p.fileNamePattern,
      sidecar: JSON.stringify(p.sidecar),
      directionValues: JSON.stringify(p.directionValues),
      timeZone: p.timeZone,
    };
  }

  private async saveNamed(row: MappingProfileRow): Promise<void> {
    try {
      await this.rows.save(row);
    } catch (error) {
      if (isDuplicate(error)) throw fieldError('name', 'another profile already has this name');
      throw error;
    }
  }
}
