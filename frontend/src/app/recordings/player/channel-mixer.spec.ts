import { ChannelMixer, DEFAULT_MIX, MixSettings, gainsFor } from './channel-mixer';

const mix = (patch: Partial<MixSettings>): MixSettings => ({ ...DEFAULT_MIX, ...patch });

describe('gainsFor', () => {
  it('routes each party as the listener chose', () => {
    expect(gainsFor(mix({ mode: 'mix' }), true)).toEqual({
      callerLeft: 1,
      callerRight: 1,
      calleeLeft: 1,
      calleeRight: 1,
      master: 1,
    });
    expect(gainsFor(mix({ mode: 'stereo' }), true)).toEqual({
      callerLeft: 1,
      callerRight: 0,
      calleeLeft: 0,
      calleeRight: 1,
      master: 1,
    });
    expect(gainsFor(mix({ mode: 'caller' }), true)).toEqual({
      callerLeft: 1,
      callerRight: 1,
      calleeLeft: 0,
      calleeRight: 0,
      master: 1,
    });
    expect(gainsFor(mix({ mode: 'callee' }), true)).toEqual({
      callerLeft: 0,
      callerRight: 0,
      calleeLeft: 1,
      calleeRight: 1,
      master: 1,
    });
  });

  it('turns one party down with the balance, never up past 1', () => {
    expect(gainsFor(mix({ balance: -0.5 }), true)).toMatchObject({ callerLeft: 1, calleeLeft: 0.5 });
    expect(gainsFor(mix({ balance: 0.25 }), true)).toMatchObject({ callerLeft: 0.75, calleeLeft: 1 });
    expect(gainsFor(mix({ balance: 7 }), true)).toMatchObject({ callerLeft: 0, calleeLeft: 1 });
    // Solo ignores the balance: the chosen party at full level.
    expect(gainsFor(mix({ mode: 'caller', balance: 1 }), true)).toMatchObject({ callerLeft: 1, calleeLeft: 0 });
  });

  it('plays a mono recording in both ears whatever the mode', () => {
    expect(gainsFor(mix({ mode: 'callee' }), false)).toEqual({
      callerLeft: 1,
      callerRight: 1,
      calleeLeft: 0,
      calleeRight: 0,
      master: 1,
    });
  });

  it('applies volume and mute on the master gain', () => {
    expect(gainsFor(mix({ volume: 0.4 }), true).master).toBe(0.4);
    expect(gainsFor(mix({ volume: 0.4, muted: true }), true).master).toBe(0);
    expect(gainsFor(mix({ volume: Number.NaN }), true).master).toBe(0);
  });
});

/** Enough of the Web Audio API to check the wiring: every connect is recorded. */
class FakeNode {
  readonly gain = { value: 1 };
  readonly links: { to: FakeNode | string; output: number; input: number }[] = [];
  constructor(readonly kind: string) {}
  connect(to: FakeNode | string, output = 0, input = 0) {
    this.links.push({ to, output, input });
    return to;
  }
}

class FakeContext {
  state = 'suspended';
  readonly nodes: FakeNode[] = [];
  readonly destination = 'speakers';
  resumed = 0;
  private make(kind: string) {
    const node = new FakeNode(kind);
    this.nodes.push(node);
    return node;
  }
  createMediaElementSource = () => this.make('source');
  createChannelSplitter = () => this.make('splitter');
  createChannelMerger = () => this.make('merger');
  createGain = () => this.make('gain');
  resume = async () => {
    this.resumed++;
    this.state = 'running';
  };
  close = async () => undefined;
}

describe('ChannelMixer', () => {
  it('wires splitter -> four party gains -> merger -> master -> speakers once, and reports what it applied', async () => {
    const ctx = new FakeContext();
    let created = 0;
    const mixer = new ChannelMixer({} as HTMLMediaElement, () => {
      created++;
      return ctx as unknown as AudioContext;
    });
    expect(mixer.current()).toBeNull();
    await mixer.start();
    await mixer.start();
    expect(created).toBe(1);
    expect(ctx.resumed).toBe(1);

    const [source, splitter, merger] = ctx.nodes;
    expect(source.links).toEqual([{ to: splitter, output: 0, input: 0 }]);
    const gains = ctx.nodes.filter((n) => n.kind === 'gain');
    expect(splitter.links.map((l) => [gains.indexOf(l.to as FakeNode), l.output])).toEqual([
      [0, 0],
      [1, 0],
      [2, 1],
      [3, 1],
    ]);
    expect(gains.slice(0, 4).map((g) => [g.links[0].to, g.links[0].input])).toEqual([
      [merger, 0],
      [merger, 1],
      [merger, 0],
      [merger, 1],
    ]);
    expect(merger.links[0].to).toBe(gains[4]);
    expect(gains[4].links[0].to).toBe('speakers');

    mixer.apply(gainsFor(mix({ mode: 'callee', volume: 0.5 }), true));
    expect(mixer.current()).toEqual({ callerLeft: 0, callerRight: 0, calleeLeft: 1, calleeRight: 1, master: 0.5 });
    mixer.close();
    expect(mixer.connected).toBe(false);
  });
});
