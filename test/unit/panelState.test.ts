import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { COMPLETION_34B_REASON } from '../../src/settings/modelCatalogue';
import { panelState, type InstalledModel, type Measurement, type PanelState } from '../../src/settings/panelState';
import { DEFAULTS, LIMITS, readSettings, settingsFrom } from '../../src/settings/settings';

const up: PanelState['connection'] = { reachable: true, version: '0.12.6', host: 'http://127.0.0.1:11434' };
const GB = 1_000_000_000;
const measurement = (model: string, at: number, p50 = 100): Measurement =>
  ({ model, at, ttftMsP50: p50 / 2, latencyMsP50: p50, latencyMsP95: p50 * 2, tokensPerSecond: 40, samples: 6 });
const pick = (state: PanelState, part: 'completion' | 'explain', key: 'selected' | 'installed') =>
  state[part].map((o) => `${o.size}:${o[key]}`);

describe('panelState: model options', () => {
  test('defaults: 7B selected for both, the options in order with their model names', () => {
    const state = panelState(DEFAULTS, [], [], up);
    assert.deepEqual(state.completion.map((o) => [o.size, o.model]),
      [['7b', 'codellama:7b-code'], ['13b', 'codellama:13b-code'], ['34b', 'codellama:34b-code']]);
    assert.deepEqual(state.explain.map((o) => [o.size, o.model]),
      [['7b', 'codellama:7b-instruct'], ['13b', 'codellama:13b-instruct'], ['34b', 'codellama:34b-instruct']]);
    assert.deepEqual(pick(state, 'completion', 'selected'), ['7b:true', '13b:false', '34b:false']);
    assert.deepEqual(pick(state, 'explain', 'selected'), ['7b:true', '13b:false', '34b:false']);
  });

  test('the selected sizes follow the settings', () => {
    const state = panelState(settingsFrom({ modelSize: '13b', explainModelSize: '34b' }), [], [], up);
    assert.deepEqual(pick(state, 'completion', 'selected'), ['7b:false', '13b:true', '34b:false']);
    assert.deepEqual(pick(state, 'explain', 'selected'), ['7b:false', '13b:false', '34b:true']);
  });

  test('a custom model selects no completion size (the explain size is unaffected)', () => {
    const state = panelState(settingsFrom({ modelSize: '13b', customModel: 'deepseek-coder:6.7b-base' }), [], [], up);
    assert.deepEqual(pick(state, 'completion', 'selected'), ['7b:false', '13b:false', '34b:false']);
    assert.deepEqual(pick(state, 'explain', 'selected'), ['7b:true', '13b:false', '34b:false']);
    assert.equal(state.settings.customModel, 'deepseek-coder:6.7b-base');
  });

  test('34B completion: never selectable, says why, still shows whether it is installed', () => {
    const absent = panelState(DEFAULTS, [], [], up).completion[2];
    assert.equal(absent.disabledReason, COMPLETION_34B_REASON);
    assert.match(absent.disabledReason!, /not trained for fill-in-the-middle/);
    assert.equal(absent.installed, false);
    const present = panelState(DEFAULTS, [{ name: 'codellama:34b-code', size: 19 * GB }], [], up).completion[2];
    assert.equal(present.installed, true);
    assert.equal(present.sizeOnDisk, 19 * GB);
    assert.equal(present.selected, false);
    // Only that option is disabled; explain 34B is fine.
    const state = panelState(DEFAULTS, [], [], up);
    assert.deepEqual([...state.completion, ...state.explain].filter((o) => o.disabledReason).map((o) => o.model), ['codellama:34b-code']);
  });
});

describe('panelState: installed models', () => {
  const installed: InstalledModel[] = [
    { name: 'codellama:7b-code', size: 3_825_910_662 },
    { name: 'codellama:13b-instruct', size: 7_365_960_935 },
    { name: 'llama3:latest', size: 4_661_224_676 },
  ];

  test('installed status and size on disk', () => {
    const state = panelState(DEFAULTS, installed, [], up);
    assert.deepEqual(pick(state, 'completion', 'installed'), ['7b:true', '13b:false', '34b:false']);
    assert.deepEqual(pick(state, 'explain', 'installed'), ['7b:false', '13b:true', '34b:false']);
    assert.equal(state.completion[0].sizeOnDisk, 3_825_910_662);
    assert.equal(state.explain[1].sizeOnDisk, 7_365_960_935);
    assert.equal('sizeOnDisk' in state.completion[1], false, 'no size for a missing model');
  });

  test('installed models are matched as Ollama names them (modelCatalogue.sameModel)', () => {
    // The bare "codellama" (= codellama:latest) is none of the panel's models.
    const bare = panelState(DEFAULTS, [{ name: 'codellama:latest', size: 1 }], [], up);
    assert.ok([...bare.completion, ...bare.explain].every((o) => !o.installed));
    const state = panelState(DEFAULTS, [{ name: 'registry.ollama.ai/library/codellama:7b-instruct', size: 5 }], [], up);
    assert.equal(state.explain[0].installed, true);
    assert.equal(state.explain[0].sizeOnDisk, 5);
  });

  test('unknown installed list (server unreachable): nothing shown as installed', () => {
    const down = { reachable: false, host: 'http://127.0.0.1:11434', message: 'Cannot reach Ollama: ECONNREFUSED' };
    const state = panelState(DEFAULTS, undefined, [], down);
    assert.ok([...state.completion, ...state.explain].every((o) => !o.installed && o.sizeOnDisk === undefined));
    assert.deepEqual(state.connection, down);
  });
});

describe('panelState: measurements', () => {
  test('each option carries the newest measurement of its model, matched like installed names', () => {
    const measurements = [
      measurement('codellama:7b-code', 1000, 300),
      measurement('codellama:7b-code', 3000, 120),
      measurement('codellama:7b-code', 2000, 200),
      measurement('registry.ollama.ai/library/codellama:13b-code', 500, 400),
      measurement('something-else:latest', 500, 1),
    ];
    const state = panelState(DEFAULTS, [], measurements, up);
    assert.deepEqual(state.completion[0].measurement, measurements[1]);
    assert.deepEqual(state.completion[1].measurement, measurements[3]);
    assert.equal(state.completion[2].measurement, undefined);
    assert.ok(state.explain.every((o) => o.measurement === undefined));
    assert.notEqual(state.completion[0].measurement, measurements[1], 'a copy');
  });
});

describe('panelState: settings and limits', () => {
  test('the editable settings are mapped one to one, arrays copied', () => {
    const languages = ['markdown', 'plaintext'];
    const settings = readSettings((key) => ({
      'completion.promptFormat': 'psm', 'completion.contextTokens': 8192, 'completion.maxTokens': 128,
      'completion.maxLines': 3, 'completion.temperature': 0.3, 'completion.alternativesTemperature': 1.1,
      'completion.debounceMs': 90, 'ollama.keepAlive': '1h', 'completion.enabled': false,
      'completion.disabledLanguages': languages, 'ollama.host': 'http://gpu-box:11434', 'completion.customModel': '',
      'completion.crossFileContext': 'off',
    } as Record<string, unknown>)[key]);
    const state = panelState(settings, [], [], { reachable: true, host: settings.host });
    assert.deepEqual(state.settings, {
      promptFormat: 'psm', contextTokens: 8192, maxTokens: 128, maxLines: 3, temperature: 0.3,
      alternativesTemperature: 1.1, debounceMs: 90, keepAlive: '1h', completionsEnabled: false, crossFileContext: 'off',
      disabledLanguages: ['markdown', 'plaintext'], host: 'http://gpu-box:11434', customModel: '',
    });
    state.settings.disabledLanguages.push('x');
    assert.deepEqual(settings.disabledLanguages, ['markdown', 'plaintext']);
    assert.equal(state.limits, LIMITS);
  });

  test('the state survives postMessage (a JSON round trip) unchanged', () => {
    const state = panelState(settingsFrom({ customModel: 'x:y' }), [{ name: 'codellama:7b-code', size: 3 }],
      [measurement('codellama:7b-code', 1)], up);
    assert.deepEqual(JSON.parse(JSON.stringify(state)), state);
  });
});
