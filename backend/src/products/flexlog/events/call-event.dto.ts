import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

export const CALL_EVENT_TYPES = ['ringing', 'answered', 'ended'] as const;
/** The capture says `unknown` when neither party matches the site's rules. */
export const EVENT_DIRECTIONS = ['inbound', 'outbound', 'internal', 'unknown'] as const;
export type CallEventType = (typeof CALL_EVENT_TYPES)[number];
export type EventDirection = (typeof EVENT_DIRECTIONS)[number];

/** One message of the capture's event stream. `seq` counts up per site and survives the box's restarts. */
export class CallEventDto {
  @IsInt() @Min(1) @Max(Number.MAX_SAFE_INTEGER) seq!: number;
  @IsIn(CALL_EVENT_TYPES) type!: CallEventType;
  /** The SIP Call-ID. */
  @IsString() @MinLength(1) @MaxLength(256) callId!: string;
  /** When the capture saw it (packet time, ISO 8601 with milliseconds). */
  @IsISO8601({ strict: true }) at!: string;
  @IsString() @MaxLength(64) caller!: string;
  @IsString() @MaxLength(64) callee!: string;
  @IsOptional() @IsString() @MaxLength(100) callerName?: string | null;
  /** The site's extension on the call (the one whose PC pops up). */
  @IsOptional() @IsString() @MaxLength(32) extension?: string | null;
  @IsIn(EVENT_DIRECTIONS) direction!: EventDirection;
  @IsOptional() @IsString() @MaxLength(50) lineName?: string | null;
}

/** A call event as it fans out inside the backend (to 応対力, to the live-calls stream). */
export interface CallEvent {
  tenantId: string;
  siteId: string;
  siteName: string;
  seq: number;
  type: CallEventType;
  callId: string;
  at: string;
  caller: string;
  callee: string;
  callerName: string | null;
  extension: string | null;
  direction: EventDirection;
  lineName: string | null;
  /** When the backend received it. */
  receivedAt: string;
}
