import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { highlightParts } from './highlight';
import { HighlightedTextComponent } from './highlighted-text.component';

describe('highlightParts', () => {
  it('splits text into plain and marked runs that join back to the text', () => {
    const parts = highlightParts('解約のお手続きですね', [{ start: 0, end: 2 }]);
    expect(parts).toEqual([
      { text: '解約', mark: 'hit' },
      { text: 'のお手続きですね', mark: null },
    ]);
  });

  it('merges overlapping ranges and lets an NG word win over a search hit', () => {
    const parts = highlightParts('abcdefgh', [
      { start: 1, end: 4 },
      { start: 3, end: 6, kind: 'ng' },
    ]);
    expect(parts).toEqual([
      { text: 'a', mark: null },
      { text: 'bc', mark: 'hit' },
      { text: 'def', mark: 'ng' },
      { text: 'gh', mark: null },
    ]);
  });

  it('survives bad offsets: clamped, inverted and empty ranges never lose or repeat text', () => {
    const text = 'お電話ありがとうございます';
    const parts = highlightParts(text, [
      { start: -5, end: 2 },
      { start: 10, end: 999 },
      { start: 6, end: 4 },
      { start: 3, end: 3 },
    ]);
    expect(parts.map((p) => p.text).join('')).toBe(text);
    expect(parts.filter((p) => p.mark).map((p) => p.text)).toEqual(['お電', 'います']);
  });

  it('handles empty text', () => {
    expect(highlightParts('', [{ start: 0, end: 3 }])).toEqual([]);
  });
});

@Component({
  imports: [HighlightedTextComponent],
  template: `<app-highlighted-text [text]="text" [ranges]="ranges" />`,
})
class HostComponent {
  text = '';
  ranges: { start: number; end: number; kind?: 'ng' }[] = [];
}

describe('HighlightedTextComponent', () => {
  function render(text: string, ranges: HostComponent['ranges']): HTMLElement {
    const fixture = TestBed.createComponent(HostComponent);
    fixture.componentInstance.text = text;
    fixture.componentInstance.ranges = ranges;
    fixture.detectChanges();
    return fixture.nativeElement.querySelector('app-highlighted-text');
  }

  it('renders marks as <mark> with the kind and adds no whitespace to Japanese text', () => {
    const el = render('バカと言いました', [{ start: 0, end: 2, kind: 'ng' }]);
    expect(el.textContent).toBe('バカと言いました');
    const marks = el.querySelectorAll('mark');
    expect(marks).toHaveLength(1);
    expect(marks[0].textContent).toBe('バカ');
    expect(marks[0].className).toContain('kw-ng');
  });

  it('shows markup in a transcript as text, never as HTML', () => {
    const evil = '<img src=x onerror="alert(1)"><b>bold</b>';
    const el = render(evil, [{ start: 5, end: 10 }]);
    expect(el.querySelector('img')).toBeNull();
    expect(el.querySelector('b')).toBeNull();
    expect(el.textContent).toBe(evil);
    expect(el.querySelector('mark')?.textContent).toBe(evil.slice(5, 10));
  });
});
