// Moved to the shared audio-format library (storageOpusJob is built on it there, and the capture
// service writes the same format); kept under this name for the transcoder's imports.
export { lazyStorageJob } from '@appliance/audio-format';
