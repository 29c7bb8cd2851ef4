import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuditService } from '../../../core/audit/audit.service';
import { CurrentPrincipal, Roles } from '../../../core/auth/auth.decorators';
import type { Principal } from '../../../core/tenancy/request-context';
import type { Role } from '../../../core/users/user.entity';
import { CallMemos } from './call-memos.service';
import { CallMemoDto, CallMemoQueryDto, LinesDto, PresenceDto } from './popup-realtime.dto';
import { POPUP_EVENTS } from './popup-protocol';
import { PopupRouting, RoutingView } from './popup-routing.service';
import { PopupSocketGateway } from './popup-socket.gateway';
import type { Presence } from './popup-routing.entities';
import { RequiresProduct } from '../../../core/tenancy/product-access';

/** Whoever answers calls: the people popups are for. */
const ANSWERERS: Role[] = ['tenantAdmin', 'supervisor', 'operator'];

/**
 * Popup routing (named-line subscriptions, 受付中/離席) for the user themselves and, for tenant
 * administrators, for anyone of their tenant; and memos typed into a popup.
 */
@ApiTags('popup')
@RequiresProduct('ootairyoku')
@Controller('v1/popup')
export class PopupRealtimeController {
  constructor(
    private readonly routing: PopupRouting,
    private readonly memos: CallMemos,
    private readonly gateway: PopupSocketGateway,
    private readonly audit: AuditService,
  ) {}

  @Get('lines')
  @Roles(...ANSWERERS)
  lines(@CurrentPrincipal() p: Principal) {
    return this.routing.namedLines(p.tenantId).then((items) => ({ items }));
  }

  @Get('me/routing')
  @Roles(...ANSWERERS)
  myRouting(@CurrentPrincipal() p: Principal): Promise<RoutingView> {
    return this.routing.routingOf(p.tenantId, p.id);
  }

  @Put('me/presence')
  @Roles(...ANSWERERS)
  setMyPresence(@CurrentPrincipal() p: Principal, @Body() dto: PresenceDto): Promise<RoutingView> {
    return this.presence(p, p.id, dto.presence);
  }

  @Put('me/lines')
  @Roles(...ANSWERERS)
  setMyLines(@CurrentPrincipal() p: Principal, @Body() dto: LinesDto): Promise<RoutingView> {
    return this.lineSubscriptions(p, p.id, dto);
  }

  @Get('users/:userId/routing')
  @Roles('tenantAdmin')
  userRouting(@CurrentPrincipal() p: Principal, @Param('userId', ParseUUIDPipe) userId: string) {
    return this.routing.routingOf(p.tenantId, userId);
  }

  @Put('users/:userId/presence')
  @Roles('tenantAdmin')
  setUserPresence(
    @CurrentPrincipal() p: Principal,
    @Param('userId', ParseUUIDPipe) userId: string,
    @Body() dto: PresenceDto,
  ): Promise<RoutingView> {
    return this.presence(p, userId, dto.presence);
  }

  @Put('users/:userId/lines')
  @Roles('tenantAdmin')
  setUserLines(
    @CurrentPrincipal() p: Principal,
    @Param('userId', ParseUUIDPipe) userId: string,
    @Body() dto: LinesDto,
  ): Promise<RoutingView> {
    return this.lineSubscriptions(p, userId, dto);
  }

  @Post('memos')
  @HttpCode(201)
  @Roles(...ANSWERERS)
  saveMemo(@CurrentPrincipal() p: Principal, @Body() dto: CallMemoDto) {
    return this.memos.save(p, dto.siteId, dto.sipCallId, dto.text);
  }

  @Get('memos')
  @Roles(...ANSWERERS)
  myMemos(@CurrentPrincipal() p: Principal, @Query() q: CallMemoQueryDto) {
    return this.memos.mine(p, q.siteId, q.sipCallId).then((items) => ({ items }));
  }

  private async presence(p: Principal, userId: string, presence: Presence): Promise<RoutingView> {
    await this.routing.setPresence(p.tenantId, userId, presence);
    // Every PC of the user shows the same toggle.
    this.gateway.toUser({ tenantId: p.tenantId, userId }, POPUP_EVENTS.presence, { presence });
    if (userId !== p.id)
      await this.audit.record({ action: 'popup.presence.set', target: userId, details: { presence } });
    return this.routing.routingOf(p.tenantId, userId);
  }

  private async lineSubscriptions(p: Principal, userId: string, dto: LinesDto): Promise<RoutingView> {
    await this.routing.setLines(p.tenantId, userId, dto.lines);
    await this.audit.record({ action: 'popup.lines.set', target: userId, details: { lines: dto.lines } });
    return this.routing.routingOf(p.tenantId, userId);
  }
}
