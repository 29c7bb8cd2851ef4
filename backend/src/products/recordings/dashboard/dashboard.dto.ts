import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';

const LOCAL_DATE_OR_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?$/;
export const DASHBOARD_BUCKETS = ['hour', 'day'] as const;
export type DashboardBucket = (typeof DASHBOARD_BUCKETS)[number];

/** Query string of GET /api/v1/recordings/dashboard: wall-clock times in the tenant's time zone. */
export class DashboardQueryDto {
  @ApiPropertyOptional({ description: 'Start (YYYY-MM-DD or YYYY-MM-DDTHH:mm, tenant time zone); default today' })
  @IsOptional()
  @Matches(LOCAL_DATE_OR_TIME, { message: 'from must be YYYY-MM-DD or YYYY-MM-DDTHH:mm' })
  from?: string;
  @ApiPropertyOptional({ description: 'End; a date alone includes that whole day; default the day of `from`' })
  @IsOptional()
  @Matches(LOCAL_DATE_OR_TIME, { message: 'to must be YYYY-MM-DD or YYYY-MM-DDTHH:mm' })
  to?: string;
  @ApiPropertyOptional({ enum: DASHBOARD_BUCKETS, description: 'Default: hour up to two days, day beyond' })
  @IsOptional()
  @IsIn(DASHBOARD_BUCKETS, { message: 'bucket must be hour or day' })
  bucket?: DashboardBucket;
}
