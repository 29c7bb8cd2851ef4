// The call-recording storage format (Ogg Opus, two uncoupled mono streams) and the audio pieces
// around it, shared by the backend's transcoder and the on-site capture service.
export * from './lib/audio-errors';
export * from './lib/byte-reader';
export * from './lib/lazy-storage-job';
export * from './lib/libopus';
export * from './lib/ogg';
export * from './lib/opus-decoding';
export * from './lib/opus-packet';
export * from './lib/peaks';
export * from './lib/resampler';
export * from './lib/storage-encoder';
export * from './lib/wav';
export * from './lib/worker-spawner';
