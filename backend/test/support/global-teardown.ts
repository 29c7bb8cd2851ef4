export default async function globalTeardown(): Promise<void> {
  const containers = (globalThis as Record<string, unknown>)['__appliance_containers__'] as
    Array<{ stop(): Promise<unknown> }> | undefined;
  await Promise.all((containers ?? []).map((c) => c.stop()));
}
