import { measureAssemblerThroughput } from './assembler-throughput';

describe('measureAssemblerThroughput', () => {
  it('pairs every generated RTP packet to its call (the figure it reports is over real work)', () => {
    for (const log of ['discard', 'memory'] as const) {
      const result = measureAssemblerThroughput({ calls: 20, seconds: 2, log });
      expect(result.packets).toBe(20 * 2 * 50 * 2);
      expect(result.matched).toBe(result.packets);
      expect(result.packetsPerSecond).toBeGreaterThan(0);
    }
  });
});
