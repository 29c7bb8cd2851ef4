export type PlayerAction =
  | { kind: 'toggle' }
  | { kind: 'skip'; seconds: number }
  | { kind: 'rate'; step: -1 | 1 }
  | { kind: 'start' }
  | { kind: 'mute' };

export const SKIP_SECONDS = 5;
export const RATES = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2] as const;

// Where keys belong to what has focus: typing, choosing, sliding.
const EDITABLE = /^(INPUT|TEXTAREA|SELECT)$/;

/**
 * The player's keyboard shortcuts: space/k play-pause, ←/→ (j/l) ±5 s, [ ] slower/faster, Home to
 * the start, m mute. Null when the key is not ours or focus is somewhere that needs the key itself
 * (a form field, a slider; space on a button presses the button).
 */
export function playerAction(
  e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'metaKey' | 'target'>,
): PlayerAction | null {
  if (e.ctrlKey || e.altKey || e.metaKey) return null;
  const target = e.target as HTMLElement | null;
  if (target && (EDITABLE.test(target.tagName) || target.isContentEditable)) return null;
  const role = target?.getAttribute?.('role');
  const onControl = !!target && (/^(BUTTON|A)$/.test(target.tagName) || role === 'button' || role === 'option');
  switch (e.key) {
    case ' ':
    case 'k':
      return onControl && e.key === ' ' ? null : { kind: 'toggle' };
    case 'ArrowLeft':
    case 'j':
      return role === 'radio' || role === 'tab' ? null : { kind: 'skip', seconds: -SKIP_SECONDS };
    case 'ArrowRight':
    case 'l':
      return role === 'radio' || role === 'tab' ? null : { kind: 'skip', seconds: SKIP_SECONDS };
    case '[':
      return { kind: 'rate', step: -1 };
    case ']':
      return { kind: 'rate', step: 1 };
    case 'Home':
      return { kind: 'start' };
    case 'm':
      return { kind: 'mute' };
    default:
      return null;
  }
}

/** The next speed up or down the list, staying at the ends. */
export function stepRate(current: number, step: -1 | 1): number {
  const index = RATES.findIndex((r) => r >= current - 1e-6);
  const at = index === -1 ? RATES.length - 1 : index;
  const exact = Math.abs(RATES[at] - current) < 1e-6;
  const next = step > 0 ? (exact ? at + 1 : at) : at - 1;
  return RATES[Math.min(RATES.length - 1, Math.max(0, next))];
}
