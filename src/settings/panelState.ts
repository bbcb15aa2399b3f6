// What the Settings panel shows, computed from the settings, the installed models (/api/tags) and
// the latency measurements. Pure: the VS Code glue gathers the inputs and posts the result.

import {
  canonicalModelName, COMPLETION_34B_MODEL, COMPLETION_34B_REASON, COMPLETION_MODELS, COMPLETION_SIZES, EXPLAIN_MODELS,
  EXPLAIN_SIZES,
} from './modelCatalogue';
import { LIMITS, type Settings } from './settings';

export interface InstalledModel { name: string; size: number }

export interface Measurement {
  model: string;
  /** Epoch ms when the measurement finished. */
  at: number;
  ttftMsP50: number;
  latencyMsP50: number;
  latencyMsP95: number;
  tokensPerSecond: number;
  samples: number;
}

export interface ModelOption {
  size: string;
  model: string;
  installed: boolean;
  /** Bytes on disk, when installed. */
  sizeOnDisk?: number;
  selected: boolean;
  /** Set when the option cannot be chosen (34B for completions). */
  disabledReason?: string;
  /** The latest measurement of this model, if any. */
  measurement?: Measurement;
}

export interface PanelSettings {
  promptFormat: 'spm' | 'psm';
  contextTokens: number;
  maxTokens: number;
  maxLines: number;
  temperature: number;
  alternativesTemperature: number;
  debounceMs: number;
  keepAlive: string;
  completionsEnabled: boolean;
  crossFileContext: 'on' | 'off';
  disabledLanguages: string[];
  host: string;
  customModel: string;
}

export interface PanelState {
  connection: { reachable: boolean; version?: string; host: string; message?: string };
  /** 7b, 13b, then 34b (never selectable: `disabledReason` says why). */
  completion: ModelOption[];
  /** 7b, 13b, 34b instruct. */
  explain: ModelOption[];
  settings: PanelSettings;
  limits: typeof LIMITS;
}

/** The newest measurement of each model, by canonical name. */
function latestMeasurements(measurements: readonly Measurement[]): Map<string, Measurement> {
  const latest = new Map<string, Measurement>();
  for (const m of measurements) {
    const key = canonicalModelName(m.model);
    const known = latest.get(key);
    if (!known || m.at >= known.at) latest.set(key, m);
  }
  return latest;
}

export function panelState(settings: Settings, installed: InstalledModel[] | undefined, measurements: Measurement[],
  connection: PanelState['connection']): PanelState {
  const onDisk = new Map<string, number>();
  for (const m of installed ?? []) onDisk.set(canonicalModelName(m.name), m.size);
  const measured = latestMeasurements(measurements);

  const option = (size: string, model: string, selected: boolean, disabledReason?: string): ModelOption => {
    const key = canonicalModelName(model);
    const result: ModelOption = { size, model, installed: onDisk.has(key), selected };
    const bytes = onDisk.get(key);
    if (bytes !== undefined) result.sizeOnDisk = bytes;
    if (disabledReason) result.disabledReason = disabledReason;
    const measurement = measured.get(key);
    if (measurement) result.measurement = { ...measurement };
    return result;
  };

  const custom = settings.customModel.trim();
  const completion = [
    ...COMPLETION_SIZES.map((size) => option(size, COMPLETION_MODELS[size], !custom && settings.modelSize === size)),
    option('34b', COMPLETION_34B_MODEL, false, COMPLETION_34B_REASON),
  ];
  const explain = EXPLAIN_SIZES.map((size) =>
    option(size, EXPLAIN_MODELS[size], settings.explainModelSize === size));

  return {
    connection: { ...connection },
    completion,
    explain,
    settings: {
      promptFormat: settings.promptFormat,
      contextTokens: settings.contextTokens,
      maxTokens: settings.maxTokens,
      maxLines: settings.maxLines,
      temperature: settings.temperature,
      alternativesTemperature: settings.alternativesTemperature,
      debounceMs: settings.debounceMs,
      keepAlive: settings.keepAlive,
      completionsEnabled: settings.completionsEnabled,
      crossFileContext: settings.crossFileContext,
      disabledLanguages: [...settings.disabledLanguages],
      host: settings.host,
      customModel: settings.customModel,
    },
    limits: LIMITS,
  };
}
