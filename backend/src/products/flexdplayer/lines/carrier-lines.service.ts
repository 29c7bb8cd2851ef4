import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { AuditService } from '../../../core/audit/audit.service';
import { RequestContext } from '../../../core/tenancy/request-context';
import { InjectTenantRepository, TenantRepository } from '../../../core/tenancy/tenant-repository';
import { User } from '../../../core/users/user.entity';
import { fieldError } from '../../../platform/http/field-errors';
import { normaliseNumber } from '../../recordings/phone-number';
import { CarrierLine } from './carrier-line.entity';

export class CreateLineDto {
  @ApiProperty({ example: '090-1234-5678' }) @IsString() @MinLength(1) @MaxLength(64) number!: string;
  @ApiPropertyOptional({ nullable: true, example: '営業 山田' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  label?: string | null;
  /** The user whose calls these are (an operator sees their own); null: nobody in particular. */
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(36) userId?: string | null;
}

export class UpdateLineDto {
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) label?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(36) userId?: string | null;
}

const isDuplicate = (error: unknown) => /duplicate|unique/i.test((error as Error).message);

/** Carrier lines of the current tenant: the mobile numbers deliveries are matched by. */
@Injectable()
export class CarrierLinesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectTenantRepository(CarrierLine) private readonly lines: TenantRepository<CarrierLine>,
    private readonly context: RequestContext,
    private readonly audit: AuditService,
  ) {}

  list(): Promise<CarrierLine[]> {
    return this.lines.find({ order: { e164: 'ASC' } });
  }

  get(id: string): Promise<CarrierLine> {
    return this.lines.get({ id });
  }

  /** The tenant's line with this E.164 number, if any (tenant given: the importer runs for many). */
  byNumber(tenantId: string, e164: string): Promise<CarrierLine | null> {
    return this.dataSource.getRepository(CarrierLine).findOne({ where: { tenantId, e164 } });
  }

  async create(dto: CreateLineDto): Promise<CarrierLine> {
    const e164 = normaliseNumber(dto.number).e164;
    if (!e164) throw fieldError('number', `${dto.number} is not a phone number`);
    const userId = await this.checkedUser(dto.userId);
    const now = new Date();
    const line = this.lines.create({
      id: randomUUID(),
      e164,
      label: dto.label ?? null,
      userId,
      createdAt: now,
      updatedAt: now,
    });
    try {
      await this.lines.save(line);
    } catch (error) {
      if (isDuplicate(error)) throw fieldError('number', `${e164} is already a line of this tenant`);
      throw error;
    }
    await this.audit.record({ action: 'flexdplayer.line.created', target: line.id, details: { e164, userId } });
    return line;
  }

  async update(id: string, dto: UpdateLineDto): Promise<CarrierLine> {
    const line = await this.get(id);
    if (dto.label !== undefined) line.label = dto.label;
    if (dto.userId !== undefined) line.userId = await this.checkedUser(dto.userId);
    line.updatedAt = new Date();
    await this.lines.save(line);
    if (line.userId) await this.giveUnownedCalls(line);
    await this.audit.record({
      action: 'flexdplayer.line.updated',
      target: id,
      details: { e164: line.e164, changed: Object.keys(dto) },
    });
    return line;
  }

  async remove(id: string): Promise<void> {
    const line = await this.get(id);
    await this.lines.remove(line);
    await this.audit.record({ action: 'flexdplayer.line.deleted', target: id, details: { e164: line.e164 } });
  }

  /** Calls of the line recorded while it had no user become its user's (never taken from another). */
  private async giveUnownedCalls(line: CarrierLine): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update('calls')
      .set({ userId: line.userId })
      .where({ tenantId: line.tenantId, lineId: line.id, source: 'flexdplayer', userId: IsNull() })
      .execute();
  }

  private async checkedUser(userId: string | null | undefined): Promise<string | null> {
    if (!userId) return null;
    const user = await this.dataSource
      .getRepository(User)
      .findOne({ where: { id: userId, tenantId: this.context.tenantId() } });
    if (!user) throw fieldError('userId', 'no such user in this tenant');
    return user.id;
  }
}
