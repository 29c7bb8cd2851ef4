import { DecimalPipe } from '@angular/common';
import {
  Component,
  ElementRef,
  OnDestroy,
  afterRenderEffect,
  computed,
  inject,
  input,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSliderModule } from '@angular/material/slider';
import { MatTooltipModule } from '@angular/material/tooltip';
import { TranslocoPipe } from '@jsverse/transloco';
import type WaveSurfer from 'wavesurfer.js';
import { apiStatus } from '../../core/api-errors';
import { AuthService } from '../../core/auth.service';
import { StatusBannerComponent } from '../../shared/status-banner.component';
import { triggerDownload } from '../download-link';
import { RecordingsApi, audioUrl } from '../recordings.api';
import { useRecordingIcons } from '../recordings-icons';
import { CallView } from '../recordings.types';
import { DurationPipe } from '../tenant-time';
import {
  CHANNEL_MODES,
  ChannelGains,
  ChannelMixer,
  ChannelMode,
  DEFAULT_MIX,
  MixSettings,
  gainsFor,
} from './channel-mixer';
import { RATES, SKIP_SECONDS, playerAction, stepRate } from './player-keys';
import { toWavePeaks } from './peaks';
import { ShareDialogComponent } from './share-dialog.component';

/** Roles the audio endpoint serves downloads to (playback.controller.ts: the controller's @Roles). */
export const DOWNLOAD_ROLES = ['tenantAdmin', 'supervisor', 'operator', 'auditor'] as const;
/** Roles POST /calls/:id/share accepts. */
export const SHARE_ROLES = ['tenantAdmin', 'supervisor'] as const;
// The access cookie lives 15 minutes; refresh it before the browser fetches audio on its own.
const SESSION_TOUCH_MS = 5 * 60_000;

const CALLER_COLOR = '#1565c0';
const CALLEE_COLOR = '#2e7d32';

/**
 * The call player: waveform from the stored peaks, audio streamed by the media element with Range
 * requests (a long call starts at once and seeks without downloading the rest), speed with pitch
 * kept, caller/callee solo and balance through Web Audio, keyboard shortcuts, download and share.
 */
@Component({
  selector: 'app-call-player',
  imports: [
    DecimalPipe,
    FormsModule,
    MatButtonModule,
    MatButtonToggleModule,
    MatFormFieldModule,
    MatIconModule,
    MatMenuModule,
    MatProgressBarModule,
    MatSelectModule,
    MatSliderModule,
    MatTooltipModule,
    TranslocoPipe,
    StatusBannerComponent,
    DurationPipe,
  ],
  templateUrl: './player.component.html',
  styleUrl: './player.component.scss',
  host: {
    '(document:keydown)': 'onKey($event)',
    // Read by the e2e tests: what the Web Audio graph really applies (not just what was asked).
    '[attr.data-audio-graph]': "applied() ? 'connected' : 'idle'",
    '[attr.data-caller-gain]': 'callerGain()',
    '[attr.data-callee-gain]': 'calleeGain()',
  },
})
export class CallPlayerComponent implements OnDestroy {
  readonly call = input.required<Pick<CallView, 'id' | 'channelLayout' | 'caller' | 'callee'>>();
  /** Start playing once loaded (the user pressed play in the results list). */
  readonly autoplay = input(false);
  /** Seconds to start from once loaded (a transcript search hit links to the moment it was said). */
  readonly startAt = input<number | null>(null);

  private readonly api = inject(RecordingsApi);
  private readonly auth = inject(AuthService);
  private readonly dialog = inject(MatDialog);
  private readonly mediaRef = viewChild.required<ElementRef<HTMLAudioElement>>('media');
  private readonly waveRef = viewChild.required<ElementRef<HTMLDivElement>>('wave');

  protected readonly Math = Math;
  protected readonly rates = RATES;
  protected readonly modes = CHANNEL_MODES;
  protected readonly skip = SKIP_SECONDS;
  protected readonly stereo = computed(() => this.call().channelLayout === 'stereo');
  protected readonly canDownload = computed(() => this.auth.hasAnyRole(DOWNLOAD_ROLES));
  protected readonly canShare = computed(() => this.auth.hasAnyRole(SHARE_ROLES));

  protected readonly loading = signal(true);
  protected readonly peaksError = signal<{ status: number } | null>(null);
  protected readonly mediaError = signal(false);
  protected readonly duration = signal(0);
  /** Playback position in seconds; read by the transcript panel to follow along. */
  readonly currentTime = signal(0);
  protected readonly playing = signal(false);
  protected readonly buffering = signal(false);
  protected readonly rate = signal(1);
  protected readonly mix = signal<MixSettings>({ ...DEFAULT_MIX });
  protected readonly applied = signal<ChannelGains | null>(null);
  protected readonly callerGain = computed(() => {
    const g = this.applied();
    return g ? Math.max(g.callerLeft, g.callerRight) : null;
  });
  protected readonly calleeGain = computed(() => {
    const g = this.applied();
    return g ? Math.max(g.calleeLeft, g.calleeRight) : null;
  });

  private readonly callId = computed(() => this.call().id);
  private ws: WaveSurfer | null = null;
  private mixer: ChannelMixer | null = null;
  private lastTouch = Date.now();
  private recovering = false;
  private readonly unlisten: (() => void)[] = [];

  constructor() {
    useRecordingIcons();
    // DOM work after render; re-runs only when another call is shown.
    afterRenderEffect(() => {
      const id = this.callId();
      untracked(() => this.load(id));
    });
  }

  ngOnDestroy(): void {
    this.teardown();
  }

  protected retry(): void {
    this.load(this.callId());
  }

  private teardown(): void {
    this.unlisten.splice(0).forEach((off) => off());
    this.ws?.destroy();
    this.ws = null;
    this.mixer?.close();
    this.mixer = null;
    this.applied.set(null);
  }

  private load(id: string): void {
    this.teardown();
    this.loading.set(true);
    this.peaksError.set(null);
    this.mediaError.set(false);
    this.playing.set(false);
    this.currentTime.set(0);
    this.api.peaks(id).subscribe({
      next: async (answer) => {
        const peaks = toWavePeaks(answer);
        this.duration.set(peaks.seconds);
        // wavesurfer is loaded with the player, not with the app: it is the largest part of this screen.
        const { default: WaveSurferClass } = await import('wavesurfer.js');
        if (id !== this.callId()) return;
        this.createWave(WaveSurferClass, id, peaks.channels, peaks.seconds);
        this.loading.set(false);
        const startAt = this.startAt();
        if (startAt !== null) this.seekTo(startAt);
        if (this.autoplay()) void this.play();
      },
      error: (err: unknown) => {
        this.loading.set(false);
        this.peaksError.set({ status: apiStatus(err) });
      },
    });
  }

  private createWave(WaveSurferClass: typeof WaveSurfer, id: string, channels: number[][], seconds: number): void {
    const media = this.mediaRef().nativeElement;
    media.preservesPitch = true;
    media.playbackRate = this.rate();
    const split = this.stereo() && channels.length > 1;
    this.ws = WaveSurferClass.create({
      container: this.waveRef().nativeElement,
      media,
      url: audioUrl(id),
      peaks: channels,
      duration: seconds,
      height: split ? 48 : 80,
      normalize: true,
      barWidth: 2,
      barGap: 1,
      barRadius: 1,
      cursorWidth: 2,
      cursorColor: '#c62828',
      waveColor: CALLER_COLOR,
      progressColor: '#0d47a1',
      dragToSeek: true,
      splitChannels: split
        ? [
            { waveColor: CALLER_COLOR, progressColor: '#0d47a1' },
            { waveColor: CALLEE_COLOR, progressColor: '#1b5e20' },
          ]
        : undefined,
    });
    const on = <K extends keyof HTMLMediaElementEventMap>(type: K, handler: () => void) => {
      media.addEventListener(type, handler);
      this.unlisten.push(() => media.removeEventListener(type, handler));
    };
    on('timeupdate', () => this.currentTime.set(media.currentTime));
    on('seeked', () => this.currentTime.set(media.currentTime));
    on('play', () => this.playing.set(true));
    on('pause', () => this.playing.set(false));
    on('ended', () => this.playing.set(false));
    on('waiting', () => this.buffering.set(true));
    on('playing', () => this.buffering.set(false));
    on('canplay', () => this.buffering.set(false));
    on('ratechange', () => this.rate.set(media.playbackRate));
    on('durationchange', () => {
      if (Number.isFinite(media.duration) && media.duration > 0) this.duration.set(media.duration);
    });
    on('error', () => void this.recover());
  }

  /**
   * A failed audio request is most often an expired session (the browser fetches audio without the
   * app's token refresh): refresh once and resume where the listener was; otherwise say so.
   */
  private async recover(): Promise<void> {
    const media = this.mediaRef().nativeElement;
    if (this.recovering || !media.getAttribute('src')) {
      this.mediaError.set(true);
      return;
    }
    this.recovering = true;
    const at = media.currentTime;
    const wasPlaying = this.playing();
    try {
      await this.touchSession(true);
      media.load();
      media.currentTime = at;
      if (wasPlaying) await media.play();
    } catch {
      this.mediaError.set(true);
    }
    // Leave room for the reload's own error to land before allowing another attempt.
    setTimeout(() => (this.recovering = false), 5_000);
  }

  protected reloadAudio(): void {
    this.mediaError.set(false);
    this.recovering = false;
    void this.recover();
  }

  private touchSession(force = false): Promise<void> {
    if (!force && Date.now() - this.lastTouch < SESSION_TOUCH_MS) return Promise.resolve();
    return new Promise((resolve, reject) =>
      this.api.touchSession().subscribe({
        next: () => {
          this.lastTouch = Date.now();
          resolve();
        },
        error: reject,
      }),
    );
  }

  protected async toggle(): Promise<void> {
    if (this.playing()) this.mediaRef().nativeElement.pause();
    else await this.play();
  }

  private async play(): Promise<void> {
    const media = this.mediaRef().nativeElement;
    if (!this.ws) return;
    try {
      await this.touchSession();
      await this.startMixer(media);
      await media.play();
    } catch (err) {
      // An autoplay refusal is not an error: the play button is right there.
      if ((err as Error)?.name !== 'NotAllowedError' && (err as Error)?.name !== 'AbortError')
        this.mediaError.set(true);
    }
  }

  private async startMixer(media: HTMLAudioElement): Promise<void> {
    if (!this.mixer) {
      if (typeof AudioContext === 'undefined') return; // plays through the element alone
      this.mixer = new ChannelMixer(media);
    }
    await this.mixer.start();
    this.applyMix();
  }

  private applyMix(): void {
    if (!this.mixer?.connected) return;
    this.mixer.apply(gainsFor(this.mix(), this.stereo()));
    this.applied.set(this.mixer.current());
  }

  seekTo(seconds: number): void {
    const media = this.mediaRef().nativeElement;
    const end = this.duration() || media.duration || 0;
    media.currentTime = Math.max(0, Math.min(end, seconds));
    this.currentTime.set(media.currentTime);
  }

  protected skipBy(seconds: number): void {
    this.seekTo(this.mediaRef().nativeElement.currentTime + seconds);
  }

  protected setRate(rate: number): void {
    const media = this.mediaRef().nativeElement;
    media.preservesPitch = true;
    media.playbackRate = rate;
    this.rate.set(rate);
  }

  protected setMode(mode: ChannelMode): void {
    this.mix.update((m) => ({ ...m, mode }));
    this.applyMix();
  }

  protected setBalance(percent: number): void {
    this.mix.update((m) => ({ ...m, balance: percent / 100 }));
    this.applyMix();
  }

  protected setVolume(percent: number): void {
    this.mix.update((m) => ({ ...m, volume: percent / 100, muted: false }));
    this.applyVolume();
  }

  protected toggleMute(): void {
    this.mix.update((m) => ({ ...m, muted: !m.muted }));
    this.applyVolume();
  }

  private applyVolume(): void {
    if (this.mixer?.connected) this.applyMix();
    else {
      // Before the graph exists the element's own volume is what plays.
      const media = this.mediaRef().nativeElement;
      media.volume = this.mix().volume;
      media.muted = this.mix().muted;
    }
  }

  protected onKey(event: KeyboardEvent): void {
    if (!this.ws || this.dialog.openDialogs.length) return;
    const action = playerAction(event);
    if (!action) return;
    event.preventDefault();
    switch (action.kind) {
      case 'toggle':
        void this.toggle();
        break;
      case 'skip':
        this.skipBy(action.seconds);
        break;
      case 'rate':
        this.setRate(stepRate(this.rate(), action.step));
        break;
      case 'start':
        this.seekTo(0);
        break;
      case 'mute':
        this.toggleMute();
        break;
    }
  }

  protected async download(format: 'opus' | 'wav'): Promise<void> {
    try {
      await this.touchSession(true);
    } catch {
      this.mediaError.set(true);
      return;
    }
    triggerDownload(audioUrl(this.callId(), format === 'wav' ? { format: 'wav' } : { download: true }));
  }

  protected share(): void {
    this.dialog.open(ShareDialogComponent, { data: { callId: this.callId() }, width: '520px' });
  }
}
