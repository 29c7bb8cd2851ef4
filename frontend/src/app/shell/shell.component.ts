import { Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDividerModule } from '@angular/material/divider';
import { MatIconModule } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { MatMenuModule } from '@angular/material/menu';
import { MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { AuthService } from '../core/auth.service';
import { LanguageMenuComponent } from '../shared/language-menu.component';
import { POPUP_ANSWERERS } from '../popup/popup.routes';
import { NotificationBannerComponent } from '../popup/realtime/notification-banner.component';
import { PopupLayerComponent } from '../popup/realtime/popup-layer.component';
import { PresenceToggleComponent } from '../popup/realtime/presence-toggle.component';
import { ADMIN_NAV, PRODUCT_NAV, RECORDINGS_NAV, VENDOR_NAV } from './nav';

/** Signed-in frame: toolbar, side navigation filtered by products and roles. */
@Component({
  selector: 'app-shell',
  imports: [
    MatButtonModule,
    MatDividerModule,
    MatIconModule,
    MatListModule,
    MatMenuModule,
    MatSidenavModule,
    MatToolbarModule,
    RouterLink,
    RouterLinkActive,
    RouterOutlet,
    TranslocoPipe,
    LanguageMenuComponent,
    NotificationBannerComponent,
    PopupLayerComponent,
    PresenceToggleComponent,
  ],
  templateUrl: './shell.component.html',
  styleUrl: './shell.component.scss',
})
export class ShellComponent {
  protected readonly auth = inject(AuthService);
  protected readonly me = this.auth.me;

  protected readonly productNav = computed(() => {
    const enabled = this.me()?.tenant.products ?? [];
    return PRODUCT_NAV.filter((p) => enabled.includes(p.product));
  });

  protected readonly recordingsNav = computed(() => {
    const me = this.me();
    if (!me) return [];
    return RECORDINGS_NAV.filter(
      (n) => n.roles.some((r) => me.roles.includes(r)) && n.products.some((p) => me.tenant.products.includes(p)),
    );
  });

  protected readonly adminNav = computed(() => {
    const me = this.me();
    if (!me) return [];
    return ADMIN_NAV.filter(
      (n) =>
        n.roles.some((r) => me.roles.includes(r)) &&
        (!n.multiOnly || me.tenant.deploymentMode === 'multi') &&
        (!n.products || n.products.some((p) => me.tenant.products.includes(p))),
    );
  });

  /** The vendor console: vendor staff, and only on the hosted multi-tenant instance. */
  protected readonly vendorNav = computed(() => {
    const me = this.me();
    if (!me || me.tenant.deploymentMode !== 'multi') return [];
    return VENDOR_NAV.filter((n) => n.roles.some((r) => me.roles.includes(r)));
  });

  /** 応対力: the people calls pop up for get the incoming-call layer and the 受付中/離席 toggle. */
  protected readonly popupAnswerer = computed(() => {
    const me = this.me();
    return !!me && me.tenant.products.includes('ootairyoku') && me.roles.some((r) => POPUP_ANSWERERS.includes(r));
  });

  protected logout(): void {
    this.auth.logout();
  }
}
