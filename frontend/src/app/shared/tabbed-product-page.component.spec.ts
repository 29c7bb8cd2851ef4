import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideNoopAnimations } from '@angular/platform-browser/animations';
import { provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { TabbedProductPageComponent } from './tabbed-product-page.component';

@Component({ template: '<p data-testid="child">second screen</p>' })
class SecondScreen {}

@Component({ template: '' })
class FirstScreen {}

@Component({
  imports: [TabbedProductPageComponent],
  template: `
    <app-tabbed-product-page
      titleKey="demo.name"
      captionKey="demo.caption"
      titleTestId="product-demo"
      [tabs]="['first', 'second']"
      tabLabelPrefix="demo.tabs."
      tabTestIdPrefix="demo-tab-"
      ><p data-testid="projected">above the tabs</p></app-tabbed-product-page
    >
  `,
})
class DemoPage {}

describe('TabbedProductPageComponent', () => {
  it('links one tab per child path relative to the page, marks the open one, and shows its screen', async () => {
    TestBed.configureTestingModule({
      imports: [
        TranslocoTestingModule.forRoot({
          langs: { ja: {} },
          translocoConfig: { defaultLang: 'ja' },
        }),
      ],
      providers: [
        provideNoopAnimations(),
        provideRouter([
          {
            path: 'demo',
            component: DemoPage,
            children: [
              { path: 'first', component: FirstScreen },
              { path: 'second', component: SecondScreen },
            ],
          },
        ]),
      ],
    });
    const harness = await RouterTestingHarness.create('/demo/second');
    // routerLinkActive learns the URL after the first pass; the tab's [active] binding needs a second.
    harness.detectChanges();
    const el = harness.routeNativeElement as HTMLElement;
    expect(el.querySelector('[data-testid="product-demo"]')?.textContent).toContain('demo.name');
    expect(el.querySelector('[data-testid="projected"]')).not.toBeNull();
    const second = el.querySelector('[data-testid="demo-tab-second"]') as HTMLAnchorElement;
    expect(second.textContent).toContain('demo.tabs.second');
    expect(second.getAttribute('href')).toBe('/demo/second');
    expect(el.querySelector('[data-testid="demo-tab-first"]')?.getAttribute('href')).toBe('/demo/first');
    expect(second.classList).toContain('mdc-tab--active');
    expect(el.querySelector('[data-testid="child"]')?.textContent).toBe('second screen');
  });
});
