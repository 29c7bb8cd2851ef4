import { Component, computed, input } from '@angular/core';
import { MarkRange, highlightParts } from './highlight';

/**
 * Text with marked ranges. Every part is bound as text (interpolation), so whatever a transcript
 * or a note contains is shown, never parsed as HTML.
 */
@Component({
  selector: 'app-highlighted-text',
  // One line on purpose: whitespace between the parts would show as spaces inside Japanese text.
  // prettier-ignore
  template: `@for (p of parts(); track $index) {@if (p.mark) {<mark [class]="'kw kw-' + p.mark">{{ p.text }}</mark>} @else {<span>{{ p.text }}</span>}}`,
  styles: `
    mark.kw {
      border-radius: 3px;
      padding: 0 1px;
      background: #fff59d;
      color: inherit;
    }
    mark.kw-ng {
      background: #ffcdd2;
      color: #b71c1c;
      font-weight: 600;
    }
    mark.kw-competitor {
      background: #ffe0b2;
    }
    mark.kw-required {
      background: #c8e6c9;
    }
    mark.kw-hotword {
      background: #bbdefb;
    }
  `,
})
export class HighlightedTextComponent {
  readonly text = input.required<string>();
  readonly ranges = input<readonly MarkRange[]>([]);
  protected readonly parts = computed(() => highlightParts(this.text(), this.ranges()));
}
