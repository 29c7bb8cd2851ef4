import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../../platform/database/columns';

export const PRESENCES = ['available', 'away'] as const;
/** 受付中 (available: popups arrive) or 離席 (away: none do). */
export type Presence = (typeof PRESENCES)[number];

/**
 * A user who answers a named line of a FlexLog site (東京店, 採用回線): every call ringing on that
 * line pops up on their PCs, besides the calls of their own extensions. Several users per line.
 */
@Entity('popup_line_subscriptions')
@Index('ix_popup_line_subscriptions_line', ['tenantId', 'siteId', 'lineName'])
export class PopupLineSubscription {
  @PrimaryColumn({ type: 'varchar', length: 36 }) tenantId!: string;
  @PrimaryColumn({ type: 'varchar', length: 36 }) userId!: string;
  @PrimaryColumn({ type: 'varchar', length: 64 }) siteId!: string;
  /** The line's name, unique within its site: what call events and calls name the line by. */
  @PrimaryColumn({ type: 'varchar', length: 50 }) lineName!: string;
}

/** A user's presence; a user without a row is available. */
@Entity('popup_presence')
export class PopupPresence {
  @PrimaryColumn({ type: 'varchar', length: 36 }) tenantId!: string;
  @PrimaryColumn({ type: 'varchar', length: 36 }) userId!: string;
  @Column({ type: 'varchar', length: 12 }) presence!: Presence;
  @TimestampColumn() updatedAt!: Date;
}

/**
 * A memo typed into a popup. The call is usually not in the recording store yet (it is still
 * ringing or being uploaded), so the memo waits here with what identifies the call until the
 * recording arrives, then is appended to the call's notes and `callId` is set.
 */
@Entity('popup_call_memos')
@Index('ix_popup_call_memos_pending', ['attachedAt', 'createdAt'])
@Index('ix_popup_call_memos_call', ['tenantId', 'siteId', 'sipCallId'])
export class PopupCallMemo {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36 }) tenantId!: string;
  @Column({ type: 'varchar', length: 36 }) userId!: string;
  @Column({ type: 'varchar', length: 64 }) siteId!: string;
  /** The SIP Call-ID of the call, as the capture's events carry it. */
  @Column({ type: 'varchar', length: 256 }) sipCallId!: string;
  @Column({ type: 'varchar', length: 64 }) caller!: string;
  @Column({ type: 'varchar', length: 64 }) callee!: string;
  /** The capture's ringing time: the recorded call starts at the same INVITE. */
  @TimestampColumn() ringingAt!: Date;
  @Column({ type: 'text' }) text!: string;
  @Column({ type: 'varchar', length: 36, nullable: true }) callId!: string | null;
  @TimestampColumn({ nullable: true }) attachedAt!: Date | null;
  /** A process attaching the memo holds it until then, so two processes never append it twice. */
  @TimestampColumn({ nullable: true }) claimedUntil!: Date | null;
  @TimestampColumn() createdAt!: Date;
}
