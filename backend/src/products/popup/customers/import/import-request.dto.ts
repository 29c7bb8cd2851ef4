import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IMPORT_KEYS, ImportKey } from './import-mapping';

/** A column mapping and the key rows are matched by: what preview and confirm take. */
export class ImportRequestDto {
  @ApiProperty({
    description:
      'header text -> name | kana | company | department | rank | tags | memo | phone | externalId | custom:<key> | ignore',
    example: { 氏名: 'name', フリガナ: 'kana', 電話番号: 'phone', 顧客ID: 'externalId' },
  })
  @IsObject()
  columns!: Record<string, string>;
  @ApiProperty({ enum: IMPORT_KEYS, description: 'what finds the existing customer a row updates' })
  @IsIn(IMPORT_KEYS)
  key!: ImportKey;
  @ApiPropertyOptional({
    description: 'also save this mapping for the tenant under this name',
    example: '基幹システム',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  saveAs?: string;
}

export class SaveMappingDto {
  @ApiProperty({ example: { 氏名: 'name', 電話番号: 'phone' } }) @IsObject() columns!: Record<string, string>;
  @ApiProperty({ enum: IMPORT_KEYS }) @IsIn(IMPORT_KEYS) key!: ImportKey;
}
