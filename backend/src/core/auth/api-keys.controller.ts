import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { Roles } from './auth.decorators';
import { ApiKeysService } from './api-keys.service';

export class CreateApiKeyDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) name!: string;
}

@ApiTags('api-keys')
@Controller('v1/api-keys')
@Roles('tenantAdmin')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  list() {
    return this.keys.list();
  }

  @Post()
  create(@Body() dto: CreateApiKeyDto) {
    return this.keys.create(dto.name);
  }

  @Delete(':id')
  @HttpCode(204)
  revoke(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.keys.revoke(id);
  }
}
