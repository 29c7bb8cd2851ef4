import { existsSync } from 'node:fs';

/**
 * Jest global setup for the backend: when no DATABASE_URL / REDIS_URL is given but a Docker engine
 * answers, start MySQL 8 and Redis with testcontainers so the integration tests run on both
 * databases anyway. Without Docker the tests run on SQLite only (and fail under CI=true).
 */
export default async function globalSetup(): Promise<void> {
  if (process.env['DATABASE_URL'] || process.env['CI'] === 'true') return;
  if (!process.env['DOCKER_HOST'] && !existsSync('/var/run/docker.sock')) return;
  try {
    const { getContainerRuntimeClient, GenericContainer } = await import('testcontainers');
    await getContainerRuntimeClient();
    const { MySqlContainer } = await import('@testcontainers/mysql');
    const mysql = await new MySqlContainer('mysql:8.4').withRootPassword('test').start();
    const redis = await new GenericContainer('redis:7-alpine').withExposedPorts(6379).start();
    process.env['DATABASE_URL'] = `mysql://root:test@${mysql.getHost()}:${mysql.getPort()}/test`;
    process.env['REDIS_URL'] = `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`;
    (globalThis as Record<string, unknown>)['__appliance_containers__'] = [mysql, redis];
  } catch (error) {
    console.warn(`testcontainers unavailable (${(error as Error).message}); integration tests run on SQLite only`);
  }
}
