import { ApiProperty, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';
import { CallSearchDto } from '../search/call-search.dto';

/** The search filters (GET /api/v1/calls), without paging: "delete by filter" means what search finds. */
export class DeletionFilterDto extends OmitType(CallSearchDto, ['sort', 'limit', 'cursor'] as const) {}

export class DeletionPreviewDto {
  @ApiProperty({ type: DeletionFilterDto, description: '{} matches every call of the tenant' })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => DeletionFilterDto)
  filter!: DeletionFilterDto;
}

export class DeletionConfirmDto extends DeletionPreviewDto {
  @ApiProperty({ description: 'confirmToken of the preview of this very filter' })
  @IsString()
  @MaxLength(2000)
  confirmToken!: string;
}
