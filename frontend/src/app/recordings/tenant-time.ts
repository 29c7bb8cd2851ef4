import { Pipe, PipeTransform, inject } from '@angular/core';
import { AuthService } from '../core/auth.service';

/** The zone the tenant's calls are searched and shown in (GET /auth/me carries it for every role). */
export const FALLBACK_TIME_ZONE = 'Asia/Tokyo';

export type TimeStyle = 'dateTime' | 'date' | 'time' | 'dateTimeSeconds';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, timeZone: string, style: TimeStyle): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${style}`;
  let f = formatters.get(key);
  if (!f) {
    const date = { year: 'numeric', month: '2-digit', day: '2-digit' } as const;
    const time = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
    const options: Intl.DateTimeFormatOptions =
      style === 'date'
        ? date
        : style === 'time'
          ? time
          : style === 'dateTimeSeconds'
            ? { ...date, ...time, second: '2-digit' }
            : { ...date, ...time };
    f = new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', { ...options, timeZone });
    formatters.set(key, f);
  }
  return f;
}

/** An instant shown in the tenant's zone, whatever the browser's zone is. */
export function formatInZone(value: string | Date | null, timeZone: string, locale: string, style: TimeStyle): string {
  if (value === null || value === '') return '';
  const date = value instanceof Date ? value : new Date(value);
  return isNaN(date.getTime()) ? '' : formatter(locale, timeZone, style).format(date);
}

/** The calendar day (YYYY-MM-DD) an instant falls on in `timeZone`. */
export function dayInZone(instant: Date, timeZone: string): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    instant,
  );
}

/** Calendar arithmetic on YYYY-MM-DD strings (no zone involved: a day is a day). */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday, for a YYYY-MM-DD. */
export function weekday(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

export function tenantTimeZone(auth: AuthService): string {
  return auth.me()?.tenant.timeZone || FALLBACK_TIME_ZONE;
}

/** `{{ call.startedAt | tenantTime: lang() : 'dateTime' }}`: the language is an argument so the pipe stays pure. */
@Pipe({ name: 'tenantTime' })
export class TenantTimePipe implements PipeTransform {
  private readonly auth = inject(AuthService);

  transform(value: string | Date | null | undefined, locale: string, style: TimeStyle = 'dateTime'): string {
    return formatInZone(value ?? null, tenantTimeZone(this.auth), locale, style);
  }
}

/** Seconds as m:ss or h:mm:ss, the way players and call lists show lengths. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

@Pipe({ name: 'duration' })
export class DurationPipe implements PipeTransform {
  transform(seconds: number | null | undefined): string {
    return seconds === null || seconds === undefined ? '' : formatDuration(seconds);
  }
}
