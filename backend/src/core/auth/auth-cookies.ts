import type { CookieOptions, Response } from 'express';
import type { AppConfig } from '../../config/app-config';
import type { IssuedTokens } from './token.service';

export const ACCESS_COOKIE = 'access_token';
export const REFRESH_COOKIE = 'refresh_token';
export const REFRESH_PATH = '/api/v1/auth';

function base(config: AppConfig, secure: boolean): CookieOptions {
  // Secure whenever the browser reached us over TLS (directly or through a trusted proxy).
  return { httpOnly: true, sameSite: 'strict', secure: secure || config.tls.enabled };
}

export function setAuthCookies(res: Response, tokens: IssuedTokens, config: AppConfig, secure: boolean): void {
  res.cookie(ACCESS_COOKIE, tokens.accessToken, {
    ...base(config, secure),
    path: '/',
    maxAge: config.auth.accessTtlSeconds * 1000,
  });
  res.cookie(REFRESH_COOKIE, tokens.refreshToken, {
    ...base(config, secure),
    path: REFRESH_PATH,
    maxAge: config.auth.refreshTtlSeconds * 1000,
  });
}

export function clearAuthCookies(res: Response, config: AppConfig, secure: boolean): void {
  res.clearCookie(ACCESS_COOKIE, { ...base(config, secure), path: '/' });
  res.clearCookie(REFRESH_COOKIE, { ...base(config, secure), path: REFRESH_PATH });
}
