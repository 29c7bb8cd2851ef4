import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { Roles } from '../auth/auth.decorators';
import { RequestContext } from '../tenancy/request-context';
import { AuditService } from './audit.service';

export class AuditQueryDto {
  /** An exact action (`user.created`), or every action under a prefix when it ends in `*` (`flexlog.*`). */
  @IsOptional() @IsString() @MaxLength(64) action?: string;
  @IsOptional() @IsUUID() actorId?: string;
  /** The actor's e-mail address (any letter case): what the viewer types, where ids mean nothing. */
  @IsOptional() @IsString() @MaxLength(254) actorEmail?: string;
  /** What an entry is about (a call id, a user id…): "who played this call". */
  @IsOptional() @IsString() @MaxLength(200) target?: string;
  @IsOptional() @Type(() => Date) @IsDate() from?: Date;
  @IsOptional() @Type(() => Date) @IsDate() to?: Date;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) before?: number;
}

@ApiTags('audit')
@Controller('v1/audit')
@Roles('tenantAdmin', 'auditor')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly context: RequestContext,
  ) {}

  @Get()
  list(@Query() q: AuditQueryDto) {
    return this.audit.list(this.context.tenantId(), {
      action: q.action,
      actorId: q.actorId,
      actorEmail: q.actorEmail,
      target: q.target,
      from: q.from,
      to: q.to,
      limit: q.limit ?? 100,
      beforeSeq: q.before,
    });
  }

  /** Only the caller's own tenant chain: a tenant can never verify (or learn about) another's. */
  @Get('verify')
  verify() {
    return this.audit.verify(this.context.tenantId());
  }
}
