import type { PopupAnswered, PopupEnded, PopupRinging, PopupSynced } from './popup-protocol';

/** One popup on screen: the call as it rang, and what happened to it since. */
export interface StackedCall {
  call: PopupRinging;
  /** Someone picked up (null when not yet, or when the extension is mapped to nobody: see answered). */
  answeredBy: PopupRinging['answeredBy'];
  answered: boolean;
  /** The call hung up; the popup stays until dismissed so the memo can still be written. */
  ended: boolean;
}

/** How many popups the stack keeps: the oldest ended ones go first when more ring. */
export const MAX_STACK = 8;

/**
 * The popups as a pure list, newest first: every socket event is a function of the list, so the
 * stacking, replacement on resume and the sync after a reconnect are testable without a socket.
 */
export function onRinging(stack: StackedCall[], call: PopupRinging): StackedCall[] {
  const existing = stack.find((s) => s.call.key === call.key);
  const entry: StackedCall = {
    call,
    answeredBy: call.answeredBy ?? existing?.answeredBy ?? null,
    answered: !!call.answeredAt || (existing?.answered ?? false),
    ended: false,
  };
  // A key already shown is replaced in place (a reconnect at the moment a call rings brings it twice).
  if (existing) return stack.map((s) => (s.call.key === call.key ? entry : s));
  const next = [entry, ...stack];
  while (next.length > MAX_STACK) {
    const oldestEnded = next.map((s) => s.ended).lastIndexOf(true);
    next.splice(oldestEnded >= 0 ? oldestEnded : next.length - 1, 1);
  }
  return next;
}

export function onAnswered(stack: StackedCall[], event: PopupAnswered): StackedCall[] {
  return stack.map((s) => (s.call.key === event.key ? { ...s, answered: true, answeredBy: event.answeredBy } : s));
}

export function onEnded(stack: StackedCall[], event: PopupEnded): StackedCall[] {
  return stack.map((s) => (s.call.key === event.key ? { ...s, ended: true } : s));
}

/** After a reconnect: a popup the server no longer lists ended while the socket was away. */
export function onSynced(stack: StackedCall[], event: PopupSynced): StackedCall[] {
  const open = new Set(event.keys);
  return stack.map((s) => (s.ended || open.has(s.call.key) ? s : { ...s, ended: true }));
}

export function dismiss(stack: StackedCall[], key: string): StackedCall[] {
  return stack.filter((s) => s.call.key !== key);
}
