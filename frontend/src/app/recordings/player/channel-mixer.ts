/**
 * Caller/callee routing for stereo call recordings (left = caller, right = callee, as the recording
 * store writes them): media element -> channel splitter -> one gain per party and ear -> merger ->
 * master volume -> speakers.
 */
export const CHANNEL_MODES = ['mix', 'stereo', 'caller', 'callee'] as const;
export type ChannelMode = (typeof CHANNEL_MODES)[number];

export interface MixSettings {
  mode: ChannelMode;
  /** -1 = caller only … 0 = even … +1 = callee only (in mix and stereo modes). */
  balance: number;
  /** 0-1 */
  volume: number;
  muted: boolean;
}

export interface ChannelGains {
  callerLeft: number;
  callerRight: number;
  calleeLeft: number;
  calleeRight: number;
  master: number;
}

export const DEFAULT_MIX: MixSettings = { mode: 'mix', balance: 0, volume: 1, muted: false };

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Number.isFinite(v) ? v : 0));

/** The gain of each path for the listener's settings; a mono recording plays its one channel in both ears. */
export function gainsFor(s: MixSettings, stereo: boolean): ChannelGains {
  const master = s.muted ? 0 : clamp(s.volume, 0, 1);
  if (!stereo) return { callerLeft: 1, callerRight: 1, calleeLeft: 0, calleeRight: 0, master };
  const balance = clamp(s.balance, -1, 1);
  const caller = balance > 0 ? 1 - balance : 1;
  const callee = balance < 0 ? 1 + balance : 1;
  switch (s.mode) {
    case 'caller':
      return { callerLeft: 1, callerRight: 1, calleeLeft: 0, calleeRight: 0, master };
    case 'callee':
      return { callerLeft: 0, callerRight: 0, calleeLeft: 1, calleeRight: 1, master };
    case 'stereo':
      return { callerLeft: caller, callerRight: 0, calleeLeft: 0, calleeRight: callee, master };
    case 'mix':
      return { callerLeft: caller, callerRight: caller, calleeLeft: callee, calleeRight: callee, master };
  }
}

type Paths = Record<keyof ChannelGains, GainNode>;

/** The Web Audio graph behind one media element. Built on the first play (browsers want a gesture). */
export class ChannelMixer {
  private context: AudioContext | null = null;
  private paths: Paths | null = null;

  constructor(
    private readonly media: HTMLMediaElement,
    private readonly createContext: () => AudioContext = () => new AudioContext(),
  ) {}

  get connected(): boolean {
    return this.paths !== null;
  }

  /** Builds the graph once; later calls only resume a suspended context. */
  async start(): Promise<void> {
    if (!this.context) {
      const ctx = this.createContext();
      const source = ctx.createMediaElementSource(this.media);
      const splitter = ctx.createChannelSplitter(2);
      const merger = ctx.createChannelMerger(2);
      const gain = () => ctx.createGain();
      const paths: Paths = {
        callerLeft: gain(),
        callerRight: gain(),
        calleeLeft: gain(),
        calleeRight: gain(),
        master: gain(),
      };
      source.connect(splitter);
      splitter.connect(paths.callerLeft, 0).connect(merger, 0, 0);
      splitter.connect(paths.callerRight, 0).connect(merger, 0, 1);
      splitter.connect(paths.calleeLeft, 1).connect(merger, 0, 0);
      splitter.connect(paths.calleeRight, 1).connect(merger, 0, 1);
      merger.connect(paths.master).connect(ctx.destination);
      this.context = ctx;
      this.paths = paths;
    }
    if (this.context.state === 'suspended') await this.context.resume();
  }

  apply(gains: ChannelGains): void {
    if (!this.paths) return;
    for (const key of Object.keys(gains) as (keyof ChannelGains)[]) this.paths[key].gain.value = gains[key];
  }

  /** The gains really set on the nodes (null before the graph exists): what the player reports. */
  current(): ChannelGains | null {
    if (!this.paths) return null;
    const p = this.paths;
    return {
      callerLeft: p.callerLeft.gain.value,
      callerRight: p.callerRight.gain.value,
      calleeLeft: p.calleeLeft.gain.value,
      calleeRight: p.calleeRight.gain.value,
      master: p.master.gain.value,
    };
  }

  close(): void {
    void this.context?.close().catch(() => undefined);
    this.context = null;
    this.paths = null;
  }
}
