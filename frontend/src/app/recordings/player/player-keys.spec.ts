import { playerAction, stepRate } from './player-keys';

const el = (tag: string, role?: string) => {
  const e = document.createElement(tag);
  if (role) e.setAttribute('role', role);
  return e;
};
const key = (k: string, target: HTMLElement = document.body, mods: Partial<KeyboardEvent> = {}) =>
  playerAction({ key: k, ctrlKey: false, altKey: false, metaKey: false, target, ...mods });

describe('player keys', () => {
  it('maps the shortcuts', () => {
    expect(key(' ')).toEqual({ kind: 'toggle' });
    expect(key('k')).toEqual({ kind: 'toggle' });
    expect(key('ArrowLeft')).toEqual({ kind: 'skip', seconds: -5 });
    expect(key('l')).toEqual({ kind: 'skip', seconds: 5 });
    expect(key('[')).toEqual({ kind: 'rate', step: -1 });
    expect(key(']')).toEqual({ kind: 'rate', step: 1 });
    expect(key('Home')).toEqual({ kind: 'start' });
    expect(key('m')).toEqual({ kind: 'mute' });
    expect(key('x')).toBeNull();
  });

  it('leaves keys to what has focus when it needs them', () => {
    expect(key(' ', el('input'))).toBeNull();
    expect(key('ArrowLeft', el('textarea'))).toBeNull();
    expect(key(' ', el('button'))).toBeNull(); // space presses the focused button
    expect(key('ArrowRight', el('button', 'radio'))).toBeNull(); // moves within a toggle group
    expect(key('ArrowRight', el('div', 'slider'))).toEqual({ kind: 'skip', seconds: 5 }); // our waveform
    expect(key(']', el('button'))).toEqual({ kind: 'rate', step: 1 });
    expect(key('k', document.body, { ctrlKey: true })).toBeNull();
  });

  it('steps through the speeds and stops at the ends', () => {
    expect(stepRate(1, 1)).toBe(1.25);
    expect(stepRate(1, -1)).toBe(0.75);
    expect(stepRate(2, 1)).toBe(2);
    expect(stepRate(0.5, -1)).toBe(0.5);
    expect(stepRate(1.1, 1)).toBe(1.25);
    expect(stepRate(1.1, -1)).toBe(1);
  });
});
