import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../core/auth/auth.decorators';
import { RequiresProduct } from '../../../core/tenancy/product-access';
import { CallInsights } from './call-insights';
import { CreateDictionaryDto, KeywordDictionaries, UpdateDictionaryDto } from './keyword-dictionaries';
import { SummarySettings, UpdateSummarySettingsDto } from './summary-settings';
import { VnoteSearchDto } from './vnote-search.dto';
import { VnoteSearchService } from './vnote-search.service';

/** FlexVNote search, per-call insights, keyword dictionaries and summary settings (docs/vnote/search-api.md). */
@ApiTags('vnote')
@Controller('v1/vnote')
@RequiresProduct('flexvnote')
@Roles('tenantAdmin', 'supervisor', 'operator', 'auditor')
export class VnoteSearchController {
  constructor(
    private readonly search: VnoteSearchService,
    private readonly insights: CallInsights,
    private readonly dictionaries: KeywordDictionaries,
    private readonly summaries: SummarySettings,
  ) {}

  @Get('search')
  find(@Query() dto: VnoteSearchDto) {
    return this.search.search(dto);
  }

  @Get('calls/:callId/metrics')
  metrics(@Param('callId', new ParseUUIDPipe()) callId: string) {
    return this.insights.metrics(callId);
  }

  @Get('calls/:callId/keyword-hits')
  keywordHits(@Param('callId', new ParseUUIDPipe()) callId: string) {
    return this.insights.keywordHits(callId);
  }

  @Get('dictionaries')
  listDictionaries() {
    return this.dictionaries.list();
  }

  @Get('dictionaries/:id')
  getDictionary(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.dictionaries.get(id);
  }

  @Post('dictionaries')
  @Roles('tenantAdmin', 'supervisor')
  createDictionary(@Body() dto: CreateDictionaryDto) {
    return this.dictionaries.create(dto);
  }

  @Patch('dictionaries/:id')
  @Roles('tenantAdmin', 'supervisor')
  updateDictionary(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: UpdateDictionaryDto) {
    return this.dictionaries.update(id, dto);
  }

  @Delete('dictionaries/:id')
  @Roles('tenantAdmin', 'supervisor')
  @HttpCode(204)
  deleteDictionary(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.dictionaries.remove(id);
  }

  @Get('summary-settings')
  summarySettings() {
    return this.summaries.get();
  }

  @Put('summary-settings')
  @Roles('tenantAdmin')
  updateSummarySettings(@Body() dto: UpdateSummarySettingsDto) {
    return this.summaries.update(dto);
  }
}
