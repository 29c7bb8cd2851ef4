import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { KeyRing } from '../../platform/crypto/key-ring';
import type { User } from '../users/user.entity';
import { RefreshToken } from './refresh-token.entity';

export interface AccessClaims {
  sub: string;
  tid: string;
  iat: number;
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Short-lived signed access tokens plus opaque, rotated, revocable refresh tokens. */
@Injectable()
export class TokenService {
  private readonly jwt: JwtService;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectRepository(RefreshToken) private readonly refreshTokens: Repository<RefreshToken>,
    keys: KeyRing,
  ) {
    this.jwt = new JwtService({
      secret: keys.sessionSecret,
      signOptions: { expiresIn: config.auth.accessTtlSeconds, algorithm: 'HS256' },
      verifyOptions: { algorithms: ['HS256'] },
    });
  }

  async issue(user: User): Promise<IssuedTokens> {
    const refreshToken = randomBytes(32).toString('base64url');
    await this.refreshTokens.insert({
      id: randomUUID(),
      tenantId: user.tenantId,
      userId: user.id,
      tokenHash: sha256(refreshToken),
      expiresAt: new Date(Date.now() + this.config.auth.refreshTtlSeconds * 1000),
      revokedAt: null,
      createdAt: new Date(),
    });
    const accessToken = await this.jwt.signAsync({ sub: user.id, tid: user.tenantId });
    return { accessToken, refreshToken };
  }

  async verifyAccess(token: string): Promise<AccessClaims> {
    try {
      return await this.jwt.verifyAsync<AccessClaims>(token);
    } catch {
      throw new UnauthorizedException('session expired or invalid');
    }
  }

  /** Consumes a refresh token (one use only) and returns its user id; a reused token is refused. */
  async consumeRefresh(token: string): Promise<{ userId: string }> {
    const row = await this.refreshTokens.findOne({ where: { tokenHash: sha256(token) } });
    if (!row || row.revokedAt || row.expiresAt.getTime() < Date.now()) {
      if (row && row.revokedAt) {
        // A revoked token presented again means it leaked: end every session of that user.
        await this.revokeAllFor(row.userId);
      }
      throw new UnauthorizedException('refresh token invalid, expired or revoked');
    }
    const result = await this.refreshTokens.update({ id: row.id, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (!result.affected) throw new UnauthorizedException('refresh token already used');
    return { userId: row.userId };
  }

  async revoke(token: string): Promise<void> {
    await this.refreshTokens.update({ tokenHash: sha256(token), revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  async revokeAllFor(userId: string): Promise<void> {
    await this.refreshTokens.update({ userId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }
}
