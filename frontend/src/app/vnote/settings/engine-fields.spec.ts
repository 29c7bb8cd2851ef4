import { KEPT_SECRET, engineOptionsFor, formValuesFor } from './engine-fields';

describe('engine options', () => {
  it('sends only the engine’s own keys, numbers as numbers, empty optional ones left out', () => {
    const { options, problems } = engineOptionsFor('sherpa-onnx', {
      modelDir: ' reazonspeech-k2-zipformer ',
      modelType: 'transducer',
      numThreads: '',
      region: 'stale from another engine',
    });
    expect(problems).toEqual([]);
    expect(options).toEqual({ modelDir: 'reazonspeech-k2-zipformer', modelType: 'transducer' });
    expect(
      engineOptionsFor('sherpa-onnx', { modelDir: 'm', modelType: 'sense-voice', numThreads: '4' }).options[
        'numThreads'
      ],
    ).toBe(4);
  });

  it('names the option that is missing or out of range', () => {
    expect(engineOptionsFor('sherpa-onnx', { modelDir: '', modelType: 'x', numThreads: '9' }).problems).toEqual([
      { field: 'modelDir', key: 'required' },
      { field: 'modelType', key: 'choice' },
      { field: 'numThreads', key: 'range' },
    ]);
  });

  it('sends a stored secret back masked so the server keeps it', () => {
    const values = formValuesFor('aws-transcribe', {
      region: 'ap-northeast-1',
      bucket: 'b',
      accessKeyId: 'AKIA1',
      secretAccessKey: KEPT_SECRET,
    });
    expect(engineOptionsFor('aws-transcribe', values).options['secretAccessKey']).toBe(KEPT_SECRET);
  });

  it('has no options for pocketsphinx and a boolean for AmiVoice logging', () => {
    expect(engineOptionsFor('pocketsphinx', {})).toEqual({ options: {}, problems: [] });
    expect(formValuesFor('amivoice', { appKey: KEPT_SECRET, grammar: '-a-general', logging: true })['logging']).toBe(
      true,
    );
  });
});
