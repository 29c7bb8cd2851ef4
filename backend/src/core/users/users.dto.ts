import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { Role, ROLES } from './user.entity';

export class CreateUserDto {
  @ApiProperty() @IsEmail() @MaxLength(254) email!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) displayName!: string;
  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles!: Role[];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) password?: string;
  @ApiPropertyOptional({ enum: ['ja', 'en'] }) @IsOptional() @IsIn(['ja', 'en']) locale?: 'ja' | 'en';
  /** Extensions this user answers at (calls there become theirs); replaces the whole list. */
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(/^[0-9*#+]{1,32}$/, { each: true, message: 'each extension is 1-32 digits (and * # +)' })
  extensions?: string[];
}

export class UpdateUserDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(100) displayName?: string;
  @ApiPropertyOptional({ enum: ROLES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles?: Role[];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() disabled?: boolean;
  @ApiPropertyOptional({ enum: ['ja', 'en'] }) @IsOptional() @IsIn(['ja', 'en']) locale?: 'ja' | 'en';
  /** Extensions this user answers at (calls there become theirs); replaces the whole list. */
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(/^[0-9*#+]{1,32}$/, { each: true, message: 'each extension is 1-32 digits (and * # +)' })
  extensions?: string[];
}
