import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CONNECTOR_TYPES, ConnectorType } from './connector.entity';

export class SftpDropDto {
  @ApiPropertyOptional({ example: 'docomo-tokyo' }) @IsOptional() @IsString() @MaxLength(64) username?: string;
  /** Set or replace the password; null removes it (keys only). */
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(128) password?: string | null;
  @ApiPropertyOptional({ example: ['ssh-ed25519 AAAAC3Nz... carrier'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(16_384, { each: true })
  authorizedKeys?: string[];
}

export class SftpPullDto {
  @ApiPropertyOptional({ example: 'sftp.carrier.example.jp' }) @IsOptional() @IsString() @MaxLength(253) host?: string;
  @ApiPropertyOptional({ example: 22 }) @IsOptional() @IsInt() @Min(1) @Max(65535) port?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) username?: string;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(256) password?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(16_384) privateKey?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(256) passphrase?: string | null;
  @ApiPropertyOptional({ example: '/outgoing' }) @IsOptional() @IsString() @MaxLength(512) remoteDir?: string;
  @ApiPropertyOptional({ example: 300 }) @IsOptional() @IsInt() @Min(30) @Max(86_400) pollIntervalSeconds?: number;
  /** SHA256:... of the server's host key, as `ssh-keygen -lf` prints it; pins the server. */
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) hostKeySha256?: string | null;
}

export class FolderDto {
  @ApiProperty({ example: '/mnt/carrier/recordings' }) @IsString() @MinLength(1) @MaxLength(1024) path!: string;
}

export class CreateConnectorDto {
  @ApiProperty({ enum: CONNECTOR_TYPES }) @IsIn(CONNECTOR_TYPES) type!: ConnectorType;
  @ApiProperty({ example: 'ドコモ 東京' }) @IsString() @MinLength(1) @MaxLength(100) name!: string;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() enabled?: boolean;
  /** null or `default`: the built-in profile. */
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(36) mappingProfileId?: string | null;
  @ApiPropertyOptional({ default: 10 }) @IsOptional() @IsInt() @Min(1) @Max(3600) settleSeconds?: number;
  @ApiPropertyOptional() @IsOptional() @ValidateNested() @Type(() => SftpDropDto) sftpDrop?: SftpDropDto;
  @ApiPropertyOptional() @IsOptional() @ValidateNested() @Type(() => SftpPullDto) sftpPull?: SftpPullDto;
  @ApiPropertyOptional() @IsOptional() @ValidateNested() @Type(() => FolderDto) folder?: FolderDto;
}

/** Everything but the type may change. */
export class UpdateConnectorDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(100) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() enabled?: boolean;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(36) mappingProfileId?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(3600) settleSeconds?: number;
  @ApiPropertyOptional() @IsOptional() @ValidateNested() @Type(() => SftpDropDto) sftpDrop?: SftpDropDto;
  @ApiPropertyOptional() @IsOptional() @ValidateNested() @Type(() => SftpPullDto) sftpPull?: SftpPullDto;
  @ApiPropertyOptional() @IsOptional() @ValidateNested() @Type(() => FolderDto) folder?: FolderDto;
}
