import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsTimeZone,
  IsUrl,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { PRODUCTS, Product } from '../tenancy/tenant.entity';

export class SetupAdminDto {
  @ApiProperty() @IsEmail() @MaxLength(254) email!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) displayName!: string;
  @ApiProperty() @IsString() @MaxLength(128) password!: string;
}

export class SetupOrganizationDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) organizationName!: string;
  @ApiProperty({ enum: ['single', 'multi'] }) @IsIn(['single', 'multi']) deploymentMode!: 'single' | 'multi';
  @ApiPropertyOptional() @IsOptional() @IsTimeZone() timeZone?: string;
  @ApiProperty({ enum: PRODUCTS, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(PRODUCTS, { each: true })
  products!: Product[];
}

export class SetupStorageDto {
  @ApiProperty({ enum: ['local', 's3'] }) @IsIn(['local', 's3']) driver!: 'local' | 's3';
  @ValidateIf((o) => o.driver === 'local') @IsString() @MinLength(1) @MaxLength(1024) localPath?: string;
  @ValidateIf((o) => o.driver === 's3' && o.endpoint !== undefined && o.endpoint !== '')
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  @MaxLength(512)
  endpoint?: string;
  @ValidateIf((o) => o.driver === 's3') @IsString() @MinLength(1) @MaxLength(64) region?: string;
  @ValidateIf((o) => o.driver === 's3') @IsString() @MinLength(3) @MaxLength(63) bucket?: string;
  @ValidateIf((o) => o.driver === 's3') @IsString() @MinLength(1) @MaxLength(256) accessKeyId?: string;
  @ValidateIf((o) => o.driver === 's3') @IsString() @MinLength(1) @MaxLength(256) secretAccessKey?: string;
  @IsOptional() @IsBoolean() forcePathStyle?: boolean;
}

export class SetupEncryptionDto {
  @ApiProperty({ enum: ['local', 'kms'] }) @IsIn(['local', 'kms']) mode!: 'local' | 'kms';
  @ValidateIf((o) => o.mode === 'kms') @IsString() @MinLength(1) @MaxLength(2048) kmsKeyId?: string;
  @ValidateIf((o) => o.mode === 'kms') @IsString() @MinLength(1) @MaxLength(64) kmsRegion?: string;
  @ValidateIf((o) => o.mode === 'kms' && !!o.kmsEndpoint)
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  kmsEndpoint?: string;
}

export class SetupMailDto {
  @IsOptional() @IsBoolean() skip?: boolean;
  @ValidateIf((o) => !o.skip) @IsString() @MinLength(1) @MaxLength(255) host?: string;
  @ValidateIf((o) => !o.skip) @IsInt() @Min(1) @Max(65535) port?: number;
  @ValidateIf((o) => !o.skip) @IsBoolean() secure?: boolean;
  @IsOptional() @IsString() @MaxLength(255) user?: string;
  @IsOptional() @IsString() @MaxLength(255) password?: string;
  @ValidateIf((o) => !o.skip) @IsString() @MinLength(3) @MaxLength(254) from?: string;
}

export class SetupMailTestDto extends SetupMailDto {
  @ApiProperty() @IsEmail() @MaxLength(254) testRecipient!: string;
}
