import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';

/** Shapes only; the rules (URL, placeholders, paths, header names, bounds) are in lookup-hook-rules.ts. */
export class PutLookupHookDto {
  @ApiProperty() @IsBoolean() enabled!: boolean;
  @ApiProperty({ example: 'https://crm.example.jp/api/customers?tel={digits}' }) @IsString() urlTemplate!: string;
  @ApiPropertyOptional({
    description: 'Header name -> value (e.g. Authorization). Omitted: the saved headers stay; null: none.',
    example: { Authorization: 'Bearer …' },
    nullable: true,
  })
  @IsOptional()
  @IsObject()
  headers?: Record<string, string> | null;
  @ApiPropertyOptional({ default: 1500 }) @IsOptional() @IsInt() timeoutMs?: number;
  @ApiPropertyOptional({ default: 300 }) @IsOptional() @IsInt() cacheTtlSeconds?: number;
  @ApiPropertyOptional({ example: '$.records', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  recordsPath?: string | null;
  @ApiProperty({ example: { name: '$.name', company: '$.company.name', url: '$.links.self' } })
  @IsObject()
  mapping!: Record<string, string>;
}

export class LookupTestDto {
  @ApiProperty({ example: '03-1234-5678' }) @IsString() @MaxLength(64) number!: string;
}
