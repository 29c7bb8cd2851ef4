import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  PayloadTooLargeException,
  Post,
  Put,
  Query,
  Req,
  Res,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles } from '../../../../core/auth/auth.decorators';
import { DIRECTORY_WRITERS } from '../customers.controller';
import { CustomerImportsService } from './customer-imports.service';
import { ImportMappingsService } from './import-mappings.service';
import { ImportRequestDto, SaveMappingDto } from './import-request.dto';
import { RequiresProduct } from '../../../../core/tenancy/product-access';

/** 64 MiB: a 200,000-row customer list with long memos, with room to spare. */
const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

/** Reads the raw request body (the CSV file as sent), refusing more than the limit. */
async function rawBody(req: Request): Promise<Buffer> {
  const type = req.headers['content-type'] ?? '';
  if (/^(application\/json|multipart\/)/i.test(type))
    throw new UnsupportedMediaTypeException('send the CSV file itself as the body (Content-Type: text/csv)');
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_UPLOAD_BYTES) {
      req.resume();
      throw new PayloadTooLargeException(`the file exceeds ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB`);
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

@ApiTags('popup')
@RequiresProduct('ootairyoku')
@Controller('v1/popup')
@Roles(...DIRECTORY_WRITERS)
export class CustomerImportsController {
  constructor(
    private readonly imports: CustomerImportsService,
    private readonly mappings: ImportMappingsService,
  ) {}

  /**
   * The CSV as the request body; `?fileName=` and `?encoding=auto|utf-8|utf-8-bom|shift_jis`
   * (auto by default). Answers with the header row, a sample, the row count and a suggested mapping.
   */
  @Post('customer-imports')
  @ApiConsumes('text/csv')
  async upload(
    @Req() req: Request,
    @Query('fileName') fileName: string | undefined,
    @Query('encoding') encoding: string | undefined,
  ) {
    return this.imports.upload(await rawBody(req), fileName ?? 'customers.csv', encoding);
  }

  @Get('customer-imports/:id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.imports.get(id);
  }

  @Post('customer-imports/:id/preview')
  @HttpCode(200)
  preview(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ImportRequestDto) {
    return this.imports.preview(id, dto);
  }

  /** 201 with `{ result: { created, updated } }`, or 202 with `{ job }` for a file of more than 5,000 rows. */
  @Post('customer-imports/:id/confirm')
  async confirm(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ImportRequestDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const outcome = await this.imports.confirm(id, dto);
    if ('job' in outcome) res.status(202);
    return outcome;
  }

  @Get('customer-import-mappings')
  listMappings() {
    return this.mappings.list();
  }

  @Put('customer-import-mappings/:name')
  saveMapping(@Param('name') name: string, @Body() dto: SaveMappingDto) {
    return this.mappings.save(name, dto);
  }

  @Delete('customer-import-mappings/:name')
  @HttpCode(204)
  removeMapping(@Param('name') name: string) {
    return this.mappings.remove(name);
  }
}
