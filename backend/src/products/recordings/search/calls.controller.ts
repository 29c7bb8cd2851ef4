import {
  Body,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Patch,
  Query,
  Res,
} from '@nestjs/common';
import { CallUpdateService, UpdateCallDto } from './call-update';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { In } from 'typeorm';
import { AuditService } from '../../../core/audit/audit.service';
import { Roles } from '../../../core/auth/auth.decorators';
import { RequestContext } from '../../../core/tenancy/request-context';
import { InjectTenantRepository, TenantRepository } from '../../../core/tenancy/tenant-repository';
import { TenantsService } from '../../../core/tenancy/tenants.service';
import { CallTag } from '../call-tag.entity';
import { Call } from '../call.entity';
import { CallSearchDto } from './call-search.dto';
import { CallSearchService } from './call-search.service';
import { CallPlaces } from '../places/call-places';
import { callView, csvHeader, csvRow } from './call-view';

const EXPORT_BATCH = 200;
const EXPORT_MAX_ROWS = 1_000_000;

@ApiTags('calls')
@Controller('v1/calls')
@Roles('tenantAdmin', 'supervisor', 'operator', 'auditor')
export class CallsController {
  constructor(
    private readonly search: CallSearchService,
    @InjectTenantRepository(CallTag) private readonly tags: TenantRepository<CallTag>,
    private readonly tenants: TenantsService,
    private readonly context: RequestContext,
    private readonly audit: AuditService,
    private readonly updates: CallUpdateService,
    private readonly places: CallPlaces,
  ) {}

  @Patch(':id')
  @Roles('tenantAdmin', 'supervisor', 'operator')
  @HttpCode(204)
  update(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: UpdateCallDto) {
    return this.updates.update(id, dto);
  }

  @Get()
  async list(@Query() dto: CallSearchDto) {
    const page = await this.search.search(dto);
    return { ...page, items: await this.views(page.items) };
  }

  /** The whole result set as CSV (UTF-8 with BOM for Excel), streamed page by page, audited. */
  @Get('export.csv')
  async exportCsv(@Query() dto: CallSearchDto, @Res() res: Response) {
    const timeZone = (await this.tenants.get(this.context.tenantId())).timeZone;
    const format = new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'medium' });
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="calls-${new Date().toISOString().slice(0, 10)}.csv"`);
    res.write('\uFEFF' + csvHeader());
    let cursor: string | undefined;
    let rows = 0;
    do {
      const page = await this.search.search({ ...dto, limit: EXPORT_BATCH, cursor });
      for (const view of await this.views(page.items)) res.write(csvRow(view, (d) => format.format(d)));
      rows += page.items.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor && rows < EXPORT_MAX_ROWS);
    res.end();
    await this.audit.record({ action: 'calls.exported.csv', details: { filter: { ...dto }, rows } });
  }

  @Get(':id')
  async get(@Param('id', new ParseUUIDPipe()) id: string) {
    const call = await this.search.findVisible(id);
    // Same answer for another tenant's call, another operator's call and a missing one.
    if (!call) throw new NotFoundException('call not found');
    const [view] = await this.views([call]);
    return {
      ...view,
      notes: call.notes,
      dtmf: parse(call.dtmf),
      quality: parse(call.quality),
    };
  }

  /** A page of calls as the API shows them: tags and place names looked up once for the page. */
  private async views(calls: Call[]) {
    const [tags, placesOf] = await Promise.all([
      this.tagsOf(calls),
      this.places.namesFor(this.context.tenantId(), calls),
    ]);
    return calls.map((c) => callView(c, tags.get(c.id), placesOf(c)));
  }

  private async tagsOf(calls: Call[]): Promise<Map<string, string[]>> {
    const map = new Map<string, string[]>();
    if (!calls.length) return map;
    for (const t of await this.tags.find({ where: { callId: In(calls.map((c) => c.id)) } })) {
      map.set(t.callId, [...(map.get(t.callId) ?? []), t.tag]);
    }
    return map;
  }
}

const parse = (json: string | null) => (json ? JSON.parse(json) : null);
